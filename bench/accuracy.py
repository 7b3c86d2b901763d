"""Accuracy on the evaluation set: qzbot's matcher vs two baselines, in one run.

- qzbot: the shipped matcher, with its tuned thresholds (`bot/matching/tuning.py`);
- BM25: rank-bm25 (Okapi) over jieba tokens of every phrasing, title and keyword;
- WRatio: `rapidfuzz.process.extractOne(q, phrasings, scorer=WRatio)`.

The baselines have no "I don't know" of their own, so each gets the rejection threshold
that maximises top-1 + out-of-scope rejection on this very set (an oracle: it flatters
them). top-1 counts an answer given outright with a right intent.

    .venv/bin/python bench/accuracy.py [questions.yaml|dir]
"""

from __future__ import annotations

import sys
from pathlib import Path

import jieba
import numpy as np
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.evaluation import evaluate, load_questions  # noqa: E402


def catalog_rows(engine: Engine) -> list[tuple[str, str]]:
    rows = []
    for intent_id, intent in engine.catalog.intents.items():
        texts = [intent.title.zh, intent.title.en, *intent.questions.zh, *intent.questions.en, *intent.keywords]
        rows += [(intent_id, t) for t in texts]
    return rows


def tokens(text: str) -> list[str]:
    return [t for t in jieba.lcut(text.lower()) if t.strip()]


def oracle(scored: list[tuple[str | None, float]], questions) -> tuple[float, float, float]:
    """Best (top-1, oos rejection, threshold) over all thresholds seen."""
    best = (0.0, 0.0, 0.0)
    ins = [q for q in questions if q.in_scope]
    oos = [q for q in questions if not q.in_scope]
    for threshold in sorted({s for _, s in scored} | {0.0}):
        top1 = sum(1 for (i, s), q in zip(scored, questions) if q.in_scope and s >= threshold and i in q.intents)
        rej = sum(1 for (_, s), q in zip(scored, questions) if not q.in_scope and s < threshold)
        a, r = top1 / max(len(ins), 1), rej / max(len(oos), 1)
        if a + r > best[0] + best[1]:
            best = (a, r, threshold)
    return best


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "eval"
    questions = load_questions(path)
    engine = Engine.load(ROOT)
    rows = catalog_rows(engine)
    ids = [i for i, _ in rows]
    texts = [t for _, t in rows]

    report = evaluate(engine, questions)
    bm25 = BM25Okapi([tokens(t) for t in texts])
    bm25_scored = []
    for q in questions:
        scores = bm25.get_scores(tokens(q.q))
        best = int(np.argmax(scores))
        bm25_scored.append((ids[best], float(scores[best])))
    wr_scored = []
    for q in questions:
        _, score, idx = process.extractOne(q.q, texts, scorer=fuzz.WRatio)
        wr_scored.append((ids[idx], float(score)))
    b = oracle(bm25_scored, questions)
    w = oracle(wr_scored, questions)

    n_in = sum(q.in_scope for q in questions)
    print(f"questions: {n_in} in scope, {len(questions) - n_in} out of scope; catalog: {len(engine.catalog.intents)} intents, {len(rows)} texts")
    print(f"{'matcher':<34}{'top-1':>8}{'top-3':>8}{'oos rejection':>15}")
    print(f"{'qzbot (shipped thresholds)':<34}{report.top1:>8.3f}{report.top3:>8.3f}{report.oos_rejection:>15.3f}")
    print(f"{'BM25 jieba (oracle threshold)':<34}{b[0]:>8.3f}{'':>8}{b[1]:>15.3f}   threshold {b[2]:.2f}")
    print(f"{'WRatio extractOne (oracle thr.)':<34}{w[0]:>8.3f}{'':>8}{w[1]:>15.3f}   threshold {w[2]:.1f}")


if __name__ == "__main__":
    main()
