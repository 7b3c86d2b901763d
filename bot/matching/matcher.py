"""Scoring a question against every intent and deciding: answer, clarify or fallback.

>>> m = Matcher([("fund", "q", "海丝外贸基金有多少钱"), ("fund", "q", "How big is the trade fund?"),
...              ("lock", "q", "跨境一锁是什么"), ("lock", "kw", "跨境一锁")])
>>> m.rank("跨境一所是啥？")[1][0].intent
'lock'
>>> m.rank("how large is the trade fund")[1][0].intent
'fund'
>>> m.match("今天天气怎么样").outcome.value
'fallback'
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from rapidfuzz import fuzz, process

from bot.matching.features import add_user_words, units
from bot.matching.index import Index
from bot.matching.normalize import Normalizer, base_normalize, detect_language
from bot.matching.places import other_places
from bot.matching.tuning import DEFAULT_TUNING, Tuning


class Outcome(str, enum.Enum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Candidate:
    intent: str
    score: float


@dataclass(frozen=True)
class Match:
    outcome: Outcome
    language: str
    normalized: str
    candidates: list[Candidate] = field(default_factory=list)
    reason: str = ""  # why a fallback: "empty", "unknown", "other_place"
    places: tuple[str, ...] = ()  # for "other_place": the places outside Quanzhou it names

    @property
    def intent(self) -> str | None:
        return self.candidates[0].intent if self.outcome is Outcome.ANSWER else None

    @property
    def score(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0


class Matcher:
    """Built once per catalog; `match` is cheap and thread-safe (read-only state)."""

    def __init__(
        self,
        rows: Iterable[tuple[str, str, str]],
        glossary: dict[str, list[str]] | None = None,
        *,
        tuning: Tuning = DEFAULT_TUNING,
        place_text: dict[str, str] | None = None,
        user_words: Iterable[str] = (),
    ):
        """rows: (intent id, kind in q/title/kw/ans, text). place_text: intent -> text naming its places."""
        self.tuning = tuning
        self.normalizer = Normalizer(glossary)
        add_user_words([self.normalizer.normalize(w) for w in user_words] + list((glossary or {}).keys()))
        self.intent_ids: list[str] = []
        number: dict[str, int] = {}
        norm_rows = []
        for intent, kind, text in rows:
            if intent not in number:
                number[intent] = len(self.intent_ids)
                self.intent_ids.append(intent)
            norm_rows.append((number[intent], kind, self.normalizer.normalize(text)))
        self.index = Index(norm_rows, len(self.intent_ids), tuning)
        self.place_text = {k: base_normalize(v) for k, v in (place_text or {}).items()}

    # -- scoring ---------------------------------------------------------------------
    def rank(self, text: str, limit: int = 5) -> tuple[str, list[Candidate]]:
        """(normalised text, best intents with scores 0..100).

        A message of several clauses is scored whole and clause by clause: the question
        is usually one clause of it. A clause's score is blended with the whole's."""
        norm = self.normalizer.normalize(text)
        if not norm:
            return norm, []
        best, _ = self._score(norm)
        sentences = self.normalizer.sentences(text)
        if len(sentences) > 1:
            # a clause alone decides nothing: blend it with the whole message, and let a
            # clause of little content ("是真的吗") count for little
            t = self.tuning
            floor = t.clause_floor * self.index.typical_weight
            whole = dict(best)
            for sentence in sentences:
                scores, weight = self._score(sentence, t.clause_candidates)
                damp = min(1.0, weight / floor)
                for intent, score in scores.items():
                    blended = damp * (t.clause_share * score + (1 - t.clause_share) * whole.get(intent, 0.0))
                    if blended > best.get(intent, 0.0):
                        best[intent] = blended
        scored = [Candidate(self.intent_ids[i], round(float(min(s, 100.0)), 1)) for i, s in best.items()]
        scored.sort(key=lambda c: (-c.score, c.intent))
        return norm, scored[:limit]

    def _score(self, norm: str, candidates: int | None = None) -> tuple[dict[int, float], float]:
        """(intent number -> score 0..100, the text's total feature weight)."""
        qfeats = self.index.features(norm)
        if not qfeats:
            return {}, 0.0
        idx, t = self.index, self.tuning
        qw = {f: idx.feature_weight(f) for f in qfeats}
        wq = sum(qw.values()) or 1.0
        qcode = idx.encode(units(norm))
        mix = min(1.0, max(0.0, (len(qcode) - t.short_units) / (t.long_units - t.short_units)))
        wa, wb, wc = (s + (l - s) * mix for s, l in zip(t.w_short, t.w_long))
        floor = t.entry_floor * idx.typical_weight
        ids, shared = idx.retrieve(qw, candidates or t.candidates)
        if len(ids) == 0:
            return {}, wq
        cov_q = shared / wq
        # a light entry cannot claim all of a long question, but a short question that
        # equals a short phrasing ("跨境一锁") covers it fully
        cov_e = shared / np.maximum(idx.entry_weight[ids], min(floor, wq))
        codes = [idx.entry_codes[i] for i in ids.tolist()]
        fz = process.cdist([qcode], codes, scorer=fuzz.partial_ratio)[0] / 100 if qcode else 0.0
        sim = (wa * cov_q + wb * cov_e + wc * fz) * idx.entry_kind_weight[ids]
        best: dict[int, float] = {}
        for intent, value in zip(idx.entry_intent[ids].tolist(), sim.tolist()):
            if value > best.get(intent, 0.0):
                best[intent] = value
        out = {}
        for intent, sim in best.items():
            vocab = idx.intent_feats[intent]
            bag = sum(w for f, w in qw.items() if f in vocab) / wq
            out[intent] = 100 * ((1 - t.bag_weight) * sim + t.bag_weight * bag)
        return out, wq

    def match(self, text: str) -> Match:
        language = detect_language(base_normalize(text))  # tags and controls out first
        norm, ranked = self.rank(text)
        t = self.tuning
        if not norm.strip():
            return Match(Outcome.FALLBACK, language, norm, [], reason="empty")
        if not ranked or ranked[0].score < t.clarify - (t.english_shift if language == "en" else 0.0):
            return Match(Outcome.FALLBACK, language, norm, ranked[:3], reason="unknown")
        places = other_places(base_normalize(text))
        if places and not all(p in self.place_text.get(ranked[0].intent, "") for p in places):
            # the best match is about Quanzhou, the question about somewhere else
            return Match(Outcome.FALLBACK, language, norm, ranked[:3], reason="other_place", places=tuple(places))
        top = ranked[0]
        runner = ranked[1].score if len(ranked) > 1 else 0.0
        # English questions meet fewer and shorter phrasings, so they score lower
        shift = t.english_shift if language == "en" else 0.0
        if top.score >= t.answer - shift and top.score - runner >= t.margin:
            return Match(Outcome.ANSWER, language, norm, ranked[:4])
        close = [c for c in ranked if c.score >= max(t.clarify - shift, top.score - t.clarify_spread)][:3]
        return Match(Outcome.CLARIFY, language, norm, close)
