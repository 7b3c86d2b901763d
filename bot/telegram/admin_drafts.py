"""The steps of the guided admin edits: what each asks, how an answer is taken, what the
preview shows, and where to pick up after a refused save. No Telegram here: the
conversation in `handlers_admin_edit` moves a `Draft` through these steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from bot.catalog.authoring import CJK, build_intent, distinct, build_news, parse_sources, split_phrasings, split_title
from bot.catalog.edit import EditError
from bot.catalog.load import Catalog
from bot.catalog.rules import phrasing_key

# Steps (also the conversation's states) and the order each kind of edit goes through them.
ANSWER_TEXT, TOPIC, TITLE, PHRASINGS, ANSWER_ZH, ANSWER_EN, SOURCE, NEWS_DATE, NEWS_ZH, NEWS_EN, CONFIRM = (
    "answer_text", "topic", "title", "phrasings", "answer_zh", "answer_en", "source", "news_date", "news_zh", "news_en", "confirm")
STEPS = [ANSWER_TEXT, TOPIC, TITLE, PHRASINGS, ANSWER_ZH, ANSWER_EN, SOURCE, NEWS_DATE, NEWS_ZH, NEWS_EN, CONFIRM]
FLOWS = {
    "answer": [ANSWER_TEXT],
    "intent": [TOPIC, TITLE, PHRASINGS, ANSWER_ZH, ANSWER_EN, SOURCE],
    "news": [NEWS_DATE, TOPIC, NEWS_ZH, NEWS_EN, SOURCE],
}
PROMPTS = {
    ANSWER_TEXT: "请发送新的答复全文 / Send the new answer as your next message. (/cancel)",
    TOPIC: "选择主题 / Choose the topic:",
    TITLE: "发送标题：第一行中文，第二行英文 / Send the title: Chinese on the first line, English on the second.",
    PHRASINGS: "发送用户可能的问法，每行一个（中文和英文均可）/ Send ways businesses would ask, one per line "
               "(Chinese or English). 不足 6 个中文、2 个英文时按标题补足 / topped up from the title to 6 zh + 2 en.",
    ANSWER_ZH: "发送中文答复 / Send the Chinese answer.",
    ANSWER_EN: "发送英文答复 / Send the English answer.",
    SOURCE: "发送出处，每行 `文件id: 原文引文` / Send sources, one per line as `document-id: verbatim quote`.\n"
            "文件 / documents: {docs}\n{skip}",
    NEWS_DATE: "发送日期 / Send the date: YYYY-MM-DD (或 or YYYY-MM).",
    NEWS_ZH: "发送中文内容 / Send the Chinese text.",
    NEWS_EN: "发送英文内容 / Send the English text.",
}
SKIP_NOTE = "没有文件出处则发送 /skip：答复将标记为您编写，且不得含数字 / /skip if no document backs it: the answer is marked as yours and may state no figures."
ANSWER_SOURCES_NOTE = ("这些引文将取代本意图现有的出处（中英文答复中的数字都须出自它们）；发送 /skip 则不留出处 / "
                       "These quotes replace the intent's sources (the figures of both answers must come from them); /skip leaves none.")
NEWS_NOTE = "动态必须有出处 / A news item needs at least one source."
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


@dataclass
class Draft:
    """An edit in progress (in user_data)."""

    kind: str  # answer | intent | news
    step: str
    values: dict[str, Any] = field(default_factory=dict)
    tag: str = ""  # carried by the Save / Cancel buttons of the current preview
    built: dict[str, Any] | None = None  # the intent or news item the preview shows

    def next_step(self) -> str:
        """The step after this one; the preview after the last (or after an optional step
        outside the flow, like new sources for a replaced answer)."""
        steps = FLOWS[self.kind]
        i = steps.index(self.step) if self.step in steps else len(steps)
        return steps[i + 1] if i + 1 < len(steps) else CONFIRM


def take(draft: Draft, text: str, catalog: Catalog) -> str | None:
    """Store the admin's answer to the draft's current step; returns a complaint if it cannot be used."""
    step = draft.step
    text = text.strip()
    if not text:
        return "空消息 / an empty message"
    if step == TITLE:
        title = split_title(text)
        if title is None:
            return "需要两行：中文标题和英文标题 / two lines are needed: a Chinese title and an English one"
        draft.values["title"] = title
    elif step == PHRASINGS:
        zh, en = split_phrasings(text)
        # the inbox questions the intent was started from come first: they are how people ask
        seeds = draft.values.get("seeds", [])
        zh = [q for q in seeds if CJK.search(q)] + zh
        en = [q for q in seeds if not CJK.search(q)] + en
        zh, en = distinct(zh), distinct(en)
        draft.values["phrasings"] = (zh, en)
    elif step == SOURCE:
        try:
            draft.values["sources"] = parse_sources(text, catalog.documents)
        except EditError as exc:
            return str(exc)
    elif step == NEWS_DATE:
        if not _DATE.fullmatch(text) or not _valid_date(text):
            return "日期格式 / the date is written YYYY-MM-DD or YYYY-MM"
        draft.values["date"] = text
    elif step == TOPIC:
        if text not in catalog.topics:
            return "请按按钮选择主题 / choose a topic with the buttons"
        draft.values["topic"] = text
    else:  # answer_text, answer_zh, answer_en, news_zh, news_en: free text
        draft.values[step] = text
    return None


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text if len(text) == 10 else text + "-01")
        return True
    except ValueError:
        return False


def preview_text(draft: Draft, catalog: Catalog, by: str) -> str:
    """What Save would write, for the preview; builds the new intent or news item."""
    v = draft.values
    if draft.kind == "answer":
        intent = catalog.intents.get(v["intent"])
        given = v.get("sources")
        quotes = len(given) if given is not None else len(intent.sources) if intent else 0
        which = "您给出的" if given is not None else "本意图的"
        which_en = "the" if given is not None else "the intent's"
        body = (f"预览 / preview — {v['intent']} ({v['lang']}):\n\n{v[ANSWER_TEXT]}\n\n"
                + "".join(f"📎 {s['doc']}: {s['quote']}\n" for s in given or [])
                + f"保存后标记为 {by} 编写；答复中的数字须出现在{which} {quotes} 条出处引文中。"
                f"\nSaved as written by you; its figures must appear in {which_en} {quotes} source quotes.")
    else:
        if draft.kind == "intent":
            taken_phrasings = {phrasing_key(q) for i in catalog.intents.values() for q in i.questions.zh + i.questions.en}
            draft.built = build_intent(
                topic=v["topic"], title=v["title"], phrasings=v["phrasings"], answer=(v[ANSWER_ZH], v[ANSWER_EN]),
                sources=v.get("sources", []), taken=catalog.intents, taken_phrasings=taken_phrasings,
                by=by, at=date.today().isoformat())
        else:
            draft.built = build_news(date=v["date"], topic=v["topic"], text=(v[NEWS_ZH], v[NEWS_EN]),
                                     sources=v["sources"], taken={n.id for n in catalog.news})
        dumped = yaml.safe_dump(draft.built, allow_unicode=True, sort_keys=False, width=1000)
        body = f"预览 / preview — {draft.built['id']}:\n\n{dumped}"
    return body


def step_at_fault(kind: str, refused: EditError) -> str:
    """Which step to ask again after a refused save, from what the rules said broke.

    >>> from bot.catalog.errors import Problem
    >>> step_at_fault("intent", EditError("no", [Problem("x.yaml", 3, "phrasing '海外仓' is also a phrasing of a.b")]))
    'phrasings'
    >>> step_at_fault("news", EditError("no", [Problem("news.yaml", 9, "news text (zh) states figure '9' that none of its quotes contains")]))
    'news_zh'
    """
    said = " ".join(p.message for p in refused.problems) or str(refused)
    if kind == "answer":
        return SOURCE if "quote not found" in said or "unknown document" in said else ANSWER_TEXT
    if kind == "intent" and ("phrasing" in said or "questions" in said):
        return PHRASINGS
    if "states figure" in said:
        wrong_en = "(en)" in said and "(zh)" not in said
        return (ANSWER_EN if wrong_en else ANSWER_ZH) if kind == "intent" else (NEWS_EN if wrong_en else NEWS_ZH)
    return SOURCE
