"""Live reload in the running bot: a valid edit is answered at once, an invalid file is
refused (admins told where), and the old catalog keeps answering."""

from __future__ import annotations

import asyncio
import shutil

from bot.catalog.edit import CatalogEditor
from bot.engine import Engine
from conftest import MINI
from telegram_harness import BotHarness

ADMIN = 4242


def test_live_reload_through_the_bot(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    question = "国外仓库总共几座"

    async def scenario():
        async with BotHarness(Engine.load(catalog), tmp_path, live_reload=True, catalog=catalog, admin_ids=(ADMIN,)) as bot:
            await asyncio.sleep(0.5)  # the watcher is up
            [first] = await bot.say(question)
            assert "147" not in first["text"]
            await asyncio.to_thread(CatalogEditor(catalog).add_phrasing, "funds.warehouses", question, "zh")
            for _ in range(100):  # the reload lands within a few seconds
                [reply] = await bot.say(question)
                if "147" in reply["text"]:
                    break
                await asyncio.sleep(0.1)
            assert "全市已建海外仓147个。" in reply["text"]

            (catalog / "intents" / "funds.yaml").write_text("topic: funds\nintents: [\n", encoding="utf-8")
            for _ in range(100):
                notices = bot.fake.sent(ADMIN)
                if notices:
                    break
                await asyncio.sleep(0.1)
            assert "Catalog change refused" in notices[0]["text"] and "intents/funds.yaml:" in notices[0]["text"]
            [still] = await bot.say(question)
            assert "全市已建海外仓147个。" in still["text"]

    asyncio.run(scenario())
