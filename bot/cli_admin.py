"""Admin commands of `qzbot`: usage stats, the unanswered inbox, teaching, history and
restore from the audit log, drafts from new documents.

Registered on the main group by `bot.cli`; each is a thin layer over the library.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.config import Settings

if TYPE_CHECKING:
    from bot.admin_actions import AdminActions


def _store(settings: Settings):
    from bot.store import Store, StoreError

    try:
        store = Store.open(settings.database_url)
        store.upgrade()
        return store
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@click.option("--days", type=click.IntRange(1, 3650), default=14, show_default=True, help="How far back to count.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), help="Also write the chart as a PNG file.")
@click.pass_obj
def stats(settings: Settings, days: int, chart: Path | None) -> None:
    """Usage: questions per day, outcome rates, top intents and unanswered questions, feedback."""
    from bot.usage import stats_chart_png, usage_stats

    store = _store(settings)
    try:
        result = usage_stats(store.engine, days=days)
    finally:
        store.close()
    for line in result.lines():
        click.echo(line)
    if chart is not None:
        chart.write_bytes(stats_chart_png(result))
        click.echo(f"chart written to {chart}")


@click.command()
@click.option("--days", type=click.IntRange(1, 3650), default=30, show_default=True, help="How far back to look.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True, help="How many groups to list.")
@click.pass_obj
def inbox(settings: Settings, days: int, limit: int) -> None:
    """Questions the bot could not answer, grouped, most frequent first, with a suggested intent
    (questions answered now, and ones an admin dismissed, are left out)."""
    from bot.cli import _engine
    from bot.store.audit import AuditLog
    from bot.usage import unanswered_inbox

    engine = _engine(settings)
    store = _store(settings)
    try:
        dismissed = AuditLog(store).dismissed()
        items = unanswered_inbox(store.engine, engine.matcher, days=days, limit=limit, dismissed=dismissed)
    finally:
        store.close()
    if not items:
        click.echo("No unanswered questions.")
    for n, item in enumerate(items, 1):
        more = f" (+{len(item.variants) - 1} similar)" if len(item.variants) > 1 else ""
        click.echo(f"{n}. [{item.count}x] {item.question}{more}  -> {item.suggested or '-'} ({item.suggested_score:.0f})")


@contextmanager
def _desk(settings: Settings) -> Iterator["AdminActions"]:
    """Catalog edits by this operating-system user, recorded in the audit log; a refused
    edit becomes one clear line and exit status 1."""
    import getpass

    from bot.admin_actions import AdminActions
    from bot.catalog.edit import EditError
    from bot.store.audit import AuditLog

    store = _store(settings)
    try:
        yield AdminActions(settings.catalog, AuditLog(store), f"cli:{getpass.getuser()}")
    except EditError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


@click.command()
@click.argument("intent_id")
@click.argument("phrasing")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of the phrasing.")
@click.pass_obj
def teach(settings: Settings, intent_id: str, phrasing: str, lang: str) -> None:
    """Add PHRASING (e.g. an unanswered question) to INTENT_ID, validated, written in place, audited."""
    with _desk(settings) as desk:
        desk.add_phrasing(intent_id, phrasing, lang)
    click.echo(f"{intent_id}: added {lang} phrasing {phrasing!r}.")


@click.command()
@click.argument("intent_id")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="How many entries to list.")
@click.option("--show", type=int, metavar="N", help="Print entry N in full: the item before and after.")
@click.pass_obj
def history(settings: Settings, intent_id: str, limit: int, show: int | None) -> None:
    """The audit log of INTENT_ID (news: news:ID), newest first: who changed what, when."""
    with _desk(settings) as desk:
        entries = [desk.entry(show)] if show is not None else desk.history(intent_id, limit=limit)
    if not entries:
        click.echo(f"{intent_id}: no edits recorded.")
    for entry in entries:
        click.echo(entry.line())
        if show is not None:
            click.echo(f"--- before\n{entry.before or '(none: created here)'}--- after\n{entry.after or '(none)'}")


@click.command()
@click.argument("entry", type=int)
@click.pass_obj
def restore(settings: Settings, entry: int) -> None:
    """Put an intent back as it was before audit-log ENTRY (see `qzbot history`), validated, audited."""
    with _desk(settings) as desk:
        done = desk.restore(entry)
    click.echo(f"{done.edit.key}: restored the version before #{entry} (audit #{done.entry}).")


@click.command()
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--doc-id", help="Id for the document in seeds/index.yaml (default: from the file name).")
@click.option("--topic", default="drafts", show_default=True, help="Topic the drafts are meant for.")
@click.pass_obj
def draft(settings: Settings, document: Path, doc_id: str | None, topic: str) -> None:
    """Turn a new source DOCUMENT into draft intents (not served until published)."""
    from tqdm import tqdm

    from bot.catalog.draft import draft_document
    from bot.catalog.edit import EditError

    try:
        out = draft_document(settings.catalog, document, doc_id=doc_id, topic=topic,
                             progress=lambda items: tqdm(items, desc="passages", file=sys.stderr, disable=None))
    except EditError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"drafts written to {out}; edit them, set `reviewed: true`, then run `qzbot publish {out}`")


@click.command()
@click.argument("drafts_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def publish(settings: Settings, drafts_file: Path) -> None:
    """Move the reviewed drafts of DRAFTS_FILE into the catalog, each one validated, audited."""
    from bot.catalog.draft import publish_drafts

    with _desk(settings) as desk:
        report = publish_drafts(settings.catalog, drafts_file, create=desk.create_intent)
    for intent_id in report.published:
        click.echo(f"published {intent_id}")
    for intent_id, why in report.refused:
        click.echo(f"refused {intent_id}: {why}", err=True)
    click.echo(f"{len(report.published)} published, {len(report.refused)} refused, "
               f"{len(report.waiting)} not reviewed yet.")
    if report.refused:
        sys.exit(1)


COMMANDS = [stats, inbox, teach, history, restore, draft, publish]
