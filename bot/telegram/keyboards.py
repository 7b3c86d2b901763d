"""Inline keyboards: related questions, did-you-mean, topics, paging, feedback, language."""

from __future__ import annotations

import math

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine import Reply, Suggestion
from bot.telegram import callbacks as cb
from bot.telegram.callbacks import IntentCodes
from bot.telegram.messages import text

PAGE_SIZE = 8  # rows of choices per screen; more are paged
LABEL_CHARS = 48  # longer titles are cut: Telegram clips long buttons anyway


def label(title: str, prefix: str = "") -> str:
    title = " ".join(title.split())
    room = LABEL_CHARS - len(prefix)
    return prefix + (title if len(title) <= room else title[: room - 1] + "…")


def _button(caption: str, data: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(caption, callback_data=data)] if cb.fits(data) else []


def _rows(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup | None:
    kept = [r for r in rows if r]
    return InlineKeyboardMarkup(kept) if kept else None


def answer_keyboard(reply: Reply, codes: IntentCodes, question_id: int | None, *, feedback: bool = True) -> InlineKeyboardMarkup | None:
    """Under an answer: related questions, subscribe to its topic, helpful / not helpful."""
    lang = reply.language
    rows = [_button(label(r.title, "🔎 "), cb.answer_data(lang, codes.code(r.intent))) for r in reply.related]
    if reply.topic:
        rows.append(_button(text("btn_subscribe", lang), cb.subscribe_data(reply.topic)))
    if feedback and reply.intent:
        code = codes.code(reply.intent)
        rows.append(
            _button(text("btn_helpful", lang), cb.feedback_data(True, code, question_id))
            + _button(text("btn_unhelpful", lang), cb.feedback_data(False, code, question_id))
        )
    return _rows(*rows)


def choices_keyboard(choices: list[Suggestion], codes: IntentCodes, lang: str, *, numbered: bool) -> InlineKeyboardMarkup | None:
    """Did-you-mean choices (clarify) or near misses (fallback), then a way to browse."""
    rows = [
        _button(label(s.title, f"{i}. " if numbered else "🔎 "), cb.answer_data(lang, codes.code(s.intent)))
        for i, s in enumerate(choices, 1)
    ]
    rows.append(_button(text("btn_browse", lang), cb.topics_data(lang)))
    return _rows(*rows)


def pages(count: int) -> int:
    return max(1, math.ceil(count / PAGE_SIZE))


def _pager(lang: str, page: int, count: int, data_for) -> list[InlineKeyboardButton]:
    nav = []
    if page > 0:
        nav += _button(text("btn_prev", lang), data_for(page - 1))
    if page + 1 < pages(count):
        nav += _button(text("btn_next", lang), data_for(page + 1))
    return nav


def topics_keyboard(topics: list[tuple[str, str]], lang: str, page: int = 0) -> InlineKeyboardMarkup | None:
    shown = topics[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [_button(label(title), cb.topic_data(lang, topic)) for topic, title in shown]
    rows.append(_pager(lang, page, len(topics), lambda p: cb.topics_data(lang, p)))
    return _rows(*rows)


def intents_keyboard(topic: str, items: list[Suggestion], codes: IntentCodes, lang: str, page: int) -> InlineKeyboardMarkup | None:
    shown = items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [_button(label(s.title), cb.browse_answer_data(lang, codes.code(s.intent), page)) for s in shown]
    rows.append(_pager(lang, page, len(items), lambda p: cb.topic_data(lang, topic, p)))
    rows.append(_button(text("btn_back_topics", lang), cb.topics_data(lang, 0)))
    return _rows(*rows)


def browsed_answer_keyboard(reply: Reply, codes: IntentCodes, page: int) -> InlineKeyboardMarkup | None:
    """An answer reached by browsing: back to the list it came from, plus the usual buttons."""
    base = answer_keyboard(reply, codes, None, feedback=False)
    rows = [list(r) for r in base.inline_keyboard] if base else []
    rows.append(_button(text("btn_back", reply.language), cb.topic_data(reply.language, reply.topic or "", page)))
    return _rows(*rows)


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("中文", callback_data=cb.lang_data("zh")),
        InlineKeyboardButton("English", callback_data=cb.lang_data("en")),
    ]])


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the helpful / not helpful row (after one press)."""
    if markup is None:
        return None
    rows = [list(r) for r in markup.inline_keyboard if not any((b.callback_data or "").startswith("fb:") for b in r)]
    return _rows(*rows)
