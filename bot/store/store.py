"""`Store`: the few reads and writes the bot needs, each one short transaction.

Methods are synchronous (SQLAlchemy sessions); async callers run them in a worker thread.
Every database failure surfaces as `StoreError` with one readable line.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.store import migrate
from bot.store.db import StoreError, create_db_engine, is_memory_sqlite, redact_url
from bot.store.schema import (
    QUESTION_MAX_CHARS, DigestOutbox, Feedback, QuestionLog, SentItem, Subscription, User, utcnow,
)

T = TypeVar("T")


@dataclass(frozen=True)
class LoggedQuestion:
    id: int
    asked_at: datetime
    user_id: int | None
    chat_id: int | None
    question: str
    outcome: str
    intent: str | None
    score: float
    language: str


class Store:
    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Writes are the hot path (one per question): statements built once, run with
        # parameters. INSERT .. ON CONFLICT for users: two replicas (or two updates) seeing a
        # new user at once must not fail on the primary key.
        dialect_insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        upsert = dialect_insert(User.__table__).values(
            user_id=bindparam("user_id"), first_seen=bindparam("now"), last_seen=bindparam("now"),
        )
        self._upsert_user = upsert.on_conflict_do_update(
            index_elements=["user_id"], set_={"last_seen": upsert.excluded.last_seen},
        )
        self._insert_question = insert(QuestionLog.__table__)
        # An in-memory SQLite database is one connection shared by all threads: take turns.
        self._serial = threading.Lock() if is_memory_sqlite(url) else nullcontext()

    @classmethod
    def open(cls, url: str) -> "Store":
        """Connect (lazily) to `url`; bad URLs and missing drivers raise StoreError."""
        return cls(create_db_engine(url), url)

    def close(self) -> None:
        """Release every pooled connection (call once, on shutdown)."""
        self.engine.dispose()

    # -- schema ----------------------------------------------------------------------
    def upgrade(self) -> None:
        """Bring the schema to the newest shipped revision, keeping all data."""
        self._guard(lambda: migrate.upgrade(self.engine))

    def revision(self) -> str | None:
        return self._guard(lambda: migrate.current_revision(self.engine))

    # -- users -----------------------------------------------------------------------
    def touch_user(self, user_id: int) -> None:
        """Record that a user was seen now (creates the row on first contact)."""
        self._write(lambda conn: self._seen(conn, user_id))

    def set_language(self, user_id: int, language: str | None) -> None:
        """The language chosen with /lang (None goes back to Telegram's setting)."""

        def work(conn: Connection) -> None:
            self._seen(conn, user_id)
            conn.execute(update(User.__table__).where(User.user_id == user_id).values(language=language))

        self._write(work)

    def user_language(self, user_id: int) -> str | None:
        return self._read(lambda s: s.scalar(select(User.language).where(User.user_id == user_id)))

    # -- questions and feedback -------------------------------------------------------
    def log_question(
        self, *, user_id: int | None, chat_id: int | None, question: str, outcome: str,
        intent: str | None, score: float, language: str,
    ) -> int:
        """Store one question and its outcome; returns the row id (feedback points at it)."""

        def work(conn: Connection) -> int:
            if user_id is not None:
                self._seen(conn, user_id)
            result = conn.execute(self._insert_question, {
                "asked_at": utcnow(), "user_id": user_id, "chat_id": chat_id,
                "question": question[:QUESTION_MAX_CHARS], "outcome": outcome, "intent": intent,
                "score": float(score), "language": language,
            })
            return result.inserted_primary_key[0]

        return self._write(work)

    def add_feedback(self, *, user_id: int | None, intent: str, helpful: bool, question_id: int | None = None) -> None:
        def work(conn: Connection) -> None:
            if user_id is not None:
                self._seen(conn, user_id)
            known = question_id and conn.scalar(select(QuestionLog.id).where(QuestionLog.id == question_id))
            conn.execute(insert(Feedback.__table__).values(
                given_at=utcnow(), user_id=user_id, intent=intent, helpful=helpful, question_id=known or None,
            ))

        self._write(work)

    def recent_questions(self, limit: int = 50) -> list[LoggedQuestion]:
        def work(session: Session) -> list[LoggedQuestion]:
            rows = session.scalars(select(QuestionLog).order_by(QuestionLog.id.desc()).limit(limit))
            return [
                LoggedQuestion(r.id, r.asked_at, r.user_id, r.chat_id, r.question, r.outcome, r.intent, r.score, r.language)
                for r in rows
            ]

        return self._read(work)

    def feedback_rows(self) -> list[tuple[int | None, str, bool, int | None]]:
        """(user_id, intent, helpful, question_id), oldest first."""
        stmt = select(Feedback.user_id, Feedback.intent, Feedback.helpful, Feedback.question_id).order_by(Feedback.id)
        return self._read(lambda s: [tuple(r) for r in s.execute(stmt)])

    def counts(self) -> dict[str, int]:
        """Rows per table (for tests and a quick look)."""

        def work(session: Session) -> dict[str, int]:
            return {
                model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (User, QuestionLog, Feedback, Subscription, SentItem, DigestOutbox)
            }

        return self._read(work)

    # -- privacy: /mydata and /forget -------------------------------------------------------
    def user_data(self, user_id: int) -> dict:
        """Everything stored about a user (and their private chat's subscription)."""

        def work(session: Session) -> dict:
            user = session.get(User, user_id)
            subs = session.scalars(select(Subscription).where(self._subs_of(user_id))).all()
            sub_ids = [s.id for s in subs]
            questions = session.scalars(
                select(QuestionLog).where(QuestionLog.user_id == user_id).order_by(QuestionLog.id.desc())
            ).all()
            return {
                "user": None if user is None else {
                    "user_id": user.user_id, "language": user.language,
                    "first_seen": user.first_seen, "last_seen": user.last_seen,
                },
                "questions": [(q.asked_at, q.question) for q in questions],
                "feedback": session.scalar(select(func.count()).select_from(Feedback).where(Feedback.user_id == user_id)),
                "subscriptions": [
                    {"topics": s.topics, "frequency": s.frequency, "weekday": s.weekday, "hour": s.hour,
                     "county": s.county, "industry": s.industry, "active": s.active, "created_at": s.created_at}
                    for s in subs
                ],
                "sent_items": session.scalar(
                    select(func.count()).select_from(SentItem).where(SentItem.subscription_id.in_(sub_ids))
                ) if sub_ids else 0,
                "digests": session.scalar(
                    select(func.count()).select_from(DigestOutbox).where(DigestOutbox.subscription_id.in_(sub_ids))
                ) if sub_ids else 0,
            }

        return self._read(work)

    def forget_user(self, user_id: int) -> int:
        """Delete every row about a user in every table; returns how many rows went."""

        def work(conn: Connection) -> int:
            sub_ids = select(Subscription.id).where(self._subs_of(user_id)).scalar_subquery()
            gone = 0
            for stmt in (
                delete(SentItem).where(SentItem.subscription_id.in_(sub_ids)),
                delete(DigestOutbox).where(DigestOutbox.subscription_id.in_(sub_ids)),
                delete(Subscription).where(self._subs_of(user_id)),
                delete(Feedback).where(Feedback.user_id == user_id),
                delete(QuestionLog).where(QuestionLog.user_id == user_id),
                delete(User).where(User.user_id == user_id),
            ):
                gone += conn.execute(stmt).rowcount or 0
            return gone

        return self._write(work)

    @staticmethod
    def _subs_of(user_id: int):
        # A private chat's id is the user's id; group subscriptions record who made them.
        return or_(Subscription.user_id == user_id, Subscription.chat_id == user_id)

    # -- plumbing --------------------------------------------------------------------
    def _seen(self, conn: Connection, user_id: int) -> None:
        conn.execute(self._upsert_user, {"user_id": user_id, "now": utcnow()})

    def _write(self, work: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self.engine.begin() as conn:
                return work(conn)

        return self._guard(run)

    def _read(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self._sessions() as session:
                return work(session)

        return self._guard(run)

    def _guard(self, run: Callable[[], T]) -> T:
        try:
            with self._serial:
                return run()
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"database {redact_url(self.url)}: {reason}") from exc
