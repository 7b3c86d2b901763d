"""The audit log: who changed what in the catalog, when, with the item before and after.

Library code over the Store (no Telegram). Inbox dismissals are admin actions too and live
here, so "who dismissed this question" has an answer and the inbox can leave them out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from bot.store.schema import AuditEntry, utcnow
from bot.store.store import Store

DISMISS = "dismiss"
INBOX_KEY = "inbox"


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    key: str
    file: str | None
    summary: str
    before: str | None
    after: str | None

    def line(self) -> str:
        """One line for listings: number, time, who, what."""
        return f"#{self.id} {self.at:%Y-%m-%d %H:%M} UTC · {self.actor} · {self.action} · {self.summary}"


def _record(row: AuditEntry) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.action, row.key, row.file, row.summary, row.before, row.after)


class AuditLog:
    def __init__(self, store: Store):
        self.store = store

    def record(self, *, actor: str, action: str, key: str, summary: str = "", file: str | None = None,
               before: str | None = None, after: str | None = None) -> int:
        """Append one entry; returns its number."""
        values = {"at": utcnow(), "actor": actor[:120], "action": action, "key": key[:220], "file": file,
                  "summary": summary, "before": before, "after": after}

        def work(conn: Connection) -> int:
            return conn.execute(insert(AuditEntry).values(**values)).inserted_primary_key[0]

        return self.store._write(work)

    def history(self, key: str, *, limit: int = 20) -> list[AuditRecord]:
        """The entries about one intent (or news item), newest first."""
        stmt = select(AuditEntry).where(AuditEntry.key == key).order_by(AuditEntry.id.desc()).limit(limit)
        return self.store._read(lambda session: [_record(r) for r in session.scalars(stmt)])

    def recent(self, *, limit: int = 20) -> list[AuditRecord]:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        return self.store._read(lambda session: [_record(r) for r in session.scalars(stmt)])

    def get(self, entry_id: int) -> AuditRecord | None:
        def work(session: Session) -> AuditRecord | None:
            row = session.get(AuditEntry, entry_id)
            return _record(row) if row else None

        return self.store._read(work)

    # -- the unanswered inbox -------------------------------------------------------------
    def dismiss(self, questions: list[str], *, actor: str) -> int:
        """Leave these wordings out of the inbox from now on."""
        return self.record(actor=actor, action=DISMISS, key=INBOX_KEY, summary=questions[0][:200] if questions else "",
                           before=json.dumps(questions, ensure_ascii=False))

    def dismissed(self) -> set[str]:
        stmt = select(AuditEntry.before).where(AuditEntry.key == INBOX_KEY, AuditEntry.action == DISMISS)
        return self.store._read(lambda session: {q for text in session.scalars(stmt) for q in json.loads(text or "[]")})
