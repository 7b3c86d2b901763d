"""The question-answering engine: catalog + matcher -> a reply a user can read.

Used by every front end (console, `qzbot ask`, Telegram); it knows nothing of them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from bot.catalog import Catalog, load_catalog
from bot.catalog.models import Intent
from bot.matching import Match, Matcher, Outcome
from bot.matching.tuning import DEFAULT_TUNING, Tuning
from bot import texts

_SENTENCES = re.compile(r"(?<=[。；！？\n])|(?<=[.;!?])\s+")


@dataclass(frozen=True)
class SourceRef:
    doc: str
    title: str
    title_en: str
    publisher: str
    date: str | None
    quote: str


@dataclass(frozen=True)
class Suggestion:
    intent: str
    title: str
    score: float | None = None


@dataclass(frozen=True)
class Reply:
    """What the user gets. `answer` is the whole plain-text reply; the rest is structure
    for front ends that render buttons and links."""

    question: str
    outcome: str
    language: str
    intent: str | None
    score: float
    answer: str
    title: str | None = None
    body: str | None = None
    topic: str | None = None
    reason: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    related: list[Suggestion] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    admin_note: str | None = None

    @property
    def matched(self) -> bool:
        return self.outcome == Outcome.ANSWER.value

    def to_json(self) -> dict:
        data = asdict(self)
        data["matched"] = self.matched
        return data


def matcher_for(catalog: Catalog, tuning: Tuning = DEFAULT_TUNING) -> Matcher:
    rows = []
    places = {}
    user_words = []
    for intent_id, intent in catalog.intents.items():
        rows.append((intent_id, "title", intent.title.zh))
        rows.append((intent_id, "title", intent.title.en))
        rows.extend((intent_id, "q", q) for q in intent.questions.zh + intent.questions.en)
        rows.extend((intent_id, "kw", k) for k in intent.keywords)
        # answer sentences: the words an answer uses are words people ask with
        for text in (intent.answer.zh, intent.answer.en):
            rows.extend((intent_id, "ans", s) for s in _SENTENCES.split(text) if len(s.strip()) > 3)
        user_words.extend(intent.keywords)
        places[intent_id] = " ".join(
            [intent.title.zh, intent.answer.zh, *intent.questions.zh, *intent.keywords, *intent.counties]
            + [s.quote for s in intent.sources]
        )
    return Matcher(rows, catalog.glossary, tuning=tuning, place_text=places, user_words=user_words)


class Engine:
    """Loaded and indexed once per process; `ask` is read-only and cheap."""

    def __init__(self, catalog: Catalog, tuning: Tuning = DEFAULT_TUNING):
        self.catalog = catalog
        self.matcher = matcher_for(catalog, tuning)

    @classmethod
    def load(cls, path: Path | str, tuning: Tuning = DEFAULT_TUNING) -> "Engine":
        return cls(load_catalog(path), tuning)

    # -- questions -------------------------------------------------------------------
    def ask(self, question: str, language: str | None = None) -> Reply:
        match = self.matcher.match(question)
        lang = language or match.language
        if match.outcome is Outcome.ANSWER:
            reply = self.answer_intent(match.candidates[0].intent, lang, question=question)
            return replace(reply, score=match.score)
        if match.outcome is Outcome.CLARIFY:
            choices = [self.suggestion(c.intent, lang, c.score) for c in match.candidates]
            return Reply(
                question, match.outcome.value, lang, None, match.score,
                texts.clarify(choices, lang), suggestions=choices,
            )
        return self.fallback(question, match, lang)

    def fallback(self, question: str, match: Match, lang: str) -> Reply:
        if match.reason == "empty":
            text = texts.empty_question(lang)
        elif match.reason == "other_place":
            text = texts.other_place(list(match.places), lang)
        else:
            text = texts.unknown(self.topic_titles(lang), lang)
        # near misses are offered only when they came close: a weather question should
        # not be shown three unrelated policy buttons
        floor = self.matcher.tuning.clarify - 8
        near = [] if match.reason != "unknown" else [
            self.suggestion(c.intent, lang, c.score) for c in match.candidates if c.score >= floor
        ][:3]
        return Reply(question, Outcome.FALLBACK.value, lang, None, match.score, text, reason=match.reason, suggestions=near)

    def answer_intent(self, intent_id: str, lang: str, *, question: str = "") -> Reply:
        """The full answer of one intent (also for buttons and /topics browsing)."""
        intent = self.catalog.intents[intent_id]
        title = intent.title.zh if lang == "zh" else intent.title.en
        body = intent.answer.zh if lang == "zh" else intent.answer.en
        sources = self.sources_of(intent)
        related = [self.suggestion(r, lang) for r in intent.related if r in self.catalog.intents][:4]
        admin = None
        if intent.admin is not None:
            admin = texts.admin_note(intent.admin.by, intent.admin.at, lang, sourced=bool(intent.sources))
        return Reply(
            question or title, Outcome.ANSWER.value, lang, intent_id, 100.0,
            texts.answer(title, body, sources, related, admin, lang),
            title=title, body=body, topic=self.catalog.topic_of(intent_id),
            related=related, sources=sources, admin_note=admin,
        )

    # -- catalog views ---------------------------------------------------------------
    def sources_of(self, intent: Intent) -> list[SourceRef]:
        refs = []
        for src in intent.sources:
            doc = self.catalog.documents.get(src.doc)
            if doc is not None:
                refs.append(SourceRef(doc.id, doc.title, doc.title_en, doc.publisher, doc.date, src.quote))
        return refs

    def suggestion(self, intent_id: str, lang: str, score: float | None = None) -> Suggestion:
        intent = self.catalog.intents[intent_id]
        return Suggestion(intent_id, intent.title.zh if lang == "zh" else intent.title.en, score)

    def topic_titles(self, lang: str) -> list[tuple[str, str]]:
        return [(t, f.title.zh if lang == "zh" else f.title.en) for t, f in sorted(self.catalog.topics.items())]

    def intents_of(self, topic: str, lang: str) -> list[Suggestion]:
        return [self.suggestion(i.id, lang) for i in self.catalog.topics[topic].intents]

