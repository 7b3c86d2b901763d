"""Settings, read once at the edge (environment variables and an optional `.env`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv


def default_catalog() -> Path:
    """QZBOT_CATALOG, else the project checkout this package lives in, else the cwd."""
    env = os.environ.get("QZBOT_CATALOG")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    if (here / "intents").is_dir():
        return here
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    catalog: Path = field(default_factory=default_catalog)
    telegram_token: str | None = None
    database_url: str = "sqlite:///data/qzbot.sqlite3"

    @classmethod
    def from_env(cls, *, catalog: Path | None = None) -> "Settings":
        load_dotenv(override=False)
        return cls(
            catalog=catalog or default_catalog(),
            telegram_token=os.environ.get("TELEGRAM_BOT_TOKEN") or None,
            database_url=os.environ.get("DATABASE_URL") or "sqlite:///data/qzbot.sqlite3",
        )
