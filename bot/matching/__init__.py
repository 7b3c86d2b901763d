"""Free text -> intent: normalisation, pinyin-aware features, an inverted index, scoring."""

from bot.matching.matcher import Candidate, Match, Matcher, Outcome

__all__ = ["Candidate", "Match", "Matcher", "Outcome"]
