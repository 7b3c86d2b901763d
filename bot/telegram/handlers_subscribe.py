"""/subscribe (an inline editor), /mysubs, /unsubscribe, /digest and the one-tap
"subscribe to this topic" button under answers."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.digest import compose, render
from bot.digest.options import COUNTIES, HOURS, INDUSTRIES
from bot.store.subscriptions import Sub
from bot.telegram import callbacks as cb
from bot.telegram.app import Services, services
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.keyboards_digest import digest_keyboard, editor, picker
from bot.telegram.messages_digest import summary, t
from bot.telegram.render import esc
from bot.telegram.replies import Context, edit_or_send, gate, pressed, send, stale, ui_language

DRAFT = "sub_draft"  # user_data: the subscription being edited, until Confirm
PICKERS = {"W": "pick_weekday", "H": "pick_hour", "C": "pick_county", "I": "pick_industry"}


async def _current(svc: Services, update: Update, lang: str) -> Sub:
    """The chat's saved subscription, or a fresh one in the user's language."""
    chat_id = update.effective_chat.id
    saved = await svc.db(svc.subs.get, chat_id) if svc.subs else None
    user_id = update.effective_user.id if update.effective_user else None
    return saved or Sub(chat_id, (), language=lang, user_id=user_id)


def _editor_text(svc: Services, sub: Sub, lang: str) -> str:
    return esc(t("sub_intro", lang) + "\n\n" + summary(sub, dict(svc.engine.topic_titles(lang)), lang))


async def subscribe(update: Update, context: Context) -> None:
    """Open the subscription editor: topics, frequency, time, county, industry."""
    if not await gate(update, context):
        return
    svc = services(context)
    lang = await ui_language(update, context)
    draft = replace(await _current(svc, update, lang), language=lang)
    context.user_data[DRAFT] = draft
    await send(context.bot, update.effective_chat.id, [_editor_text(svc, draft, lang)],
               editor(draft, svc.engine.topic_titles(lang), lang))


async def subscribe_button(update: Update, context: Context) -> None:
    """A press in the /subscribe editor: change the draft, show a picker, or save."""
    query = update.callback_query
    choice = await pressed(update, context, "s")
    lang = await ui_language(update, context)
    if choice is None or not await gate(update, context, lang) or query.message is None:
        return
    svc = services(context)
    draft: Sub | None = context.user_data.get(DRAFT)
    if draft is None or draft.chat_id != query.message.chat.id:
        draft = await _current(svc, update, lang)
    op, arg = choice.op, choice.arg
    try:
        if op == "t" and arg in svc.engine.catalog.topics:
            draft = draft.with_topic(arg)
        elif op == "f" and arg in ("daily", "weekly", "off"):
            draft = replace(draft, frequency=arg)
        elif op == "w" and arg.isdigit() and int(arg) < 7:
            draft = replace(draft, weekday=int(arg))
        elif op == "h" and arg.isdigit() and int(arg) in HOURS:
            draft = replace(draft, hour=int(arg))
        elif op == "c":
            draft = replace(draft, county=None if arg == "-" else COUNTIES[int(arg)][0])
        elif op == "i":
            draft = replace(draft, industry=None if arg == "-" else INDUSTRIES[int(arg)][0])
        elif op in PICKERS:
            await query.answer()
            await edit_or_send(query, context.bot, [esc(t(PICKERS[op], lang))], picker(op, lang))
            return
        elif op == "ok":
            await _confirm(update, context, svc, draft, lang)
            return
        elif op != "m":
            return await stale(update, context)
    except (ValueError, IndexError):
        return await stale(update, context)
    context.user_data[DRAFT] = draft
    await query.answer()
    await edit_or_send(query, context.bot, [_editor_text(svc, draft, lang)], editor(draft, svc.engine.topic_titles(lang), lang))


async def _confirm(update: Update, context: Context, svc: Services, draft: Sub, lang: str) -> None:
    query = update.callback_query
    if not draft.topics and draft.frequency != "off":
        await query.answer(t("sub_need_topic", lang), show_alert=True)
        return
    if svc.subs is None:
        return await stale(update, context)
    await svc.db(svc.store.touch_user, query.from_user.id)
    saved = await svc.db(svc.subs.save, replace(draft, language=lang, user_id=query.from_user.id))
    context.user_data.pop(DRAFT, None)
    await query.answer()
    head = t("sub_saved", lang) if saved and saved.active else t("sub_off", lang)
    body = summary(saved or draft, dict(svc.engine.topic_titles(lang)), lang)
    await edit_or_send(query, context.bot, [esc(head + "\n\n" + body)], None)


async def subscribe_topic(update: Update, context: Context) -> None:
    """"Subscribe to this topic" under an answer: add the topic in one tap."""
    query = update.callback_query
    choice = await pressed(update, context, "sub")
    lang = await ui_language(update, context)
    if choice is None or not await gate(update, context, lang):
        return
    svc = services(context)
    if choice.topic not in svc.engine.catalog.topics or svc.subs is None or query.message is None:
        return await stale(update, context)
    sub = await _current(svc, update, lang)
    topics = sub.topics if choice.topic in sub.topics else tuple(sorted((*sub.topics, choice.topic)))
    frequency = "daily" if sub.frequency == "off" else sub.frequency
    await svc.db(svc.store.touch_user, query.from_user.id)
    await svc.db(svc.subs.save, replace(sub, topics=topics, frequency=frequency, user_id=query.from_user.id))
    title = dict(svc.engine.topic_titles(lang))[choice.topic]
    await query.answer(t("sub_topic_added", lang, topic=title), show_alert=True)


async def mysubs(update: Update, context: Context) -> None:
    """Show this chat's subscription."""
    if not await gate(update, context):
        return
    svc = services(context)
    lang = await ui_language(update, context)
    sub = await svc.db(svc.subs.get, update.effective_chat.id) if svc.subs else None
    if sub is None:
        reply = t("sub_none", lang)
    else:
        reply = summary(sub, dict(svc.engine.topic_titles(lang)), lang)
    await send(context.bot, update.effective_chat.id, [esc(reply)])


async def unsubscribe(update: Update, context: Context) -> None:
    """Stop all digests for this chat (the choices are kept for /subscribe)."""
    if not await gate(update, context):
        return
    svc = services(context)
    lang = await ui_language(update, context)
    stopped = await svc.db(svc.subs.deactivate, update.effective_chat.id) if svc.subs else False
    await send(context.bot, update.effective_chat.id, [esc(t("unsubscribed" if stopped else "sub_none", lang))])


async def digest(update: Update, context: Context) -> None:
    """Show the digest this chat would get now (a preview: nothing is marked as sent)."""
    if not await gate(update, context):
        return
    svc = services(context)
    lang = await ui_language(update, context)
    chat_id = update.effective_chat.id
    sub = await svc.db(svc.subs.get, chat_id) if svc.subs else None
    if sub is None or not sub.topics:
        await send(context.bot, chat_id, [esc(t("digest_need_sub", lang))])
        return
    sub = replace(sub, language=lang)
    sent = await svc.db(svc.subs.sent_keys, sub.id, default=set())
    catalog = svc.engine.catalog
    composed = await asyncio.to_thread(compose, catalog, sub, sent)
    messages = render(composed, dict(svc.engine.topic_titles(lang)))
    if not messages:
        await send(context.bot, chat_id, [esc(t("digest_empty", lang))])
        return
    titles = svc.intent_titles(lang)
    for message in messages:
        await send(context.bot, chat_id, [message.html], digest_keyboard(message, titles, svc.codes, lang))


def register(application: Application) -> None:
    application.add_handler(CommandHandler("subscribe", subscribe, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("mysubs", mysubs, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("unsubscribe", unsubscribe, filters=NEW_MESSAGES))
    application.add_handler(CommandHandler("digest", digest, filters=NEW_MESSAGES))
    application.add_handler(CallbackQueryHandler(subscribe_button, pattern=lambda d: cb.kind_of(d) == "s"))
    application.add_handler(CallbackQueryHandler(subscribe_topic, pattern=lambda d: cb.kind_of(d) == "sub"))
