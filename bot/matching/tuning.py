"""Every tunable number of the matcher, in one place (tuned with `qzbot eval`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tuning:
    # decision
    answer: float = 62.0  # top score needed to answer outright
    margin: float = 6.0  # ...and its lead over the best other intent
    clarify: float = 45.0  # below this: fallback ("I don't know")
    clarify_spread: float = 15.0  # "did you mean" lists intents within this of the top
    # retrieval
    candidates: int = 80  # entries kept by the index for fine scoring
    common_df: float = 0.25  # features in more intents than this share skip retrieval
    # scoring weights (short question, long message); interpolated by length
    short_units: int = 10
    long_units: int = 36
    w_short: tuple[float, float, float] = (0.45, 0.35, 0.20)  # cov_query, cov_entry, fuzzy
    w_long: tuple[float, float, float] = (0.15, 0.60, 0.25)
    entry_floor: float = 0.6  # an entry lighter than this share of a typical phrase cannot claim full coverage
    unigram_weight: float = 0.5  # single syllables are ambiguous; bigrams and words carry more
    kind_weight: tuple[tuple[str, float], ...] = (("q", 1.0), ("title", 0.97), ("kw", 0.85))
    bag_weight: float = 0.15  # share of the score from coverage by all of an intent's wording


DEFAULT_TUNING = Tuning()
