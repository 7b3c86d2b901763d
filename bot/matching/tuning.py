"""Every tunable number of the matcher, in one place (tuned with `qzbot eval`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    # decision
    answer: float = 54.0  # top score needed to answer outright
    margin: float = 1.0  # ...and its lead over the best other intent
    clarify: float = 48.0  # below this: fallback ("I don't know")
    clarify_spread: float = 15.0  # "did you mean" lists intents within this of the top
    english_shift: float = 12.0  # thresholds are this much lower for English questions
    # retrieval
    candidates: int = 80  # entries the index looks at first (x8 pool) ...
    candidate_intents: int = 20  # ... keeping the best entries of this many intents
    entries_per_intent: int = 10  # ... at most this many entries each, for fine scoring
    clause_candidates: int = 30  # the pool for each clause of a long message
    clause_share: float = 0.6  # a clause's score blended with the whole message's
    clause_floor: float = 0.5  # a clause lighter than this share of a typical phrase is damped
    min_feature_weight: float = 0.05  # lighter query features change no ranking: skipped
    # scoring weights (short question, long message); interpolated by length
    short_units: int = 10
    long_units: int = 36
    w_short: tuple[float, float, float] = (0.40, 0.40, 0.20)  # cov_query, cov_entry, fuzzy
    w_long: tuple[float, float, float] = (0.15, 0.60, 0.25)
    entry_floor: float = 0.6  # an entry lighter than this share of a typical phrase cannot claim full coverage
    single_weight: float = 0.6  # a lone syllable is ambiguous (many characters share it)
    pair_weight: float = 0.8  # syllable pairs inside long words: partial credit for part of a term
    function_weight: float = 0.3  # question/function words (什么, 多少, 怎么样 ...)
    unknown_weight: float = 0.8  # a query word the catalog never uses, relative to the rarest known
    kind_weight: tuple[tuple[str, float], ...] = (("q", 1.0), ("title", 0.97), ("kw", 0.85), ("ans", 0.8))
    bag_weight: float = 0.3  # share of the score from coverage by all of an intent's wording


DEFAULT_TUNING = Tuning()
