"""`qzbot run` without a token, and help text for every command."""

from __future__ import annotations

import click

from bot.cli import cli


def test_run_without_token_is_a_clear_error(run_cli, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr("bot.config.load_dotenv", lambda **kw: None)
    result = run_cli("run")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: TELEGRAM_BOT_TOKEN is not set (environment or .env); get a token from @BotFather, "
        "or talk to the bot in the console with `qzbot chat`"
    ]


def test_run_without_token_can_fall_back_to_the_console_chat(run_cli, monkeypatch, mini):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr("bot.config.load_dotenv", lambda **kw: None)
    result = run_cli("--catalog", str(mini), "run", "--chat-without-token", input="海外仓有多少个\n/quit\n")
    assert result.exit_code == 0
    assert "No TELEGRAM_BOT_TOKEN set: starting the console chat instead" in result.output
    assert "全市已建海外仓147个" in result.output


def test_bad_setting_is_one_line(run_cli, monkeypatch):
    monkeypatch.setenv("WEBHOOK_PORT", "eighty")
    result = run_cli("db", "upgrade")
    assert result.exit_code == 1 and result.output == "Error: WEBHOOK_PORT must be a whole number, not 'eighty'\n"


def test_every_command_has_help_text():
    def walk(command: click.Command, path: str):
        yield path, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path} {name}")

    for path, command in walk(cli, "qzbot"):
        assert (command.help or "").strip(), f"{path} has no help text"
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help", "version"):
                assert param.help, f"{path} {param.opts[0]} has no help text"
