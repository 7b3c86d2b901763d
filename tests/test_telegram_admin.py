"""Admin commands through the fake Bot API: refusals, teaching, stats chart, inbox."""

from __future__ import annotations

import asyncio
import shutil

from bot.engine import Engine
from conftest import MINI
from telegram_harness import BotHarness

ADMIN, STRANGER = 4242, 777


def test_admin_commands(tmp_path, caplog):
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    question = "国外仓库总共几座"
    file = catalog / "intents" / "funds.yaml"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)
            [refused] = await bot.say("/addq funds.warehouses 随便加一个", chat_id=STRANGER)
            assert "仅限管理员" in refused["text"]
            before = file.read_bytes()
            [bad] = await bot.say("/addq funds.warehouses 外贸基金是什么", chat_id=ADMIN)
            assert "is also a phrasing of funds.trade_fund" in bad["text"] and file.read_bytes() == before

            [missed] = await bot.say(question, chat_id=1001)  # goes to the unanswered inbox
            assert "147" not in missed["text"]
            [listing] = await bot.say("/inbox", chat_id=ADMIN)
            assert f"1. [1x] {question}" in listing["text"]
            [taught] = await bot.say("/teach 1 funds.warehouses", chat_id=ADMIN)
            assert "✅" in taught["text"]
            for _ in range(100):
                [reply] = await bot.say(question, chat_id=1001)
                if "147" in reply["text"]:
                    break
                await asyncio.sleep(0.1)
            assert "全市已建海外仓147个。" in reply["text"]

            [shown] = await bot.say("/intent funds.warehouses", chat_id=ADMIN)
            assert question in shown["text"] and "intents/funds.yaml:" in shown["text"]
            await bot.say("/stats", chat_id=ADMIN)
            photos = bot.fake.calls_of("sendPhoto", ADMIN)  # the PNG itself: tests/test_usage.py
            assert photos and photos[-1].params["caption"].startswith("qzbot usage")

    asyncio.run(scenario())
    assert any("refused admin command" in r.getMessage() for r in caplog.records)
