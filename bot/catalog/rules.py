"""The catalog's rules beyond its schema: what `qzbot validate` proves.

- no phrasing is shared by two intents; related ids and news intents exist;
- every quote appears verbatim (whitespace aside) in its document;
- every figure in an answer or news text, in both languages, appears in the quotes of
  that intent or item (never in another policy's quotes).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.catalog.errors import Problem
from bot.catalog.figures import figure_allowed, figures_in_answer, quote_values
from bot.catalog.models import Source
from bot.catalog.yamlfile import line_of

if TYPE_CHECKING:
    from bot.catalog.load import Catalog

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text for verbatim-quote comparison: NFKC (so "，" and "," are one character,
    as the documents mix full- and half-width punctuation) with all whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def phrasing_key(text: str) -> str:
    """Two phrasings are 'the same' when they differ only in case, width or punctuation."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch.isalnum())


class _Checker:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.squeezed = {doc: squeeze(text) for doc, text in catalog.texts.items()}

    def add(self, key: str, loc: tuple, message: str) -> None:
        where = self.catalog.where[key]
        node = self.catalog.nodes.get(key)
        line = line_of(node, loc) if loc and node is not None else where.line
        self.problems.append(Problem(where.file, line, message))

    def sources(self, key: str, sources: list[Source]) -> None:
        for i, src in enumerate(sources):
            if src.doc not in self.catalog.documents:
                self.add(key, ("sources", i, "doc"), f"unknown document {src.doc!r}")
            elif squeeze(src.quote) not in self.squeezed[src.doc]:
                self.add(key, ("sources", i, "quote"), f"quote not found verbatim in document {src.doc!r}: {src.quote[:40]!r}")

    def figures(self, key: str, loc_prefix: tuple, texts: dict[str, str], sources: list[Source], label: str) -> None:
        allowed = set()
        for src in sources:
            allowed |= quote_values(src.quote)
            # the date a cited document carries may be stated ("as of 2026-01")
            doc = self.catalog.documents.get(src.doc)
            if doc is not None and doc.date:
                allowed |= quote_values(doc.date.replace("-", " "))
        for lang, text in texts.items():
            for fig in figures_in_answer(text):
                if not figure_allowed(fig, allowed):
                    self.add(key, loc_prefix + (lang,), f"{label} ({lang}) states figure {fig!r} that none of its quotes contains")


def check_catalog(catalog: Catalog, *, cross_references: bool = True) -> list[Problem]:
    """Every rule violation in the catalog, all in one run.

    With `cross_references` off (a topic file failed to load), references to topics and
    intents are not checked: they would only echo the error already reported."""
    c = _Checker(catalog)
    seen: dict[str, str] = {}
    for intent_id, intent in catalog.intents.items():
        for lang in ("zh", "en"):
            for i, q in enumerate(getattr(intent.questions, lang)):
                key = phrasing_key(q)
                owner = seen.setdefault(key, intent_id)
                if owner != intent_id:
                    c.add(intent_id, ("questions", lang, i), f"phrasing {q!r} is also a phrasing of {owner}")
        for i, rel in enumerate(intent.related):
            if rel not in catalog.intents and cross_references:
                c.add(intent_id, ("related", i), f"related intent {rel!r} does not exist")
            elif rel == intent_id:
                c.add(intent_id, ("related", i), "an intent cannot be related to itself")
        if not intent.sources and intent.admin is None:
            c.add(intent_id, ("sources",), "no sources: quote a document, or mark the answer as an admin's (admin: {by, at})")
        c.sources(intent_id, intent.sources)
        c.figures(intent_id, ("answer",), {"zh": intent.answer.zh, "en": intent.answer.en}, intent.sources, "answer")
    news_ids: set[str] = set()
    for item in catalog.news:
        key = "news:" + item.id
        if item.id in news_ids:
            c.add(key, ("id",), f"duplicate news id {item.id!r}")
        news_ids.add(item.id)
        if item.topic not in catalog.topics and cross_references:
            c.add(key, ("topic",), f"unknown topic {item.topic!r}")
        if item.intent and item.intent not in catalog.intents and cross_references:
            c.add(key, ("intent",), f"news item names unknown intent {item.intent!r}")
        c.sources(key, item.sources)
        c.figures(key, ("text",), {"zh": item.text.zh, "en": item.text.en}, item.sources, "news text")
    return c.problems + check_glossary(catalog)


def check_glossary(catalog: Catalog) -> list[Problem]:
    """A variant must map to one canonical term only."""
    if "__glossary__" not in catalog.nodes:
        return []
    display, tree = catalog.nodes["__glossary__"]
    owner: dict[str, str] = {}
    problems = []
    for term, variants in catalog.glossary.items():
        for i, variant in enumerate(variants):
            key = phrasing_key(variant)
            first = owner.setdefault(key, term)
            if first != term:
                line = line_of(tree, ("glossary", term, i))
                problems.append(Problem(display, line, f"variant {variant!r} maps to both {first!r} and {term!r}"))
    return problems
