"""Live reload of the catalog (bot.catalog.watch)."""

from __future__ import annotations

import asyncio

from bot.catalog.edit import CatalogEditor
from bot.catalog.watch import watch_catalog
from bot.engine import Engine


def test_valid_change_is_served_and_invalid_one_refused(mini):
    live = {"engine": Engine.load(mini)}
    refusals: list = []

    async def scenario():
        stop = asyncio.Event()
        loaded = asyncio.Event()
        refused = asyncio.Event()

        def on_loaded(engine):
            live["engine"] = engine
            loaded.set()

        def on_refused(problems):
            refusals.append(problems)
            refused.set()

        task = asyncio.create_task(
            watch_catalog(mini, Engine.load, on_loaded, on_refused, stop_event=stop, debounce_ms=100)
        )
        await asyncio.sleep(0.5)  # the watcher is up
        question = "国外仓库总共几座"
        assert live["engine"].ask(question).intent != "funds.warehouses"
        await asyncio.to_thread(CatalogEditor(mini).add_phrasing, "funds.warehouses", question, "zh")
        await asyncio.wait_for(loaded.wait(), 20)
        assert live["engine"].ask(question).intent == "funds.warehouses"

        before = live["engine"]
        (mini / "intents" / "funds.yaml").write_text("topic: funds\nintents: [\n", encoding="utf-8")
        await asyncio.wait_for(refused.wait(), 20)
        assert live["engine"] is before and before.ask(question).intent == "funds.warehouses"
        stop.set()
        await asyncio.wait_for(task, 10)

    asyncio.run(scenario())
    assert any("intents/funds.yaml:" in str(p) and "YAML syntax error" in str(p) for p in refusals[0])
