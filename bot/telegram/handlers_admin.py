"""Admin commands: look at an intent, add or remove a phrasing, see usage; and the one
handler for admin buttons outside a conversation (inbox, history), which refuses non-admins.

Only user ids in ADMIN_IDS may use them; anyone else gets a short refusal and the attempt
is logged. Edits go through `bot.admin_actions` (validated like `qzbot validate`, written
atomically under a lock, recorded in the audit log); live reload then serves them.
Guided edits (answers, new intents, news) are in `handlers_admin_edit`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.telegram import callbacks as cb
from bot.telegram import handlers_admin_history, handlers_admin_inbox
from bot.telegram.admin_common import (
    PRIVATE, admin_only, from_database, is_admin, one_at_a_time, private_only, refuse, run_edit, served_note,
)
from bot.telegram.admin_common import reply as _reply
from bot.telegram.app import services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.messages import ADMIN_COMMANDS
from bot.telegram.replies import Context
from bot.usage import stats_chart_png, usage_stats

log = logging.getLogger(__name__)


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
    lines.append(f"\n/answer {item.id} zh|en · /addq {item.id} … · /history {item.id}")
    await _reply(update, context, "\n".join(lines))


@admin_only
async def admin(update: Update, context: Context) -> None:
    """The admin commands, one line each."""
    lines = ["🛠 管理员命令 / admin commands:"] + [f"/{name} — {title}: {usage}" for name, title, usage in ADMIN_COMMANDS]
    await _reply(update, context, "\n".join(lines))


async def _phrasing_edit(update: Update, context: Context, add: bool) -> None:
    args = context.args or []
    if len(args) < 2:
        return await _reply(update, context, f"用法 / usage: /{'addq' if add else 'rmq'} INTENT_ID 问法 (en: prefix with en:)")
    intent_id, text = args[0], " ".join(args[1:])
    lang = "en" if text.startswith("en:") else "zh"
    text = text[3:].strip() if lang == "en" else text
    done = await run_edit(update, context, lambda desk: (desk.add_phrasing if add else desk.remove_phrasing)(intent_id, text, lang))
    if done is None:
        return
    log.info("admin %s %s phrasing of %s: %r", update.effective_user.id, "added" if add else "removed", intent_id, text)
    note = await served_note(context, done)
    await _reply(update, context, f"✅ {intent_id}: {'added' if add else 'removed'} {lang} phrasing “{text}”.{note}")


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
    result = await from_database(update, context, lambda: usage_stats(svc.store.engine))
    if result is None:
        return
    await _reply(update, context, "\n".join(result.lines()))
    png = await asyncio.to_thread(stats_chart_png, result)
    await context.bot.send_photo(update.effective_chat.id, png, caption=f"qzbot usage, last {result.days} days")


@one_at_a_time
async def admin_button(update: Update, context: Context) -> None:
    """Admin buttons outside a conversation: inbox actions, restore; refused for anyone else."""
    if not is_admin(update, context):
        return await refuse(update)
    choice = cb.parse(update.callback_query.data)
    if choice is not None and choice.op in handlers_admin_inbox.OPS:
        return await handlers_admin_inbox.on_button(update, context, choice)
    if choice is not None and choice.op in handlers_admin_history.OPS:
        return await handlers_admin_history.on_button(update, context, choice)
    await update.callback_query.answer("这一步已结束 / This step is over.")


def register(application: Application) -> None:
    for name, handler in (("admin", admin), ("intent", intent), ("addq", addq), ("rmq", rmq), ("stats", stats)):
        application.add_handler(CommandHandler(name, handler, filters=PRIVATE))
    handlers_admin_inbox.register(application)
    handlers_admin_history.register(application)
    names = [name for name, _, _ in ADMIN_COMMANDS if name != "cancel"]
    application.add_handler(CommandHandler(names, private_only, filters=NEW_MESSAGES & ~filters.ChatType.PRIVATE))
    application.add_handler(CallbackQueryHandler(admin_button, pattern=lambda d: cb.kind_of(d) == "ad"))
