"""The tables. Small on purpose: only what a feature reads back.

Adding a table later: declare it here, then write a new revision in migrations/versions/
(`down_revision` = the newest one) that creates it. Never edit a shipped revision.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Question text is kept for the unanswered inbox and stats; longer messages are cut to this.
QUESTION_MAX_CHARS = 1000

# Explicit constraint names, so migrations can drop or alter them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A Telegram user who has talked to the bot (user id = private chat id)."""

    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(8))  # chosen with /lang; None = from Telegram
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionLog(Base):
    """One free-text question and what the bot made of it."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # answer | clarify | fallback
    intent: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    language: Mapped[str] = mapped_column(String(8))

    __table_args__ = (Index("ix_question_log_outcome_asked_at", "outcome", "asked_at"),)


class Feedback(Base):
    """A helpful / not helpful press under an answer."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.user_id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("question_log.id", ondelete="SET NULL"))
    intent: Mapped[str] = mapped_column(String(200), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)


class Subscription(Base):
    """One chat's digest subscription (private chat id = user id)."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    topics: Mapped[str] = mapped_column(Text, default="")  # comma-separated topic names
    frequency: Mapped[str] = mapped_column(String(8), default="daily")  # daily | weekly | off
    weekday: Mapped[int] = mapped_column(Integer, default=0)  # 0 = Monday (weekly digests)
    hour: Mapped[int] = mapped_column(Integer, default=9)  # Asia/Shanghai
    county: Mapped[str | None] = mapped_column(String(32))
    industry: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SentItem(Base):
    """An item (news or intent, at one content hash) a subscriber was sent or shown as baseline."""

    __tablename__ = "sent_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(220))
    content_hash: Mapped[str] = mapped_column(String(64))
    topic: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("subscription_id", "item_key", "content_hash", name="uq_sent_items_item"),)


class DigestOutbox(Base):
    """One digest to deliver: unique per (subscriber, period), so reruns and restarts never double."""

    __tablename__ = "digest_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer, ForeignKey("subscriptions.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(16))  # 2026-11-22 (daily) | 2026-W47 (weekly)
    # pending -> sending (claimed) -> sent | empty | failed | blocked
    status: Mapped[str] = mapped_column(String(8), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[str | None] = mapped_column(Text)  # the composed digest (JSON), fixed at first claim
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("subscription_id", "period", name="uq_digest_outbox_period"),
        Index("ix_digest_outbox_status", "status"),
    )


class AuditEntry(Base):
    """One admin action: a catalog edit (with the item before and after, as YAML) or an
    inbox dismissal. Kept after /forget: it records what an admin did to shared data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))  # "telegram:4242 Name" | "cli:user"
    action: Mapped[str] = mapped_column(String(32))  # add_phrasing | set_answer | create_intent | restore | dismiss ...
    key: Mapped[str] = mapped_column(String(220))  # intent id | news:<id> | inbox
    file: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")  # one line for listings
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_key_at", "key", "at"),)
