"""An intent's edit history from the audit log, and restoring an earlier version.

`/history INTENT_ID` lists the edits, newest first, each with who and when; a button (or
`/restore N`) shows the version before edit #N and, once confirmed, writes it back: through
the same validation and atomic write as any edit, and recorded in the audit log itself, so
a restore can be undone the same way.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.catalog.edit import EditError
from bot.telegram.admin_common import PRIVATE, NOT_CHANGED, admin_only, desk, reply, run_edit, served_note
from bot.telegram.app import services
from bot.telegram.callbacks import Callback, admin_data
from bot.telegram.render import esc
from bot.telegram.replies import Context

OPS = {"rs", "ry", "rx"}  # show a version to restore, restore it, keep things as they are
LISTED = 10
PREVIEW_CHARS = 1500


@admin_only
async def history(update: Update, context: Context) -> None:
    """An intent's edits, newest first, with buttons to restore the version before one."""
    args = context.args or []
    if not args:
        return await reply(update, context, "用法 / usage: /history INTENT_ID")
    if services(context).store is None:
        return await reply(update, context, "no database configured: there is no audit log")
    try:
        entries = await asyncio.to_thread(desk(update, context).history, args[0], limit=LISTED)
    except EditError as exc:
        return await reply(update, context, f"❌ {exc}")
    if not entries:
        return await reply(update, context, f"{args[0]}: 没有编辑记录 / no edits recorded.")
    lines = [f"🕘 {args[0]}: {len(entries)} 次编辑 / edits (newest first)"] + [e.line() for e in entries]
    rows = [[InlineKeyboardButton(f"↩ 恢复 #{e.id} 之前 / restore before #{e.id}", callback_data=admin_data("rs", e.id))]
            for e in entries if e.before is not None][:5]
    await reply(update, context, "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None)


async def _preview(update: Update, context: Context, entry_id: int) -> None:
    try:
        entry = await asyncio.to_thread(desk(update, context).entry, entry_id)
    except EditError as exc:
        return await reply(update, context, f"{NOT_CHANGED}\n{exc}")
    if entry.before is None:
        return await reply(update, context, f"#{entry_id} 没有更早的版本 / has no earlier version to restore "
                                            f"({entry.action} {entry.key}).")
    text = entry.before if len(entry.before) <= PREVIEW_CHARS else entry.before[:PREVIEW_CHARS] + "\n…"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ 恢复 / restore", callback_data=admin_data("ry", entry_id)),
                                    InlineKeyboardButton("✖ 取消 / cancel", callback_data=admin_data("rx", entry_id))]])
    await reply(update, context, f"恢复 {entry.key} 到 #{entry_id} 之前的版本？/ Restore the version before #{entry_id}?\n\n{text}", markup)


@admin_only
async def restore(update: Update, context: Context) -> None:
    """Show the version before audit entry N and ask to restore it: /restore N."""
    args = context.args or []
    if not args or not args[0].isdigit():
        return await reply(update, context, "用法 / usage: /restore N  (N: an entry number from /history)")
    await _preview(update, context, int(args[0]))


async def on_button(update: Update, context: Context, choice: Callback) -> None:
    """A history button (the caller has checked that an admin pressed it)."""
    query = update.callback_query
    if not choice.arg.isdigit():
        return await query.answer("?")
    await query.answer()
    entry_id = int(choice.arg)
    if choice.op == "rs":
        return await _preview(update, context, entry_id)
    if choice.op == "rx":
        return await query.edit_message_text(esc("已取消，未修改 / Cancelled; nothing changed."))
    done = await run_edit(update, context, lambda d: d.restore(entry_id))
    if done is not None:
        audit = f" (#{done.entry})" if done.entry else ""
        note = await served_note(context, done)
        await query.edit_message_text(esc(f"✅ {done.edit.key}: 已恢复 #{entry_id} 之前的版本 / restored the version "
                                          f"before #{entry_id}{audit}{note}"))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("history", history, filters=PRIVATE))
    application.add_handler(CommandHandler("restore", restore, filters=PRIVATE))
