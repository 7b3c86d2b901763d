"""Admin commands and buttons through the fake Bot API: refusals, phrasings, the inbox
(attach, another intent, dismiss), concurrent edits, history and restore, the stats chart."""

from __future__ import annotations

import asyncio
import shutil

from bot.engine import Engine
from conftest import MINI
from telegram_harness import BotHarness, button_data, captions

ADMIN, ADMIN2, STRANGER = 4242, 4343, 777


def mini_copy(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    return catalog, catalog / "intents" / "funds.yaml"


async def answered(bot, question: str, expected: str, chat_id: int = 1001) -> str:
    """Ask until the live catalog answers with `expected` (reloads land within a second or two)."""
    for _ in range(100):
        replies = await bot.say(question, chat_id=chat_id)
        if any(expected in r["text"] for r in replies):
            return replies[0]["text"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"{question!r} never answered with {expected!r}: {replies}")


def test_refusals_phrasings_and_concurrent_edits(tmp_path, caplog):
    catalog, file = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN, ADMIN2)) as bot:
            await asyncio.sleep(0.5)
            [refused] = await bot.say("/addq funds.warehouses 随便加一个", chat_id=STRANGER)
            assert "仅限管理员" in refused["text"]
            before = file.read_bytes()
            [bad] = await bot.say("/addq funds.warehouses 外贸基金是什么", chat_id=ADMIN)
            assert "not changed" in bad["text"] and "is also a phrasing of funds.trade_fund" in bad["text"]
            assert file.read_bytes() == before

            # two admins at once: both edits land, the comment and the other intent stay
            bot.fake.message("/addq funds.warehouses 海外仓库总共建了几座", chat_id=ADMIN)
            bot.fake.message("/addq funds.trade_fund 海丝基金贷了多少钱", chat_id=ADMIN2)
            await bot.settle()
            text = file.read_text(encoding="utf-8")
            assert "海外仓库总共建了几座" in text and "海丝基金贷了多少钱" in text
            assert text.startswith("# a comment that must survive edits")
            await answered(bot, "海外仓库总共建了几座", "147")
            await answered(bot, "海丝基金贷了多少钱", "28.26")

            [shown] = await bot.say("/intent funds.warehouses", chat_id=ADMIN)
            assert "海外仓库总共建了几座" in shown["text"] and "intents/funds.yaml:" in shown["text"]
            [history] = await bot.say("/history funds.warehouses", chat_id=ADMIN)
            assert "add_phrasing" in history["text"] and "(tg 4242)" in history["text"]

            [helped] = await bot.say("/help", chat_id=ADMIN)
            assert "/admin" in helped["text"]
            [helped] = await bot.say("/help", chat_id=STRANGER)
            assert "/admin" not in helped["text"]
            [menu] = await bot.say("/admin", chat_id=ADMIN)
            assert "/newintent" in menu["text"] and "/restore" in menu["text"]
            for command in ("/answer funds.warehouses", "/inbox", "/stats"):  # other users' questions stay private
                [group] = await bot.say(command, chat_id=-100, user_id=ADMIN, chat_type="group")
                assert "private chat" in group["text"], command
            [group] = await bot.say("/inbox", chat_id=-100, user_id=STRANGER, chat_type="group")
            assert "仅限管理员" in group["text"]
            scoped = [c.params for c in bot.fake.calls_of("setMyCommands") if c.params.get("scope")]
            assert [s["scope"] for s in scoped] == [{"type": "chat", "chat_id": ADMIN}, {"type": "chat", "chat_id": ADMIN2}]
            assert "newintent" in {c["command"] for c in scoped[0]["commands"]}

    asyncio.run(scenario())
    assert any("refused admin command" in r.getMessage() for r in caplog.records)


def test_inbox_attach_other_dismiss_and_stats(tmp_path, caplog):
    catalog, file = mini_copy(tmp_path)
    lost, weather, fund = "国外仓库总共几座", "明天泉州天气怎么样", "那个基金到底给了几家"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            for question in (lost, lost, "国外仓库总共几座？", weather, fund):
                [missed] = await bot.say(question, chat_id=1001)
                assert "147" not in missed["text"] and "350" not in missed["text"]
            header, *items = await bot.say("/inbox", chat_id=ADMIN)
            assert "3 组" in header["text"]
            first = items[0]
            assert first["text"].startswith(f"1. [3x] {lost}") and "国外仓库总共几座？" in first["text"]
            old_button = button_data(first, "dismiss")

            # a non-admin pressing an admin button is told so and nothing happens
            fund_item = next(m for m in items if fund in m["text"])
            before = file.read_bytes()
            await bot.press(fund_item, "✅", user_id=STRANGER)
            assert "Admins only" in bot.toast()["text"] and file.read_bytes() == before

            attach = button_data(fund_item, "✅")
            bot.fake.callback(attach, fund_item)  # attach to the suggested intent: one tap ...
            bot.fake.callback(attach, fund_item)  # ... tapped twice in a hurry: attached once
            await bot.settle()
            assert not any("not changed" in m["text"] for m in bot.fake.sent(ADMIN))
            assert "→ funds.trade_fund" in bot.current(fund_item)["text"] and "live now" in bot.current(fund_item)["text"]
            [reply] = await bot.say(fund)
            assert "350" in reply["text"]

            # no suggestion for this one: another intent, found through its topic
            await bot.press(first, "other intent")
            await bot.press(bot.current(first), "基金")
            assert "外贸基金" in " ".join(captions(bot.current(first)))
            await bot.press(bot.current(first), "海外仓数量")
            assert "→ funds.warehouses" in bot.current(first)["text"]
            await answered(bot, lost, "147")
            await answered(bot, "国外的仓库一共几座", "147")  # a close variant

            weather_item = next(m for m in items if weather in m["text"])
            await bot.press(weather_item, "dismiss")
            assert "dismissed" in bot.current(weather_item)["text"]
            [empty] = await bot.say("/inbox", chat_id=ADMIN)
            assert "inbox is empty" in empty["text"]
            bot.fake.callback(old_button, bot.current(first))  # a button from the old listing
            await bot.settle()
            assert "out of date" in bot.toast()["text"]

            await bot.say("/stats", chat_id=ADMIN)
            [photo] = bot.fake.calls_of("sendPhoto", ADMIN)
            assert photo.params["caption"].startswith("qzbot usage")
            assert photo.params["photo"].startswith(b"\x89PNG\r\n\x1a\n") and len(photo.params["photo"]) > 5000

    asyncio.run(scenario())
    assert any("refused admin button" in r.getMessage() for r in caplog.records)


def test_history_and_restore(tmp_path):
    catalog, file = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            original = file.read_text(encoding="utf-8")
            await bot.say("/addq funds.warehouses 海外仓盖了多少", chat_id=ADMIN)
            await bot.say("/rmq funds.warehouses 海外仓总数", chat_id=ADMIN)
            assert "海外仓盖了多少" in file.read_text(encoding="utf-8")
            [listing] = await bot.say("/history funds.warehouses", chat_id=ADMIN)
            lines = listing["text"].splitlines()
            assert "remove_phrasing" in lines[1] and "add_phrasing" in lines[2]  # newest first
            first_edit = lines[2].split()[0]  # "#1"
            [preview] = await bot.press(listing, f"restore before {first_edit}")
            assert "海外仓盖了多少" not in preview["text"] and "海外仓总数" in preview["text"]
            await bot.press(preview, "restore", user_id=STRANGER)
            assert "Admins only" in bot.toast()["text"]
            await bot.press(preview, "✅")
            assert "restored" in bot.current(preview)["text"]
            assert file.read_text(encoding="utf-8") == original  # comments, order, the other intent: as before
            [after] = await bot.say("/history funds.warehouses", chat_id=ADMIN)
            assert "restore" in after["text"].splitlines()[1]
            [nothing] = await bot.say("/restore 999", chat_id=ADMIN)
            assert "no audit entry #999" in nothing["text"]
            [refused] = await bot.say("/history funds.warehouses", chat_id=STRANGER)
            assert "仅限管理员" in refused["text"]

    asyncio.run(scenario())


def test_forged_admin_buttons(tmp_path):
    catalog, file = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            [hello] = await bot.say("/start", chat_id=ADMIN)
            before = file.read_bytes()
            for data in ("ad:ry:1", "ad:ia:zz-1", "ad:ok:abc", "ad:no", "ad:tp:funds"):
                bot.fake.callback(data, hello, user_id=STRANGER)
                await bot.settle()
                assert "Admins only" in bot.toast()["text"], data
                bot.fake.callback(data, hello)  # the admin, with nothing going on: told, no harm done
                await bot.settle()
            assert file.read_bytes() == before
            assert not any("出错" in m["text"] for m in bot.fake.sent(ADMIN))

    asyncio.run(scenario())


def test_admin_commands_when_the_database_is_gone(tmp_path):
    catalog, _ = mini_copy(tmp_path)

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            (tmp_path / "bot.sqlite3").unlink()  # the database file is not there any more
            bot.store.engine.dispose()
            for command in ("/stats", "/inbox", "/history funds.warehouses"):
                [reply] = await bot.say(command, chat_id=ADMIN)
                assert "not available" in reply["text"] and "no such table" in reply["text"], command
            [answer] = await bot.say("海外仓有多少个")  # the bot itself goes on answering
            assert "147" in answer["text"]

    asyncio.run(scenario())
