"""Subscriptions and the record of what each subscriber was sent (library code, no Telegram).

`Subscriptions(store)` reads and writes through the Store's transactions and error handling.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.store.schema import SentItem, Subscription, utcnow
from bot.store.store import Store

FREQUENCIES = ("daily", "weekly", "off")


@dataclass(frozen=True)
class Sub:
    """A subscription as the digest code sees it."""

    chat_id: int
    topics: tuple[str, ...] = ()
    frequency: str = "daily"
    weekday: int = 0  # 0 = Monday
    hour: int = 9  # Asia/Shanghai
    county: str | None = None
    industry: str | None = None
    language: str = "zh"
    active: bool = True
    user_id: int | None = None
    id: int | None = None
    created_at: datetime | None = field(default=None, compare=False)

    def with_topic(self, topic: str) -> "Sub":
        topics = tuple(t for t in self.topics if t != topic) if topic in self.topics else (*self.topics, topic)
        return replace(self, topics=tuple(sorted(topics)))


def _sub(row: Subscription) -> Sub:
    return Sub(
        chat_id=row.chat_id, topics=tuple(t for t in row.topics.split(",") if t), frequency=row.frequency,
        weekday=row.weekday, hour=row.hour, county=row.county, industry=row.industry, language=row.language,
        active=row.active, user_id=row.user_id, id=row.id, created_at=row.created_at,
    )


class Subscriptions:
    def __init__(self, store: Store):
        self.store = store
        self._insert = pg_insert if store.engine.dialect.name == "postgresql" else sqlite_insert

    def get(self, chat_id: int) -> Sub | None:
        def work(session: Session) -> Sub | None:
            row = session.scalar(select(Subscription).where(Subscription.chat_id == chat_id))
            return _sub(row) if row else None

        return self.store._read(work)

    def save(self, sub: Sub) -> Sub:
        """Create or replace the chat's subscription (it becomes active unless frequency is off)."""
        if sub.frequency not in FREQUENCIES:
            raise ValueError(f"frequency must be one of {FREQUENCIES}")
        values = {
            "user_id": sub.user_id, "topics": ",".join(sorted(set(sub.topics))), "frequency": sub.frequency,
            "weekday": sub.weekday, "hour": sub.hour, "county": sub.county, "industry": sub.industry,
            "language": sub.language, "active": sub.frequency != "off" and bool(sub.topics), "updated_at": utcnow(),
        }
        stmt = self._insert(Subscription.__table__).values(chat_id=sub.chat_id, created_at=utcnow(), **values)
        stmt = stmt.on_conflict_do_update(index_elements=["chat_id"], set_=values)
        self.store._write(lambda conn: conn.execute(stmt))
        return self.get(sub.chat_id)

    def deactivate(self, chat_id: int) -> bool:
        """Stop all digests for a chat (/unsubscribe, or the user blocked the bot)."""
        stmt = update(Subscription).where(Subscription.chat_id == chat_id).values(active=False, updated_at=utcnow())
        return bool(self.store._write(lambda conn: conn.execute(stmt).rowcount))

    def active(self) -> list[Sub]:
        stmt = select(Subscription).where(Subscription.active.is_(True), Subscription.frequency != "off")
        return self.store._read(lambda s: [_sub(r) for r in s.scalars(stmt)])

    def all(self) -> list[Sub]:
        return self.store._read(lambda s: [_sub(r) for r in s.scalars(select(Subscription).order_by(Subscription.id))])

    # -- what each subscriber was sent -----------------------------------------------------
    def sent_keys(self, subscription_id: int) -> set[tuple[str, str]]:
        """(item key, content hash) pairs this subscriber already had."""
        stmt = select(SentItem.item_key, SentItem.content_hash).where(SentItem.subscription_id == subscription_id)
        return self.store._read(lambda s: {(k, h) for k, h in s.execute(stmt)})

    def record_sent(self, conn: Connection, subscription_id: int, items: list[tuple[str, str, str]]) -> None:
        """Inside the caller's transaction: remember (key, hash, topic) items as sent."""
        if not items:
            return
        now = utcnow()
        rows = [
            {"subscription_id": subscription_id, "item_key": k, "content_hash": h, "topic": t, "sent_at": now}
            for k, h, t in items
        ]
        conn.execute(self._insert(SentItem.__table__).on_conflict_do_nothing(), rows)

    def sent_count(self, subscription_id: int) -> int:
        stmt = select(func.count()).select_from(SentItem).where(SentItem.subscription_id == subscription_id)
        return self.store._read(lambda s: s.scalar(stmt))

    def delete_chat(self, conn: Connection, chat_id: int) -> None:
        conn.execute(delete(Subscription).where(Subscription.chat_id == chat_id))
