"""The PTB Application: built here for `qzbot run`, the tests and the benchmark alike."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CallbackContext, Defaults

from bot.config import Settings
from bot.engine import Engine
from bot.store import Store, StoreError
from bot.store.subscriptions import Subscriptions
from bot.telegram.callbacks import IntentCodes
from bot.telegram.logs import quiet_http_loggers, redact_at_source
from bot.telegram.ratelimit import RateLimiter
from bot.telegram.retry import RetryingLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")

# Only what the handlers use: edited messages, channel posts, polls ... never reach us.
ALLOWED_UPDATES = ["message", "callback_query"]
# Updates of different users are handled side by side. More is not faster: Telegram takes
# about 30 messages a second from one bot anyway, and httpx's pool slows down as it grows
# (bench/telegram_throughput.py).
CONCURRENT_UPDATES = 32


@dataclass
class Services:
    """What the handlers need, in `application.bot_data["services"]`."""

    settings: Settings
    engine: Engine
    store: Store | None
    limiter: RateLimiter
    live_reload: bool = False  # set by `serve` when it watches the catalog
    _codes: IntentCodes | None = field(default=None, repr=False)
    _subs: Subscriptions | None = field(default=None, repr=False)
    _codes_catalog: object = field(default=None, repr=False)

    @property
    def codes(self) -> IntentCodes:
        """Button codes for the engine's current catalog (recomputed if the catalog is swapped)."""
        if self._codes is None or self._codes_catalog is not self.engine.catalog:
            self._codes = IntentCodes(self.engine.catalog.intents)
            self._codes_catalog = self.engine.catalog
        return self._codes

    @property
    def subs(self) -> Subscriptions | None:
        """Subscriptions in the store (None without a database)."""
        if self._subs is None and self.store is not None:
            self._subs = Subscriptions(self.store)
        return self._subs

    def intent_titles(self, lang: str) -> dict[str, str]:
        return {i: (x.title.zh if lang == "zh" else x.title.en) for i, x in self.engine.catalog.intents.items()}

    async def db(self, method: Callable[..., T], *args: Any, default: T | None = None, **kwargs: Any) -> T | None:
        """Run a store call in a worker thread. Answering matters more than logging: a
        database failure is logged as one line and `default` is returned."""
        if self.store is None:
            return default
        try:
            return await asyncio.to_thread(method, *args, **kwargs)
        except StoreError as exc:
            log.warning("store: %s", exc)
            return default


def services(context: CallbackContext) -> Services:
    return context.application.bot_data["services"]


def build_application(
    settings: Settings,
    engine: Engine,
    store: Store | None,
    *,
    read_timeout: float = 10.0,
    max_retries: int = 3,
    concurrent_updates: int = CONCURRENT_UPDATES,
) -> Application:
    """The bot, with every handler registered, talking to `settings.telegram_api_base_url`."""
    from bot.telegram import (
        handlers_admin, handlers_admin_edit, handlers_basic, handlers_privacy, handlers_questions, handlers_subscribe, handlers_topics,
    )

    if not settings.telegram_token:
        raise ValueError("a Telegram bot token is needed")
    quiet_http_loggers()  # httpx would log request URLs, which contain the token
    redact_at_source(settings.telegram_token, settings.webhook_secret)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(concurrent_updates)
        .connection_pool_size(concurrent_updates + 8)  # a few spare for multi-part answers
        .rate_limiter(RetryingLimiter(max_retries=max_retries))
        .read_timeout(read_timeout)
        .write_timeout(read_timeout)
        .build()
    )
    application.bot_data["services"] = Services(
        settings=settings, engine=engine, store=store, limiter=RateLimiter(settings.rate_limit_per_minute)
    )
    handlers_basic.register(application)
    handlers_topics.register(application)
    handlers_subscribe.register(application)
    handlers_privacy.register(application)
    handlers_admin_edit.register(application)  # before questions: an admin's reply to a step is not a question
    handlers_questions.register(application)
    handlers_admin.register(application)
    handlers_basic.register_fallbacks(application)  # last: they catch what nothing else did
    application.add_error_handler(handlers_basic.on_error)
    if store is not None:
        from bot.telegram.digest_job import schedule

        schedule(application, settings)
    return application
