"""Per-user rate limit: a token bucket per user, in memory.

A flood gets exactly one polite notice; further messages in the same flood are dropped
without a reply (replying to each would be a flood of our own).

>>> clock = [0.0]
>>> limiter = RateLimiter(per_minute=2, clock=lambda: clock[0])
>>> [limiter.check(7) for _ in range(4)]
[<Verdict.ALLOW: 'allow'>, <Verdict.ALLOW: 'allow'>, <Verdict.NOTIFY: 'notify'>, <Verdict.DROP: 'drop'>]
>>> clock[0] = 30.0  # one token back after half a minute
>>> limiter.check(7)
<Verdict.ALLOW: 'allow'>
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # first refusal of a flood: tell the user once
    DROP = "drop"  # later refusals: stay quiet


@dataclass
class _Bucket:
    tokens: float
    updated: float
    notified: bool = False


class RateLimiter:
    """`per_minute` = 0 turns limiting off."""

    MAX_USERS = 50_000  # beyond this, idle (full) buckets are forgotten

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def check(self, user_id: int) -> Verdict:
        if self.capacity <= 0:
            return Verdict.ALLOW
        now = self.clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.MAX_USERS:
                self._forget_idle(now)
            bucket = self._buckets[user_id] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.notified = False
            return Verdict.ALLOW
        if bucket.notified:
            return Verdict.DROP
        bucket.notified = True
        return Verdict.NOTIFY

    def _forget_idle(self, now: float) -> None:
        full = [uid for uid, b in self._buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.capacity]
        for uid in full:
            del self._buckets[uid]
