"""Delivery under failure and concurrency: a sender killed with SIGKILL mid-run and restarted
delivers every digest exactly once; on PostgreSQL two senders on one outbox never double."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.catalog import load_catalog
from bot.digest.outbox import Outbox
from bot.digest.schedule import TZ
from bot.digest.sender import Sender
from bot.store import Store
from bot.store.subscriptions import Sub, Subscriptions
from conftest import MINI
from fakebotapi import FakeBotAPI

QZBOT = str(Path(sys.executable).with_name("qzbot"))
SUBSCRIBERS = 300


class FakeInThread:
    """The fake Bot API on its own event loop, for subprocesses to talk to."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.fake = FakeBotAPI()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.call(self.fake.start())

    def call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(20)

    def stop(self):
        self.call(self.fake.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)


def test_sigkill_mid_run_then_restart_sends_each_digest_exactly_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'qz.sqlite3'}"
    store = Store.open(url)
    store.upgrade()
    subs = Subscriptions(store)
    hour = datetime.now(TZ).hour
    for chat in range(1, SUBSCRIBERS + 1):
        subs.save(Sub(chat, ("funds",), hour=hour))
    server = FakeInThread()
    env = {
        **os.environ, "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": server.fake.token,
        "TELEGRAM_API_BASE_URL": server.fake.base_url, "DIGEST_RATE_PER_SECOND": "300", "QZBOT_CATALOG": str(MINI),
    }
    try:
        first = subprocess.Popen([QZBOT, "digest", "run-now"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while len(server.fake.sent()) < SUBSCRIBERS // 3:
            assert time.monotonic() < deadline and first.poll() is None, "the sender did not get going"
            time.sleep(0.01)
        # From now on every sendMessage hangs, then fails without delivering: the process dies
        # with requests in flight that never reach the chat.
        fault = server.fake.fail("sendMessage", 500, delay=2.0, times=None)
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        delivered = len(server.fake.sent())
        assert SUBSCRIBERS // 3 <= delivered < SUBSCRIBERS
        fault.times = 0
        restart = subprocess.run([QZBOT, "digest", "run-now"], env={**env, "DIGEST_CLAIM_LEASE_SECONDS": "0"},
                                 capture_output=True, text=True, timeout=60)
        assert restart.returncode == 0, restart.stderr
        assert f"sent {SUBSCRIBERS - delivered}," in restart.stdout
        per_chat = Counter(m["chat"]["id"] if "chat" in m else cid for (cid, _), m in server.fake.messages.items())
        assert len(per_chat) == SUBSCRIBERS and set(per_chat.values()) == {1}
        assert Outbox(store).statuses() == {"sent": SUBSCRIBERS}
    finally:
        server.stop()
        store.close()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL is not set")
def test_postgres_two_senders_send_each_row_exactly_once():
    from sqlalchemy import create_engine, text

    from bot.store.db import normalize_url

    base = normalize_url(os.environ["TEST_DATABASE_URL"])
    schema = "qz_digest_" + uuid.uuid4().hex[:10]
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    stores = [Store.open(url), Store.open(url)]
    try:
        stores[0].upgrade()
        subs = Subscriptions(stores[0])
        for chat in range(1, 201):
            subs.save(Sub(chat, ("funds",), hour=9))
        now = datetime(2026, 11, 22, 1, 5, tzinfo=timezone.utc)
        grace = timedelta(minutes=60)

        async def enqueue_twice():
            return await asyncio.gather(*(asyncio.to_thread(Outbox(s).enqueue_due, now, grace=grace) for s in stores))

        added = asyncio.run(enqueue_twice())
        assert sorted(a or 0 for a in added) == [0, 200]  # the lock or the unique key: once
        catalog = load_catalog(MINI)
        calls: list[int] = []

        async def send(chat_id, message, lang):
            calls.append(chat_id)
            await asyncio.sleep(0.001)

        async def both():
            senders = [Sender(Outbox(s), lambda: catalog, send, rate=5000, batch=10, concurrency=4) for s in stores]
            return await asyncio.gather(*(sender.run() for sender in senders))

        counts = asyncio.run(both())
        assert sorted(calls) == list(range(1, 201))
        assert all(c.sent > 0 for c in counts) and sum(c.sent for c in counts) == 200
    finally:
        for s in stores:
            s.close()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
