"""Delivering digests from the bot process: the Bot API adapter for the library's sender, the
repeating job that enqueues due digests and drains the outbox, and the report to admins.

The job runs every DIGEST_CHECK_SECONDS; each run asks the database which subscribers are
due, so schedules need no rebuilding at start and a slot missed while the bot was down is
sent on the first run after it (within DIGEST_GRACE_MINUTES), once: the outbox is unique
per (subscriber, period).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from telegram import Bot, LinkPreviewOptions
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.digest import Blocked, DigestMessage, Rejected, RetryLater, Transient
from bot.digest.outbox import Outbox
from bot.digest.sender import Counts, Sender, SendFn
from bot.engine import Engine
from bot.store import Store
from bot.telegram.callbacks import IntentCodes
from bot.telegram.keyboards_digest import digest_keyboard
from bot.telegram.messages_digest import t
from bot.telegram.retry import retry_after_seconds

log = logging.getLogger(__name__)
JOB_NAME = "digests"


def telegram_send(bot: Bot, engine: Engine) -> SendFn:
    """The sender's send callable over the Bot API; telegram.error types become SendErrors."""
    codes: dict[int, IntentCodes] = {}

    async def send(chat_id: int, message: DigestMessage, lang: str) -> None:
        catalog = engine.catalog
        if id(catalog) not in codes:
            codes.clear()
            codes[id(catalog)] = IntentCodes(catalog.intents)
        titles = {i: (x.title.zh if lang == "zh" else x.title.en) for i, x in catalog.intents.items()}
        markup = digest_keyboard(message, titles, codes[id(catalog)], lang)
        extra = {"rate_limit_args": {"raw": True}} if isinstance(bot, ExtBot) and bot.rate_limiter else {}
        try:
            await bot.send_message(chat_id, message.html, parse_mode="HTML", reply_markup=markup,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True), **extra)
        except RetryAfter as exc:
            raise RetryLater(retry_after_seconds(exc)) from None
        except Forbidden as exc:
            raise Blocked(str(exc)) from None
        except BadRequest as exc:  # a subclass of NetworkError, but final
            raise Rejected(str(exc)) from None
        except NetworkError as exc:  # includes TimedOut and 5xx
            raise Transient(str(exc)) from None
        except TelegramError as exc:
            raise Rejected(str(exc)) from None

    return send


def make_sender(settings: Settings, store: Store, engine: Engine, send: SendFn, *,
                on_done: Callable[[str], None] | None = None) -> Sender:
    return Sender(
        Outbox(store), lambda: engine.catalog, send, rate=settings.digest_rate_per_second,
        max_attempts=settings.digest_max_attempts, lease=timedelta(seconds=settings.digest_claim_lease_seconds),
        on_done=on_done,
    )


async def enqueue_due(settings: Settings, store: Store, now: datetime | None = None) -> int | None:
    now = now or datetime.now(timezone.utc)
    grace = timedelta(minutes=settings.digest_grace_minutes)
    return await asyncio.to_thread(Outbox(store).enqueue_due, now, grace=grace)


async def digest_round(application: Application, now: datetime | None = None) -> Counts | None:
    """Enqueue what is due, send what is pending, report; None if a round is already running."""
    svc = application.bot_data["services"]
    lock: asyncio.Lock = application.bot_data.setdefault("digest_lock", asyncio.Lock())
    if svc.store is None or lock.locked():
        return None
    async with lock:
        added = await enqueue_due(svc.settings, svc.store, now)
        counts = await make_sender(svc.settings, svc.store, svc.engine, telegram_send(application.bot, svc.engine)).run()
    if counts.sent or counts.failed or counts.blocked:
        log.info("digests: %d enqueued; %s", added or 0, counts)
        await report(application.bot, svc.settings.admin_ids, counts)
    else:
        log.debug("digests: %s enqueued, nothing sent", added)
    return counts


async def report(bot: Bot, admin_ids: tuple[int, ...], counts: Counts) -> None:
    for admin in admin_ids:
        try:
            await bot.send_message(admin, t("admin_report", "zh", **vars(counts)))
        except TelegramError as exc:
            log.warning("could not send the digest report to admin %s: %s", admin, exc)


async def _job(context: CallbackContext) -> None:
    try:
        await digest_round(context.application)
    except Exception:  # the next run tries again; one bad run must not stop the schedule
        log.exception("digest run failed")


def schedule(application: Application, settings: Settings) -> None:
    """Check for due digests every DIGEST_CHECK_SECONDS (the first check one interval after start)."""
    if application.job_queue is None:
        log.warning("no job queue (install python-telegram-bot[job-queue]): digests will not be sent")
        return
    interval = settings.digest_check_seconds
    application.job_queue.run_repeating(_job, interval=interval, first=interval, name=JOB_NAME)
