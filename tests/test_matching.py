"""The matcher on the fixture catalog: normalisation, typos, language, bad input."""

from __future__ import annotations

import time

import pytest

from bot.engine import Engine
from conftest import MINI


@pytest.fixture(scope="module")
def mini_engine():
    return Engine.load(MINI)


@pytest.mark.parametrize(
    "question",
    ["海外仓有多少个？", "海外倉有幾個", "ＨＡＩ 海外仓 有多少个！！！", "请问一下，海外仓库一共有几个呢？谢谢", "海外藏有多少个"],
)
def test_variants_reach_the_same_intent(mini_engine, question):
    reply = mini_engine.ask(question)
    assert reply.outcome == "answer" and reply.intent == "funds.warehouses", reply
    assert "147" in reply.answer


def test_english_question_gets_english_answer(mini_engine):
    reply = mini_engine.ask("How many overseas warehouses are there in the city?")
    assert reply.language == "en" and reply.intent == "funds.warehouses"
    assert "The city has built 147 overseas warehouses." in reply.answer
    assert "Source: Test document" in reply.answer


def test_chinese_answer_names_its_source_and_date(mini_engine):
    reply = mini_engine.ask("外贸基金授信了多少")
    assert reply.intent == "funds.trade_fund"
    assert "来源：测试文件（测试报，2026-01）" in reply.answer
    assert "相关问题：" in reply.answer and "海外仓数量" in reply.answer


BAD_INPUT = ["", "   \n\t ", "?", "？？？", "😀😀😀", "\x00\x01\x02", "<b>hi</b><script>x</script>", "**bold** _x_ [a](b)"]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_gets_a_sensible_fallback(mini_engine, text):
    reply = mini_engine.ask(text)
    assert reply.outcome == "fallback"
    assert reply.answer.strip()


def test_empty_question_asks_to_rephrase(mini_engine):
    assert "请直接输入您想了解的问题" in mini_engine.ask("  ？ ").answer


def test_out_of_scope_is_declined_with_whom_to_ask(mini_engine):
    reply = mini_engine.ask("明天会下雨吗")
    assert reply.outcome == "fallback" and reply.intent is None
    assert "泉州市商务局" in reply.answer


def test_other_city_is_declined(mini_engine):
    reply = mini_engine.ask("厦门海外仓有多少个")
    assert reply.outcome == "fallback" and reply.reason == "other_place"
    assert "厦门" in reply.answer


def test_long_input_is_bounded(mini_engine):
    text = "我们公司做鞋服出口。" * 1000 + "海外仓有多少个"
    t = time.perf_counter()
    reply = mini_engine.ask(text)
    assert time.perf_counter() - t < 2.0
    assert reply.outcome in {"answer", "clarify", "fallback"}


def test_question_inside_a_long_message(mini_engine):
    text = "你好，我们是一家做鞋服的外贸企业，今年想去东南亚开拓市场。听说泉州在海外建了不少仓库，海外仓到底有多少个？谢谢！"
    assert mini_engine.ask(text).intent == "funds.warehouses"


def test_pasted_script_is_not_a_question(mini_engine):
    assert mini_engine.ask("<script>alert('外贸基金')</script>").outcome == "fallback"
    assert mini_engine.ask("<b>海外仓</b>有多少个").intent == "funds.warehouses"


def test_other_city_in_traditional_characters_is_named(mini_engine):
    reply = mini_engine.ask("廈門海外倉有多少個")
    assert reply.reason == "other_place" and "厦门的政策" in reply.answer
