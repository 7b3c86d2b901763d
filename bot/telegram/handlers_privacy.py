"""/mydata (everything stored about the user) and /forget (delete it, after a confirmation)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.telegram import callbacks as cb
from bot.telegram.app import services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.keyboards_digest import forget_keyboard
from bot.telegram.messages_digest import my_data, t
from bot.telegram.render import esc, text_messages
from bot.telegram.replies import Context, edit_or_send, gate, pressed, send, ui_language


async def mydata(update: Update, context: Context) -> None:
    """Show everything the bot stores about this user."""
    if not await gate(update, context) or update.effective_user is None:
        return
    svc = services(context)
    lang = await ui_language(update, context)
    data = await svc.db(svc.store.user_data, update.effective_user.id) if svc.store else None
    data = data or {"user": None, "subscriptions": [], "questions": [], "feedback": 0, "sent_items": 0, "digests": 0}
    await send(context.bot, update.effective_chat.id, text_messages(my_data(data, lang)))


async def forget(update: Update, context: Context) -> None:
    """Ask for confirmation before deleting everything about the user."""
    if not await gate(update, context):
        return
    lang = await ui_language(update, context)
    await send(context.bot, update.effective_chat.id, [esc(t("forget_ask", lang))], forget_keyboard(lang))


async def forget_button(update: Update, context: Context) -> None:
    """The /forget confirmation: delete every row about the user, or cancel."""
    query = update.callback_query
    choice = await pressed(update, context, "fg")
    lang = await ui_language(update, context)
    if choice is None or not await gate(update, context, lang):
        return
    await query.answer()
    if choice.op != "y":
        await edit_or_send(query, context.bot, [esc(t("forget_cancelled", lang))], None)
        return
    svc = services(context)
    gone = await svc.db(svc.store.forget_user, query.from_user.id, default=0) if svc.store else 0
    if context.user_data is not None:
        context.user_data.clear()
    await edit_or_send(query, context.bot, [esc(t("forgotten", lang, n=gone))], None)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("mydata", mydata, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("forget", forget, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(forget_button, pattern=lambda d: cb.kind_of(d) == "fg"))
