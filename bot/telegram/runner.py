"""Running the Application: polling or webhook, until a signal, a stop event, or a conflict.

`qzbot run` and the end-to-end tests both call `serve`, so the tests exercise the same start,
stop and error paths as production. We drive PTB's lifecycle ourselves instead of
`run_polling` because that has no hook for polling errors, and a 409 Conflict (a second
instance polling with the same token) must stop the bot with one clear line instead of
retrying forever.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.config import Settings
from bot.engine import Engine
from bot.store import Store
from bot.telegram.app import ALLOWED_UPDATES, build_application
from bot.telegram.messages import ADMIN_COMMANDS, COMMANDS
from bot.telegram.reload import start_live_reload

log = logging.getLogger("bot.telegram")
POLL_TIMEOUT = 10  # seconds a getUpdates long poll may wait for news
CONFLICT_LINE = "another instance is polling with this token; stopping (Telegram answered 409: %s)"


class BotStartError(RuntimeError):
    """The bot could not start; the message is one line for the operator."""


class _DropConflictNoise(logging.Filter):
    """After we have reported a conflict, PTB's own tracebacks about it add nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Conflict))


def run_bot(settings: Settings, engine: Engine, *, webhook_url: str | None = None) -> bool:
    """`qzbot run`: open and upgrade the database, then serve until SIGINT/SIGTERM.
    Returns False after a conflict; StoreError / BotStartError when it cannot start."""
    store = Store.open(settings.database_url)
    try:
        before = store.revision()
        store.upgrade()
        if before != store.revision():
            log.info("database schema upgraded from %s to %s", before or "empty", store.revision())
        application = build_application(settings, engine, store)
        return asyncio.run(serve(application, settings, webhook_url=webhook_url, handle_signals=True, live_reload=True))
    finally:
        store.close()  # every pooled connection released, also after errors


async def set_commands(application: Application, admin_ids: tuple[int, ...] = ()) -> None:
    """Register the command menu: Chinese by default, English for English-language clients;
    admins get the admin commands too, in their own chats only."""
    try:
        for lang, code in (("zh", None), ("en", "en")):
            commands = [BotCommand(name, description) for name, description in COMMANDS[lang]]
            await application.bot.set_my_commands(commands, language_code=code)
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", exc)
    admin_menu = [BotCommand(name, description) for name, description in COMMANDS["zh"]]
    admin_menu += [BotCommand(name, description) for name, description, _ in ADMIN_COMMANDS]
    for admin_id in admin_ids:
        try:
            await application.bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # e.g. the admin has not opened a chat with the bot yet
            log.info("could not set the admin command menu for %s: %s", admin_id, exc)


async def serve(
    application: Application,
    settings: Settings,
    *,
    webhook_url: str | None = None,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
    handle_signals: bool = False,
    live_reload: bool = False,
) -> bool:
    """Run until `stop` is set (or SIGINT/SIGTERM with `handle_signals`); with
    `live_reload`, catalog changes are served as soon as they validate.

    Returns False if the bot stopped because another instance holds the token."""
    stop = stop or asyncio.Event()
    conflicts: list[Conflict] = []

    def on_polling_error(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            if not conflicts:
                log.error(CONFLICT_LINE, exc)
            conflicts.append(exc)
            stop.set()
        else:  # PTB retries with backoff; one line each time is enough
            log.warning("polling for updates failed: %s; retrying", exc)

    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    quiet = _DropConflictNoise()
    updater_log = logging.getLogger("telegram.ext.Updater")
    updater_log.addFilter(quiet)
    try:
        await _initialize(application, settings)
        try:
            await set_commands(application, tuple(settings.admin_ids))
            try:
                if webhook_url:
                    await _start_webhook(application, settings, webhook_url)
                else:
                    await application.updater.start_polling(
                        timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES, bootstrap_retries=3,
                        error_callback=on_polling_error,
                    )
            except TelegramError as exc:  # deleteWebhook / setWebhook kept failing
                raise BotStartError(f"could not start {'the webhook' if webhook_url else 'polling'}: {exc}") from None
            await application.start()
            mode = f"webhook {urlsplit(webhook_url).netloc}" if webhook_url else "polling"
            log.info("@%s is running (%s); stop with Ctrl-C", application.bot.username, mode)
            watcher = start_live_reload(application, stop) if live_reload else None
            application.bot_data["services"].live_reload = live_reload
            if ready is not None:
                ready.set()
            await stop.wait()
            log.info("stopping")
            if watcher is not None:
                await asyncio.wait_for(watcher, 10)
        finally:
            if application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
    finally:
        updater_log.removeFilter(quiet)
        for sig in signals:
            loop.remove_signal_handler(sig)
    return not conflicts


async def _initialize(application: Application, settings: Settings) -> None:
    """getMe and friends; the usual ways this fails become one readable line."""
    base = settings.telegram_api_base_url
    try:
        await application.initialize()
    except InvalidToken:
        await application.shutdown()
        # PTB's message quotes the token itself; this line may end up in logs, so leave it out.
        raise BotStartError(f"the Bot API at {base} rejected the token; check TELEGRAM_BOT_TOKEN") from None
    except NetworkError as exc:
        await application.shutdown()
        raise BotStartError(f"cannot reach the Bot API at {base}: {exc}") from None


async def _start_webhook(application: Application, settings: Settings, webhook_url: str) -> None:
    # Telegram sends the secret in X-Telegram-Bot-Api-Secret-Token with every update; PTB
    # refuses requests without it (403). With no WEBHOOK_SECRET, a fresh one per start is
    # just as good: setWebhook tells Telegram the new one.
    secret = settings.webhook_secret or secrets.token_urlsafe(32)
    try:
        await application.updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(webhook_url).path.lstrip("/"),
            webhook_url=webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            bootstrap_retries=3,
        )
    except OSError as exc:
        raise BotStartError(f"cannot listen on {settings.webhook_listen}:{settings.webhook_port}: {exc.strerror or exc}") from None
