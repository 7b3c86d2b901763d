"""Shared fixtures: the shipped catalog, a small fixture catalog, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture catalog."""
    dest = tmp_path / "catalog"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture(scope="session")
def engine():
    from bot.engine import Engine

    return Engine.load(ROOT)


@pytest.fixture
def run_cli():
    from bot.cli import cli

    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def mini_engine():
    """The fixture catalog's engine (read-only: tests that edit use `mini`)."""
    from bot.engine import Engine

    return Engine.load(MINI)
