"""A digest as Telegram-ready HTML: a heading, then items grouped by topic, each one or two
lines with its date; split into messages under Telegram's limit, never inside an item.

>>> from bot.store.subscriptions import Sub
>>> from bot.digest.compose import Digest, DigestItem
>>> d = Digest(Sub(1, ("funds",), language="en"), [DigestItem("news:a", "h", "funds", "2026-01", "A <b> & c", "funds.x")])
>>> [m.html for m in render(d, {"funds": "Funds"})]
['<b>Your Quanzhou policy digest</b>\\n\\n<b>Funds</b>\\n• 2026-01 A &lt;b&gt; &amp; c']
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from bot.digest.compose import Digest

LIMIT = 4096  # Telegram's maximum message length (UTF-16 code units)
ITEM_CHARS = 300  # an item is a line or two; longer texts are cut
HEADINGS = {"zh": "<b>泉州外贸政策动态</b>", "en": "<b>Your Quanzhou policy digest</b>"}
MORE = {"zh": "（续）", "en": "(continued)"}


@dataclass(frozen=True)
class DigestMessage:
    html: str
    intents: list[str] = field(default_factory=list)  # intents whose full answer a button can open


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _item_line(date: str, text: str) -> str:
    text = " ".join(text.split())
    if len(text) > ITEM_CHARS:
        text = text[: ITEM_CHARS - 1] + "…"
    return f"• {esc(date)} {esc(text)}" if date else f"• {esc(text)}"


def render(digest: Digest, topic_titles: dict[str, str], *, limit: int = LIMIT) -> list[DigestMessage]:
    """Messages for `digest` (none for an empty one); `topic_titles` maps topic -> title."""
    if not digest:
        return []
    lang = digest.sub.language
    messages: list[DigestMessage] = []
    lines: list[str] = [HEADINGS.get(lang, HEADINGS["en"])]
    intents: list[str] = []
    topic_header = ""

    def flush() -> None:
        messages.append(DigestMessage("\n".join(lines).strip(), list(intents)))
        lines.clear()
        intents.clear()

    by_topic: dict[str, list] = {}
    for item in digest.items:
        by_topic.setdefault(item.topic, []).append(item)
    for topic, items in by_topic.items():
        topic_header = f"<b>{esc(topic_titles.get(topic, topic))}</b>"
        block = ["", topic_header]
        for item in items:
            line = _item_line(item.date, item.text)
            candidate = [*block, line]
            if utf16_len("\n".join([*lines, *candidate])) > limit and len(lines) > 1:
                flush()
                block = [f"{topic_header} {esc(MORE.get(lang, MORE['en']))}"]
                candidate = [*block, line]
            lines.extend(candidate)
            block = []
            if item.intent and item.intent not in intents:
                intents.append(item.intent)
    flush()
    return messages
