"""The shipped catalog on the evaluation set (tests/data/eval): the accuracy bar."""

from __future__ import annotations

import pytest

from bot.catalog.rules import phrasing_key
from bot.evaluation import evaluate, load_questions
from conftest import ROOT

EVAL = ROOT / "tests" / "data" / "eval"


@pytest.fixture(scope="module")
def questions():
    return load_questions(EVAL)


@pytest.fixture(scope="module")
def report(engine, questions):
    return evaluate(engine, questions)


def test_eval_set_is_big_enough_and_labelled_with_real_intents(engine, questions):
    in_scope = [q for q in questions if q.in_scope]
    assert len(in_scope) >= 300 and len(questions) - len(in_scope) >= 60
    unknown = {i for q in in_scope for i in q.intents if i not in engine.catalog.intents}
    assert unknown == set()
    kinds = {q.kind for q in in_scope}
    assert {"paraphrase", "colloquial", "typo", "traditional", "fragment", "long", "english"} <= kinds


def test_eval_questions_are_not_catalog_phrasings(engine, questions):
    phrasings = {phrasing_key(p) for i in engine.catalog.intents.values() for p in i.questions.zh + i.questions.en}
    copied = [q.q for q in questions if phrasing_key(q.q) in phrasings]
    assert copied == []


def test_top1_accuracy(report):
    assert report.top1 >= 0.92, "\n".join(report.lines())


def test_out_of_scope_rejection(report):
    assert report.oos_rejection >= 0.90, "\n".join(report.lines())
