"""Live reload: watch `intents/` and hand over a new engine when the catalog changes.

A change made by hand or by an admin edit is loaded and validated off the event loop;
a valid catalog replaces the live one at once (questions already being answered finish
on the engine they started with), an invalid one is refused with its `file:line`
problems and the previous catalog keeps serving.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable

from watchfiles import awatch

from bot.catalog.errors import CatalogError, Problem
from bot.catalog.load import resolve_dirs

log = logging.getLogger(__name__)


def catalog_file(_change: Any, path: str) -> bool:
    """Only the catalog's own YAML counts: not the edit lock or half-written temp files."""
    name = Path(path).name
    return name.endswith(".yaml") and not name.startswith(".")


async def _call(callback: Callable[..., Any], *args: Any) -> None:
    result = callback(*args)
    if inspect.isawaitable(result):
        await result


async def watch_catalog(
    path: Path | str,
    load: Callable[[Path], Any],
    on_loaded: Callable[[Any], Awaitable[None] | None],
    on_refused: Callable[[list[Problem]], Awaitable[None] | None],
    *,
    stop_event: asyncio.Event | None = None,
    debounce_ms: int = 400,
) -> None:
    """Until `stop_event` is set: on each change of a catalog file, `load(path)` (e.g.
    `Engine.load`) in a worker thread, then `on_loaded(result)` or `on_refused(problems)`."""
    root, intents_dir, _ = resolve_dirs(Path(path))
    async for changes in awatch(
        intents_dir, watch_filter=catalog_file, debounce=debounce_ms, stop_event=stop_event, recursive=False
    ):
        names = sorted({Path(p).name for _, p in changes})
        try:
            loaded = await asyncio.to_thread(load, root)
        except CatalogError as exc:
            log.warning("catalog change in %s refused: %d problem(s)", ", ".join(names), len(exc.problems))
            await _call(on_refused, exc.problems)
            continue
        log.info("catalog reloaded after a change in %s", ", ".join(names))
        await _call(on_loaded, loaded)
