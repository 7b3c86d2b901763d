"""`qzbot digest preview|run-now` and `qzbot subscribers` (run-now against the fake Bot API)."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime

from bot.digest.schedule import TZ
from bot.store import Store
from bot.store.subscriptions import Sub, Subscriptions
from fakebotapi import FakeBotAPI


def _setup(tmp_path, monkeypatch, mini):
    url = f"sqlite:///{tmp_path / 'qz.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr("bot.config.load_dotenv", lambda **kw: None)
    store = Store.open(url)
    store.upgrade()
    subs = Subscriptions(store)
    hour = datetime.now(TZ).hour
    subs.save(Sub(1001, ("funds",), hour=hour, county="晋江市"))
    subs.save(Sub(1002, ("funds",), hour=hour, language="en"))
    subs.save(Sub(1003, ("funds",), frequency="weekly"))
    subs.deactivate(1003)
    return store


def test_preview_and_subscribers(run_cli, tmp_path, monkeypatch, mini):
    store = _setup(tmp_path, monkeypatch, mini)
    result = run_cli("--catalog", str(mini), "digest", "preview", "1002")
    assert result.exit_code == 0
    assert result.output.splitlines()[:3] == ["Your Quanzhou policy digest", "", "Funds"]
    assert "• 2026-01 A 3 billion yuan trade fund was set up." in result.output
    assert run_cli("--catalog", str(mini), "digest", "preview", "4242").exit_code == 1
    result = run_cli("subscribers")
    assert "subscribers: 3 (2 active, 1 inactive)" in result.output
    assert "  funds: 2" in result.output and "  晋江市: 1" in result.output and "  daily: 2" in result.output
    assert Subscriptions(store).sent_count(Subscriptions(store).get(1002).id) == 0  # preview marks nothing
    store.close()


def test_run_now_sends_what_is_due_once(run_cli, tmp_path, monkeypatch, mini):
    store = _setup(tmp_path, monkeypatch, mini)
    loop = asyncio.new_event_loop()
    fake = FakeBotAPI()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(10)
    try:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", fake.token)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake.base_url)
        result = run_cli("--catalog", str(mini), "digest", "run-now")
        assert result.exit_code == 0, result.output
        assert "2 digest(s) enqueued; sent 2, failed 0, blocked 0, empty 0." in result.output
        result = run_cli("--catalog", str(mini), "digest", "run-now")
        assert "0 digest(s) enqueued; sent 0" in result.output
        assert [len(fake.sent(c)) for c in (1001, 1002, 1003)] == [1, 1, 0]
        assert fake.sent(1002)[0]["text"].startswith("Your Quanzhou policy digest")
    finally:
        asyncio.run_coroutine_threadsafe(fake.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        store.close()
