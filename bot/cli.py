"""`qzbot`: the one entry point. A thin layer over the library: parse, call, print.

Named library errors become one clear line on stderr and exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.catalog import CatalogError, load_catalog
from bot.config import Settings


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
    ctx.obj = Settings.from_env(catalog=catalog_dir)


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


def main() -> None:
    cli(prog_name="qzbot")


if __name__ == "__main__":
    main()
