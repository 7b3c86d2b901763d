"""Live reload inside the running bot: a valid catalog change is served at once; an
invalid one is refused, the old catalog keeps answering, and admins are told where."""

from __future__ import annotations

import asyncio
import html
import logging

from telegram.error import TelegramError
from telegram.ext import Application

from bot.catalog.errors import Problem
from bot.catalog.watch import watch_catalog
from bot.engine import Engine

log = logging.getLogger("bot.telegram")
MAX_LINES = 20


def refused_message(problems: list[Problem]) -> str:
    """The admins' notice, HTML-escaped, at most MAX_LINES problems."""
    lines = [html.escape(str(p)) for p in problems[:MAX_LINES]]
    more = f"\n… and {len(problems) - MAX_LINES} more" if len(problems) > MAX_LINES else ""
    return "⚠️ 目录修改未生效，仍在使用原目录 / Catalog change refused, the old catalog keeps serving:\n<pre>" + "\n".join(lines) + f"</pre>{more}"


def start_live_reload(application: Application, stop: asyncio.Event) -> asyncio.Task:
    """Watch the catalog of `application`'s services until `stop` is set."""
    services = application.bot_data["services"]

    def on_loaded(engine: Engine) -> None:
        services.engine = engine  # questions in flight finish on the engine they started with

    async def on_refused(problems: list[Problem]) -> None:
        for admin in services.settings.admin_ids:
            try:
                await application.bot.send_message(admin, refused_message(problems))
            except TelegramError as exc:
                log.warning("could not tell admin %s about the refused catalog: %s", admin, exc)

    return asyncio.create_task(
        watch_catalog(services.settings.catalog, Engine.load, on_loaded, on_refused, stop_event=stop),
        name="catalog-live-reload",
    )
