"""`qzbot digest preview|run-now` and `qzbot subscribers`: digests from the command line."""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections import Counter

import click

from bot.config import Settings


def _store(settings: Settings):
    from bot.store import Store, StoreError

    try:
        store = Store.open(settings.database_url)
        store.upgrade()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    return store


def _catalog(settings: Settings):
    from bot.catalog import CatalogError, load_catalog

    try:
        return load_catalog(settings.catalog)
    except CatalogError as exc:
        raise click.ClickException(f"the catalog has {len(exc.problems)} problem(s); run `qzbot validate`") from None


def plain(html_text: str) -> str:
    """Telegram HTML as terminal text.

    >>> plain("<b>A &amp; B</b>")
    'A & B'
    """
    return html.unescape(re.sub(r"</?[a-z][^>]*>", "", html_text))


@click.group()
def digest() -> None:
    """Digests: preview one subscriber's, or send what is due now."""


@digest.command()
@click.argument("chat_id", type=int)
@click.pass_obj
def preview(settings: Settings, chat_id: int) -> None:
    """Print the digest CHAT_ID would get now (nothing is marked as sent)."""
    from bot.digest import compose, render
    from bot.store.subscriptions import Subscriptions

    store = _store(settings)
    try:
        subs = Subscriptions(store)
        sub = subs.get(chat_id)
        if sub is None:
            raise click.ClickException(f"chat {chat_id} has no subscription")
        catalog = _catalog(settings)
        titles = {t: (f.title.zh if sub.language == "zh" else f.title.en) for t, f in catalog.topics.items()}
        messages = render(compose(catalog, sub, subs.sent_keys(sub.id)), titles)
    finally:
        store.close()
    if not messages:
        click.echo(f"Nothing new for chat {chat_id}.")
    for i, message in enumerate(messages, 1):
        if len(messages) > 1:
            click.echo(f"--- message {i} of {len(messages)} ---")
        click.echo(plain(message.html))


@digest.command(name="run-now")
@click.pass_obj
def run_now(settings: Settings) -> None:
    """Enqueue every digest due now and send all pending ones (TELEGRAM_BOT_TOKEN needed)."""
    if not settings.telegram_token:
        raise click.ClickException("TELEGRAM_BOT_TOKEN is not set (environment or .env)")
    from tqdm import tqdm

    from bot.cli import _engine

    engine = _engine(settings)
    store = _store(settings)
    try:
        counts, added = asyncio.run(_run_now(settings, store, engine, tqdm))
    finally:
        store.close()
    click.echo(f"{added or 0} digest(s) enqueued; {counts}.")
    if counts.failed:
        sys.exit(1)


async def _run_now(settings: Settings, store, engine, tqdm):
    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.digest.outbox import Outbox
    from bot.telegram.digest_job import enqueue_due, make_sender, report, telegram_send

    request = HTTPXRequest(connection_pool_size=32, read_timeout=15, write_timeout=15)
    bot = Bot(settings.telegram_token, base_url=settings.telegram_api_base_url,
              base_file_url=settings.telegram_api_base_file_url, request=request)
    async with bot:
        added = await enqueue_due(settings, store)
        statuses = await asyncio.to_thread(Outbox(store).statuses)
        total = statuses.get("pending", 0) + statuses.get("sending", 0)
        with tqdm(total=total, desc="digests", unit="chat", file=sys.stderr, disable=None) as bar:
            sender = make_sender(settings, store, engine, telegram_send(bot, engine), on_done=lambda _s: bar.update())
            counts = await sender.run()
        if counts.sent or counts.failed or counts.blocked:
            await report(bot, settings.admin_ids, counts)
    return counts, added


@click.command()
@click.pass_obj
def subscribers(settings: Settings) -> None:
    """Subscriber counts by topic, frequency, county and active / inactive."""
    from bot.store.subscriptions import Subscriptions

    store = _store(settings)
    try:
        subs = Subscriptions(store).all()
    finally:
        store.close()
    active = [s for s in subs if s.active]
    click.echo(f"subscribers: {len(subs)} ({len(active)} active, {len(subs) - len(active)} inactive)")
    for title, counter in (
        ("by topic (active)", Counter(t for s in active for t in s.topics)),
        ("by frequency (active)", Counter(s.frequency for s in active)),
        ("by county (active)", Counter(s.county or "(any)" for s in active)),
        ("by industry (active)", Counter(s.industry or "(any)" for s in active)),
    ):
        click.echo(title + ":")
        for key, count in counter.most_common():
            click.echo(f"  {key}: {count}")


COMMANDS = [digest, subscribers]
