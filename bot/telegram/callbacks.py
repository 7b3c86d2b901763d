"""Callback data: what an inline button carries back to us, within Telegram's 64 bytes.

Intents are named by a short code derived from their id (a hash), not by their position, so
a button from yesterday's catalog either still means the same intent or means nothing, never
a different one. Anything that does not parse, or names what no longer exists, is "stale".

>>> codes = IntentCodes(["funds.trade_fund", "funds.warehouses"])
>>> data = answer_data("zh", codes.code("funds.trade_fund"))
>>> cb = parse(data)
>>> cb.kind, cb.lang, codes.intent(cb.code)
('a', 'zh', 'funds.trade_fund')
>>> parse("a:zh:../../etc") is None, parse("nonsense") is None, parse(None) is None
(True, True, True)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit for callback_data
LANGS = ("zh", "en")
_CODE = re.compile(r"[A-Za-z0-9_-]{8,16}")
_TOPIC = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"\d{1,15}")
_OP = re.compile(r"[a-zA-Z]{1,4}")
_ARG = re.compile(r"[a-z0-9_-]{1,32}")


def _hash_code(intent_id: str, length: int) -> str:
    digest = hashlib.sha1(intent_id.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:length]


class IntentCodes:
    """Two-way table intent id <-> short code, for one catalog."""

    def __init__(self, intent_ids: Iterable[str]):
        ids = list(intent_ids)
        for length in (8, 12, 16):  # lengthen only if two ids ever collide
            table = {_hash_code(i, length): i for i in ids}
            if len(table) == len(set(ids)):
                break
        self._by_code = table
        self._by_id = {i: c for c, i in table.items()}

    def code(self, intent_id: str) -> str:
        return self._by_id[intent_id]

    def intent(self, code: str | None) -> str | None:
        return self._by_code.get(code) if code else None


@dataclass(frozen=True)
class Callback:
    kind: str  # a | b | t | tp | fb | sub | lang | s (subscription editor) | fg (forget) | ad (admin)
    lang: str = "zh"
    code: str | None = None
    topic: str | None = None
    page: int = 0
    question_id: int = 0
    helpful: bool = False
    op: str = ""  # s: what to change; fg: y / n
    arg: str = ""


def fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_BYTES


def answer_data(lang: str, code: str) -> str:
    """Show an intent's answer as a new message (related, did-you-mean)."""
    return f"a:{lang}:{code}"


def browse_answer_data(lang: str, code: str, page: int) -> str:
    """Show an intent's answer in place while browsing (Back returns to `page`)."""
    return f"b:{lang}:{code}:{page}"


def topics_data(lang: str, page: int = 0) -> str:
    return f"t:{lang}:{page}"


def topic_data(lang: str, topic: str, page: int = 0) -> str:
    return f"tp:{lang}:{topic}:{page}"


def feedback_data(helpful: bool, code: str, question_id: int | None) -> str:
    return f"fb:{'y' if helpful else 'n'}:{code}:{question_id or 0}"


def subscribe_data(topic: str) -> str:
    # The format the digest issue's /subscribe flow keeps using.
    return f"sub:{topic}"


def sub_edit_data(op: str, arg: str | int = "") -> str:
    """A button of the /subscribe editor: `op` names the change, `arg` its value.

    >>> parse(sub_edit_data("t", "customs")).arg, parse(sub_edit_data("ok")).op
    ('customs', 'ok')
    """
    return f"s:{op}:{arg}" if arg != "" else f"s:{op}"


def admin_data(op: str, arg: str | int = "") -> str:
    """An admin button (confirm an edit, act on an inbox item, restore a version). Only
    admins may press them; the handlers check who pressed, not just what the data says.

    >>> parse(admin_data("ia", "k3f9-2")).arg, parse(admin_data("no")).op
    ('k3f9-2', 'no')
    """
    return f"ad:{op}:{arg}" if arg != "" else f"ad:{op}"


def forget_data(confirm: bool) -> str:
    return f"fg:{'y' if confirm else 'n'}"


def lang_data(lang: str) -> str:
    return f"lang:{lang}"


def parse(data: str | None) -> Callback | None:
    """The callback a button carries, or None for anything we did not make."""
    if not data or not fits(data):
        return None
    parts = data.split(":")
    kind, args = parts[0], parts[1:]
    try:
        if kind == "a" and len(args) == 2 and _lang(args[0]) and _CODE.fullmatch(args[1]):
            return Callback("a", args[0], code=args[1])
        if kind == "b" and len(args) == 3 and _lang(args[0]) and _CODE.fullmatch(args[1]):
            return Callback("b", args[0], code=args[1], page=_page(args[2]))
        if kind == "t" and len(args) == 2 and _lang(args[0]):
            return Callback("t", args[0], page=_page(args[1]))
        if kind == "tp" and len(args) == 3 and _lang(args[0]) and _TOPIC.fullmatch(args[1]):
            return Callback("tp", args[0], topic=args[1], page=_page(args[2]))
        if kind == "fb" and len(args) == 3 and args[0] in ("y", "n") and _CODE.fullmatch(args[1]):
            return Callback("fb", code=args[1], helpful=args[0] == "y", question_id=_page(args[2]))
        if kind == "sub" and len(args) == 1 and _TOPIC.fullmatch(args[0]):
            return Callback("sub", topic=args[0])
        if kind in ("s", "ad") and 1 <= len(args) <= 2 and _OP.fullmatch(args[0]) and (len(args) == 1 or _ARG.fullmatch(args[1])):
            return Callback(kind, op=args[0], arg=args[1] if len(args) == 2 else "")
        if kind == "fg" and len(args) == 1 and args[0] in ("y", "n"):
            return Callback("fg", op=args[0])
        if kind == "lang" and len(args) == 1 and _lang(args[0]):
            return Callback("lang", args[0])
    except ValueError:
        return None
    return None


def _lang(value: str) -> bool:
    return value in LANGS


def _page(value: str) -> int:
    if not _NUMBER.fullmatch(value):
        raise ValueError(value)
    return int(value)


def admin_op(*ops: str):
    """A handler pattern: admin buttons (`ad:`) doing one of `ops`.

    >>> admin_op("ok", "no")("ad:no:1a2b"), admin_op("ok")("ad:no"), admin_op("ok")("s:ok")
    (True, False, False)
    """

    def matches(data: object) -> bool:
        parsed = parse(data) if isinstance(data, str) else None
        return parsed is not None and parsed.kind == "ad" and parsed.op in ops

    return matches


def kind_of(data: object) -> str | None:
    """The kind of a button's data, for handler patterns (None: not ours)."""
    parsed = parse(data) if isinstance(data, str) else None
    return parsed.kind if parsed else None
