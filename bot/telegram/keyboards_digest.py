"""Inline keyboards of the /subscribe editor, /forget, and the buttons under a digest."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.digest.options import COUNTIES, HOURS, INDUSTRIES, WEEKDAYS, county_label, industry_label
from bot.digest.render import DigestMessage
from bot.store.subscriptions import Sub
from bot.telegram import callbacks as cb
from bot.telegram.callbacks import IntentCodes
from bot.telegram.keyboards import label
from bot.telegram.messages_digest import any_label, t

DIGEST_BUTTONS = 8  # "open the full answer" buttons under one digest message


def _b(caption: str, op: str, arg: str | int = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(caption, callback_data=cb.sub_edit_data(op, arg))


def _grid(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def editor(sub: Sub, topics: list[tuple[str, str]], lang: str) -> InlineKeyboardMarkup:
    """Topic toggles, frequency, weekday / hour, county / industry, confirm."""
    rows = _grid([_b(("✅ " if topic in sub.topics else "▫️ ") + label(title), "t", topic) for topic, title in topics], 2)
    rows.append([
        _b(("● " if sub.frequency == f else "") + t("btn_" + f, lang), "f", f) for f in ("daily", "weekly", "off")
    ])
    when = [_b(t("btn_hour", lang, v=f"{sub.hour:02d}:00"), "H")]
    if sub.frequency == "weekly":
        when.insert(0, _b(t("btn_weekday", lang, v=WEEKDAYS[lang][sub.weekday]), "W"))
    rows.append(when)
    rows.append([
        _b(t("btn_county", lang, v=any_label(county_label(sub.county, lang), lang)), "C"),
        _b(t("btn_industry", lang, v=any_label(industry_label(sub.industry, lang), lang)), "I"),
    ])
    rows.append([_b(t("btn_confirm", lang), "ok")])
    return InlineKeyboardMarkup(rows)


def picker(kind: str, lang: str) -> InlineKeyboardMarkup:
    """A choice screen: W(eekday), H(our), C(ounty), I(ndustry); each ends with Back."""
    if kind == "W":
        rows = _grid([_b(name, "w", i) for i, name in enumerate(WEEKDAYS[lang])], 4)
    elif kind == "H":
        rows = _grid([_b(f"{h:02d}:00", "h", h) for h in HOURS], 4)
    elif kind == "C":
        rows = _grid([_b(zh if lang == "zh" else en, "c", i) for i, (zh, en) in enumerate(COUNTIES)], 2)
        rows.append([_b(t("btn_any", lang), "c", "-")])
    else:
        rows = _grid([_b(zh if lang == "zh" else en, "i", i) for i, (zh, en) in enumerate(INDUSTRIES)], 2)
        rows.append([_b(t("btn_any", lang), "i", "-")])
    rows.append([_b(t("btn_back", lang), "m")])
    return InlineKeyboardMarkup(rows)


def forget_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t("btn_forget_yes", lang), callback_data=cb.forget_data(True)),
        InlineKeyboardButton(t("btn_forget_no", lang), callback_data=cb.forget_data(False)),
    ]])


def digest_keyboard(message: DigestMessage, titles: dict[str, str], codes: IntentCodes, lang: str) -> InlineKeyboardMarkup | None:
    """Buttons that open the full answer of the intents a digest message mentions."""
    rows = []
    for intent in message.intents[:DIGEST_BUTTONS]:
        if intent in titles:  # an intent removed since the digest was composed gets no button
            rows.append([InlineKeyboardButton(label(titles[intent], "🔎 "), callback_data=cb.answer_data(lang, codes.code(intent)))])
    return InlineKeyboardMarkup(rows) if rows else None
