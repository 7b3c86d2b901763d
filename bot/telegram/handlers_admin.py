"""Admin commands: look at an intent, teach it a phrasing, see usage and the inbox.

Only user ids in ADMIN_IDS may use them; anyone else gets a short refusal and the attempt
is logged. Edits go through `bot.catalog.edit` (validated like `qzbot validate`, written
atomically under a lock); live reload then serves them.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from functools import wraps

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.catalog.edit import CatalogEditor, EditError
from bot.telegram.app import services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.render import text_messages
from bot.telegram.replies import Context, send
from bot.usage import stats_chart_png, unanswered_inbox, usage_stats

log = logging.getLogger(__name__)
INBOX_KEY = "admin_inbox"  # user_data: the questions of the last /inbox, for /teach N


def admin_only(handler):
    """Refuse (and log) anyone not in ADMIN_IDS."""

    @wraps(handler)
    async def wrapper(update: Update, context: Context) -> None:
        user = update.effective_user
        if user is None or user.id not in services(context).settings.admin_ids:
            log.warning("refused admin command %r from user %s", (update.effective_message.text or "")[:40],
                        user.id if user else None)
            await send(context.bot, update.effective_chat.id, ["⛔ 仅限管理员使用 / Admins only."])
            return
        await handler(update, context)

    return wrapper


async def _reply(update: Update, context: Context, text: str) -> None:
    await send(context.bot, update.effective_chat.id, text_messages(text))


def _editor(context: Context) -> CatalogEditor:
    return CatalogEditor(services(context).settings.catalog)


@admin_only
async def intent(update: Update, context: Context) -> None:
    """Show an intent in full: /intent ID."""
    engine = services(context).engine
    if not context.args or context.args[0] not in engine.catalog.intents:
        return await _reply(update, context, "用法 / usage: /intent INTENT_ID")
    item = engine.catalog.intents[context.args[0]]
    where = engine.catalog.where[item.id]
    lines = [
        f"{item.id}  ({where.file}:{where.line})",
        f"zh: {item.title.zh}", f"en: {item.title.en}", "", item.answer.zh, "", item.answer.en, "",
        f"问法 zh ({len(item.questions.zh)}): " + " | ".join(item.questions.zh),
        f"phrasings en ({len(item.questions.en)}): " + " | ".join(item.questions.en),
        "sources: " + "; ".join(f"{s.doc}: {s.quote[:40]}" for s in item.sources),
    ]
    if item.admin:
        lines.append(f"admin: {item.admin.by} {item.admin.at}")
    await _reply(update, context, "\n".join(lines))


async def _phrasing_edit(update: Update, context: Context, add: bool) -> None:
    args = context.args or []
    if len(args) < 2:
        return await _reply(update, context, f"用法 / usage: /{'addq' if add else 'rmq'} INTENT_ID 问法 (en: prefix with en:)")
    intent_id, text = args[0], " ".join(args[1:])
    lang = "en" if text.startswith("en:") else "zh"
    text = text[3:].strip() if lang == "en" else text
    editor = _editor(context)
    try:
        change = editor.add_phrasing if add else editor.remove_phrasing
        await asyncio.to_thread(change, intent_id, text, lang)
    except EditError as exc:
        return await _reply(update, context, f"❌ 未修改 / not changed:\n{exc}")
    log.info("admin %s %s phrasing of %s: %r", update.effective_user.id, "added" if add else "removed", intent_id, text)
    await _reply(update, context, f"✅ {intent_id}: {'added' if add else 'removed'} {lang} phrasing “{text}”.")


@admin_only
async def addq(update: Update, context: Context) -> None:
    """Add a phrasing to an intent: /addq ID 问法."""
    await _phrasing_edit(update, context, add=True)


@admin_only
async def rmq(update: Update, context: Context) -> None:
    """Remove a phrasing from an intent: /rmq ID 问法."""
    await _phrasing_edit(update, context, add=False)


@admin_only
async def stats(update: Update, context: Context) -> None:
    """Usage at a glance, as text and as a chart."""
    svc = services(context)
    if svc.store is None:
        return await _reply(update, context, "no database configured")
    result = await asyncio.to_thread(usage_stats, svc.store.engine)
    await _reply(update, context, "\n".join(result.lines()))
    png = await asyncio.to_thread(stats_chart_png, result)
    await context.bot.send_photo(update.effective_chat.id, png, caption=f"qzbot usage, last {result.days} days")


@admin_only
async def inbox(update: Update, context: Context) -> None:
    """Questions the bot could not answer, grouped; /teach N INTENT_ID attaches one."""
    svc = services(context)
    if svc.store is None:
        return await _reply(update, context, "no database configured")
    items = await asyncio.to_thread(unanswered_inbox, svc.store.engine, svc.engine.matcher)
    context.user_data[INBOX_KEY] = [item.question for item in items]
    if not items:
        return await _reply(update, context, "没有未答问题 / The inbox is empty.")
    lines = [f"{n}. [{item.count}x] {item.question} → {item.suggested or '-'}" for n, item in enumerate(items, 1)]
    lines.append("\n/teach N（用建议的意图 / the suggested intent）或 / or /teach N INTENT_ID")
    await _reply(update, context, "\n".join(lines))


@admin_only
async def teach(update: Update, context: Context) -> None:
    """Attach question N of the last /inbox to an intent as a new phrasing."""
    svc = services(context)
    questions = context.user_data.get(INBOX_KEY) or []
    args = context.args or []
    if not args or not args[0].isdigit() or not 1 <= int(args[0]) <= len(questions):
        return await _reply(update, context, "用法 / usage: /inbox, then /teach N [INTENT_ID]")
    question = questions[int(args[0]) - 1]
    intent_id = args[1] if len(args) > 1 else None
    if intent_id is None:
        _, ranked = svc.engine.matcher.rank(question, limit=1)
        intent_id = ranked[0].intent if ranked else None
    if intent_id is None:
        return await _reply(update, context, "no suggested intent; say which: /teach N INTENT_ID")
    lang = svc.engine.matcher.match(question).language
    try:
        await asyncio.to_thread(_editor(context).add_phrasing, intent_id, question, lang)
    except EditError as exc:
        return await _reply(update, context, f"❌ 未修改 / not changed:\n{exc}")
    log.info("admin %s taught %s: %r at %s", update.effective_user.id, intent_id, question,
             datetime.now(timezone.utc).isoformat(timespec="seconds"))
    await _reply(update, context, f"✅ “{question}” → {intent_id}")


def register(application: Application) -> None:
    for name, handler in (("intent", intent), ("addq", addq), ("rmq", rmq), ("stats", stats),
                          ("inbox", inbox), ("teach", teach)):
        application.add_handler(CommandHandler(name, handler, filters=NEW_MESSAGES))
