"""The digest outbox in the database: enqueue due subscribers, claim rows, record results.

One row per (subscriber, period), UNIQUE: enqueueing again (a rerun, a restart, a second
replica) inserts nothing new. Rows go pending -> sending (claimed, with a lease) -> sent |
empty | failed | blocked. On PostgreSQL claims use FOR UPDATE SKIP LOCKED, so replicas never
claim the same row, and enqueueing takes a transaction-level advisory lock so one replica
does it at a time. A claim whose lease ran out (its sender died) is claimed again; the
payload and the number of parts already sent are kept, so a restart resumes, not repeats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.digest.render import DigestMessage
from bot.digest.schedule import due_period
from bot.store.schema import DigestOutbox, Subscription, utcnow
from bot.store.store import Store
from bot.store.subscriptions import Subscriptions

ENQUEUE_LOCK = 0x71_7A_64_67  # "qzdg": the advisory lock id for enqueueing


@dataclass
class Claimed:
    id: int
    subscription_id: int
    chat_id: int
    period: str
    attempts: int
    parts_sent: int
    payload: dict | None


def dump_payload(messages: list[DigestMessage], records: list[tuple[str, str, str]], language: str) -> str:
    return json.dumps({
        "language": language, "messages": [{"html": m.html, "intents": m.intents} for m in messages], "records": records,
    }, ensure_ascii=False)


def load_messages(payload: dict) -> list[DigestMessage]:
    return [DigestMessage(m["html"], list(m["intents"])) for m in payload["messages"]]


class Outbox:
    def __init__(self, store: Store):
        self.store = store
        self.subs = Subscriptions(store)
        self.postgres = store.engine.dialect.name == "postgresql"
        self._insert = pg_insert if self.postgres else sqlite_insert

    def enqueue_due(self, now: datetime, *, grace: timedelta) -> int | None:
        """Add a row for every active subscriber whose slot is due; returns rows added, or None
        if another process holds the enqueue lock (PostgreSQL)."""

        def work(conn) -> int | None:
            if self.postgres and not conn.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ENQUEUE_LOCK}):
                return None
            rows = conn.execute(select(Subscription).where(Subscription.active.is_(True))).all()
            added = 0
            stamp = utcnow()
            for row in rows:
                sub = self.subs_from_row(row)
                period = due_period(sub, now, grace=grace)
                if period is None:
                    continue
                stmt = self._insert(DigestOutbox.__table__).values(
                    subscription_id=row.id, chat_id=row.chat_id, period=period, status="pending", attempts=0,
                    parts_sent=0, created_at=stamp, updated_at=stamp,
                ).on_conflict_do_nothing(index_elements=["subscription_id", "period"]).returning(DigestOutbox.id)
                added += len(conn.execute(stmt).all())  # rowcount is unreliable with ON CONFLICT
            return added

        return self.store._write(work)

    @staticmethod
    def subs_from_row(row):
        from bot.store.subscriptions import Sub

        return Sub(row.chat_id, tuple(t for t in row.topics.split(",") if t), row.frequency, row.weekday, row.hour,
                   row.county, row.industry, row.language, row.active, row.user_id, row.id, row.created_at)

    def claim(self, limit: int, *, lease: timedelta) -> list[Claimed]:
        """Take up to `limit` rows to send: pending ones, and claims whose lease ran out."""

        def work(conn) -> list[Claimed]:
            now = utcnow()
            ready = or_(
                DigestOutbox.status == "pending",
                and_(DigestOutbox.status == "sending", DigestOutbox.claimed_at <= now - lease),
            )
            stmt = select(DigestOutbox).where(ready).order_by(DigestOutbox.id).limit(limit)
            if self.postgres:
                stmt = stmt.with_for_update(skip_locked=True)
            rows = conn.execute(stmt).all()
            if rows:
                conn.execute(update(DigestOutbox).where(DigestOutbox.id.in_([r.id for r in rows]))
                             .values(status="sending", claimed_at=now, updated_at=now))
            return [Claimed(r.id, r.subscription_id, r.chat_id, r.period, r.attempts, r.parts_sent,
                            json.loads(r.payload) if r.payload else None) for r in rows]

        return self.store._write(work)

    def set_payload(self, row_id: int, payload: str) -> None:
        stmt = update(DigestOutbox).where(DigestOutbox.id == row_id).values(payload=payload, updated_at=utcnow())
        self.store._write(lambda conn: conn.execute(stmt))

    def part_sent(self, row_id: int, parts_sent: int) -> None:
        stmt = update(DigestOutbox).where(DigestOutbox.id == row_id).values(
            parts_sent=parts_sent, claimed_at=utcnow(), updated_at=utcnow())
        self.store._write(lambda conn: conn.execute(stmt))

    def finish(self, row: Claimed, status: str, *, error: str | None = None, attempts: int | None = None,
               records: list[tuple[str, str, str]] | None = None, deactivate: bool = False) -> None:
        """Close a row; for `sent`, remember its items in the same transaction."""

        def work(conn) -> None:
            now = utcnow()
            conn.execute(update(DigestOutbox).where(DigestOutbox.id == row.id).values(
                status=status, last_error=error, attempts=row.attempts if attempts is None else attempts,
                updated_at=now, sent_at=now if status == "sent" else None,
            ))
            if records:
                self.subs.record_sent(conn, row.subscription_id, [tuple(r) for r in records])
            if deactivate:
                conn.execute(update(Subscription).where(Subscription.id == row.subscription_id)
                             .values(active=False, updated_at=now))

        self.store._write(work)

    def statuses(self) -> dict[str, int]:
        from sqlalchemy import func

        stmt = select(DigestOutbox.status, func.count()).group_by(DigestOutbox.status)
        return self.store._read(lambda s: dict(s.execute(stmt).all()))
