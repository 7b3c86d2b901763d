"""Editing the catalog's YAML files safely: the admin side writes through here.

Every edit is made on the round-trip tree (ruamel.yaml keeps comments, key order,
quoting and every other intent as they were), checked with the same rules as
`qzbot validate` on a copy of the catalog, and only then written: to a temporary file
in the same directory, fsynced, and renamed over the old one, so a crash leaves the old
file or the new one, never half of either. A lock file serialises editors (two admins,
two processes): each edit re-reads the file under the lock, so neither loses the other's.
"""

from __future__ import annotations

import fcntl
import io
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.catalog.errors import CatalogError, Problem
from bot.catalog.load import NEWS_FILE, load_catalog, resolve_dirs, topic_files
from bot.catalog.yamlfile import round_trip_yaml

LOCK_FILE = ".edit.lock"


class EditError(Exception):
    """An edit was refused; nothing was written. `problems` says exactly why."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = problems or []
        detail = "".join(f"\n{p}" for p in self.problems)
        super().__init__(message + detail)


@dataclass(frozen=True)
class Edit:
    """What an edit changed: for the audit log and for history/restore."""

    file: str
    key: str  # intent id or "news:<id>"
    before: str | None  # the item as YAML before (None: created)
    after: str | None  # ... and after (None: removed)


def _dump(node: Any) -> str:
    buf = io.StringIO()
    round_trip_yaml().dump(node, buf)
    return buf.getvalue()


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


class CatalogEditor:
    """Edits of one catalog directory (the one `load_catalog` reads)."""

    def __init__(self, path: Path | str):
        self.root, self.intents_dir, self.seeds_dir = resolve_dirs(Path(path))

    @contextmanager
    def locked(self) -> Iterator[None]:
        with open(self.intents_dir / LOCK_FILE, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                # every write to intents/ happens under this lock, so a temp file found now
                # was left by a writer that died mid-write: never part of the catalog
                for stale in self.intents_dir.glob(".*.tmp"):
                    stale.unlink(missing_ok=True)
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    # -- the one write path -------------------------------------------------------------
    def _apply(self, file: Path, key: str, change: Callable[[Any], tuple[Any, Any]]) -> Edit:
        """Under the lock: load `file`, let `change(tree)` edit it and return the item
        (before-copy, after-node), validate the catalog with the new text, write it."""
        with self.locked():
            yaml = round_trip_yaml()
            tree = yaml.load(file.read_text(encoding="utf-8")) if file.exists() else None
            before, after = change(tree)
            text = _dump(tree)
            self._validate_with(file, text)
            atomic_write(file, text)
        return Edit(str(file.relative_to(self.root)), key, before, None if after is None else _dump(after))

    def _validate_with(self, file: Path, text: str) -> None:
        """Run every `qzbot validate` rule on a copy of the catalog holding the new text."""
        with tempfile.TemporaryDirectory(prefix="qzbot-edit-") as tmp:
            shutil.copytree(self.intents_dir, Path(tmp) / "intents", ignore=shutil.ignore_patterns(LOCK_FILE, ".*.tmp"))
            (Path(tmp) / "intents" / file.name).write_text(text, encoding="utf-8")
            os.symlink(self.seeds_dir, Path(tmp) / "seeds")
            try:
                load_catalog(tmp)
            except CatalogError as exc:
                raise EditError("the edit breaks the catalog's rules; nothing was written", exc.problems) from None

    def _find_intent(self, intent_id: str) -> Path:
        for file in topic_files(self.intents_dir):
            tree = round_trip_yaml().load(file.read_text(encoding="utf-8"))
            if any(str(i.get("id")) == intent_id for i in (tree or {}).get("intents", [])):
                return file
        raise EditError(f"no intent {intent_id!r} in the catalog")

    def _intent_change(self, intent_id: str, mutate: Callable[[CommentedMap], None]) -> Edit:
        file = self._find_intent(intent_id)

        def change(tree: Any) -> tuple[Any, Any]:
            for node in tree["intents"]:
                if str(node.get("id")) == intent_id:
                    before = _dump(node)
                    mutate(node)
                    return before, node
            raise EditError(f"intent {intent_id!r} moved while editing; try again")

        return self._apply(file, intent_id, change)

    # -- edits ------------------------------------------------------------------------
    def add_phrasing(self, intent_id: str, text: str, lang: str) -> Edit:
        """Add a way of asking (the next question like it is answered)."""
        text = " ".join(text.split())
        if not text:
            raise EditError("an empty phrasing cannot be added")

        def mutate(node: CommentedMap) -> None:
            phrasings = node["questions"][lang]
            if text in [str(p) for p in phrasings]:
                raise EditError(f"{intent_id} already has the phrasing {text!r}")
            phrasings.append(text)

        return self._intent_change(intent_id, mutate)

    def remove_phrasing(self, intent_id: str, text: str, lang: str) -> Edit:
        def mutate(node: CommentedMap) -> None:
            phrasings = node["questions"][lang]
            values = [str(p) for p in phrasings]
            if text not in values:
                raise EditError(f"{intent_id} has no {lang} phrasing {text!r}")
            del phrasings[values.index(text)]

        return self._intent_change(intent_id, mutate)

    def set_answer(self, intent_id: str, lang: str, text: str, *, by: str, at: str,
                   sources: list[dict[str, str]] | None = None) -> Edit:
        """Replace one language's answer, marked as the admin's own (who, when). Its figures
        may only be those of its quotes: the ones it keeps (`sources=None`) or the ones the
        admin gives (`sources=[...]`, possibly none)."""
        if not text.strip():
            raise EditError("an empty answer cannot be saved")

        def mutate(node: CommentedMap) -> None:
            node["answer"][lang] = text.strip()
            if sources is not None:
                node["sources"] = CommentedSeq([CommentedMap(s) for s in sources])
            node["admin"] = CommentedMap([("by", by), ("at", at)])

        return self._intent_change(intent_id, mutate)

    def restore(self, intent_id: str, snapshot: str) -> Edit:
        """Put back an earlier version of an intent (a `before` from its history)."""
        old = round_trip_yaml().load(snapshot)
        if not isinstance(old, dict) or str(old.get("id")) != intent_id:
            raise EditError(f"that snapshot is not a version of {intent_id}")

        def mutate(node: CommentedMap) -> None:
            for key in list(node.keys()):
                del node[key]
            for key, value in old.items():
                node[key] = value

        return self._intent_change(intent_id, mutate)

    def create_intent(self, topic: str, intent: dict[str, Any]) -> Edit:
        """Append a new intent to its topic's file (the file must exist)."""
        file = self.intents_dir / f"{topic}.yaml"
        if not file.exists():
            raise EditError(f"no topic file {file.name}; topics: {', '.join(p.stem for p in topic_files(self.intents_dir))}")

        def change(tree: Any) -> tuple[Any, Any]:
            node = CommentedMap(intent)
            tree["intents"].append(node)
            return None, node

        return self._apply(file, str(intent.get("id")), change)

    def add_news(self, item: dict[str, Any]) -> Edit:
        """Add a dated news item for digests."""
        file = self.intents_dir / NEWS_FILE

        def change(tree: Any) -> tuple[Any, Any]:
            node = CommentedMap(item)
            if tree is None or tree.get("news") is None:
                raise EditError(f"{file.name} has no news list to add to")
            tree["news"].append(node)
            return None, node

        return self._apply(file, "news:" + str(item.get("id")), change)
