"""Composing a subscriber's digest: news items and new or changed intents in their topics
(and county / industry, where an item carries one) that they have not been sent yet.

An intent counts again when its content changes: items are remembered as (key, content
hash). A topic the subscriber has never received anything in starts with the newest few
items rather than the whole catalog; the rest of that topic's current intents are recorded
as a baseline (`Digest.baseline`) when the digest is sent, so later digests carry only news.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.catalog.load import Catalog
from bot.store.subscriptions import Sub

FIRST_DIGEST_ITEMS = 3  # per topic, the first time a subscriber gets that topic


@dataclass(frozen=True)
class DigestItem:
    key: str  # news:<id> | intent:<id>
    content_hash: str
    topic: str
    date: str  # YYYY[-MM[-DD]] or ""
    text: str  # one line or two, in the subscriber's language
    intent: str | None = None  # the intent whose full answer a button can open


@dataclass(frozen=True)
class Digest:
    sub: Sub
    items: list[DigestItem] = field(default_factory=list)
    baseline: list[DigestItem] = field(default_factory=list)  # recorded as seen, not shown

    def __bool__(self) -> bool:
        return bool(self.items)

    def records(self) -> list[tuple[str, str, str]]:
        """(key, hash, topic) of everything to remember once this digest is sent."""
        return [(i.key, i.content_hash, i.topic) for i in [*self.items, *self.baseline]]


def content_hash(*parts: str) -> str:
    """>>> content_hash("a", "b") == content_hash("a", "b") != content_hash("ab", "")
    True
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _fits(sub: Sub, counties: list[str], industries: list[str]) -> bool:
    """An item naming counties (industries) goes only to subscribers of one of them or of none."""
    if sub.county and counties and sub.county not in counties:
        return False
    return not (sub.industry and industries and sub.industry not in industries)


def catalog_items(catalog: Catalog, sub: Sub) -> dict[str, list[DigestItem]]:
    """Every item the subscriber's filters let through, per topic, newest first."""
    lang = sub.language
    per_topic: dict[str, list[DigestItem]] = {t: [] for t in sub.topics if t in catalog.topics}
    for news in catalog.news:
        if news.topic in per_topic and _fits(sub, news.counties, news.industries):
            per_topic[news.topic].append(DigestItem(
                "news:" + news.id, content_hash(news.text.zh, news.text.en), news.topic, news.date,
                news.text.zh if lang == "zh" else news.text.en, news.intent if news.intent in catalog.intents else None,
            ))
    for topic in per_topic:
        per_topic[topic].sort(key=lambda i: i.date, reverse=True)
        for intent in catalog.topics[topic].intents:
            if not _fits(sub, intent.counties, intent.industries):
                continue
            date = (intent.policy.as_of or intent.policy.date or "") if intent.policy else ""
            per_topic[topic].append(DigestItem(
                "intent:" + intent.id,
                content_hash(intent.title.zh, intent.answer.zh, intent.title.en, intent.answer.en),
                topic, date, intent.title.zh if lang == "zh" else intent.title.en, intent.id,
            ))
    return per_topic


def compose(catalog: Catalog, sub: Sub, sent: set[tuple[str, str]]) -> Digest:
    """The digest `sub` would get now, given the (key, hash) pairs already sent to them."""
    sent_keys = {key for key, _ in sent}
    items: list[DigestItem] = []
    baseline: list[DigestItem] = []
    for topic, candidates in catalog_items(catalog, sub).items():
        if not any(c.key in sent_keys for c in candidates):  # never had this topic: a start
            shown = candidates[:FIRST_DIGEST_ITEMS]
            items.extend(shown)
            baseline.extend(c for c in candidates if c not in shown)
        else:
            items.extend(c for c in candidates if (c.key, c.content_hash) not in sent)
    return Digest(sub, items, baseline)
