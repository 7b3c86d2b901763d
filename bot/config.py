"""Settings, read once at the edge (environment variables and an optional `.env`)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_DATABASE_URL = "sqlite:///data/qzbot.sqlite3"
DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the variable."""


def default_catalog() -> Path:
    """QZBOT_CATALOG, else the project checkout this package lives in, else the cwd."""
    env = os.environ.get("QZBOT_CATALOG")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    if (here / "intents").is_dir():
        return here
    return Path.cwd()


def file_url_for(base_url: str) -> str:
    """The file download URL that goes with a Bot API base URL.

    >>> file_url_for("http://127.0.0.1:8081/bot")
    'http://127.0.0.1:8081/file/bot'
    >>> file_url_for("https://api.telegram.org/bot")
    'https://api.telegram.org/file/bot'
    """
    base = base_url.rstrip("/")
    if base.endswith("/bot"):
        return base[: -len("/bot")] + "/file/bot"
    return base + "/file/bot"


def api_base_url(raw: str) -> str:
    """TELEGRAM_API_BASE_URL as python-telegram-bot wants it: ending in /bot (the token follows).

    >>> api_base_url("http://127.0.0.1:8081/")
    'http://127.0.0.1:8081/bot'
    >>> api_base_url("https://api.telegram.org/bot")
    'https://api.telegram.org/bot'
    """
    base = raw.strip().rstrip("/")
    return base if base.endswith("/bot") or "{token}" in base else base + "/bot"


@dataclass(frozen=True)
class Settings:
    catalog: Path = field(default_factory=default_catalog)
    telegram_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    rate_limit_per_minute: int = 20
    admin_ids: tuple[int, ...] = ()
    log_level: str = "INFO"
    digest_rate_per_second: int = 25  # overall; Telegram allows about 30
    digest_grace_minutes: int = 180  # a slot missed while the bot was down is still sent this long after
    digest_check_seconds: int = 60  # how often the bot looks for due digests
    digest_claim_lease_seconds: int = 300  # a claimed row whose sender died is taken over after this
    digest_max_attempts: int = 3  # timeouts / 5xx before a digest is marked failed

    @property
    def telegram_api_base_file_url(self) -> str:
        return file_url_for(self.telegram_api_base_url)

    @classmethod
    def from_env(cls, *, catalog: Path | None = None) -> "Settings":
        """Read every setting; a malformed value raises SettingsError naming the variable."""
        load_dotenv(override=False)
        env = os.environ
        secret = env.get("WEBHOOK_SECRET") or None
        if secret is not None and not SECRET_PATTERN.fullmatch(secret):
            raise SettingsError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        level = (env.get("LOG_LEVEL") or "INFO").upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {level!r}")
        return cls(
            catalog=catalog or default_catalog(),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            database_url=env.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            telegram_api_base_url=api_base_url(env.get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL),
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=secret,
            webhook_listen=env.get("WEBHOOK_LISTEN") or "0.0.0.0",
            webhook_port=_int(env, "WEBHOOK_PORT", 8443, low=1, high=65535),
            rate_limit_per_minute=_int(env, "RATE_LIMIT_PER_MINUTE", 20, low=0, high=100_000),
            admin_ids=_int_list(env, "ADMIN_IDS"),
            log_level=level,
            digest_rate_per_second=_int(env, "DIGEST_RATE_PER_SECOND", 25, low=1, high=1000),
            digest_grace_minutes=_int(env, "DIGEST_GRACE_MINUTES", 180, low=0, high=7 * 24 * 60),
            digest_check_seconds=_int(env, "DIGEST_CHECK_SECONDS", 60, low=1, high=3600),
            digest_claim_lease_seconds=_int(env, "DIGEST_CLAIM_LEASE_SECONDS", 300, low=0, high=86400),
            digest_max_attempts=_int(env, "DIGEST_MAX_ATTEMPTS", 3, low=1, high=20),
        )


def _int(env: os._Environ | dict, name: str, default: int, *, low: int, high: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _int_list(env: os._Environ | dict, name: str) -> tuple[int, ...]:
    """Comma- (or space-) separated integers, e.g. Telegram user ids."""
    raw = env.get(name) or ""
    try:
        return tuple(int(part) for part in re.split(r"[,\s]+", raw.strip()) if part)
    except ValueError:
        raise SettingsError(f"{name} must be comma-separated Telegram user ids (numbers), not {raw!r}") from None
