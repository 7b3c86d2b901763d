"""Reading YAML with line numbers (ruamel.yaml round-trip), for `file:line` messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bot.catalog.errors import CatalogError, Problem


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_yaml(path: Path, display: str) -> Any:
    """Parse one file; a syntax error becomes a CatalogError with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError([Problem(display, 1, f"not UTF-8 text ({exc.reason})")]) from None
    try:
        return round_trip_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(filter(None, [exc.context, exc.problem]))
        raise CatalogError([Problem(display, line, f"YAML syntax error: {what}")]) from None
    except YAMLError as exc:
        raise CatalogError([Problem(display, 1, f"YAML error: {exc}")]) from None


def line_of(node: Any, loc: tuple[Any, ...]) -> int:
    """The 1-based line of the deepest node on `loc` that the YAML tree knows."""
    line = 1
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            try:
                line = node.lc.key(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            try:
                line = node.lc.item(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            node = node[key]
        else:
            break
    return line


def plain(node: Any) -> Any:
    """ruamel's commented containers -> plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
