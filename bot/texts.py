"""Every fixed sentence the bot says, in Chinese and English (plain text)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine import SourceRef, Suggestion

WHOM_TO_ASK = {
    "zh": "具体办理请咨询泉州市商务局；通关事项请咨询泉州海关。",
    "en": "For individual cases, ask the Quanzhou Municipal Bureau of Commerce (泉州市商务局); for customs matters, Quanzhou Customs (泉州海关).",
}


def source_line(src: "SourceRef", lang: str) -> str:
    date = src.date or ("日期未注明" if lang == "zh" else "undated")
    if lang == "zh":
        return f"{src.title}（{src.publisher}，{date}）"
    return f"{src.title_en} ({src.title}; {src.publisher}, {date})"


def answer(title, body, sources, related, admin, lang) -> str:
    lines = [title, "", body]
    if admin:
        lines += ["", admin]
    docs = []
    for src in sources:
        line = source_line(src, lang)
        if line not in docs:
            docs.append(line)
    if docs:
        lines += ["", "来源：" + "；".join(docs) if lang == "zh" else "Source: " + " | ".join(docs)]
    if related:
        lines += ["", "相关问题：" if lang == "zh" else "Related questions:"]
        lines += [f"- {r.title}" for r in related]
    return "\n".join(lines)


def clarify(choices: list["Suggestion"], lang: str) -> str:
    head = "您想问的是哪一个？" if lang == "zh" else "Did you mean:"
    tail = "请回复编号，或换个说法再问。" if lang == "zh" else "Reply with a number, or ask in other words."
    return "\n".join([head, *[f"{i}. {c.title}" for i, c in enumerate(choices, 1)], tail])


def unknown(topics: list[tuple[str, str]], lang: str) -> str:
    names = "、".join(t for _, t in topics) if lang == "zh" else ", ".join(t for _, t in topics)
    if lang == "zh":
        return (
            "抱歉，这个问题我还答不上来，我不想给您不准确的信息。\n"
            f"我能解答泉州外贸与跨境电商政策方面的问题：{names}。发送 /topics 可按主题浏览。\n"
            + WHOM_TO_ASK["zh"]
        )
    return (
        "Sorry, I can't answer that reliably, and I'd rather not guess.\n"
        f"I know about Quanzhou's foreign-trade and cross-border e-commerce policy: {names}. "
        "Send /topics to browse.\n" + WHOM_TO_ASK["en"]
    )


def other_place(places: list[str], lang: str) -> str:
    where = "、".join(places)
    if lang == "zh":
        return f"我只了解泉州的外贸政策，{where}的政策请咨询当地商务部门。\n发送 /topics 可浏览泉州的政策主题。"
    return f"I only know Quanzhou's foreign-trade policy; for {where}, please ask the local commerce authorities.\nSend /topics to browse Quanzhou's topics."


def empty_question(lang: str) -> str:
    if lang == "zh":
        return "请直接输入您想了解的问题，例如：“海外仓有多少个”“跨境一锁是什么”。发送 /topics 可按主题浏览。"
    return 'Please type your question, for example "How many overseas warehouses does Quanzhou have?". Send /topics to browse.'


def admin_note(by: str, at: str, lang: str, *, sourced: bool = False) -> str:
    """Who wrote an answer by hand. `sourced`: it keeps quotes (its figures come from them).

    >>> admin_note("Tester (tg 4242)", "2026-11-22T07:52:00+00:00", "en", sourced=True)
    '(Revised by admin Tester on 2026-11-22; its figures come from the quoted documents.)'
    """
    by = re.sub(r"\s*\(tg \d+\)$", "", by)  # the Telegram id stays in the files and the audit log
    at = at[:10]
    if lang == "zh":
        return f"（此答复由管理员 {by} 于 {at} 修订，数字均出自所引原文）" if sourced else f"（此答复由管理员 {by} 于 {at} 编写，无文件出处）"
    if sourced:
        return f"(Revised by admin {by} on {at}; its figures come from the quoted documents.)"
    return f"(Written by admin {by} on {at}; not from a source document.)"
