"""The `qzbot` command line: ask (text and JSON, stdin), chat, eval, help, --catalog."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from bot.cli import cli
from conftest import MINI, ROOT


def test_every_command_has_help_text():
    def walk(group: click.Group, prefix: str = ""):
        for name, command in group.commands.items():
            yield prefix + name, command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + name + " ")

    missing = [name for name, command in walk(cli) if not (command.help or "").strip()]
    assert missing == []


def test_ask_prints_answer_source_and_related(run_cli):
    result = run_cli("--catalog", str(MINI), "ask", "海外仓有多少个")
    assert result.exit_code == 0
    assert "全市已建海外仓147个。" in result.output
    assert "来源：测试文件（测试报，2026-01）" in result.output
    assert "相关问题：" not in result.output  # funds.warehouses has no related intents


def test_ask_json_fields(run_cli):
    result = run_cli("--catalog", str(MINI), "ask", "--json", "How big is the trade fund?")
    data = json.loads(result.output)
    assert data["matched"] is True and data["outcome"] == "answer"
    assert data["intent"] == "funds.trade_fund" and data["language"] == "en"
    assert 0 <= data["score"] <= 100
    assert "2.826 billion" in data["answer"]
    assert data["sources"][0]["doc"] == "doc"
    assert isinstance(data["suggestions"], list)


def test_ask_json_reads_stdin_one_object_per_line_in_order(run_cli):
    questions = ["海外仓数量", "今天天气怎么样", "", "外贸基金有多大"]
    result = run_cli("--catalog", str(MINI), "ask", "--json", input="\n".join(questions) + "\n")
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [d["question"] for d in lines] == questions
    assert [d["outcome"] for d in lines] == ["answer", "fallback", "fallback", "answer"]
    assert lines[1]["matched"] is False and lines[1]["intent"] is None


def test_catalog_from_environment(monkeypatch):
    monkeypatch.setenv("QZBOT_CATALOG", str(MINI))
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "海外仓数量"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert "147" in out


def test_broken_catalog_is_one_clear_error(run_cli, mini):
    (mini / "intents" / "funds.yaml").write_text("topic: [", encoding="utf-8")
    result = run_cli("--catalog", str(mini), "ask", "海外仓")
    assert result.exit_code == 1
    assert "intents/funds.yaml:" in result.output and "run `qzbot validate`" in result.output


def test_chat_numbers_pick_choices_and_quit(run_cli):
    script = "/topics\n1\n2\n/quit\n"
    result = run_cli("--catalog", str(MINI), "chat", input=script)
    out = result.output
    assert result.exit_code == 0
    assert "1. 基金" in out  # the topic list
    assert "1. 外贸基金" in out and "2. 海外仓数量" in out  # the topic's intents
    assert "全市已建海外仓147个。" in out  # choice 2 answered


def test_chat_ends_on_eof_and_rejects_unknown_commands(run_cli):
    result = run_cli("--catalog", str(MINI), "chat", input="/frobnicate\n")
    assert result.exit_code == 0
    assert "未知命令" in result.output


def test_eval_prints_the_report(run_cli, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text(
        "questions:\n"
        "  - {q: 海外仓有几个, intents: [funds.warehouses], kind: colloquial}\n"
        "  - {q: 外贸基金多大, intents: [funds.trade_fund], kind: fragment}\n"
        "  - {q: 明天下雨吗, intents: [], kind: out_of_scope}\n",
        encoding="utf-8",
    )
    result = run_cli("--catalog", str(MINI), "eval", str(qfile))
    assert "top-1 accuracy (answered, right intent): 1.000" in result.output
    assert "out-of-scope rejection:                  1.000" in result.output


def test_eval_rejects_a_broken_question_file(run_cli, tmp_path):
    qfile = tmp_path / "q.yaml"
    qfile.write_text("questions: [ {q: x", encoding="utf-8")
    result = run_cli("--catalog", str(MINI), "eval", str(qfile))
    assert result.exit_code == 1 and "not a question file" in result.output
