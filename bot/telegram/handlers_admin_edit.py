"""Guided admin edits, one step per message: replace an answer, create an intent, add a
news item. Each ends in a preview with Save / Cancel buttons; nothing is written before Save,
and a refused save says why and asks again for the step at fault. /cancel works at any step;
an edit left alone for 30 minutes is cancelled. Private chats only.

    /answer ID [zh|en]   the new text as the next message -> preview -> save
    /newintent [TOPIC]   topic, title, phrasings, answers, sources (or /skip) -> preview -> save
    /news                date, topic, texts, sources -> preview -> save
    (inbox "new intent" button: /newintent with the question and its near-duplicates as phrasings)

Registered before the question handler: while an admin is in one of these conversations
their plain text is the next step's input, not a question.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, TypeHandler, filters

from bot.telegram import callbacks as cb
from bot.telegram.admin_drafts import (
    ANSWER_SOURCES_NOTE, ANSWER_TEXT, CONFIRM, NEWS_DATE, NEWS_NOTE, PROMPTS, SKIP_NOTE, SOURCE, STEPS, TOPIC, Draft, preview_text, step_at_fault, take,
)
from bot.telegram.admin_common import PRIVATE, actor, admin_only, attempt, nonce, one_at_a_time, reply, served_note
from bot.telegram.app import services
from bot.telegram.handlers_admin_inbox import item_of
from bot.telegram.handlers_basic import NEW_MESSAGES
from bot.telegram.render import esc
from bot.telegram.replies import Context

log = logging.getLogger(__name__)
DRAFT_KEY = "admin_draft"
TIMEOUT_SECONDS = 30 * 60
END = ConversationHandler.END
STALE_PREVIEW = "这个预览已过期 / This preview is out of date."


def _draft(context: Context) -> Draft | None:
    return context.user_data.get(DRAFT_KEY)


def _state(context: Context) -> str | int:
    """The conversation's state as it stands (after a press that changes nothing)."""
    draft = _draft(context)
    return draft.step if draft else END


async def _ask(update: Update, context: Context, draft: Draft, step: str) -> str:
    """Move `draft` to `step` and prompt for it; returns the conversation state."""
    draft.step = step
    if step == TOPIC:
        topics = services(context).engine.catalog.topics
        rows = [[InlineKeyboardButton(f"{t.title.zh} · {name}", callback_data=cb.admin_data("tp", name))] for name, t in topics.items()]
        await reply(update, context, PROMPTS[TOPIC], InlineKeyboardMarkup(rows))
    elif step == SOURCE:
        docs = ", ".join(services(context).engine.catalog.documents)
        note = {"intent": SKIP_NOTE, "answer": ANSWER_SOURCES_NOTE, "news": NEWS_NOTE}[draft.kind]
        await reply(update, context, PROMPTS[SOURCE].format(docs=docs, skip=note))
    else:
        await reply(update, context, PROMPTS[step])
    return step


async def _advance(update: Update, context: Context, draft: Draft) -> str:
    step = draft.next_step()
    if step != CONFIRM:
        return await _ask(update, context, draft, step)
    return await _preview(update, context, draft)


async def _preview(update: Update, context: Context, draft: Draft) -> str:
    """Show what Save would write, with Save / Cancel buttons."""
    draft.step, draft.tag = CONFIRM, nonce()
    body = preview_text(draft, services(context).engine.catalog, actor(update))
    rows = [[InlineKeyboardButton("✅ 保存 / save", callback_data=cb.admin_data("ok", draft.tag)),
             InlineKeyboardButton("✖ 取消 / cancel", callback_data=cb.admin_data("no", draft.tag))]]
    if draft.kind == "answer":
        rows.append([InlineKeyboardButton("📎 改出处 / set the sources", callback_data=cb.admin_data("src", draft.tag))])
    await reply(update, context, body, InlineKeyboardMarkup(rows))
    return CONFIRM


async def _previewed(update: Update, context: Context) -> Draft | None:
    """The draft whose current preview carries the pressed button (the press is answered);
    None, told as out of date, for a button of an earlier preview or of a finished edit."""
    query = update.callback_query
    draft = _draft(context)
    if draft is None or draft.step != CONFIRM or cb.parse(query.data).arg != draft.tag:
        await query.answer(STALE_PREVIEW, show_alert=True)
        return None
    await query.answer()
    return draft


# -- entry points -----------------------------------------------------------------------
@admin_only
async def answer(update: Update, context: Context) -> str | None:
    """Replace an intent's Chinese or English answer: /answer ID [zh|en]."""
    args = context.args or []
    intents = services(context).engine.catalog.intents
    if not args or args[0] not in intents or (len(args) > 1 and args[1] not in ("zh", "en")):
        await reply(update, context, "用法 / usage: /answer INTENT_ID [zh|en]")
        return END
    lang = args[1] if len(args) > 1 else "zh"
    draft = Draft("answer", ANSWER_TEXT, {"intent": args[0], "lang": lang})
    context.user_data[DRAFT_KEY] = draft
    current = getattr(intents[args[0]].answer, lang)
    await reply(update, context, f"✏️ {args[0]} ({lang}) 当前答复 / current answer:\n\n{current}")
    return await _ask(update, context, draft, ANSWER_TEXT)


@admin_only
async def new_intent(update: Update, context: Context) -> str | None:
    """Create an intent step by step: /newintent [TOPIC]."""
    return await _start_intent(update, context, {})


async def _start_intent(update: Update, context: Context, values: dict[str, Any]) -> str:
    draft = Draft("intent", TOPIC, values)
    context.user_data[DRAFT_KEY] = draft
    topic = (context.args or [None])[0] if update.message else None
    if topic in services(context).engine.catalog.topics:
        draft.values["topic"] = topic
        return await _advance(update, context, draft)
    return await _ask(update, context, draft, TOPIC)


@admin_only
async def new_intent_from_inbox(update: Update, context: Context) -> str | None:
    """Inbox button "new intent": the question (and its near-duplicates) become the new
    intent's first phrasings."""
    query = update.callback_query
    found = item_of(context, cb.parse(query.data).arg)
    if found is None:
        await query.answer("这份列表已过期，请重新发送 /inbox / This list is out of date: send /inbox again.", show_alert=True)
        return None
    await query.answer()
    await reply(update, context, f"➕ 新意图 / new intent from: {found.item.question}")
    return await _start_intent(update, context, {"seeds": found.item.variants})


@admin_only
async def news(update: Update, context: Context) -> str | None:
    """Add a dated news item for digests: /news."""
    draft = Draft("news", NEWS_DATE)
    context.user_data[DRAFT_KEY] = draft
    return await _ask(update, context, draft, NEWS_DATE)


# -- steps --------------------------------------------------------------------------------
@one_at_a_time
async def on_text(update: Update, context: Context) -> str | None:
    """The admin's answer to the current step."""
    draft = _draft(context)
    if draft is None:
        return END
    if draft.step == CONFIRM:
        await reply(update, context, "请按 保存 或 取消 / Press Save or Cancel above (or /cancel).")
        return CONFIRM
    complaint = take(draft, update.effective_message.text or "", services(context).engine.catalog)
    if complaint:
        await reply(update, context, f"⚠️ {complaint}")
        return await _ask(update, context, draft, draft.step)
    return await _advance(update, context, draft)


@one_at_a_time
async def skip(update: Update, context: Context) -> str | None:
    """/skip at the sources step of a new intent or a replaced answer: the answer is the
    admin's own, with no document behind it."""
    draft = _draft(context)
    if draft is None or draft.step != SOURCE or draft.kind == "news":
        await reply(update, context, "这一步不能跳过 / This step cannot be skipped.")
        return _state(context)
    draft.values["sources"] = []
    return await _advance(update, context, draft)


@one_at_a_time
async def on_topic(update: Update, context: Context) -> str | None:
    """A topic button."""
    query = update.callback_query
    draft = _draft(context)
    if draft is None or draft.step != TOPIC:
        await query.answer("这一步已结束 / This step is over.")
        return _state(context)
    await query.answer()
    complaint = take(draft, cb.parse(query.data).arg, services(context).engine.catalog)
    if complaint:
        return await _ask(update, context, draft, TOPIC)
    await query.edit_message_text(esc(f"主题 / topic: {draft.values['topic']}"))
    return await _advance(update, context, draft)


@one_at_a_time
async def choose_sources(update: Update, context: Context) -> str | None:
    """"Set the sources" under an answer's preview: ask for quotes (or /skip for none)."""
    draft = await _previewed(update, context)  # the button is only under an answer's preview
    if draft is None:
        return _state(context)
    return await _ask(update, context, draft, SOURCE)


@one_at_a_time
async def save(update: Update, context: Context) -> str | None:
    """Save pressed: write the edit (validated); on refusal go back to the step at fault."""
    query = update.callback_query
    draft = await _previewed(update, context)
    if draft is None:
        return _state(context)
    v = draft.values
    if draft.kind == "answer":
        done, refused = await attempt(update, context, lambda d: d.set_answer(v["intent"], v["lang"], v[ANSWER_TEXT], sources=v.get("sources")))
    elif draft.kind == "intent":
        done, refused = await attempt(update, context, lambda d: d.create_intent(v["topic"], draft.built))
    else:
        done, refused = await attempt(update, context, lambda d: d.add_news(draft.built))
    if done is None:
        return await _ask(update, context, draft, step_at_fault(draft.kind, refused))
    context.user_data.pop(DRAFT_KEY, None)
    audit = f" · 审计 / audit #{done.entry}" if done.entry else ""
    log.info("admin %s saved %s %s", update.effective_user.id, draft.kind, done.edit.key)
    note = await served_note(context, done)
    await query.edit_message_text(esc(f"✅ 已保存 / saved: {done.edit.key} ({done.edit.file}){audit}{note}"))
    return END


@one_at_a_time
async def cancel(update: Update, context: Context) -> str | int:
    """/cancel or the Cancel button: drop the edit; nothing is written."""
    query = update.callback_query
    draft = _draft(context)
    if query is not None:
        if draft is not None and cb.parse(query.data).arg != draft.tag:  # the button of an earlier preview
            await query.answer(STALE_PREVIEW, show_alert=True)
            return draft.step
        await query.answer()
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, context, "已取消，未写入任何内容 / Cancelled; nothing was written.")
    return END


async def timed_out(update: Update, context: Context) -> None:
    """The edit was left alone too long."""
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, context, "⌛ 编辑已超时取消，未写入任何内容 / The edit timed out; nothing was written.")


async def nothing_to_cancel(update: Update, context: Context) -> None:
    """/cancel or /skip when no edit is in progress."""
    await reply(update, context, "没有进行中的编辑 / No edit in progress.")


def register(application: Application) -> None:
    text = filters.TEXT & ~filters.COMMAND & PRIVATE
    with warnings.catch_warnings():
        # PTB warns that with per_message=False a button is not tied to its message; ours
        # carry the preview's random tag, so an old button is told it is out of date.
        warnings.filterwarnings("ignore", message=".*per_message=False.*")
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler("answer", answer, filters=PRIVATE),
                CommandHandler("newintent", new_intent, filters=PRIVATE),
                CommandHandler("news", news, filters=PRIVATE),
                CallbackQueryHandler(new_intent_from_inbox, pattern=cb.admin_op("in")),
            ],
            states={
                **{step: [MessageHandler(text, on_text)] for step in STEPS},
                TOPIC: [MessageHandler(text, on_text),
                        CallbackQueryHandler(on_topic, pattern=cb.admin_op("tp"))],
                SOURCE: [MessageHandler(text, on_text), CommandHandler("skip", skip, filters=PRIVATE)],
                CONFIRM: [MessageHandler(text, on_text),
                          CallbackQueryHandler(save, pattern=cb.admin_op("ok")),
                          CallbackQueryHandler(choose_sources, pattern=cb.admin_op("src"))],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel, filters=PRIVATE),
                CallbackQueryHandler(cancel, pattern=cb.admin_op("no")),
            ],
            allow_reentry=True,
            conversation_timeout=TIMEOUT_SECONDS,
            name="admin_edit",
        )
    application.add_handler(conversation)
    for name in ("cancel", "skip"):
        application.add_handler(CommandHandler(name, nothing_to_cancel, filters=NEW_MESSAGES))
