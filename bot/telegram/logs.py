"""Logging for the bot: one format, quiet HTTP client loggers, and the token never written out.

httpx logs every request URL at INFO, and Bot API URLs contain the token
(`.../bot<token>/sendMessage`), so those loggers are raised to WARNING; a redacting filter
on our handler catches anything else that might carry the token or the webhook secret.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

NOISY = ("httpx", "httpcore", "apscheduler", "tornado.access", "alembic.runtime.migration")


def quiet_http_loggers() -> None:
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)


class Redact(logging.Filter):
    """Replace secrets in a record's message and traceback with `***`."""

    def __init__(self, secrets: Iterable[str | None]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        return True


# Loggers whose records can carry a Bot API URL (python-telegram-bot logs its base URL,
# token included, at DEBUG when a Bot is created; httpx logs request URLs). A filter on a
# logger rewrites the record before any handler sees it, pytest's capture included.
URL_LOGGERS = (
    "telegram", "telegram.Bot", "telegram.ext", "telegram.ext.ExtBot", "telegram.ext.Updater",
    "telegram.ext.Application", "httpx", "httpcore",
)
_REDACT_AT_SOURCE = None


def redact_at_source(*secrets: str | None) -> None:
    """Hide `secrets` in every record of URL_LOGGERS (idempotent; call before building a Bot)."""
    global _REDACT_AT_SOURCE
    if _REDACT_AT_SOURCE is None:
        _REDACT_AT_SOURCE = Redact(())
    known = _REDACT_AT_SOURCE.secrets
    known.extend(s for s in secrets if s and s not in known)
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACT_AT_SOURCE not in logger.filters:
            logger.addFilter(_REDACT_AT_SOURCE)


def configure_logging(level: str, secrets: Iterable[str | None] = ()) -> None:
    """Root logging to stderr for `qzbot run`, redacting `secrets` from every line."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_http_loggers()
