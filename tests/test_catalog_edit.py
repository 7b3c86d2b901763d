"""Editing the YAML catalog: round-trip, validated, atomic, locked (bot.catalog.edit)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

from bot.catalog import load_catalog
from bot.catalog.edit import CatalogEditor, EditError
from bot.engine import Engine
from conftest import ROOT


def test_added_phrasing_is_answered_and_everything_else_kept(mini):
    file = mini / "intents" / "funds.yaml"
    before = file.read_text(encoding="utf-8")
    question = "仓库在国外的一共多少处"
    assert Engine.load(mini).ask(question).intent != "funds.warehouses"
    edit = CatalogEditor(mini).add_phrasing("funds.warehouses", question, "zh")
    after = file.read_text(encoding="utf-8")
    assert after.startswith("# a comment that must survive edits\n")
    # the only change: the phrasing list of that intent (a flow list here: one line)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines()) and len(changed) == 1
    assert changed[0][1] == changed[0][0].replace("]", f", {question}]")
    assert edit.key == "funds.warehouses" and question not in edit.before and question in edit.after
    assert Engine.load(mini).ask(question).intent == "funds.warehouses"


def test_refused_edit_says_why_and_leaves_the_file_byte_for_byte(mini):
    file = mini / "intents" / "funds.yaml"
    before = file.read_bytes()
    with pytest.raises(EditError) as err:
        CatalogEditor(mini).add_phrasing("funds.warehouses", "外贸基金是什么", "zh")
    assert "is also a phrasing of funds.trade_fund" in str(err.value)
    assert file.read_bytes() == before
    with pytest.raises(EditError, match="no intent 'funds.nowhere'"):
        CatalogEditor(mini).add_phrasing("funds.nowhere", "随便问问", "zh")
    long_message = "老板让我问一下，" * 30 + "海外仓有几个"  # a whole pasted message is not a phrasing
    with pytest.raises(EditError, match=r"funds.yaml:\d+: .*a phrasing is at most 200 characters; this one has 246"):
        CatalogEditor(mini).add_phrasing("funds.warehouses", long_message, "zh")
    assert file.read_bytes() == before


def test_admin_answer_is_marked_and_cannot_invent_a_figure(mini):
    editor = CatalogEditor(mini)
    with pytest.raises(EditError, match="states figure '200'"):
        editor.set_answer("funds.warehouses", "zh", "全市已建海外仓200个。", by="admin:42", at="2026-11-22")
    with pytest.raises(EditError, match=r"answer \(en\) states figure '147'"):  # no quotes left for the English
        editor.set_answer("funds.warehouses", "zh", "请咨询市商务局。", by="admin:42", at="2026-11-22", sources=[])
    editor.set_answer("funds.warehouses", "zh", "海外仓情况请咨询市商务局。", by="admin:42", at="2026-11-22")
    intent = load_catalog(mini).intents["funds.warehouses"]
    assert intent.answer.zh == "海外仓情况请咨询市商务局。"
    assert intent.admin is not None and intent.admin.by == "admin:42"
    reply = Engine.load(mini).answer_intent("funds.warehouses", "zh")
    assert "此答复由管理员 admin:42 于 2026-11-22 修订，数字均出自所引原文" in reply.answer  # it keeps its quote


def test_history_restore_brings_back_the_earlier_version(mini):
    editor = CatalogEditor(mini)
    first = editor.add_phrasing("funds.trade_fund", "外贸基金贷款利率", "zh")
    editor.remove_phrasing("funds.trade_fund", "外贸基金怎么样", "zh")
    editor.restore("funds.trade_fund", first.before)
    questions = load_catalog(mini).intents["funds.trade_fund"].questions.zh
    assert "外贸基金怎么样" in questions and "外贸基金贷款利率" not in questions


def test_new_intent_and_news_item_are_validated(mini):
    editor = CatalogEditor(mini)
    intent = {
        "id": "funds.fund_size",
        "title": {"zh": "外贸基金规模", "en": "Size of the trade fund"},
        "answer": {"zh": "外贸基金规模30亿元。", "en": "The trade fund is 3 billion yuan."},
        "questions": {"zh": ["基金规模多大", "外贸基金有几个亿", "基金多少钱", "基金体量", "外贸基金总额", "外贸基金一共多少亿"],
                      "en": ["How large is the fund?", "Fund size"]},
        "keywords": ["基金规模"],
        "sources": [{"doc": "doc", "quote": "设立30亿元“外贸基金”"}],
    }
    editor.create_intent("funds", intent)
    assert "funds.fund_size" in load_catalog(mini).intents
    with pytest.raises(EditError, match="states figure '40亿'"):
        editor.add_news({"id": "news.funds.bad", "date": "2026-01", "topic": "funds",
                         "text": {"zh": "设立40亿元基金。", "en": "A fund was set up."},
                         "sources": [{"doc": "doc", "quote": "设立30亿元“外贸基金”"}]})


def _add_many(path: str, start: int) -> None:
    editor = CatalogEditor(path)
    for i in range(start, start + 4):
        editor.add_phrasing("funds.warehouses", f"海外仓问题{i}号", "zh")


def test_two_editors_at_once_both_land(mini):
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_many, args=(str(mini), start)) for start in (100, 200)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    questions = load_catalog(mini).intents["funds.warehouses"].questions.zh
    assert {f"海外仓问题{i}号" for i in (*range(100, 104), *range(200, 204))} <= set(questions)


WRITER = """
import sys
from bot.catalog.edit import CatalogEditor
editor = CatalogEditor(sys.argv[1])
i = 0
while True:
    editor.add_phrasing("funds.warehouses", f"杀不死的问题{i}", "zh")
    i += 1
"""


def test_killing_a_writer_never_leaves_a_torn_file(mini):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for delay in (0.4, 0.7, 1.0, 1.3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(mini)], env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        load_catalog(mini)  # parses and validates: the old file or the new one, whole
    # a killed writer may leave its temp file, never a torn catalog; the next edit sweeps it
    CatalogEditor(mini).add_phrasing("funds.warehouses", "杀完之后的问题", "zh")
    assert [p.name for p in (mini / "intents").iterdir() if p.name.endswith(".tmp")] == []


def test_edit_of_the_shipped_catalog_adds_exactly_one_line(tmp_path):
    import shutil

    shutil.copytree(ROOT / "intents", tmp_path / "intents")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    file = tmp_path / "intents" / "customs.yaml"
    before = file.read_text(encoding="utf-8").splitlines()
    CatalogEditor(tmp_path).add_phrasing("customs.one_lock.contact", "一锁业务去哪个窗口问", "zh")
    after = file.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before) + 1
    assert [line for line in after if line not in before] == ["        - 一锁业务去哪个窗口问"]
