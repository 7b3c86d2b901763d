"""`qzbot validate`: the shipped catalog passes; each rule has a fixture that breaks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_catalog_validates(run_cli):
    result = run_cli("--catalog", str(ROOT), "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_fixture_catalog_validates(run_cli, mini):
    result = run_cli("--catalog", str(mini), "validate")
    assert result.exit_code == 0, result.output


BREAKS = [
    # (file, old, new, expected message fragment, expected line)
    ("intents/funds.yaml", "id: funds.warehouses", "id: funds.trade_fund", "duplicate intent id 'funds.trade_fund'", 18),
    ("intents/funds.yaml", "海外仓有多少个, ", "外贸基金是什么, ", "phrasing '外贸基金是什么' is also a phrasing of funds.trade_fund", 24),
    ("intents/funds.yaml", "related: [funds.warehouses]", "related: [funds.nowhere]", "related intent 'funds.nowhere' does not exist", 14),
    ("intents/funds.yaml", "quote: 全市已建海外仓147个", "quote: 全市已建海外仓148个", "quote not found verbatim in document 'doc'", 29),
    ("intents/funds.yaml", "已为超350家企业", "已为超360家企业", "answer (zh) states figure '360'", 8),
    ("intents/funds.yaml", "2.826 billion yuan", "2.83 billion yuan", "answer (en) states figure '2.83 billion'", 9),
    ("intents/funds.yaml", "      - doc: doc\n        quote: 全市", "      - doc: nodoc\n        quote: 全市", "unknown document 'nodoc'", 28),
    ("intents/funds.yaml", "      en: [What is the trade fund?, How big is the trade fund?]\n", "      en: [What is the trade fund?]\n", "questions.en: List should have at least 2 items", 12),
    ("intents/funds.yaml", "  - id: funds.trade_fund", "  - id: Funds Trade", "id: String should match pattern", 5),
    ("intents/funds.yaml", "    keywords: [外贸基金]\n", "    keywords: [外贸基金]\n    colour: red\n", "colour: Extra inputs are not permitted", 14),
    ("intents/news.yaml", "text: {zh: 设立30亿元外贸基金。", "text: {zh: 设立40亿元外贸基金。", "news text (zh) states figure '40亿'", 6),
    ("intents/news.yaml", "topic: funds", "topic: nothing", "unknown topic 'nothing'", 4),
    ("intents/glossary.yaml", "海外仓: [海外仓库, overseas warehouse]", "海外仓: [海外仓库, overseas warehouse]\n  仓库: [海外仓库]", "variant '海外仓库' maps to both '海外仓' and '仓库'", 3),
]


@pytest.mark.parametrize("file,old,new,message,line", BREAKS, ids=[b[3][:30] for b in BREAKS])
def test_each_rule_reports_file_and_line(run_cli, mini, file, old, new, message, line):
    edit(mini / file, old, new)
    result = run_cli("--catalog", str(mini), "validate")
    assert result.exit_code == 1
    assert f"{file}:{line}: " in result.output and message in result.output, result.output


def test_all_problems_reported_in_one_run(run_cli, mini):
    edit(mini / "intents/funds.yaml", "已为超350家企业", "已为超360家企业")
    edit(mini / "intents/funds.yaml", "related: [funds.warehouses]", "related: [funds.nowhere]")
    edit(mini / "intents/news.yaml", "topic: funds", "topic: nothing")
    result = run_cli("--catalog", str(mini), "validate")
    assert result.exit_code == 1
    assert "3 problem(s) found." in result.output


def test_broken_yaml_is_a_clear_message_not_a_traceback(run_cli, mini):
    (mini / "intents/funds.yaml").write_text("topic: funds\nintents:\n  - id: [unclosed\n", encoding="utf-8")
    result = run_cli("--catalog", str(mini), "validate")
    assert result.exit_code == 1
    assert "intents/funds.yaml:" in result.output and "YAML syntax error" in result.output
    assert "Traceback" not in result.output


def test_missing_catalog_directory(run_cli, tmp_path):
    result = run_cli("--catalog", str(tmp_path / "nope"), "validate")
    assert result.exit_code == 1
    assert "not found" in result.output


def test_empty_file_and_non_utf8(run_cli, mini):
    (mini / "intents/empty.yaml").write_text("", encoding="utf-8")
    (mini / "intents/latin1.yaml").write_bytes("topic: x\n# caf\xe9\n".encode("latin-1"))
    result = run_cli("--catalog", str(mini), "validate")
    assert "intents/empty.yaml:1: file is empty" in result.output
    assert "intents/latin1.yaml:1: not UTF-8 text" in result.output
