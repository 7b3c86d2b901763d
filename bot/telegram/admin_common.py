"""What every admin handler shares: who is an admin, refusing everyone else, the edit desk.

Only user ids in ADMIN_IDS are admins. Anyone else gets a short refusal (a message for a
command, a pop-up for a button) and the attempt is logged.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.ext import filters

from bot.admin_actions import AdminActions, Done, served_test
from bot.catalog.edit import EditError
from bot.store import StoreError
from bot.store.audit import AuditLog
from bot.telegram.app import services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.render import text_messages
from bot.telegram.replies import Context, send, typing

log = logging.getLogger(__name__)
T = TypeVar("T")
# Admin commands work in private chats only: in a group they would show other users'
# questions (the inbox, stats) to everyone there.
PRIVATE = NEW_MESSAGES & filters.ChatType.PRIVATE
LOCK_KEY = "admin_lock"  # user_data: serialises one admin's edits
ADMINS_ONLY = "⛔ 仅限管理员使用 / Admins only."
NOT_CHANGED = "❌ 未修改 / not changed:"
LIVE_WAIT_SECONDS = 20  # a reload of the shipped catalog takes about 3 s


def is_admin(update: Update, context: Context) -> bool:
    user = update.effective_user
    return user is not None and user.id in services(context).settings.admin_ids


async def refuse(update: Update) -> None:
    """Tell a non-admin no, and log who tried what."""
    user = update.effective_user
    query = update.callback_query
    tried = query.data if query else (update.effective_message.text if update.effective_message else "")
    log.warning("refused admin %s %r from user %s", "button" if query else "command", (tried or "")[:40],
                user.id if user else None)
    if query is not None:
        await query.answer(ADMINS_ONLY, show_alert=True)
    elif update.effective_chat is not None:
        await send(update.get_bot(), update.effective_chat.id, [ADMINS_ONLY])


def admin_only(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run `handler` for admins; refuse (and log) anyone else. Returns None for them, which
    also keeps a conversation from starting."""

    @wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        if not is_admin(update, context):
            return await refuse(update)
        return await handler(update, context)

    return wrapper


@admin_only
async def private_only(update: Update, context: Context) -> None:
    """An admin command in a group: admin work happens in a private chat with the bot."""
    await reply(update, context, "请在与机器人的私聊中使用管理员命令 / Use admin commands in a private chat with the bot.")


async def reply(update: Update, context: Context, text: str, markup: Any = None) -> Any:
    """Plain text (escaped, split if long) to the chat the update came from."""
    return await send(context.bot, update.effective_chat.id, text_messages(text), markup)


def actor(update: Update) -> str:
    """How an admin is named in the audit log and on answers they wrote."""
    user = update.effective_user
    return f"{user.full_name} (tg {user.id})"


def desk(update: Update, context: Context) -> AdminActions:
    """Catalog edits by this admin, recorded in the audit log when there is a database."""
    svc = services(context)
    audit = AuditLog(svc.store) if svc.store is not None else None
    return AdminActions(svc.settings.catalog, audit, actor(update))


async def attempt(update: Update, context: Context, work: Callable[[AdminActions], T]) -> tuple[T | None, EditError | None]:
    """Run one edit in a worker thread: (result, None), or (None, why) when it was refused
    (the refusal has been shown to the admin; the files are untouched)."""
    await typing(context.bot, update.effective_chat.id)  # validating and reloading take a few seconds
    try:
        return await asyncio.to_thread(work, desk(update, context)), None
    except EditError as exc:
        await reply(update, context, f"{NOT_CHANGED}\n{exc}")
        return None, exc


async def run_edit(update: Update, context: Context, work: Callable[[AdminActions], T]) -> T | None:
    """`attempt` for callers that only need to know whether it was done."""
    return (await attempt(update, context, work))[0]


async def served_note(context: Context, done: Done) -> str:
    """After a save: wait (a few seconds at most) until live reload serves the edit, and say
    so, so an admin knows the next question gets the new answer."""
    svc = services(context)
    if not svc.live_reload:
        return ""
    is_served = served_test(done.edit)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + LIVE_WAIT_SECONDS
    while loop.time() < deadline:
        if is_served(svc.engine.catalog):
            return "\n🟢 已生效 / live now"
        await asyncio.sleep(0.2)
    log.warning("edit of %s not served after %ss", done.edit.key, LIVE_WAIT_SECONDS)
    return "\n⏳ 已保存，尚未生效，请稍后再试 / saved, not live yet: try again in a moment"


def one_at_a_time(handler: Callable[[Update, Context], Awaitable[Any]]) -> Callable[[Update, Context], Awaitable[Any]]:
    """Handle one admin's edits one after the other. The bot handles updates concurrently:
    without this, a second tap on Save (or on an inbox button) while the first is still
    writing would try the same edit again."""

    @wraps(handler)
    async def wrapper(update: Update, context: Context) -> Any:
        async with context.user_data.setdefault(LOCK_KEY, asyncio.Lock()):
            return await handler(update, context)

    return wrapper


async def from_database(update: Update, context: Context, read: Callable[[], T]) -> T | None:
    """Run a read of the database in a worker thread. No database configured, or one that is
    not there or fails, is told to the admin in one line (and logged), and gives None."""
    if services(context).store is None:
        await reply(update, context, "没有配置数据库 / no database configured (DATABASE_URL)")
        return None
    try:
        return await asyncio.to_thread(read)
    except (StoreError, SQLAlchemyError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        log.warning("admin read of the database failed: %s", reason)
        await reply(update, context, f"❌ 数据库不可用 / the database is not available: {reason}")
        return None


def nonce() -> str:
    """A short random tag for a button that must only work on the message it was sent with."""
    return secrets.token_hex(4)
