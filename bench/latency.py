"""Latency of one match: qzbot's matcher vs a plain linear rapidfuzz scan.

Prints p50 / p99 (ms) on the shipped catalog and on synthetic catalogs of 10k and 100k
phrasings (built by recombining the shipped phrasings' words, so the vocabulary and the
posting-list lengths are realistic), plus build time and the growth ratios.

    .venv/bin/python bench/latency.py [--sizes 10000 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import jieba
import numpy as np
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.catalog import load_catalog  # noqa: E402
from bot.engine import matcher_for  # noqa: E402
from bot.evaluation import load_questions  # noqa: E402
from bot.matching import Matcher  # noqa: E402


def synthetic_rows(base: list[tuple[str, str, str]], size: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """`size` phrasings in size/10 intents, made of words drawn from the real phrasings."""
    rng = random.Random(seed)
    words = [w for _, _, text in base for w in jieba.lcut(text) if w.strip()]
    rows = list(base)
    n_intents = max(1, (size - len(rows)) // 10)
    while len(rows) < size:
        intent = f"synthetic.i{len(rows) % n_intents}"
        rows.append((intent, "q", "".join(rng.choice(words) for _ in range(rng.randint(3, 7)))))
    return rows


def percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.asarray(samples) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def time_matcher(matcher: Matcher, queries: list[str]) -> tuple[float, float]:
    for q in queries[:20]:  # warm caches (pinyin, OpenCC) as a running bot would have
        matcher.match(q)
    samples = []
    for q in queries:
        t = time.perf_counter()
        matcher.match(q)
        samples.append(time.perf_counter() - t)
    return percentiles(samples)


def time_linear(choices: list[str], queries: list[str], scorer) -> tuple[float, float]:
    samples = []
    for q in queries:
        t = time.perf_counter()
        process.extractOne(q, choices, scorer=scorer)
        samples.append(time.perf_counter() - t)
    return percentiles(samples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--linear-queries", type=int, default=60, help="queries for the slow linear scans")
    args = ap.parse_args()

    catalog = load_catalog(ROOT)
    shipped = matcher_for(catalog)
    base_rows = []
    for intent_id, intent in catalog.intents.items():
        base_rows += [(intent_id, "q", q) for q in intent.questions.zh + intent.questions.en]
    questions = [lq.q for lq in load_questions(ROOT / "tests" / "data" / "eval")]
    random.Random(1).shuffle(questions)
    queries = questions[: args.queries]
    linear_q = queries[: args.linear_queries]

    print(f"queries: {len(queries)} (linear scans: {len(linear_q)}), machine cores: 2 (shared; compare ratios)")
    print(f"{'catalog':<22}{'phrasings':>10}{'build s':>9}{'p50 ms':>9}{'p99 ms':>9}{'WRatio p50/p99':>18}{'tok_set p50/p99':>18}")
    results = []
    sets = [("shipped", base_rows, shipped, 0.0)]
    for size in args.sizes:
        rows = synthetic_rows(base_rows, size)
        t = time.perf_counter()
        m = Matcher(rows, catalog.glossary)
        sets.append((f"synthetic {size // 1000}k", rows, m, time.perf_counter() - t))
    for name, rows, matcher, build in sets:
        p50, p99 = time_matcher(matcher, queries)
        choices = [text for _, _, text in rows]
        w50, w99 = time_linear(choices, linear_q, fuzz.WRatio)
        s50, s99 = time_linear(choices, linear_q, fuzz.token_set_ratio)
        results.append((len(rows), p50, p99, w50))
        print(f"{name:<22}{len(rows):>10}{build:>9.1f}{p50:>9.2f}{p99:>9.2f}{w50:>9.1f}/{w99:<8.1f}{s50:>9.1f}/{s99:<8.1f}")
    if len(results) >= 3:
        (n1, a50, a99, aw), (n2, b50, b99, bw) = results[-2], results[-1]
        print(
            f"\ngrowth {n1}->{n2} phrasings (x{n2 / n1:.1f}): qzbot p50 x{b50 / a50:.2f}, p99 x{b99 / a99:.2f}; "
            f"linear WRatio p50 x{bw / aw:.2f}"
        )
        print(f"target p99 < 10 ms at 100k: {'MET' if results[-1][2] < 10 else 'NOT MET'} ({results[-1][2]:.2f} ms)")


if __name__ == "__main__":
    main()
