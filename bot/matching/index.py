"""An inverted index over phrasing features: prunes candidates before fine scoring.

Each entry (a phrasing, title or keyword of an intent) is a bag of weighted features;
IDF is computed over intents, so an intent with many phrasings does not dilute a term.
Retrieval adds up the IDF of shared features per entry with numpy and keeps the best
few; its cost follows the posting lists a query touches, not the catalog's size.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from bot.matching.features import Vocabulary, function_features, units
from bot.matching.tuning import Tuning

_CODE_BASE = 0xF0000  # supplementary private-use planes: one code point per unit


@dataclass
class Entry:
    intent: int
    kind: str
    text: str
    feats: dict[str, int]
    code: str


class Index:
    def __init__(self, rows: list[tuple[int, str, str]], n_intents: int, tuning: Tuning):
        """rows: (intent number, kind, normalised text)."""
        self.tuning = tuning
        self.vocabulary = Vocabulary(text for _, _, text in rows)
        self.function_words = function_features()
        self.prefix_weight = {"w": 1.0, "e": 1.0, "s": tuning.single_weight, "b": tuning.pair_weight}
        self.n_intents = n_intents
        self.unit_codes: dict[str, str] = {}
        self.entries: list[Entry] = []
        intent_feats: list[set[str]] = [set() for _ in range(n_intents)]
        for intent, kind, text in rows:
            feats = self.vocabulary.features(text)
            if not feats:
                continue
            self.entries.append(Entry(intent, kind, text, dict(feats), self.encode(units(text), grow=True)))
            intent_feats[intent].update(feats)
        df: Counter[str] = Counter()
        for fs in intent_feats:
            df.update(fs)
        self.intent_feats = intent_feats
        n = max(n_intents, 1)
        self.idf_unknown = math.log((n + 1) / 0.5)
        self.idf = {f: math.log((n + 1) / (d + 0.5)) for f, d in df.items()}
        postings: dict[str, list[int]] = {}
        for i, e in enumerate(self.entries):
            for f in e.feats:
                postings.setdefault(f, []).append(i)
        self.postings = {f: np.asarray(ids, dtype=np.int32) for f, ids in postings.items()}
        self.entry_intent = np.asarray([e.intent for e in self.entries], dtype=np.int32)
        kind_weight = dict(tuning.kind_weight)
        self.entry_kind_weight = np.asarray([kind_weight.get(e.kind, 1.0) for e in self.entries])
        self.entry_codes = [e.code for e in self.entries]
        self.entry_weight = np.asarray([self.weight_of(e.feats) for e in self.entries], dtype=np.float64)
        self.typical_weight = float(np.median(self.entry_weight)) if self.entries else 1.0

    def encode(self, seq: list[str], *, grow: bool = False) -> str:
        """Units -> a string with one code point per unit, for rapidfuzz's edit distances."""
        out = []
        extra: dict[str, str] = {}
        for u in seq:
            code = self.unit_codes.get(u)
            if code is None:
                if grow:
                    code = self.unit_codes[u] = chr(_CODE_BASE + len(self.unit_codes))
                else:  # an unseen unit: a code point that matches nothing in the index
                    code = extra.setdefault(u, chr(0xE000 + len(extra) % 6000))
            out.append(code)
        return "".join(out)

    def features(self, text: str) -> Counter[str]:
        return self.vocabulary.features(text)

    def feature_weight(self, f: str) -> float:
        w = self.idf.get(f)
        if w is None:  # a word the catalog never uses: it counts, but less than a known rare one
            w = self.idf_unknown * self.tuning.unknown_weight
        if f in self.function_words:
            w *= self.tuning.function_weight
        return w * self.prefix_weight[f[0]]

    def weight_of(self, feats) -> float:
        return sum(self.feature_weight(f) for f in feats)

    def retrieve(self, qweights: dict[str, float], k: int) -> tuple[np.ndarray, np.ndarray]:
        """(entry numbers, weight each shares with the query): the best few entries of
        the best intents. The shared weight is exact, so it is also the fine score's input."""
        if not self.entries:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        scores = np.zeros(len(self.entries), dtype=np.float64)
        touched = False
        for f, w in qweights.items():
            ids = self.postings.get(f)
            if ids is not None and w >= self.tuning.min_feature_weight:
                scores[ids] += w
                touched = True
        if not touched:
            return np.zeros(0, dtype=np.int32), np.zeros(0)
        # Keep the best few entries of each of the best intents: a common term shared by
        # hundreds of phrasings must not crowd an intent out of the candidates.
        # Rank by shared weight, and among equals prefer entries the query covers more
        # of: the phrasing "跨境一锁" before the 300 longer ones that also contain it.
        hit = np.flatnonzero(scores)  # only the entries the query touched: cheap on 100k
        rank = scores[hit] * (1.0 + 0.25 * np.minimum(1.0, scores[hit] / self.entry_weight[hit]))
        pool = min(len(hit), k * 8)
        best = np.argpartition(-rank, pool - 1)[:pool] if pool < len(hit) else np.arange(len(hit))
        best = best[np.argsort(-rank[best], kind="stable")]
        top = hit[best]
        per_intent: dict[int, int] = {}
        keep = []
        for e_no, intent in zip(top.tolist(), self.entry_intent[top].tolist()):
            n = per_intent.get(intent, 0)
            if n >= self.tuning.entries_per_intent:
                continue
            if n == 0 and len(per_intent) >= self.tuning.candidate_intents:
                continue
            per_intent[intent] = n + 1
            keep.append(e_no)
        ids = np.asarray(keep, dtype=np.int32)
        return ids, scores[ids]
