"""New documents -> draft intents an admin reviews before they are served.

`draft_document` registers the document in `seeds/` (copied unchanged, indexed) and
writes `intents/drafts/<doc id>.yaml`: one draft per policy-bearing passage, with a
title, phrasings built from the passage's key terms, the passage as its verbatim source
quote and the passage as a first answer to edit. The loader never reads `drafts/`, so
nothing is served until `publish_drafts` moves the drafts marked `reviewed: true` into
their topic files, each through the same validation as any other edit.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import jieba.analyse

from bot.catalog.edit import CatalogEditor, EditError, atomic_write
from bot.catalog.load import resolve_dirs
from bot.catalog.yamlfile import round_trip_yaml

DRAFTS_DIR = "drafts"
POLICY_WORDS = re.compile(r"设立|支持|补贴|补助|奖补|政策|措施|基金|试点|建设|推动|实施|开展|办理|服务|免|退税|通关|融资|贷款|方案")
FIGURE = re.compile(r"\d")
PASSAGE_MIN, PASSAGE_MAX = 30, 400
EN_PLACEHOLDER = "(Draft: the English answer is still to be written.)"


@dataclass
class PublishReport:
    published: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (draft id, why)
    waiting: list[str] = field(default_factory=list)  # not reviewed yet


def passages(text: str) -> list[str]:
    """Paragraphs of a document, long ones cut at sentence ends, short ones dropped.

    >>> passages("标题\\n\\n泉州设立30亿元海丝外贸基金，为超350家外贸企业授信28.26亿元。")
    ['泉州设立30亿元海丝外贸基金，为超350家外贸企业授信28.26亿元。']
    """
    out = []
    for para in re.split(r"\n\s*\n", text):
        para = re.sub(r"\s+", "", para)
        while len(para) > PASSAGE_MAX:
            cut = para.rfind("。", 0, PASSAGE_MAX)
            cut = cut + 1 if cut > PASSAGE_MIN else PASSAGE_MAX
            out.append(para[:cut])
            para = para[cut:]
        if len(para) >= PASSAGE_MIN:
            out.append(para)
    return out


def policy_bearing(passage: str) -> bool:
    """A passage worth an intent: it states a figure or a policy action."""
    return bool(FIGURE.search(passage) or POLICY_WORDS.search(passage))


def key_terms(passage: str, k: int = 4) -> list[str]:
    terms = [t for t in jieba.analyse.extract_tags(passage, topK=k * 2) if len(t) >= 2 and not t.isdigit()]
    return terms[:k] or [passage[:6]]


def draft_for(doc_id: str, number: int, passage: str, topic: str) -> dict:
    terms = key_terms(passage)
    main = terms[0]
    first_clause = re.split(r"[，。；：,;:]", passage)[0][:30]
    zh = [f"{main}是什么", f"{main}有什么政策", f"请问{main}的具体内容", f"{main}怎么申请",
          "".join(terms[:2]), f"泉州{main}情况"]
    zh += [f"{t}相关规定" for t in terms[1:3]]
    return {
        "reviewed": False,
        "topic": topic,
        "intent": {
            "id": f"{topic}.draft_{re.sub(r'[^a-z0-9_]', '_', doc_id.lower())}_{number:03d}",
            "title": {"zh": first_clause, "en": f"(Draft) {doc_id} passage {number}"},
            "answer": {"zh": passage, "en": EN_PLACEHOLDER},
            "questions": {"zh": list(dict.fromkeys(zh)), "en": [f"What does {doc_id} say about {main}?",
                                                              f"Tell me about {main} ({doc_id})"]},
            "keywords": terms,
            "related": [],
            "sources": [{"doc": doc_id, "quote": passage}],
        },
    }


def register_document(root_path: Path | str, document: Path, doc_id: str, *, title: str | None = None) -> str:
    """Copy a document into seeds/ unchanged and add it to the index (if not there yet)."""
    root, _, seeds = resolve_dirs(Path(root_path))
    target = seeds / document.name
    if target.resolve() != document.resolve():
        if target.exists():
            raise EditError(f"seeds/{document.name} already exists")
        shutil.copyfile(document, target)
    index_file = seeds / "index.yaml"
    yaml = round_trip_yaml()
    index = yaml.load(index_file.read_text(encoding="utf-8"))
    if not any(str(d["id"]) == doc_id for d in index["documents"]):
        lines = [line.strip() for line in document.read_text(encoding="utf-8").splitlines() if line.strip()]
        heading = title or (lines[0][:60] if lines else doc_id)
        index["documents"].append({
            "id": doc_id, "file": document.name, "title": heading, "title_en": heading,
            "publisher": "（待补充）", "date": None, "date_note": "registered by qzbot draft; to be completed",
            "kind": "document",
        })
        buf = io.StringIO()
        yaml.dump(index, buf)
        atomic_write(index_file, buf.getvalue())
    return doc_id


def draft_document(root_path: Path | str, document: Path, *, doc_id: str | None = None, topic: str = "drafts",
                   progress: Callable[[Iterable], Iterable] = lambda x: x) -> Path:
    """Write the drafts file for `document`; returns its path."""
    root, intents_dir, _ = resolve_dirs(Path(root_path))
    doc_id = doc_id or re.sub(r"[^a-z0-9-]", "-", document.stem.lower()).strip("-") or "document"
    register_document(root, document, doc_id)
    text = document.read_text(encoding="utf-8")
    drafts = []
    for number, passage in enumerate(progress(passages(text)), 1):
        if policy_bearing(passage):
            drafts.append(draft_for(doc_id, number, passage, topic))
    out = intents_dir / DRAFTS_DIR / f"{doc_id}.yaml"
    out.parent.mkdir(exist_ok=True)
    buf = io.StringIO()
    buf.write(f"# Drafts from seeds/{document.name}: not served. Edit each one (topic, title,\n"
              "# phrasings, answers), set `reviewed: true`, then run `qzbot publish`.\n")
    round_trip_yaml().dump({"document": doc_id, "drafts": drafts}, buf)
    atomic_write(out, buf.getvalue())
    return out


def publish_drafts(root_path: Path | str, drafts_file: Path, *,
                   create: Callable[[str, dict], object] | None = None) -> PublishReport:
    """Move reviewed drafts into the catalog, each validated; keep the rest in the file.
    `create(topic, intent)` adds one (default: `CatalogEditor.create_intent`; the CLI passes
    one that also records it in the audit log)."""
    create = create or CatalogEditor(root_path).create_intent
    yaml = round_trip_yaml()
    data = yaml.load(drafts_file.read_text(encoding="utf-8"))
    report = PublishReport()
    keep = []
    for item in data.get("drafts") or []:
        intent = item["intent"]
        if not item.get("reviewed"):
            report.waiting.append(str(intent["id"]))
            keep.append(item)
            continue
        if str(intent["answer"]["en"]).strip() == EN_PLACEHOLDER:
            report.refused.append((str(intent["id"]), "the English answer is still the draft placeholder"))
            keep.append(item)
            continue
        try:
            create(str(item["topic"]), {k: v for k, v in intent.items()})
            report.published.append(str(intent["id"]))
        except EditError as exc:
            report.refused.append((str(intent["id"]), str(exc).replace("\n", "; ")))
            keep.append(item)
    data["drafts"] = keep
    buf = io.StringIO()
    yaml.dump(data, buf)
    atomic_write(drafts_file, buf.getvalue())
    return report
