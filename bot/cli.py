"""`qzbot`: the one entry point. A thin layer over the library: parse, call, print.

Named library errors become one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.catalog import CatalogError, load_catalog
from bot.config import Settings, SettingsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="QZBOT_CATALOG",
    help="Catalog directory (holding intents/ and seeds/). Default: this checkout.",
)
@click.version_option(package_name="qzbot")
@click.pass_context
def cli(ctx: click.Context, catalog_dir: Path | None) -> None:
    """qzbot: Quanzhou foreign-trade policy assistant."""
    try:
        ctx.obj = Settings.from_env(catalog=catalog_dir)
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.pass_obj
def validate(settings: Settings) -> None:
    """Check the catalog: schema, ids, phrasings, verbatim quotes and every figure."""
    try:
        catalog = load_catalog(settings.catalog)
    except CatalogError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s) found.", err=True)
        sys.exit(1)
    phrasings = sum(len(i.questions.zh) + len(i.questions.en) for i in catalog.intents.values())
    click.echo(
        f"OK: {len(catalog.intents)} intents in {len(catalog.topics)} topics, "
        f"{phrasings} phrasings, {len(catalog.news)} news items, "
        f"{len(catalog.glossary)} glossary terms, {len(catalog.documents)} documents."
    )


def _engine(settings: Settings):
    """Load and index the catalog once; a broken catalog is one clear message."""
    from bot.engine import Engine

    try:
        return Engine.load(settings.catalog)
    except CatalogError as exc:
        for problem in exc.problems[:20]:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"the catalog at {settings.catalog} has {len(exc.problems)} problem(s); run `qzbot validate`"
        ) from None


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question (for machines).")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Reply language (default: the question's).")
@click.pass_obj
def ask(settings: Settings, question: str | None, as_json: bool, lang: str | None) -> None:
    """Answer one QUESTION, or one question per line of standard input."""
    import json

    engine = _engine(settings)
    questions = [question] if question is not None else (line.rstrip("\n") for line in sys.stdin)
    for q in questions:
        if question is None and not q.strip() and not as_json:
            continue
        reply = engine.ask(q, lang)
        if as_json:
            click.echo(json.dumps(reply.to_json(), ensure_ascii=False))
        else:
            click.echo(reply.answer)
            if question is None:
                click.echo("")


@cli.command()
@click.pass_obj
def chat(settings: Settings) -> None:
    """Talk to the bot in the console (no Telegram token needed)."""
    from bot.console import run_chat

    run_chat(_engine(settings))


@cli.command(name="eval")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--misses", is_flag=True, help="Also list every question the bot got wrong.")
@click.pass_obj
def eval_(settings: Settings, path: Path, misses: bool) -> None:
    """Accuracy report on a labelled question file or directory of them."""
    from tqdm import tqdm

    from bot.evaluation import QuestionFileError, evaluate, load_questions

    engine = _engine(settings)
    try:
        questions = load_questions(path)
    except QuestionFileError as exc:
        raise click.ClickException(str(exc)) from None
    with tqdm(total=len(questions), desc="questions", file=sys.stderr, disable=None) as bar:
        report = evaluate(engine, questions, progress=bar)
    for line in report.lines():
        click.echo(line)
    if misses:
        click.echo("")
        for lq, outcome, top in report.misses:
            click.echo(f"[{lq.kind}] {lq.q!r} want {list(lq.intents) or 'fallback'} got {outcome} {top}")


@cli.command()
@click.option("--webhook-url", metavar="URL", help="Receive updates by webhook at this public HTTPS URL (default: WEBHOOK_URL; polling when unset).")
@click.option("--chat-without-token", is_flag=True, help="With no TELEGRAM_BOT_TOKEN, start the console chat instead of failing.")
@click.pass_obj
def run(settings: Settings, webhook_url: str | None, chat_without_token: bool) -> None:
    """Run the Telegram bot (polling, or webhook mode when a webhook URL is set)."""
    if not settings.telegram_token:
        if chat_without_token:
            click.echo("No TELEGRAM_BOT_TOKEN set: starting the console chat instead (Ctrl-D quits).", err=True)
            from bot.console import run_chat

            run_chat(_engine(settings))
            return
        raise click.ClickException(
            "TELEGRAM_BOT_TOKEN is not set (environment or .env); get a token from @BotFather, "
            "or talk to the bot in the console with `qzbot chat`"
        )
    from bot.store import StoreError
    from bot.telegram import BotStartError, run_bot
    from bot.telegram.logs import configure_logging

    configure_logging(settings.log_level, [settings.telegram_token, settings.webhook_secret])
    engine = _engine(settings)
    try:
        ok = run_bot(settings, engine, webhook_url=webhook_url or settings.webhook_url)
    except (BotStartError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    if not ok:
        sys.exit(1)


@cli.group()
def db() -> None:
    """Database maintenance (DATABASE_URL; default sqlite:///data/qzbot.sqlite3)."""


@db.command()
@click.pass_obj
def upgrade(settings: Settings) -> None:
    """Create or upgrade the database schema to the newest version, keeping all data."""
    from bot.store import Store, StoreError, redact_url

    try:
        store = Store.open(settings.database_url)
        try:
            before = store.revision()
            store.upgrade()
            after = store.revision()
        finally:
            store.close()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    where = redact_url(settings.database_url)
    if before == after:
        click.echo(f"{where} is up to date (revision {after}).")
    else:
        click.echo(f"{where} upgraded from {before or 'empty'} to revision {after}.")


from bot.cli_admin import COMMANDS as ADMIN_COMMANDS  # noqa: E402  (they use _engine above)

from bot.cli_digest import COMMANDS as DIGEST_COMMANDS  # noqa: E402

for _command in [*ADMIN_COMMANDS, *DIGEST_COMMANDS]:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="qzbot")


if __name__ == "__main__":
    main()
