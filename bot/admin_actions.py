"""Admin actions: a catalog edit and its audit-log entry, as one call.

The Telegram admin handlers and the admin CLI commands both come through here, so every
edit is validated and written by `CatalogEditor` and recorded with who made it. The YAML
file is the source of truth: if the audit write fails after the file was written, the edit
stands and the failure is logged (`Done.entry` is then None).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, TypeVar

from ruamel.yaml import YAML

from bot.catalog.edit import CatalogEditor, Edit, EditError
from bot.catalog.load import Catalog
from bot.catalog.models import Intent, NewsItem
from bot.store import StoreError
from bot.store.audit import AuditLog, AuditRecord

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Done:
    edit: Edit
    entry: int | None  # audit-log entry number (None: not recorded)


def served_test(edit: Edit) -> Callable[[Catalog], bool]:
    """A test of whether a catalog holds the item exactly as `edit` left it (the running
    bot's live reload has picked the edit up). The edit's YAML is read once, here."""
    if edit.after is None:
        return lambda catalog: False
    after = YAML(typ="safe").load(edit.after)
    if edit.key.startswith("news:"):
        item, news_id = NewsItem.model_validate(after), edit.key[len("news:"):]
        return lambda catalog: any(n.id == news_id and n == item for n in catalog.news)
    intent = Intent.model_validate(after)
    return lambda catalog: catalog.intents.get(edit.key) == intent


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class AdminActions:
    """Edits of one catalog by one actor ("Name (tg 4242)", "cli:alice")."""

    def __init__(self, catalog: Path | str, audit: AuditLog | None, actor: str):
        self.editor = CatalogEditor(catalog)
        self.audit = audit
        self.actor = actor

    def _recorded(self, action: str, summary: str, edit: Edit) -> Done:
        if self.audit is None:
            return Done(edit, None)
        try:
            entry = self.audit.record(actor=self.actor, action=action, key=edit.key, summary=summary,
                                      file=edit.file, before=edit.before, after=edit.after)
        except StoreError as exc:
            log.error("edit of %s written but not recorded in the audit log: %s", edit.key, exc)
            return Done(edit, None)
        return Done(edit, entry)

    def add_phrasing(self, intent_id: str, text: str, lang: str, *, action: str = "add_phrasing") -> Done:
        edit = self.editor.add_phrasing(intent_id, text, lang)
        return self._recorded(action, f"+{lang} {' '.join(text.split())}", edit)

    def remove_phrasing(self, intent_id: str, text: str, lang: str) -> Done:
        return self._recorded("remove_phrasing", f"-{lang} {text}", self.editor.remove_phrasing(intent_id, text, lang))

    def set_answer(self, intent_id: str, lang: str, text: str, *, sources: list[dict[str, str]] | None = None) -> Done:
        """Replace one language's answer; `sources` (if given) replace the intent's quotes."""
        edit = self.editor.set_answer(intent_id, lang, text, by=self.actor, at=now_iso(), sources=sources)
        return self._recorded("set_answer", f"{lang} answer: {text.strip()[:60]}", edit)

    def create_intent(self, topic: str, intent: dict[str, Any]) -> Done:
        edit = self.editor.create_intent(topic, intent)
        return self._recorded("create_intent", f"{topic}: {intent['title']['zh']}", edit)

    def add_news(self, item: dict[str, Any]) -> Done:
        edit = self.editor.add_news(item)
        return self._recorded("add_news", f"{item['date']} {item['text']['zh'][:60]}", edit)

    def restore(self, entry_id: int) -> Done:
        """Put an intent back as it was before audit entry `entry_id`."""
        entry = self.entry(entry_id)
        if entry.key.startswith("news:") or entry.key == "inbox":
            raise EditError(f"#{entry_id} is not an intent edit; only intents can be restored")
        if entry.before is None:
            raise EditError(f"#{entry_id} created {entry.key}; there is no earlier version to restore")
        edit = self.editor.restore(entry.key, entry.before)
        return self._recorded("restore", f"restored the version before #{entry_id}", edit)

    def entry(self, entry_id: int) -> AuditRecord:
        entry = self._read_audit(lambda audit: audit.get(entry_id))
        if entry is None:
            raise EditError(f"there is no audit entry #{entry_id}")
        return entry

    def history(self, key: str, *, limit: int = 20) -> list[AuditRecord]:
        return self._read_audit(lambda audit: audit.history(key, limit=limit))

    def _read_audit(self, read: Callable[[AuditLog], T]) -> T:
        """A read of the audit log; no database, or one that fails, is a refusal that says so."""
        if self.audit is None:
            raise EditError("no database: the audit log is not available")
        try:
            return read(self.audit)
        except StoreError as exc:
            raise EditError(f"the audit log is not available: {exc}") from None
