"""/start, /help, /lang, and what is left over: unknown commands, media, stale buttons, errors."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram import callbacks as cb
from bot.telegram import keyboards
from bot.telegram.app import services
from bot.telegram.messages import help_text, text, welcome
from bot.telegram.render import esc, text_messages
from bot.telegram.replies import Context, edit_or_send, gate, is_private, pressed, replies_to_bot, send, stale, ui_language

log = logging.getLogger(__name__)

NEW_MESSAGES = filters.UpdateType.MESSAGE  # edited messages are ignored on purpose
MEDIA = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO | filters.VIDEO_NOTE
    | filters.ANIMATION | filters.Document.ALL | filters.LOCATION | filters.CONTACT | filters.POLL
)


async def start(update: Update, context: Context) -> None:
    """Welcome the user in their language, say what the bot knows, offer the topics."""
    if not await gate(update, context):
        return
    svc = services(context)
    lang = await ui_language(update, context)
    if update.effective_user and svc.store:
        await svc.db(svc.store.touch_user, update.effective_user.id)
    topics = svc.engine.topic_titles(lang)
    await send(
        context.bot, update.effective_chat.id, text_messages(welcome([t for _, t in topics], lang)),
        keyboards.topics_keyboard(topics, lang),
    )


async def help_command(update: Update, context: Context) -> None:
    """How to ask, and the commands."""
    if not await gate(update, context):
        return
    lang = await ui_language(update, context)
    body = help_text(lang)
    user = update.effective_user
    if user is not None and user.id in services(context).settings.admin_ids:
        body += "\n\n" + ("管理员命令：/admin" if lang == "zh" else "Admin commands: /admin")
    await send(context.bot, update.effective_chat.id, text_messages(body))


async def lang(update: Update, context: Context) -> None:
    """Choose the bot's language: `/lang en`, `/lang zh`, or buttons."""
    if not await gate(update, context):
        return
    wanted = (context.args[0].lower()[:2] if context.args else "")
    if wanted in cb.LANGS:
        await _set_language(update, context, wanted)
        await send(context.bot, update.effective_chat.id, [esc(text("language_set", wanted))])
        return
    await send(
        context.bot, update.effective_chat.id, [esc(text("choose_language", await ui_language(update, context)))],
        keyboards.language_keyboard(),
    )


async def lang_button(update: Update, context: Context) -> None:
    """A language button from /lang was pressed."""
    query = update.callback_query
    choice = await pressed(update, context, "lang")
    if choice is None or not await gate(update, context, choice.lang):
        return
    await _set_language(update, context, choice.lang)
    await query.answer()
    await edit_or_send(query, context.bot, [esc(text("language_set", choice.lang))], None)


async def _set_language(update: Update, context: Context, lang_code: str) -> None:
    svc = services(context)
    if context.user_data is not None:
        context.user_data["lang"] = lang_code
    if update.effective_user and svc.store:
        await svc.db(svc.store.set_language, update.effective_user.id, lang_code)


async def unknown_command(update: Update, context: Context) -> None:
    """A command we do not have: point to /help (in groups only if it was addressed to us)."""
    message = update.effective_message
    command = (message.text or "").split()[0]
    if not is_private(message) and not command.lower().endswith("@" + (context.bot.username or "").lower()):
        return  # probably another bot's command
    if not await gate(update, context):
        return
    await send(context.bot, message.chat.id, [esc(text("unknown_command", await ui_language(update, context)))])


async def media(update: Update, context: Context) -> None:
    """Stickers, photos, voice ...: ask for text (in groups only when replying to us)."""
    message = update.effective_message
    if not is_private(message) and not replies_to_bot(message, context.bot):
        return
    if not await gate(update, context):
        return
    await send(context.bot, message.chat.id, [esc(text("type_please", await ui_language(update, context)))])


async def stale_button(update: Update, context: Context) -> None:
    """Any button data we did not make or no longer understand."""
    await stale(update, context)


async def on_error(update: object, context: Context) -> None:
    """Log the failure with its traceback and tell the user something useful."""
    error = context.error
    where = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        where = f" (update {update.update_id}, chat {chat.id if chat else '-'})"
    if isinstance(error, Forbidden):
        log.info("Telegram refused to deliver%s: %s", where, error)  # e.g. the user blocked the bot
        return
    log.error("error while handling an update%s", where, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        lang = await ui_language(update, context)
        if update.callback_query:
            await update.callback_query.answer(text("error", lang)[:190], show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, html.escape(text("error", lang), quote=False))
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("start", start, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("help", help_command, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("lang", lang, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(lang_button, pattern=lambda d: cb.kind_of(d) == "lang"))


def register_fallbacks(application: Application) -> None:
    application.add_handler(MessageHandler(filters.COMMAND & NEW_MESSAGES, unknown_command))
    application.add_handler(MessageHandler(MEDIA & NEW_MESSAGES, media))
    application.add_handler(CallbackQueryHandler(stale_button))
