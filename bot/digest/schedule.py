"""When digests are due: slots in Asia/Shanghai, period keys, and a grace for missed slots.

A slot is the subscriber's hour on every day (daily) or on their weekday (weekly). A digest is
due when the latest slot at or before `now` is at most `grace` old; the period key (a date, or
an ISO week) makes the outbox row unique, so a slot is delivered once however often we check.

>>> from datetime import datetime, timezone
>>> from bot.store.subscriptions import Sub
>>> now = datetime(2026, 11, 22, 1, 30, tzinfo=timezone.utc)  # 09:30 in Shanghai, a Sunday
>>> due_period(Sub(1, ("x",), "daily", hour=9), now, grace=timedelta(minutes=60))
'2026-11-22'
>>> due_period(Sub(1, ("x",), "daily", hour=7), now, grace=timedelta(minutes=60)) is None
True
>>> due_period(Sub(1, ("x",), "weekly", weekday=6, hour=9), now, grace=timedelta(minutes=60))
'2026-W47'
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.store.subscriptions import Sub

TZ = ZoneInfo("Asia/Shanghai")


def latest_slot(sub: Sub, now: datetime) -> datetime | None:
    """The newest slot at or before `now` (in Asia/Shanghai); None when digests are off."""
    if sub.frequency not in ("daily", "weekly"):
        return None
    local = now.astimezone(TZ)
    slot = local.replace(hour=sub.hour, minute=0, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    if sub.frequency == "weekly":
        slot -= timedelta(days=(slot.weekday() - sub.weekday) % 7)
    return slot


def period_key(sub: Sub, slot: datetime) -> str:
    if sub.frequency == "weekly":
        year, week, _ = slot.isocalendar()
        return f"{year}-W{week:02d}"
    return slot.date().isoformat()


def due_period(sub: Sub, now: datetime, *, grace: timedelta) -> str | None:
    """The period whose digest is due at `now`, or None (off, or the slot is past the grace)."""
    slot = latest_slot(sub, now)
    if slot is None or now - slot > grace:
        return None
    return period_key(sub, slot)
