"""What every handler does around its own work: is the bot addressed, may this user go on,
which language, typing indicator, and sending or editing messages."""

from __future__ import annotations

import logging
import re

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.telegram.app import services
from bot.telegram.callbacks import Callback, parse
from bot.telegram.messages import language_from_code, text
from bot.telegram.ratelimit import Verdict

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE


def is_private(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


def replies_to_bot(message: Message, bot: Bot) -> bool:
    original = message.reply_to_message
    return bool(original and original.from_user and original.from_user.id == bot.id)


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question in `message` if it is meant for us, else None.

    In private chats every message is. In groups only replies to the bot and messages that
    mention it; the mention itself is removed so it does not disturb matching."""
    if message.text is None:
        return None
    if is_private(message):
        return message.text
    mentioned = False
    for entity in message.entities or ():
        if entity.type == MessageEntity.MENTION and bot.username:
            mentioned |= message.parse_entity(entity).lower() == "@" + bot.username.lower()
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user:
            mentioned |= entity.user.id == bot.id
    if not (mentioned or replies_to_bot(message, bot)):
        return None
    if bot.username:
        return re.sub(re.escape("@" + bot.username), " ", message.text, flags=re.IGNORECASE).strip()
    return message.text


async def ui_language(update: Update, context: Context) -> str:
    """The user's language for the bot's own words: /lang choice, else Telegram's setting."""
    user = update.effective_user
    data = context.user_data
    if user is None or data is None:
        return "zh"
    if "lang" not in data:
        svc = services(context)
        chosen = await svc.db(svc.store.user_language, user.id) if svc.store else None
        data["lang"] = chosen or language_from_code(user.language_code)
    return data["lang"]


async def gate(update: Update, context: Context, lang: str | None = None) -> bool:
    """Per-user rate limit: True to go on. A flood gets one notice, then silence."""
    user = update.effective_user
    if user is None:
        return True
    verdict = services(context).limiter.check(user.id)
    if verdict is Verdict.ALLOW:
        return True
    lang = lang or await ui_language(update, context)
    notice = text("slow_down", lang) if verdict is Verdict.NOTIFY else None
    try:
        if update.callback_query:
            await update.callback_query.answer(notice)
        elif notice and update.effective_chat:
            await context.bot.send_message(update.effective_chat.id, notice)
    except TelegramError as exc:
        log.info("could not send the rate-limit notice: %s", exc)
    return False


async def typing(bot: Bot, chat_id: int) -> None:
    """Show "typing…"; a failure here must not cost the user the answer."""
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as exc:
        log.debug("sendChatAction failed: %s", exc)


async def send(
    bot: Bot, chat_id: int, messages: list[str], markup: InlineKeyboardMarkup | None = None,
    *, reply_to: Message | None = None,
) -> Message | None:
    """Send HTML messages in order; the keyboard goes under the last one."""
    sent = None
    for i, html_text in enumerate(messages):
        last = i == len(messages) - 1
        reply = ReplyParameters(reply_to.message_id, allow_sending_without_reply=True) if reply_to and i == 0 else None
        sent = await bot.send_message(chat_id, html_text, reply_markup=markup if last else None, reply_parameters=reply)
    return sent


async def edit_or_send(query: CallbackQuery, bot: Bot, messages: list[str], markup: InlineKeyboardMarkup | None) -> None:
    """Replace the message the button sat on (browsing in place); send anew when that
    cannot be done (a multi-part answer, or a message Telegram will not let us edit)."""
    if len(messages) == 1 and query.message is not None:
        try:
            await query.edit_message_text(messages[0], reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # the same button pressed twice
                return
            log.info("cannot edit message, sending a new one: %s", exc)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await send(bot, chat_id, messages, markup)


async def stale(update: Update, context: Context) -> None:
    """The answer for a button we no longer understand (old catalog, forged data)."""
    await update.callback_query.answer(text("stale_button", await ui_language(update, context)))


async def pressed(update: Update, context: Context, kind: str) -> Callback | None:
    """The button's parsed data if it is of `kind`; otherwise it is answered as stale.
    (PTB offers a press without data to every button handler, so each one checks.)"""
    choice = parse(update.callback_query.data)
    if choice is None or choice.kind != kind:
        await stale(update, context)
        return None
    return choice


async def pressed_intent(update: Update, context: Context, kind: str, lang: str | None = None) -> tuple[Callback, str] | None:
    """(button data, intent id) for an intent button of `kind` that this user may press now;
    None when the press was refused (rate limit) or is stale, and already answered as such.
    `lang` is for buttons whose data carries no language (feedback)."""
    choice = await pressed(update, context, kind)
    if choice is None or not await gate(update, context, lang or choice.lang):
        return None
    intent = services(context).codes.intent(choice.code)
    if intent is None:
        await stale(update, context)
        return None
    return choice, intent
