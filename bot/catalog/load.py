"""Loading a catalog directory: seeds index, topic files, glossary and news.

A catalog directory holds `intents/` (topic files, `glossary.yaml`, `news.yaml`) and
`seeds/` (documents and `index.yaml`); pointing at `intents/` itself also works, the
seeds then being its sibling. Files whose name starts with `_` are not served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.catalog.errors import CatalogError, Problem
from bot.catalog.models import (
    Document,
    GlossaryFile,
    Intent,
    NewsFile,
    NewsItem,
    SeedIndex,
    TopicFile,
)
from bot.catalog.yamlfile import line_of, plain, read_yaml

GLOSSARY_FILE = "glossary.yaml"
NEWS_FILE = "news.yaml"


@dataclass(frozen=True)
class Located:
    """Where an item sits: for `file:line` messages and for write-back."""

    file: str
    line: int


@dataclass
class Catalog:
    """Everything the bot knows, validated by schema (rules: `bot.catalog.rules`)."""

    root: Path
    intents_dir: Path
    seeds_dir: Path
    documents: dict[str, Document]
    texts: dict[str, str]
    topics: dict[str, TopicFile]
    intents: dict[str, Intent] = field(default_factory=dict)
    intent_topic: dict[str, str] = field(default_factory=dict)
    glossary: dict[str, list[str]] = field(default_factory=dict)
    news: list[NewsItem] = field(default_factory=list)
    where: dict[str, Located] = field(default_factory=dict)
    nodes: dict[str, Any] = field(default_factory=dict)

    def topic_of(self, intent_id: str) -> str:
        return self.intent_topic[intent_id]



def resolve_dirs(path: Path) -> tuple[Path, Path, Path]:
    """(root, intents_dir, seeds_dir) for a catalog path."""
    path = path.resolve()
    if (path / "intents").is_dir():
        return path, path / "intents", path / "seeds"
    return path.parent, path, path.parent / "seeds"


def _schema_problems(exc: ValidationError, display: str, tree: Any) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(file)"
        problems.append(Problem(display, line_of(tree, loc), f"{where}: {err['msg']}"))
    return problems


def _parse(model: type[BaseModel], path: Path, display: str) -> tuple[Any, Any]:
    tree = read_yaml(path, display)
    if tree is None:
        raise CatalogError([Problem(display, 1, "file is empty")])
    try:
        return model.model_validate(plain(tree)), tree
    except ValidationError as exc:
        raise CatalogError(_schema_problems(exc, display, tree)) from None


def load_documents(seeds_dir: Path, root: Path) -> tuple[dict[str, Document], dict[str, str]]:
    index_path = seeds_dir / "index.yaml"
    display = _display(index_path, root)
    if not index_path.is_file():
        raise CatalogError([Problem(display, 1, "seeds index not found")])
    index, tree = _parse(SeedIndex, index_path, display)
    documents, texts, problems = {}, {}, []
    for i, doc in enumerate(index.documents):
        line = line_of(tree, ("documents", i))
        if doc.id in documents:
            problems.append(Problem(display, line, f"duplicate document id {doc.id!r}"))
        doc_path = seeds_dir / doc.file
        if not doc_path.is_file():
            problems.append(Problem(display, line, f"document file {doc.file!r} not found"))
            continue
        documents[doc.id] = doc
        texts[doc.id] = doc_path.read_text(encoding="utf-8")
    if problems:
        raise CatalogError(problems)
    return documents, texts


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def topic_files(intents_dir: Path) -> list[Path]:
    return sorted(
        p
        for p in intents_dir.glob("*.yaml")
        if not p.name.startswith("_") and p.name not in (GLOSSARY_FILE, NEWS_FILE)
    )


def load_catalog(path: Path | str, *, check: bool = True) -> Catalog:
    """Load and (by default) fully validate a catalog; raise CatalogError listing every problem."""
    root, intents_dir, seeds_dir = resolve_dirs(Path(path))
    if not intents_dir.is_dir():
        raise CatalogError([Problem(str(intents_dir), 1, "catalog directory not found")])
    problems: list[Problem] = []
    broken_topic_file = False
    try:
        documents, texts = load_documents(seeds_dir, root)
    except CatalogError as exc:
        problems.extend(exc.problems)
        documents, texts = {}, {}
    catalog = Catalog(root, intents_dir, seeds_dir, documents, texts, topics={})
    for file in topic_files(intents_dir):
        display = _display(file, root)
        try:
            topic, tree = _parse(TopicFile, file, display)
        except CatalogError as exc:
            problems.extend(exc.problems)
            broken_topic_file = True
            continue
        if topic.topic in catalog.topics:
            problems.append(Problem(display, line_of(tree, ("topic",)), f"topic {topic.topic!r} is defined in two files"))
            continue
        catalog.topics[topic.topic] = topic
        for i, intent in enumerate(topic.intents):
            line = line_of(tree, ("intents", i))
            if intent.id in catalog.intents:
                first = catalog.where[intent.id]
                problems.append(Problem(display, line, f"duplicate intent id {intent.id!r} (first at {first.file}:{first.line})"))
                continue
            catalog.intents[intent.id] = intent
            catalog.intent_topic[intent.id] = topic.topic
            catalog.where[intent.id] = Located(display, line)
            catalog.nodes[intent.id] = tree["intents"][i]
    for name, model in ((GLOSSARY_FILE, GlossaryFile), (NEWS_FILE, NewsFile)):
        file = intents_dir / name
        if not file.is_file():
            continue
        display = _display(file, root)
        try:
            parsed, tree = _parse(model, file, display)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(parsed, GlossaryFile):
            catalog.glossary = parsed.glossary
            catalog.nodes["__glossary__"] = (display, tree)
        else:
            catalog.news = parsed.news
            for i, item in enumerate(parsed.news):
                catalog.where["news:" + item.id] = Located(display, line_of(tree, ("news", i)))
                catalog.nodes["news:" + item.id] = tree["news"][i]
    if not catalog.intents and not problems:
        problems.append(Problem(_display(intents_dir, root), 1, "no intents found"))
    if check and documents:
        from bot.catalog.rules import check_catalog

        problems.extend(check_catalog(catalog, cross_references=not broken_topic_file))
    if problems:
        raise CatalogError(problems)
    return catalog
