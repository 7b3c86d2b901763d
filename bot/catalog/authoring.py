"""Turning what an admin types into a new intent or news item (the guided conversations).

The admin gives the essentials (topic, title, some phrasings, the answer, optionally
document quotes); this module fills in what the schema wants and a person would not type:
an id, keywords, and a few more phrasings from the title's key terms, so that a new intent
has the six Chinese and two English phrasings every intent has. The result is validated
like any edit before it is written.

>>> split_phrasings("海外仓补贴怎么申请\\n海外仓有补贴吗；How to get the subsidy?")
(['海外仓补贴怎么申请', '海外仓有补贴吗'], ['How to get the subsidy?'])
>>> new_id("overseas", "Warehouse subsidy 2027!", {"overseas.warehouse_subsidy_2027"})
'overseas.warehouse_subsidy_2027_2'
>>> parse_sources("lianghui-2026: 全市已建海外仓147个", {"lianghui-2026"})
[{'doc': 'lianghui-2026', 'quote': '全市已建海外仓147个'}]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import jieba.analyse

from bot.catalog.edit import EditError
from bot.catalog.rules import phrasing_key
from bot.matching.features import FUNCTION_WORDS

CJK = re.compile(r"[\u3400-\u9fff]")
_LINES = re.compile(r"[\n；;]+")
_SOURCE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*[:：]\s*(.+?)\s*$")
MIN_ZH, MIN_EN = 6, 2  # what the schema asks of every intent


def split_phrasings(text: str) -> tuple[list[str], list[str]]:
    """One phrasing per line (or per ；): Chinese lines and English lines, in order, deduplicated."""
    lines = [" ".join(line.split()) for line in _LINES.split(text)]
    return distinct([x for x in lines if CJK.search(x)]), distinct([x for x in lines if x and not CJK.search(x)])


def distinct(phrasings: list[str]) -> list[str]:
    """Drop phrasings that differ from an earlier one only in case, width or punctuation.

    >>> distinct(["海外仓有几个", "海外仓有几个？", "How many?", "how many"])
    ['海外仓有几个', 'How many?']
    """
    kept, seen = [], set()
    for phrasing in phrasings:
        if phrasing_key(phrasing) not in seen:
            seen.add(phrasing_key(phrasing))
            kept.append(phrasing)
    return kept


def split_title(text: str) -> tuple[str, str] | None:
    """A title as two lines, Chinese then English (either order); None if one is missing."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    zh = [line for line in lines if CJK.search(line)]
    en = [line for line in lines if not CJK.search(line)]
    if len(zh) != 1 or len(en) != 1:
        return None
    return zh[0], en[0]


def new_id(topic: str, title_en: str, taken: Iterable[str]) -> str:
    """`topic.slug_of_the_english_title`, unique in the catalog."""
    words = re.findall(r"[a-z0-9]+", title_en.lower())[:5]
    base = f"{topic}.{'_'.join(words) or 'admin'}"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def parse_sources(text: str, documents: Iterable[str]) -> list[dict[str, str]]:
    """Lines `doc-id: verbatim quote`. Unknown documents are refused here; whether the quote is
    verbatim is checked with the rest of the catalog's rules when the edit is validated."""
    documents = set(documents)
    sources = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _SOURCE.match(line)
        if not match:
            raise EditError(f"a source is written `document-id: quote`, not {line.strip()[:40]!r}")
        doc, quote = match.groups()
        if doc not in documents:
            raise EditError(f"unknown document {doc!r}; documents: {', '.join(sorted(documents))}")
        sources.append({"doc": doc, "quote": quote})
    return sources


def key_terms(text: str, k: int = 4) -> list[str]:
    """The text's main terms (jieba TF-IDF), without question words like 怎么 or 多少.

    >>> terms = key_terms("广交会泉州展团怎么报名")
    >>> "广交会" in terms, "怎么" in terms
    (True, False)
    """
    terms = [t for t in jieba.analyse.extract_tags(text, topK=k * 3)
             if len(t) >= 2 and not t.isdigit() and t not in FUNCTION_WORDS]
    return terms[:k]


def _top_up_zh(title: str, zh: list[str], taken: set[str]) -> list[str]:
    terms = key_terms(title + "，" + "，".join(zh)) or [title]
    main = terms[0]
    extra = [title, f"{main}是什么", f"请问{main}的情况", f"{main}怎么办理", f"泉州{main}", "".join(terms[:2]),
             f"{main}有哪些政策", f"关于{main}"]
    return _top_up(zh, extra, MIN_ZH, taken)


def _top_up_en(title: str, en: list[str], taken: set[str]) -> list[str]:
    bare = title.rstrip("?.!")
    return _top_up(en, [title, f"Tell me about {bare}", f"What is {bare}?"], MIN_EN, taken)


def _top_up(given: list[str], extra: list[str], least: int, taken: set[str]) -> list[str]:
    """`given`, then as many of `extra` as it takes to have `least`, skipping any that
    repeats one already there or belongs to another intent (`taken`: phrasing keys).

    >>> _top_up(["海外仓有几个"], ["海外仓有几个？", "海外仓数量", "海外仓总数"], 3, {"海外仓总数"})
    ['海外仓有几个', '海外仓数量']
    """
    out = list(given)
    seen = {phrasing_key(p) for p in out} | taken
    for phrasing in extra:
        if len(out) >= least:
            break
        if phrasing_key(phrasing) not in seen:
            seen.add(phrasing_key(phrasing))
            out.append(phrasing)
    return out


def build_intent(*, topic: str, title: tuple[str, str], phrasings: tuple[list[str], list[str]],
                 answer: tuple[str, str], sources: list[dict[str, str]], taken: Iterable[str],
                 taken_phrasings: set[str] = frozenset(), by: str, at: str) -> dict[str, Any]:
    """The new intent as the YAML files hold it. Without sources it is marked as the admin's.
    Generated phrasings skip `taken_phrasings` (`phrasing_key`s of other intents' phrasings);
    the admin's own are kept, and validation says if one belongs to another intent."""
    title_zh, title_en = title
    zh, en = _top_up_zh(title_zh, phrasings[0], taken_phrasings), _top_up_en(title_en, phrasings[1], taken_phrasings)
    intent: dict[str, Any] = {
        "id": new_id(topic, title_en, taken),
        "title": {"zh": title_zh, "en": title_en},
        "answer": {"zh": answer[0].strip(), "en": answer[1].strip()},
        "questions": {"zh": zh, "en": en},
        "keywords": key_terms(title_zh + "，" + "，".join(zh)) or [title_zh],
        "related": [],
        "sources": sources,
    }
    if not sources:
        intent["admin"] = {"by": by, "at": at}
    return intent


def build_news(*, date: str, topic: str, text: tuple[str, str], sources: list[dict[str, str]],
               taken: Iterable[str]) -> dict[str, Any]:
    """A dated news item for digests (news always quotes a document)."""
    if not sources:
        raise EditError("a news item needs at least one source quote")
    taken = set(taken)
    base = f"news.{topic}.admin_{date.replace('-', '')}"
    item_id, n = base, 2
    while item_id in taken:
        item_id, n = f"{base}_{n}", n + 1
    return {"id": item_id, "date": date, "topic": topic, "text": {"zh": text[0].strip(), "en": text[1].strip()},
            "sources": sources}
