"""Telegram's HTML parse mode, as the fake Bot API enforces it: the tags Telegram allows,
properly nested; only the entities it knows; the visible text measured in UTF-16 units."""

from __future__ import annotations

import re

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span", "a", "code", "pre", "blockquote", "tg-emoji"}
_TAG = re.compile(r'<(/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>')
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HTMLError(ValueError):
    pass


def parse_html(text: str) -> str:
    """The visible text of a Telegram HTML message; HTMLError where Telegram would refuse it."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _TAG.match(text, i)
            if not match:
                raise HTMLError(f"Can't parse entities: unsupported start tag at byte offset {i}")
            closing, name = match.group(1), match.group(2)
            if name not in ALLOWED_TAGS:
                raise HTMLError(f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack.pop() != name:
                    raise HTMLError(f'Can\'t parse entities: unmatched end tag at byte offset {i}, expected "</{name}>"')
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(text, i)
            if not match:
                raise HTMLError(f"Can't parse entities: character entity expected at byte offset {i}")
            name = match.group(1)
            out.append(_NAMED.get(name) or chr(int(name[2:], 16) if name.startswith("#x") else int(name[1:])))
            i = match.end()
        elif char == ">":
            raise HTMLError(f"Can't parse entities: unescaped '>' at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise HTMLError(f'Can\'t parse entities: can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
