"""Replies as Telegram HTML: every catalog and user string escaped, every message under the limit.

A message is built from blocks (a paragraph, optionally wrapped in one tag). Blocks are packed
into messages of at most `LIMIT` characters; a block too long for one message is cut at a
paragraph, line or sentence boundary and each piece re-wrapped, so no tag is ever split.

>>> from bot.engine import Reply
>>> reply = Reply("q", "answer", "en", "x.y", 90.0, "", title="<Fund>", body="A & B")
>>> answer_messages(reply)
['<b>&lt;Fund&gt;</b>\\n\\nA &amp; B']
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot import texts
from bot.engine import Reply

LIMIT = 4096  # Telegram's maximum message length (UTF-16 code units)
MAX_MESSAGES = 4  # a longer answer is trimmed: nobody scrolls through more
QUOTE_CHARS = 400  # per source quote shown under an answer
_BREAKS = [re.compile(r"(?<=\n\n)"), re.compile(r"(?<=\n)"), re.compile(r"(?<=[。！？；.!?;])")]


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (characters outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Block:
    text: str  # plain text; escaped when rendered
    tag: str | None = None  # e.g. "b", "i", "blockquote expandable"

    def html(self) -> str:
        if not self.tag:
            return esc(self.text)
        return f"<{self.tag}>{esc(self.text)}</{self.tag.split()[0]}>"


def answer_messages(reply: Reply, *, limit: int = LIMIT) -> list[str]:
    """An answer: bold title, body, admin note, sources with date, and the quoted evidence."""
    body = reply.body or reply.answer
    messages = pack(_answer_blocks(reply, body), limit=limit, most=None)
    room = (MAX_MESSAGES - 1) * limit
    while len(messages) > MAX_MESSAGES and room > limit // 4:
        # Trim the body, not the source lines after it: where an answer comes from matters.
        room = room * 3 // 4
        body = _trim_text(reply.body or reply.answer, room)
        messages = pack(_answer_blocks(reply, body), limit=limit, most=None)
    return messages[:MAX_MESSAGES]


def _answer_blocks(reply: Reply, body: str) -> list[Block]:
    lang = reply.language
    blocks = [Block(reply.title or "", "b"), Block(body)]
    if reply.admin_note:
        blocks.append(Block(reply.admin_note, "i"))
    docs: list[str] = []
    for src in reply.sources:
        line = texts.source_line(src, lang)
        if line not in docs:
            docs.append(line)
    if docs:
        label = "来源：" if lang == "zh" else "Source: "
        blocks.append(Block(label + ("；" if lang == "zh" else " | ").join(docs), "i"))
        quotes = [_shorten(s.quote, QUOTE_CHARS) for s in reply.sources]
        head = "原文摘录：" if lang == "zh" else "From the source:"
        blocks.append(Block(head + "\n" + "\n".join(quotes), "blockquote expandable"))
    return [b for b in blocks if b.text]


def text_messages(text: str, *, limit: int = LIMIT) -> list[str]:
    """Plain engine or UI text (clarify, fallback, notices), escaped and split."""
    return pack([Block(p) for p in text.split("\n\n") if p.strip()], limit=limit)


def pack(blocks: list[Block], *, limit: int = LIMIT, most: int | None = MAX_MESSAGES) -> list[str]:
    """Blocks joined by blank lines into as few messages as fit; beyond `most`, trimmed."""
    pieces: list[str] = []
    for block in blocks:
        pieces.extend(_split(block, limit))
    messages: list[str] = []
    for piece in pieces:
        if messages and utf16_len(messages[-1]) + 2 + utf16_len(piece) <= limit:
            messages[-1] += "\n\n" + piece
        else:
            messages.append(piece)
    if most is not None and len(messages) > most:
        messages = messages[:most]
        messages[-1] = _with_ellipsis(messages[-1], limit)
    return messages


def _split(block: Block, limit: int) -> list[str]:
    """The block as one or more self-contained HTML pieces, each within `limit`."""
    rendered = block.html()
    if utf16_len(rendered) <= limit:
        return [rendered]
    overhead = utf16_len(Block("", block.tag).html())
    parts = [block.text]
    for pattern in _BREAKS:
        parts = [p for part in parts for p in (_cut(part, pattern, limit - overhead) if _too_long(part, limit - overhead) else [part])]
    out: list[str] = []
    for part in parts:
        while _too_long(part, limit - overhead):  # no boundary at all: cut hard
            cut = _fit_prefix(part, limit - overhead)
            out.append(Block(part[:cut], block.tag).html())
            part = part[cut:]
        if part.strip():
            out.append(Block(part.strip("\n"), block.tag).html())
    return out


def _too_long(text: str, room: int) -> bool:
    return utf16_len(esc(text)) > room


def _cut(text: str, pattern: re.Pattern, room: int) -> list[str]:
    """Greedily join the pattern's segments into parts that fit `room` when escaped."""
    parts: list[str] = []
    for segment in pattern.split(text):
        if parts and not _too_long(parts[-1] + segment, room):
            parts[-1] += segment
        elif segment:
            parts.append(segment)
    return parts


def _fit_prefix(text: str, room: int) -> int:
    low, high = 1, len(text)
    while low < high:  # the longest prefix whose escaped form fits
        mid = (low + high + 1) // 2
        if _too_long(text[:mid], room):
            high = mid - 1
        else:
            low = mid
    return low


def _trim_text(text: str, room: int) -> str:
    """The longest run of whole sentences whose escaped form fits `room`, then "…"."""
    cut = _fit_prefix(text, room - 1)
    head = text[:cut]
    boundary = max(head.rfind(c) for c in "\n。！？.!?")
    return (head[: boundary + 1] if boundary > room // 2 else head).rstrip() + "…"


def _shorten(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _with_ellipsis(message: str, limit: int) -> str:
    """Mark a trimmed answer; the mark goes after a whole piece, so no tag is cut."""
    return message + "\n\n…" if utf16_len(message) + 3 <= limit else message
