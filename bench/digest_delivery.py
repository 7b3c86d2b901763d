"""Digest delivery rate: N subscribers (default 10,000) drained through the real sender and
Bot API adapter against the fake Bot API, which here enforces Telegram's limit of 30
messages a second (a 31st message within any second gets 429 with retry_after).

    .venv/bin/python bench/digest_delivery.py [--subscribers 10000] [--rate 25]

Prints messages sent, wall time, the rate reached as a share of the configured rate (target:
90% or more) and how many 429s the fake answered (target: none).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import insert  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.digest.outbox import Outbox  # noqa: E402
from bot.digest.sender import Sender  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.schema import Subscription  # noqa: E402
from bot.telegram.digest_job import telegram_send  # noqa: E402
from fakebotapi import ApiError, FakeBotAPI  # noqa: E402

TELEGRAM_LIMIT = 30  # messages a second, overall


class LimitedFake(FakeBotAPI):
    """The fake Bot API refusing more than 30 sendMessage calls in any one second."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.recent: collections.deque[float] = collections.deque()
        self.too_many = 0

    async def api_sendMessage(self, params: dict) -> dict:
        now = time.monotonic()
        while self.recent and now - self.recent[0] >= 1.0:
            self.recent.popleft()
        if len(self.recent) >= TELEGRAM_LIMIT:
            self.too_many += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self.recent.append(now)
        return await super().api_sendMessage(params)


async def main(subscribers: int, rate: int) -> None:
    engine = Engine.load(ROOT / "tests" / "fixtures" / "mini")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/bench.sqlite3")
        store.upgrade()
        now = datetime.now(timezone.utc)
        stamp = now
        with store.engine.begin() as conn:
            conn.execute(insert(Subscription.__table__), [
                {"chat_id": 10_000 + i, "user_id": 10_000 + i, "topics": "funds", "frequency": "daily", "weekday": 0,
                 "hour": (now.hour + 8) % 24, "language": "zh", "active": True, "created_at": stamp, "updated_at": stamp}
                for i in range(subscribers)
            ])
        outbox = Outbox(store)
        added = outbox.enqueue_due(now, grace=timedelta(hours=2))
        fake = await LimitedFake().start()
        request = HTTPXRequest(connection_pool_size=32, read_timeout=15, write_timeout=15)
        bot = Bot(fake.token, base_url=fake.base_url, request=request)
        async with bot:
            sender = Sender(outbox, lambda: engine.catalog, telegram_send(bot, engine), rate=rate)
            started = time.monotonic()
            counts = await sender.run()
            elapsed = time.monotonic() - started
        await fake.stop()
        store.close()
    reached = counts.messages / elapsed
    print(f"subscribers {subscribers}, enqueued {added}; {counts}")
    print(f"{counts.messages} messages in {elapsed:.1f} s: {reached:.1f} msg/s = "
          f"{100 * reached / rate:.0f}% of the configured {rate}/s; 429 answers: {fake.too_many}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000, help="how many subscribers (default 10,000)")
    parser.add_argument("--rate", type=int, default=25, help="configured overall rate, messages a second (default 25)")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.rate))
