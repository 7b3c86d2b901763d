"""Free-text questions and the buttons under answers: related, did-you-mean, feedback."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.engine import Reply
from bot.matching import Outcome
from bot.telegram import callbacks as cb
from bot.telegram import keyboards
from bot.telegram.app import Services, services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.messages import text
from bot.telegram.render import answer_messages, text_messages
from bot.telegram.replies import (
    Context,
    addressed_text,
    gate,
    is_private,
    pressed_intent,
    send,
    typing,
    ui_language,
)

log = logging.getLogger(__name__)
CHOICES = "choices"  # user_data key: (language, intent ids) of the last did-you-mean list


async def question(update: Update, context: Context) -> None:
    """Answer a free-text question (in groups only when the bot is addressed)."""
    message = update.effective_message
    question_text = addressed_text(message, context.bot)
    if question_text is None:
        return
    if not await gate(update, context):
        return
    svc = services(context)
    # "typing…" goes out while we match and log; it must land before the answer does.
    typing_sent = asyncio.create_task(typing(context.bot, message.chat.id))
    picked = _picked_choice(question_text, context.user_data)
    if picked and picked[1] not in svc.engine.catalog.intents:  # the catalog changed meanwhile
        picked = None
    if picked:  # "2" after a did-you-mean list picks the second choice
        reply, question_id = svc.engine.answer_intent(picked[1], picked[0]), None
    else:
        reply = svc.engine.ask(question_text)
        question_id = await _log(svc, update, question_text, reply)
    if context.user_data is not None:
        context.user_data.pop(CHOICES, None)
        if reply.outcome == Outcome.CLARIFY.value:
            context.user_data[CHOICES] = (reply.language, [s.intent for s in reply.suggestions])
    reply_to = None if is_private(message) else message  # in groups, make clear whom we answer
    await typing_sent
    await send_reply(context, svc, message.chat.id, reply, question_id, reply_to=reply_to)


async def send_reply(context: Context, svc: Services, chat_id: int, reply: Reply, question_id: int | None, *, reply_to=None) -> None:  # noqa: ANN001
    if reply.outcome == Outcome.ANSWER.value:
        messages = answer_messages(reply)
        markup = keyboards.answer_keyboard(reply, svc.codes, question_id)
    else:  # clarify: the choices; fallback: near misses (if any) and a way to browse
        messages = text_messages(reply.answer)
        numbered = reply.outcome == Outcome.CLARIFY.value
        markup = keyboards.choices_keyboard(reply.suggestions, svc.codes, reply.language, numbered=numbered)
    await send(context.bot, chat_id, messages, markup, reply_to=reply_to)


async def answer_button(update: Update, context: Context) -> None:
    """A related or did-you-mean button: the intent's answer as a new message."""
    query = update.callback_query
    picked = await pressed_intent(update, context, "a")
    if picked is None:
        return
    choice, intent = picked
    svc = services(context)
    await query.answer()
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await typing(context.bot, chat_id)
    await send_reply(context, svc, chat_id, svc.engine.answer_intent(intent, choice.lang), None)


async def feedback(update: Update, context: Context) -> None:
    """Helpful / not helpful: recorded, thanked, and the two buttons removed."""
    query = update.callback_query
    lang = await ui_language(update, context)
    picked = await pressed_intent(update, context, "fb", lang)
    if picked is None:
        return
    choice, intent = picked
    svc = services(context)
    if svc.store:
        await svc.db(
            svc.store.add_feedback, user_id=query.from_user.id, intent=intent,
            helpful=choice.helpful, question_id=choice.question_id or None,
        )
    await query.answer(text("thanks_helpful" if choice.helpful else "thanks_unhelpful", lang))
    if query.message is not None:
        try:  # one vote per answer; keep the other buttons
            await query.edit_message_reply_markup(keyboards.without_feedback(query.message.reply_markup))
        except TelegramError as exc:
            log.debug("could not remove the feedback buttons: %s", exc)


async def _log(svc: Services, update: Update, question_text: str, reply: Reply) -> int | None:
    if svc.store is None:
        return None
    user = update.effective_user
    return await svc.db(
        svc.store.log_question, user_id=user.id if user else None, chat_id=update.effective_chat.id,
        question=question_text, outcome=reply.outcome, intent=reply.intent, score=reply.score,
        language=reply.language,
    )


def _picked_choice(question_text: str, user_data: dict | None) -> tuple[str, str] | None:
    """(language, intent) if the message is the number of a choice shown just before."""
    stripped = question_text.strip()
    if not user_data or CHOICES not in user_data or not stripped.isdigit() or len(stripped) > 2:
        return None
    lang, intents = user_data[CHOICES]
    index = int(stripped) - 1
    return (lang, intents[index]) if 0 <= index < len(intents) else None


def register(application: Application) -> None:
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & NEW_MESSAGES, question))
    application.add_handler(CallbackQueryHandler(answer_button, pattern=lambda d: cb.kind_of(d) == "a"))
    application.add_handler(CallbackQueryHandler(feedback, pattern=lambda d: cb.kind_of(d) == "fb"))
