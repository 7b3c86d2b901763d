"""/topics: browse topic -> questions -> answer in one message, with Back buttons and pages."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.telegram import callbacks as cb
from bot.telegram import keyboards
from bot.telegram.app import services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.messages import text
from bot.telegram.render import answer_messages, esc
from bot.telegram.replies import Context, edit_or_send, gate, pressed, pressed_intent, send, stale, ui_language


async def topics(update: Update, context: Context) -> None:
    """List the topics as buttons."""
    if not await gate(update, context):
        return
    lang = await ui_language(update, context)
    items = services(context).engine.topic_titles(lang)
    await send(context.bot, update.effective_chat.id, [esc(text("choose_topic", lang))], keyboards.topics_keyboard(items, lang))


async def topics_page(update: Update, context: Context) -> None:
    """Back to (a page of) the topic list."""
    query = update.callback_query
    choice = await pressed(update, context, "t")
    if choice is None or not await gate(update, context, choice.lang):
        return
    items = services(context).engine.topic_titles(choice.lang)
    if choice.page >= keyboards.pages(len(items)):
        return await stale(update, context)
    await query.answer()
    markup = keyboards.topics_keyboard(items, choice.lang, choice.page)
    await edit_or_send(query, context.bot, [esc(text("choose_topic", choice.lang))], markup)


async def topic_questions(update: Update, context: Context) -> None:
    """The questions of one topic, paged."""
    query = update.callback_query
    choice = await pressed(update, context, "tp")
    if choice is None or not await gate(update, context, choice.lang):
        return
    svc = services(context)
    titles = dict(svc.engine.topic_titles(choice.lang))
    if choice.topic not in titles:
        return await stale(update, context)
    items = svc.engine.intents_of(choice.topic, choice.lang)
    if choice.page >= keyboards.pages(len(items)):
        return await stale(update, context)
    await query.answer()
    head = f"<b>{esc(titles[choice.topic])}</b>\n{esc(text('choose_question', choice.lang))}"
    markup = keyboards.intents_keyboard(choice.topic, items, svc.codes, choice.lang, choice.page)
    await edit_or_send(query, context.bot, [head], markup)


async def browsed_answer(update: Update, context: Context) -> None:
    """An answer picked while browsing, shown in place with a Back button."""
    query = update.callback_query
    picked = await pressed_intent(update, context, "b")
    if picked is None:
        return
    choice, intent = picked
    svc = services(context)
    await query.answer()
    reply = svc.engine.answer_intent(intent, choice.lang)
    markup = keyboards.browsed_answer_keyboard(reply, svc.codes, choice.page)
    await edit_or_send(query, context.bot, answer_messages(reply), markup)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("topics", topics, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(topics_page, pattern=lambda d: cb.kind_of(d) == "t"))
    application.add_handler(CallbackQueryHandler(topic_questions, pattern=lambda d: cb.kind_of(d) == "tp"))
    application.add_handler(CallbackQueryHandler(browsed_answer, pattern=lambda d: cb.kind_of(d) == "b"))
