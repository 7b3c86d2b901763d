"""Draining the outbox within Telegram's limits, through an abstract async send callable.

Overall at most `rate` messages a second and at most one a second per chat (`Pacer`); on
RetryLater everything waits the time asked; on Blocked the subscriber is made inactive and the
row is `blocked`; Transient errors are retried with exponential backoff, then the row is
`failed`. Items are recorded as sent only once every part of the digest went out.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.catalog.load import Catalog
from bot.digest.compose import compose
from bot.digest.errors import Blocked, RetryLater, SendError, Transient
from bot.digest.outbox import Claimed, Outbox, dump_payload, load_messages
from bot.digest.render import DigestMessage, render

log = logging.getLogger(__name__)
SendFn = Callable[[int, DigestMessage, str], Awaitable[None]]


@dataclass
class Counts:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    empty: int = 0
    messages: int = 0

    def __str__(self) -> str:
        return f"sent {self.sent}, failed {self.failed}, blocked {self.blocked}, empty {self.empty}"


@dataclass
class Pacer:
    """Hands out send times: `rate` a second overall, `per_chat` seconds apart per chat."""

    rate: float
    per_chat: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _next: float = 0.0
    _chat_next: dict[int, float] = field(default_factory=dict)
    _window: collections.deque = field(default_factory=collections.deque)  # send times in the last second

    async def wait(self, chat_id: int) -> None:
        while (delay := self._chat_next.get(chat_id, 0.0) - self.clock()) > 0:
            await self.sleep(delay)
        now = self.clock()
        slot = max(now, self._next)  # reserved before sleeping: no await in between
        self._next = slot + 1.0 / self.rate
        self._chat_next[chat_id] = slot + self.per_chat
        if slot > now:
            await self.sleep(slot - now)
        # Slots keep the average; this window keeps the peak: tasks that wake late together
        # (a stalled event loop) must not burst past `rate` in any one second.
        while True:
            now = self.clock()
            while self._window and now - self._window[0] >= 1.0 - 1e-6:  # float-safe
                self._window.popleft()
            if len(self._window) < self.rate:
                break
            await self.sleep(1.0 - (now - self._window[0]))
        self._window.append(now)

    def pause(self, seconds: float) -> None:
        """Flood control: nobody sends for `seconds`."""
        self._next = max(self._next, self.clock() + seconds)


class Sender:
    def __init__(
        self, outbox: Outbox, catalog: Callable[[], Catalog], send: SendFn, *, rate: float = 25.0,
        per_chat: float = 1.0, max_attempts: int = 3, backoff: float = 1.0, lease: timedelta = timedelta(minutes=5),
        concurrency: int = 16, batch: int = 200, clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_done: Callable[[str], None] | None = None,
    ):
        self.outbox, self.catalog, self.send = outbox, catalog, send
        self.pacer = Pacer(rate, per_chat, clock, sleep)
        self.max_attempts, self.backoff, self.lease = max_attempts, backoff, lease
        self.concurrency, self.batch, self.sleep = concurrency, batch, sleep
        self.on_done = on_done  # called with each row's final status (progress bars)

    async def run(self) -> Counts:
        """Send everything claimable now; returns what happened."""
        counts = Counts()
        while rows := await asyncio.to_thread(self.outbox.claim, self.batch, lease=self.lease):
            queue: asyncio.Queue[Claimed] = asyncio.Queue()
            for row in rows:
                queue.put_nowait(row)
            await asyncio.gather(*(self._worker(queue, counts) for _ in range(min(self.concurrency, len(rows)))))
        return counts

    async def _worker(self, queue: asyncio.Queue, counts: Counts) -> None:
        while not queue.empty():
            row = queue.get_nowait()
            try:
                status = await self._deliver(row, counts)
            except Exception:  # one broken row must not stop the others
                log.exception("digest %s for chat %s failed", row.period, row.chat_id)
                await asyncio.to_thread(self.outbox.finish, row, "failed", error="internal error")
                status = "failed"
            setattr(counts, status, getattr(counts, status) + 1)
            if self.on_done:
                self.on_done(status)

    async def _payload(self, row: Claimed) -> dict:
        if row.payload is not None:  # composed by an earlier claim: resume it as it was
            return row.payload
        sub = await asyncio.to_thread(self.outbox.subs.get, row.chat_id)
        catalog = self.catalog()
        sent = await asyncio.to_thread(self.outbox.subs.sent_keys, sub.id) if sub else set()
        digest = compose(catalog, sub, sent) if sub else None
        if not digest:
            return {"messages": [], "records": [], "language": "zh"}
        titles = {t: (f.title.zh if sub.language == "zh" else f.title.en) for t, f in catalog.topics.items()}
        payload = dump_payload(render(digest, titles), digest.records(), sub.language)
        await asyncio.to_thread(self.outbox.set_payload, row.id, payload)
        return json.loads(payload)

    async def _deliver(self, row: Claimed, counts: Counts) -> str:
        payload = await self._payload(row)
        messages = load_messages(payload)
        if not messages:
            await asyncio.to_thread(self.outbox.finish, row, "empty")
            return "empty"
        lang = payload.get("language") or "zh"
        attempts = row.attempts
        part = row.parts_sent
        while part < len(messages):
            await self.pacer.wait(row.chat_id)
            try:
                await self.send(row.chat_id, messages[part], lang)
            except RetryLater as exc:
                self.pacer.pause(exc.seconds)
                continue
            except Blocked as exc:
                await asyncio.to_thread(self.outbox.finish, row, "blocked", error=str(exc) or "blocked", deactivate=True)
                return "blocked"
            except Transient as exc:
                attempts += 1
                if attempts >= self.max_attempts:
                    await asyncio.to_thread(self.outbox.finish, row, "failed", error=str(exc), attempts=attempts)
                    return "failed"
                await self.sleep(self.backoff * 2 ** (attempts - 1))
                continue
            except SendError as exc:
                await asyncio.to_thread(self.outbox.finish, row, "failed", error=str(exc) or type(exc).__name__)
                return "failed"
            part += 1
            counts.messages += 1
            if part < len(messages):
                await asyncio.to_thread(self.outbox.part_sent, row.id, part)
        await asyncio.to_thread(self.outbox.finish, row, "sent", attempts=attempts, records=payload["records"])
        return "sent"
