"""The unanswered inbox in Telegram: one message per group of near-duplicate questions, with
buttons to attach it to the suggested intent or another one, start a new intent from it
(`handlers_admin_edit`), or dismiss it. `/teach N [INTENT_ID]` does the same by typing.

A listing is remembered per admin under a random tag that its buttons carry, so a button
from an older listing (or a restart) says so instead of acting on the wrong question.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.store.audit import AuditLog
from bot.telegram.admin_common import PRIVATE, actor, admin_only, from_database, nonce, reply, run_edit, served_note
from bot.telegram.app import services
from bot.telegram.callbacks import Callback, admin_data
from bot.telegram.keyboards import label
from bot.telegram.render import esc
from bot.telegram.replies import Context
from bot.usage import InboxItem, unanswered_inbox

log = logging.getLogger(__name__)
LISTING_KEY = "admin_inbox"  # user_data: the last /inbox listing
SHOWN = 5  # groups per /inbox: act on them, then /inbox again
# attach to the suggested intent; offer others; offer a topic's intents; attach to an offered one; back; dismiss
OPS = {"ia", "io", "iq", "it", "ib", "id"}


@dataclass
class Listing:
    tag: str
    items: list[InboxItem]
    topics: list[tuple[str, str]]  # (topic, title) as they were at listing time
    offered: dict[int, list[str]] = field(default_factory=dict)  # item number -> intent ids on its buttons
    done: set[int] = field(default_factory=set)  # item numbers attached or dismissed


@dataclass(frozen=True)
class Pressed:
    """What an inbox button names: item `n` of `listing`, and `k`, the offered intent or
    topic it picks (-1: none)."""

    listing: Listing
    n: int
    k: int

    @property
    def item(self) -> InboxItem:
        return self.listing.items[self.n - 1]


def item_of(context: Context, arg: str) -> Pressed | None:
    """The inbox item a button names (`<tag>-<n>[-<k>]`), if it is from the current listing."""
    listing: Listing | None = context.user_data.get(LISTING_KEY)
    parts = arg.split("-")
    if listing is None or len(parts) not in (2, 3) or parts[0] != listing.tag or not all(p.isdigit() for p in parts[1:]):
        return None
    n = int(parts[1])
    if not 1 <= n <= len(listing.items):
        return None
    return Pressed(listing, n, int(parts[2]) if len(parts) == 3 else -1)


def _title(context: Context, intent_id: str) -> str:
    intent = services(context).engine.catalog.intents.get(intent_id)
    return intent.title.zh if intent else intent_id


def _keyboard(tag: str, n: int, item: InboxItem, context: Context) -> InlineKeyboardMarkup:
    rows = []
    if item.suggested:
        rows.append([InlineKeyboardButton(label(_title(context, item.suggested), "✅ → "), callback_data=admin_data("ia", f"{tag}-{n}"))])
    rows.append([InlineKeyboardButton("↪ 其他意图 / other intent", callback_data=admin_data("io", f"{tag}-{n}"))])
    rows.append([InlineKeyboardButton("➕ 新意图 / new intent", callback_data=admin_data("in", f"{tag}-{n}")),
                 InlineKeyboardButton("🗑 忽略 / dismiss", callback_data=admin_data("id", f"{tag}-{n}"))])
    return InlineKeyboardMarkup(rows)


def _describe(n: int, item: InboxItem) -> str:
    lines = [f"{n}. [{item.count}x] {item.question}"]
    if len(item.variants) > 1:
        lines.append("相近 / similar: " + " | ".join(item.variants[1:4]))
    lines.append(f"建议 / suggested: {item.suggested} ({item.suggested_score:.0f})" if item.suggested else "建议 / suggested: -")
    return "\n".join(lines)


@admin_only
async def inbox(update: Update, context: Context) -> None:
    """Questions the bot could not answer, grouped, most frequent first, with buttons."""
    svc = services(context)

    def load() -> list[InboxItem]:
        return unanswered_inbox(svc.store.engine, svc.engine.matcher, dismissed=AuditLog(svc.store).dismissed())

    items = await from_database(update, context, load)
    if items is None:
        return
    topics = [(name, t.title.zh) for name, t in svc.engine.catalog.topics.items()]
    listing = Listing(nonce(), items, topics)
    context.user_data[LISTING_KEY] = listing
    if not items:
        return await reply(update, context, "没有未答问题 / The inbox is empty.")
    more = f"，另有 {len(items) - SHOWN} 组 / {len(items) - SHOWN} more after these" if len(items) > SHOWN else ""
    await reply(update, context, f"📥 未答问题 / unanswered: {len(items)} 组 groups{more}. "
                                 "/teach N [INTENT_ID] 也可 / also works.")
    for n, item in enumerate(items[:SHOWN], 1):
        await reply(update, context, _describe(n, item), _keyboard(listing.tag, n, item, context))


async def _attach(update: Update, context: Context, item: InboxItem, intent_id: str) -> str | None:
    """Add the question to the intent; the confirmation to show, or None if refused."""
    lang = services(context).engine.matcher.match(item.question).language
    done = await run_edit(update, context, lambda desk: desk.add_phrasing(intent_id, item.question, lang, action="attach"))
    if done is None:
        return None
    log.info("admin %s attached %r to %s", update.effective_user.id, item.question, intent_id)
    return f"✅ “{item.question}” → {intent_id}" + await served_note(context, done)


def _offer(context: Context, pressed: Pressed, intents: list[str], topics: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Buttons for "another intent": these intents (remembered, so a press names one of them),
    then these topics, then back."""
    listing, n = pressed.listing, pressed.n
    listing.offered[n] = intents
    rows = [[InlineKeyboardButton(label(_title(context, intent_id), "→ "), callback_data=admin_data("it", f"{listing.tag}-{n}-{i}"))]
            for i, intent_id in enumerate(intents)]
    rows += [[InlineKeyboardButton(label(title, "📂 "), callback_data=admin_data("iq", f"{listing.tag}-{n}-{t}"))]
             for t, (_, title) in enumerate(topics)]
    rows.append([InlineKeyboardButton("← 返回 / back", callback_data=admin_data("ib", f"{listing.tag}-{n}"))])
    return InlineKeyboardMarkup(rows)


async def on_button(update: Update, context: Context, choice: Callback) -> None:
    """An inbox button (the caller has checked that an admin pressed it)."""
    query = update.callback_query
    found = item_of(context, choice.arg)
    if found is None:
        return await query.answer("这份列表已过期，请重新发送 /inbox / This list is out of date: send /inbox again.", show_alert=True)
    listing, n, k, item = found.listing, found.n, found.k, found.item
    if n in listing.done:
        return await query.answer("已处理 / Already done.")
    await query.answer()
    if choice.op == "io":  # the matcher's candidates, and every topic
        return await query.edit_message_reply_markup(_offer(context, found, item.candidates, listing.topics))
    if choice.op == "iq":  # the intents of topic k
        topic = listing.topics[k][0] if 0 <= k < len(listing.topics) else None
        catalog = services(context).engine.catalog
        intents = [i.id for i in catalog.topics[topic].intents] if topic in catalog.topics else []
        return await query.edit_message_reply_markup(_offer(context, found, intents, []))
    if choice.op == "ib":
        return await query.edit_message_reply_markup(_keyboard(listing.tag, n, item, context))
    if choice.op == "id":
        if await from_database(update, context, lambda: AuditLog(services(context).store).dismiss(item.variants, actor=actor(update))) is None:
            return
        listing.done.add(n)
        return await query.edit_message_text(esc(f"🗑 已忽略 / dismissed: {item.question}"))
    offered = listing.offered.get(n, [])
    intent_id = item.suggested if choice.op == "ia" else (offered[k] if 0 <= k < len(offered) else None)
    if intent_id is None:
        return
    attached = await _attach(update, context, item, intent_id)
    if attached:
        listing.done.add(n)
        await query.edit_message_text(esc(attached))


@admin_only
async def teach(update: Update, context: Context) -> None:
    """Attach question N of the last /inbox to an intent (the suggested one by default)."""
    listing: Listing | None = context.user_data.get(LISTING_KEY)
    args = context.args or []
    if listing is None or not args or not args[0].isdigit() or not 1 <= int(args[0]) <= len(listing.items):
        return await reply(update, context, "用法 / usage: /inbox, then /teach N [INTENT_ID]")
    item = listing.items[int(args[0]) - 1]
    intent_id = args[1] if len(args) > 1 else item.suggested
    if intent_id is None:
        return await reply(update, context, "no suggested intent; say which: /teach N INTENT_ID")
    attached = await _attach(update, context, item, intent_id)
    if attached:
        listing.done.add(int(args[0]))
        await reply(update, context, attached)


def register(application: Application) -> None:
    application.add_handler(CommandHandler("inbox", inbox, filters=PRIVATE))
    application.add_handler(CommandHandler("teach", teach, filters=PRIVATE))
