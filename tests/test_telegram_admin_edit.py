"""Guided admin edits through the fake Bot API: replace an answer (preview, save), create an
intent (also from an inbox question), add a news item; refusals and cancel at any step."""

from __future__ import annotations

import asyncio

from ruamel.yaml import YAML

from bot.engine import Engine
from bot.store.subscriptions import Sub, Subscriptions
from telegram_harness import BotHarness, button_data, captions
from test_telegram_admin import ADMIN, STRANGER, answered, mini_copy


def load_yaml(text: str):
    return YAML(typ="safe").load(text)  # the fixture's flow lists hold "?", which PyYAML rejects


def test_replace_an_answer_with_preview_and_confirm(tmp_path):
    catalog, file = mini_copy(tmp_path)
    new_zh = "全市已建海外仓147个，<b>详情</b>请咨询市商务局。"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            current, prompt = await bot.say("/answer funds.warehouses", chat_id=ADMIN)
            assert "全市已建海外仓147个。" in current["text"] and "Send the new answer" in prompt["text"]

            before = file.read_bytes()
            [preview] = await bot.say("海外仓已有200个。", chat_id=ADMIN)  # a figure no quote has
            assert "preview" in preview["text"] and "保存" in " ".join(captions(preview))
            refused, again = await bot.press(preview, "save")
            assert "states figure '200'" in refused["text"] and file.read_bytes() == before
            assert "Send the new answer" in again["text"]

            [preview] = await bot.say(new_zh, chat_id=ADMIN)
            assert "<b>详情</b>" in preview["text"]  # escaped: shown as typed, not as bold
            await bot.press(preview, "save", user_id=STRANGER)  # a forged press: refused, nothing written
            assert "Admins only" in bot.toast()["text"] and file.read_bytes() == before
            await bot.press(preview, "save")
            assert "saved: funds.warehouses" in bot.current(preview)["text"] and "live now" in bot.current(preview)["text"]

            text = file.read_text(encoding="utf-8")
            assert text.startswith("# a comment that must survive edits") and "funds.trade_fund" in text
            intent = next(i for i in load_yaml(text)["intents"] if i["id"] == "funds.warehouses")
            assert intent["answer"]["zh"] == new_zh and intent["admin"]["by"] == "Tester (tg 4242)"
            [shown] = await bot.say("海外仓有多少个")  # live now: the very next question gets it
            reply = shown["text"]
            assert new_zh.replace("<b>", "").replace("</b>", "") not in reply and "详情" in reply
            assert "<b>详情</b>" in reply  # the user sees it as typed too
            assert "由管理员 Tester 于" in reply and "修订" in reply and "tg 4242" not in reply
            # the admin is out of the conversation: the next text is a question again
            [normal] = await bot.say("海外仓有多少个", chat_id=ADMIN)
            assert "详情" in normal["text"]

    asyncio.run(scenario())


def test_create_an_intent_from_an_inbox_question(tmp_path):
    catalog, file = mini_copy(tmp_path)
    question = "跨境电商培训在哪里报名"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            await bot.say(question)
            await bot.say("跨境电商培训在哪儿报名？")  # a near-duplicate: one inbox item, both become phrasings
            _, item = await bot.say("/inbox", chat_id=ADMIN)
            started, topics = await bot.press(item, "new intent")
            assert question in started["text"] and "Choose the topic" in topics["text"]
            [title_prompt] = await bot.press(topics, "基金")
            assert "title" in title_prompt["text"]
            [complaint, _] = await bot.say("只有一行标题", chat_id=ADMIN)
            assert "two lines are needed" in complaint["text"]
            await bot.say("跨境电商培训\nCross-border e-commerce training", chat_id=ADMIN)
            await bot.say("有没有电商培训课程\n电商培训谁来办\nWhere can I sign up for e-commerce training?", chat_id=ADMIN)
            await bot.say("请关注市商务局发布的培训通知。", chat_id=ADMIN)
            [source_prompt] = await bot.say("Watch the city commerce bureau's training notices.", chat_id=ADMIN)
            assert "doc" in source_prompt["text"] and "/skip" in source_prompt["text"]
            [complaint, _] = await bot.say("nosuchdoc: 随便写的", chat_id=ADMIN)
            assert "unknown document 'nosuchdoc'" in complaint["text"]
            before = file.read_bytes()
            [preview] = await bot.say("/skip", chat_id=ADMIN)
            assert "funds.cross_border_e_commerce_training" in preview["text"] and question in preview["text"]
            assert file.read_bytes() == before  # nothing written before Save
            await bot.press(preview, "save")
            assert "saved: funds.cross_border_e_commerce_training" in bot.current(preview)["text"]

            intent = load_yaml(file.read_text(encoding="utf-8"))["intents"][-1]
            assert intent["id"] == "funds.cross_border_e_commerce_training" and intent["admin"]["by"] == "Tester (tg 4242)"
            assert intent["questions"]["zh"][:3] == [question, "跨境电商培训在哪儿报名？", "有没有电商培训课程"]
            assert len(intent["questions"]["zh"]) >= 6
            reply = await answered(bot, question, "培训通知")
            assert "由管理员 Tester 于" in reply and "无文件出处" in reply  # no document behind it
            assert "Where can I sign up" in intent["questions"]["en"][0]
            [history] = await bot.say("/history funds.cross_border_e_commerce_training", chat_id=ADMIN)
            assert "create_intent" in history["text"]

    asyncio.run(scenario())


def test_add_a_news_item_and_cancel_at_any_step(tmp_path):
    catalog, _ = mini_copy(tmp_path)
    news_file = catalog / "intents" / "news.yaml"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            [refused] = await bot.say("/news", chat_id=STRANGER)
            assert "仅限管理员" in refused["text"]
            before = news_file.read_bytes()

            await bot.say("/news", chat_id=ADMIN)
            [complaint, _] = await bot.say("2026-13-45", chat_id=ADMIN)
            assert "YYYY-MM-DD" in complaint["text"]
            [topics] = await bot.say("2026-02-01", chat_id=ADMIN)
            await bot.press(topics, "基金")
            await bot.say("外贸基金为超350家企业授信。", chat_id=ADMIN)
            await bot.say("The trade fund gave credit to over 350 firms.", chat_id=ADMIN)
            [complaint] = await bot.say("/skip", chat_id=ADMIN)
            assert "cannot be skipped" in complaint["text"]
            [preview] = await bot.say("doc: 为超350家外贸企业授信28.26亿元", chat_id=ADMIN)
            assert "news.funds.admin_20260201" in preview["text"]
            [cancelled] = await bot.press(preview, "cancel")
            assert "nothing was written" in cancelled["text"] and news_file.read_bytes() == before
            cancelled_preview = preview
            await bot.press(preview, "save")  # the preview of a cancelled edit
            assert "out of date" in bot.toast()["text"] or "over" in bot.toast()["text"]
            assert news_file.read_bytes() == before

            # again, to the end
            await bot.say("/news", chat_id=ADMIN)
            [topics] = await bot.say("2026-02-01", chat_id=ADMIN)
            await bot.press(topics, "基金")
            await bot.say("外贸基金为超350家企业授信。", chat_id=ADMIN)
            await bot.say("The trade fund gave credit to over 350 firms.", chat_id=ADMIN)
            [preview] = await bot.say("doc: 为超350家外贸企业授信28.26亿元", chat_id=ADMIN)
            await bot.press(cancelled_preview, "cancel")  # the cancel button of the earlier preview
            assert "out of date" in bot.toast()["text"]
            await bot.press(preview, "save")  # this edit is still on
            assert "saved: news:news.funds.admin_20260201" in bot.current(preview)["text"]
            items = load_yaml(news_file.read_text(encoding="utf-8"))["news"]
            assert items[-1]["date"] == "2026-02-01" and items[-1]["sources"][0]["doc"] == "doc"
            assert len(items) == 2
            # a subscriber to the topic finds it in the digest
            Subscriptions(bot.store).save(Sub(chat_id=1001, user_id=1001, topics=("funds",)))
            digest = " ".join(m["text"] for m in await bot.say("/digest", chat_id=1001))
            assert "外贸基金为超350家企业授信。" in digest

            # /cancel in the middle of a new intent: nothing written, the next text is a question
            funds = (catalog / "intents" / "funds.yaml").read_bytes()
            await bot.say("/newintent funds", chat_id=ADMIN)
            [cancelled] = await bot.say("/cancel", chat_id=ADMIN)
            assert "nothing was written" in cancelled["text"]
            [answer] = await bot.say("海外仓有多少个", chat_id=ADMIN)
            assert "147" in answer["text"]
            assert (catalog / "intents" / "funds.yaml").read_bytes() == funds
            [idle] = await bot.say("/cancel", chat_id=ADMIN)
            assert "No edit in progress" in idle["text"]

    asyncio.run(scenario())


def test_an_edit_left_alone_times_out(tmp_path, monkeypatch):
    from bot.telegram import handlers_admin_edit

    monkeypatch.setattr(handlers_admin_edit, "TIMEOUT_SECONDS", 1)
    catalog, file = mini_copy(tmp_path)
    before = file.read_bytes()

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await bot.say("/answer funds.warehouses", chat_id=ADMIN)
            for _ in range(50):
                if any("timed out" in m["text"] for m in bot.fake.sent(ADMIN)):
                    break
                await asyncio.sleep(0.1)
            assert "timed out; nothing was written" in bot.fake.sent(ADMIN)[-1]["text"]
            [answer] = await bot.say("海外仓有多少个", chat_id=ADMIN)  # a question again, not the new answer
            assert "147" in answer["text"]
            assert file.read_bytes() == before

    asyncio.run(scenario())


# title, phrasings, Chinese answer, English answer of a new intent
INSURANCE_STEPS = ("出口信用保险\nExport credit insurance", "出口信用保险怎么投保\nHow do I buy export credit insurance?",
                   "请咨询承保机构。", "Ask an insurer.")


def test_steps_sent_in_quick_succession_are_taken_in_order(tmp_path):
    catalog, _ = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await bot.say("/newintent funds", chat_id=ADMIN)
            bot.fake.fail("sendMessage", delay=0.2, times=None)  # slow replies: the next steps arrive mid-step
            for text in INSURANCE_STEPS:
                bot.fake.message(text, chat_id=ADMIN)  # all at once, handled concurrently by the bot
            await bot.settle()
            [preview] = await bot.say("/skip", chat_id=ADMIN)
            text = preview["text"]
            assert "zh: 出口信用保险\n" in text and "en: Export credit insurance" in text
            assert "- 出口信用保险怎么投保" in text and "zh: 请咨询承保机构。" in text and "en: Ask an insurer." in text

    asyncio.run(scenario())


def test_save_pressed_twice_saves_once(tmp_path):
    catalog, file = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await bot.say("/newintent funds", chat_id=ADMIN)
            for text in INSURANCE_STEPS:
                await bot.say(text, chat_id=ADMIN)
            [preview] = await bot.say("/skip", chat_id=ADMIN)
            save = button_data(preview, "save")
            bot.fake.callback(save, preview)
            bot.fake.callback(save, preview)  # an impatient second tap while the first is saving
            await bot.settle()
            assert file.read_text(encoding="utf-8").count("id: funds.export_credit_insurance") == 1
            assert not any("not changed" in m["text"] for m in bot.fake.sent(ADMIN))
            assert "saved: funds.export_credit_insurance" in bot.current(preview)["text"]

    asyncio.run(scenario())


def test_a_replaced_answer_can_bring_its_own_quotes(tmp_path):
    catalog, file = mini_copy(tmp_path)
    text = "全市已建海外仓147个，另设有30亿元外贸基金。"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await bot.say("/answer funds.warehouses", chat_id=ADMIN)
            [preview] = await bot.say(text, chat_id=ADMIN)
            refused, _ = await bot.press(preview, "save")  # 30亿 is not in this intent's quote
            assert "states figure '30亿'" in refused["text"]
            [preview] = await bot.say(text, chat_id=ADMIN)
            [prompt] = await bot.press(preview, "set the sources")
            assert "replace the intent's sources" in prompt["text"]

            # no quotes at all: then no figure may stand, in either language
            [bare] = await bot.say("/skip", chat_id=ADMIN)
            refused, again = await bot.press(bare, "save")
            assert "answer (en) states figure '147'" in refused["text"] and "Send the new answer" in again["text"]

            [preview] = await bot.say(text, chat_id=ADMIN)
            await bot.press(preview, "set the sources")
            [preview] = await bot.say("doc: 全市已建海外仓147个\ndoc: 设立30亿元“外贸基金”", chat_id=ADMIN)
            assert "📎 doc: 设立30亿元“外贸基金”" in preview["text"] and "2 条出处引文" in preview["text"]
            await bot.press(preview, "save")
            assert "saved: funds.warehouses" in bot.current(preview)["text"]
            intent = next(i for i in load_yaml(file.read_text(encoding="utf-8"))["intents"] if i["id"] == "funds.warehouses")
            assert intent["answer"]["zh"] == text and [s["quote"] for s in intent["sources"]] == ["全市已建海外仓147个", "设立30亿元“外贸基金”"]

    asyncio.run(scenario())
