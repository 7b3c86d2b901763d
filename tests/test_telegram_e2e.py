"""The Telegram bot end to end: the real Application (built and served as `qzbot run` does)
against the fake Bot API over real HTTP on 127.0.0.1. Assertions are on what the user sees:
the text and buttons the bot sent, and the pop-ups after button presses.

Most scenarios use the two-intent fixture catalog (its answers do not change while the shipped
catalog grows); the typo and HTML scenarios use the shipped catalog's `customs.one_lock.what`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time

import aiohttp
import pytest

from bot import texts
from bot.engine import Reply
from fakebotapi import BOT_USER, TOKEN
from telegram_harness import BotHarness, button_data, buttons, captions, run

GROUP = -100777


# -- /start, /help, /lang, commands ----------------------------------------------------------


def test_start_in_chinese_with_topic_buttons_and_command_menus(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [welcome] = await bot.say("/start", language_code="zh-hans")
            assert welcome["text"].startswith("您好！我是泉州外贸政策助手。")
            assert "涵盖：基金" in welcome["text"]
            assert captions(welcome) == ["基金"]
            menus = bot.fake.commands
            assert [c["command"] for c in menus[None]] == ["start", "topics", "subscribe", "mysubs", "digest", "unsubscribe", "mydata", "forget", "lang", "help"]
            assert menus[None][1]["description"] == "按主题浏览"
            assert menus["en"][1]["description"] == "Browse by topic"
            assert bot.store.counts()["users"] == 1

    run(scenario())


def test_start_in_english_and_lang_switch(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [welcome] = await bot.say("/start", language_code="en")
            assert welcome["text"].startswith("Hello! I'm the Quanzhou foreign-trade policy assistant.")
            assert captions(welcome) == ["Funds"]
            [chooser] = await bot.say("/lang", language_code="en")
            assert captions(chooser) == ["中文", "English"]
            await bot.press(chooser, "中文")
            assert bot.current(chooser)["text"] == "已切换为中文。"
            [help_text] = await bot.say("/help", language_code="en")
            assert help_text["text"].startswith("直接输入问题即可")  # the choice beats Telegram's setting
            assert bot.store.user_language(1001) == "zh"
            [done] = await bot.say("/lang en", language_code="en")
            assert done["text"] == "Language set to English."

    run(scenario())


# -- questions -----------------------------------------------------------------------------


def test_chinese_question_gets_answer_source_and_buttons(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("外贸基金有多大")
            assert answer["html"].startswith("<b>外贸基金</b>\n\n外贸基金规模30亿元，已为超350家企业授信28.26亿元。")
            assert "来源：测试文件（测试报，2026-01）" in answer["text"]
            assert "<blockquote expandable>" in answer["html"]
            assert captions(answer) == ["🔎 海外仓数量", "🔔 订阅此主题", "👍 有帮助", "👎 没帮助"]
            assert button_data(answer, "订阅") == "sub:funds"
            assert all(len(data.encode()) <= 64 for _, data in buttons(answer))
            actions = [c.method for c in bot.fake.calls if c.method in ("sendChatAction", "sendMessage")]
            assert actions == ["sendChatAction", "sendMessage"]  # typing first
            assert bot.fake.calls_of("sendChatAction")[0].params["action"] == "typing"
            [row] = bot.store.recent_questions()
            assert (row.question, row.outcome, row.intent, row.language, row.chat_id) == (
                "外贸基金有多大", "answer", "funds.trade_fund", "zh", 1001)

    run(scenario())


def test_english_question_gets_english_answer(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("How big is the trade fund?", language_code="en")
            assert answer["text"].startswith("Trade fund\n\nThe trade fund is 3 billion yuan")
            assert "Source: Test document (测试文件; 测试报, 2026-01)" in answer["text"]
            assert captions(answer)[-2:] == ["👍 Helpful", "👎 Not helpful"]
            assert bot.store.recent_questions()[0].language == "en"

    run(scenario())


def test_typo_and_html_questions_on_the_shipped_catalog(engine, tmp_path):
    async def answer_to(bot: BotHarness, question: str) -> dict:
        [reply] = await bot.say(question)
        if reply["text"].startswith("您想问的是哪一个？"):  # the shipped catalog is still growing:
            [reply] = await bot.press(reply, "跨境一锁")  # a did-you-mean that offers it is fine too
        return reply

    async def scenario():
        async with BotHarness(engine, tmp_path) as bot:
            typo = await answer_to(bot, "跨境一所")  # pinyin typo for 跨境一锁
            assert "跨境一锁" in typo["text"].split("\n")[0]
            assert "来源：" in typo["text"]
            tagged = await answer_to(bot, "<b>跨境一锁</b>")
            assert tagged["text"] == typo["text"]
            # The fake parses HTML as Telegram does; anything unescaped would have been refused.
            assert "<b>跨境一锁</b>" not in tagged["html"]
            logged = [q.question for q in bot.store.recent_questions()]
            assert logged == ["<b>跨境一锁</b>", "跨境一所"]

    run(scenario())


def test_out_of_scope_question_is_not_answered(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [reply] = await bot.say("今天天气怎么样")
            # A confident wrong answer is the worst outcome: no answer, no source, no feedback.
            assert "来源" not in reply["text"] and not any("帮助" in c for c in captions(reply))
            assert captions(reply)[-1] == "📚 按主题浏览"
            assert bot.store.recent_questions()[0].outcome in ("fallback", "clarify")
            [reply] = await bot.say("火锅哪家好吃")
            assert reply["text"].startswith("抱歉，这个问题我还答不上来")
            assert "基金" in reply["text"] and texts.WHOM_TO_ASK["zh"] in reply["text"]
            assert captions(reply) == ["📚 按主题浏览"]
            assert bot.store.recent_questions()[0].outcome == "fallback"

    run(scenario())


def test_very_long_message_is_answered_and_logged_truncated(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            question = "请问海外仓有多少个？" + "我们是一家做鞋服出口的企业。" * 357
            assert len(question) > 5000
            [answer] = await bot.say(question)
            assert answer["text"].startswith("海外仓数量\n\n全市已建海外仓147个。")
            assert len(bot.store.recent_questions()[0].question) == 1000

    run(scenario())


def test_clarify_choices_are_buttons_and_numbers(mini_engine, tmp_path, monkeypatch):
    # The matcher's thresholds are being tuned, so which question clarifies may change;
    # this test is about what the bot does with a clarify reply, so the engine gives one.
    choices = [mini_engine.suggestion("funds.trade_fund", "zh", 60.0), mini_engine.suggestion("funds.warehouses", "zh", 58.0)]
    clarify = Reply("外贸", "clarify", "zh", None, 60.0, texts.clarify(choices, "zh"), suggestions=choices)
    monkeypatch.setattr(mini_engine, "ask", lambda question, language=None: clarify)

    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [menu] = await bot.say("外贸")
            assert menu["text"].startswith("您想问的是哪一个？\n1. 外贸基金\n2. 海外仓数量")
            assert captions(menu) == ["1. 外贸基金", "2. 海外仓数量", "📚 按主题浏览"]
            [picked] = await bot.press(menu, "2. 海外仓数量")
            assert picked["text"].startswith("海外仓数量\n\n全市已建海外仓147个。")
            assert bot.toast().get("text") is None  # acknowledged silently
            await bot.say("外贸")
            [by_number] = await bot.say("1")
            assert by_number["text"].startswith("外贸基金")
            assert [q.outcome for q in bot.store.recent_questions()] == ["clarify", "clarify"]

    run(scenario())


def test_related_button_sends_the_related_answer(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("外贸基金是什么")
            [related] = await bot.press(answer, "海外仓数量")
            assert related["text"].startswith("海外仓数量\n\n全市已建海外仓147个。")
            assert captions(related) == ["🔔 订阅此主题", "👍 有帮助", "👎 没帮助"]

    run(scenario())


def test_feedback_is_logged_and_buttons_removed(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("海外仓有多少个")
            await bot.press(answer, "没帮助")
            assert bot.toast()["text"] == "谢谢反馈，我们会改进这条答复。"
            question_id = bot.store.recent_questions()[0].id
            assert bot.store.feedback_rows() == [(1001, "funds.warehouses", False, question_id)]
            assert captions(bot.current(answer)) == ["🔔 订阅此主题"]

    run(scenario())


def test_subscribe_button_is_acknowledged(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("海外仓有多少个")
            assert await bot.press(answer, "订阅此主题") == []
            toast = bot.toast()
            assert "/subscribe" in toast["text"] and toast["show_alert"] is True

    run(scenario())


def test_topic_browsing_with_back_buttons(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [menu] = await bot.say("/topics")
            assert menu["text"] == "请选择主题：" and captions(menu) == ["基金"]
            assert await bot.press(menu, "基金") == []  # browsing edits the same message
            assert bot.current(menu)["text"] == "基金\n请选择问题："
            assert captions(bot.current(menu)) == ["外贸基金", "海外仓数量", "« 全部主题"]
            await bot.press(bot.current(menu), "海外仓数量")
            assert bot.current(menu)["text"].startswith("海外仓数量\n\n全市已建海外仓147个。")
            assert captions(bot.current(menu))[-1] == "« 返回"
            await bot.press(bot.current(menu), "« 返回")
            assert bot.current(menu)["text"] == "基金\n请选择问题："
            await bot.press(bot.current(menu), "« 全部主题")
            assert bot.current(menu)["text"] == "请选择主题："

    run(scenario())


# -- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("data", ["a:zh:AAAAAAAA", "b:en:AAAAAAAA:0", "tp:zh:nosuchtopic:0", "t:zh:99",
                                  "fb:y:AAAAAAAA:5", "sub:nosuchtopic", "garbage", "a:zh:" + "x" * 60, ""])
def test_forged_or_stale_callback_gets_out_of_date_notice(mini_engine, tmp_path, data, caplog):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            [answer] = await bot.say("海外仓有多少个")
            bot.fake.callback(data, bot.fake.messages[(1001, answer["message_id"])])
            await bot.settle()
            assert bot.toast()["text"] == "此按钮已过期，请重新提问。"
            assert len(bot.fake.sent(1001)) == 1

    run(scenario())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_stickers_unknown_commands_and_edits(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            sticker = {"file_id": "s1", "file_unique_id": "u1", "type": "regular", "width": 512, "height": 512, "is_animated": False, "is_video": False}
            [please] = await bot.say(None, sticker=sticker)
            assert please["text"] == "我只能读懂文字。请直接输入您的问题，或发送 /topics 按主题浏览。"
            [unknown] = await bot.say("/frobnicate")
            assert unknown["text"] == "未知命令。发送 /help 查看用法。"
            assert await bot.say("海外仓有多少个", edited=True) == []
            assert bot.fake.calls_of("getUpdates")[-1].params["allowed_updates"] == ["message", "callback_query"]
            assert bot.store.recent_questions() == []

    run(scenario())


def test_flood_gets_one_notice_and_never_reaches_the_matcher(mini_engine, tmp_path, monkeypatch):
    asked = []
    real_ask = mini_engine.ask
    monkeypatch.setattr(mini_engine, "ask", lambda q, language=None: asked.append(q) or real_ask(q, language))

    async def scenario():
        async with BotHarness(mini_engine, tmp_path, rate_limit_per_minute=5) as bot:
            for i in range(12):
                bot.fake.message(f"海外仓有多少个 {i}")
            await bot.settle()
            texts_sent = [m["text"] for m in bot.fake.sent(1001)]
            assert texts_sent.count("您发送得太快了，请稍候一分钟再提问。") == 1
            assert sum(t.startswith("海外仓数量") for t in texts_sent) == 5
            assert len(asked) == 5 and len(bot.store.recent_questions()) == 5
            other = await bot.say("外贸基金是什么", chat_id=2002)  # other users are not affected
            assert other[0]["text"].startswith("外贸基金")

    run(scenario())


def test_group_answers_only_when_addressed(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            group = {"chat_id": GROUP, "chat_type": "supergroup", "user_id": 3003}
            assert await bot.say("海外仓有多少个", **group) == []
            assert await bot.say("/start@some_other_bot", **group) == []
            assert await bot.say("/frobnicate", **group) == []
            [mentioned] = await bot.say("@qz_policy_bot 海外仓有多少个", **group)
            assert mentioned["text"].startswith("海外仓数量")
            assert mentioned["reply_to_message_id"] is not None
            bots_message = {**bot.fake.messages[(GROUP, mentioned["message_id"])], "from": BOT_USER}
            bots_message = {k: v for k, v in bots_message.items() if k in ("message_id", "date", "chat", "from", "text")}
            [replied] = await bot.say("外贸基金是什么", reply_to=bots_message, **group)
            assert replied["text"].startswith("外贸基金")
            assert [q.question for q in bot.store.recent_questions()] == ["外贸基金是什么", "海外仓有多少个"]

    run(scenario())


# -- running: webhook, conflicts, Bot API faults ---------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_mode_refuses_requests_without_the_secret(mini_engine, tmp_path):
    port = free_port()

    async def scenario():
        async with BotHarness(mini_engine, tmp_path, webhook={"port": port, "secret": "s3cret-Token_1"}) as bot:
            assert bot.fake.webhook["url"] == f"http://127.0.0.1:{port}/telegram/hook"
            assert bot.fake.webhook["secret_token"] == "s3cret-Token_1"
            update = {"update_id": 1, "message": {
                "message_id": 1, "date": int(time.time()), "chat": {"id": 1001, "type": "private"},
                "from": {"id": 1001, "is_bot": False, "first_name": "T"}, "text": "海外仓有多少个"}}
            url = f"http://127.0.0.1:{port}/telegram/hook"
            async with aiohttp.ClientSession() as http:
                async with http.post(url, json=update) as response:
                    assert response.status == 403
                async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
                    assert response.status == 403
                await bot.settle()
                assert bot.fake.sent(1001) == []
                async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}) as response:
                    assert response.status == 200
            await bot.settle()
            [answer] = bot.fake.sent(1001)
            assert answer["text"].startswith("海外仓数量")
            assert bot.fake.calls_of("getUpdates") == []

    run(scenario())


def test_conflict_stops_with_one_clear_line(mini_engine, tmp_path, caplog):
    async def scenario():
        bot = BotHarness(mini_engine, tmp_path)
        bot.fake.fail("getUpdates", 409, times=None)
        started = time.monotonic()
        async with bot:
            await asyncio.wait_for(asyncio.shield(bot.task), 10)
        assert bot.result is False
        assert time.monotonic() - started < 5
        assert len(bot.fake.calls_of("getUpdates", ok_only=False)) <= 3  # no retry loop

    caplog.set_level(logging.DEBUG)
    run(scenario())
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and lines[0].startswith("another instance is polling with this token"), lines


def test_retry_after_is_waited_out(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            bot.fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
            [answer] = await bot.say("海外仓有多少个")
            assert answer["text"].startswith("海外仓数量")
            first, second = bot.fake.calls_of("sendMessage", ok_only=False)
            assert first.error.startswith("Too Many Requests") and second.error is None
            assert second.at - first.at >= 1.0

    run(scenario())


def test_server_errors_are_retried(mini_engine, tmp_path):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            bot.fake.fail("sendMessage", 502, times=2)
            [answer] = await bot.say("海外仓有多少个")
            assert answer["text"].startswith("海外仓数量")
            assert len(bot.fake.calls_of("sendMessage", ok_only=False)) == 3

    run(scenario())


def test_one_users_failure_does_not_stop_others(mini_engine, tmp_path, caplog):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            bot.fake.fail("sendMessage", 403, chat_id=1001, times=None)  # 1001 blocked the bot
            bot.fake.fail("sendMessage", None, delay=1.0, chat_id=2002)  # 2002's reply is slow
            bot.fake.message("海外仓有多少个", chat_id=1001)
            bot.fake.message("外贸基金是什么", chat_id=2002)
            bot.fake.message("海外仓有多少个", chat_id=3003)
            await bot.settle()
            assert bot.fake.sent(1001) == []
            slow, fast = bot.fake.calls_of("sendMessage", 2002)[0], bot.fake.calls_of("sendMessage", 3003)[0]
            assert fast.done_at < slow.done_at  # 3003 did not wait for 2002
            assert bot.fake.sent(2002)[0]["text"].startswith("外贸基金")

    run(scenario())
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_timeout_is_reported_to_the_user_and_logged(mini_engine, tmp_path, caplog):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path, read_timeout=0.3) as bot:
            bot.fake.fail("sendMessage", None, delay=1.0)
            await bot.say("海外仓有多少个")
            await asyncio.sleep(0.8)  # let the delayed request finish on the fake's side
            await bot.settle()
            texts_sent = [m["text"] for m in bot.fake.sent(1001)]
            assert any(t.startswith("抱歉，处理您的消息时出错了") for t in texts_sent)
            [again] = await bot.say("外贸基金是什么")  # and the bot goes on
            assert again["text"].startswith("外贸基金")

    run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info and "TimedOut" in repr(errors[0].exc_info[1])


def test_token_never_appears_in_logs(mini_engine, tmp_path, caplog):
    async def scenario():
        async with BotHarness(mini_engine, tmp_path) as bot:
            bot.fake.fail("sendMessage", 502)
            bot.fake.fail("sendChatAction", 429, retry_after=1)
            [answer] = await bot.say("外贸基金有多大")
            await bot.press(answer, "海外仓数量")
            bot.fake.callback("forged", bot.fake.messages[(1001, answer["message_id"])])
            await bot.say(None, sticker={"file_id": "s", "file_unique_id": "u", "type": "regular",
                                         "width": 1, "height": 1, "is_animated": False, "is_video": False})

    caplog.set_level(logging.DEBUG)
    run(scenario())
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage() + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        assert TOKEN not in text and TOKEN.split(":")[1] not in text, text
