"""Digest library: composing, rendering, scheduling, the outbox and the sender (in-memory SQLite,
a fake send callable and an injected clock)."""

from __future__ import annotations

import asyncio
import heapq
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.catalog import load_catalog
from bot.digest import Blocked, RetryLater, Transient, compose, render
from bot.digest.compose import FIRST_DIGEST_ITEMS, catalog_items
from bot.digest.outbox import Outbox
from bot.digest.schedule import due_period
from bot.digest.sender import Sender
from bot.store import Store
from bot.store.subscriptions import Sub, Subscriptions
from conftest import ROOT

NOW = datetime(2026, 11, 22, 1, 5, tzinfo=timezone.utc)  # 09:05 Asia/Shanghai
GRACE = timedelta(minutes=60)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT)


@pytest.fixture
def store():
    s = Store.open("sqlite://")
    s.upgrade()
    yield s
    s.close()


def titles(catalog, lang="zh"):
    return {t: (f.title.zh if lang == "zh" else f.title.en) for t, f in catalog.topics.items()}


def sent_pairs(digest):
    return {(k, h) for k, h, _ in digest.records()}


# -- compose -----------------------------------------------------------------------------------


def test_first_digest_is_the_newest_few_then_nothing_then_a_changed_intent_again(catalog):
    sub = Sub(1, ("financing", "customs"))
    first = compose(catalog, sub, set())
    assert 0 < len(first.items) <= 2 * FIRST_DIGEST_ITEMS
    news_dates = [i.date for i in first.items if i.topic == "customs" and i.key.startswith("news:")]
    assert news_dates == sorted(news_dates, reverse=True)
    seen = sent_pairs(first)
    assert not compose(catalog, sub, seen)  # nothing new -> empty
    # an intent whose answer changed counts again
    intent = catalog.topics["financing"].intents[0]
    changed = replace(catalog, topics=dict(catalog.topics))
    changed_intent = intent.model_copy(update={"answer": intent.answer.model_copy(update={"zh": intent.answer.zh + "（更新）"})})
    changed.topics["financing"] = catalog.topics["financing"].model_copy(
        update={"intents": [changed_intent, *catalog.topics["financing"].intents[1:]]})
    again = compose(changed, sub, seen)
    assert [i.key for i in again.items] == ["intent:" + intent.id]


def test_new_news_item_is_sent(catalog):
    sub = Sub(1, ("financing",))
    seen = sent_pairs(compose(catalog, sub, set()))
    news = next(n for n in catalog.news if n.topic == "financing")
    extra = news.model_copy(update={"id": "news.financing.brand_new", "date": "2026-12-01"})
    grown = replace(catalog, news=[*catalog.news, extra])
    assert [i.key for i in compose(grown, sub, seen).items] == ["news:news.financing.brand_new"]


def test_county_and_industry_filters(catalog):
    def keys(sub):
        return {i.key for items in catalog_items(catalog, sub).values() for i in items}

    topics = tuple(catalog.topics)
    everything = keys(Sub(1, topics))
    jinjiang = keys(Sub(1, topics, county="晋江市"))
    yongchun = keys(Sub(1, topics, county="永春县"))
    assert jinjiang < everything and yongchun < everything and jinjiang != yongchun
    for key in jinjiang:
        item = catalog.intents.get(key.split(":", 1)[1]) if key.startswith("intent:") else None
        assert item is None or not item.counties or "晋江市" in item.counties
    assert keys(Sub(1, topics, industry="陶瓷")) < everything


def test_render_groups_by_topic_escapes_and_splits_without_cutting_items(catalog):
    sub = Sub(1, tuple(catalog.topics), language="en")
    items = [i for items in catalog_items(catalog, sub).values() for i in items]
    digest = compose(catalog, sub, set())
    digest = replace(digest, items=items)
    messages = render(digest, titles(catalog, "en"), limit=1500)
    assert len(messages) > 1
    assert all(len(m.html.encode("utf-16-le")) // 2 <= 1500 for m in messages)
    lines = [line for m in messages for line in m.html.split("\n") if line.startswith("• ")]
    assert len(lines) == len(items)  # every item whole, in exactly one message
    assert "<b>" in messages[0].html and "&lt;" not in "".join(titles(catalog, "en").values())
    assert not render(compose(catalog, sub, sent_pairs(compose(catalog, sub, set()))), titles(catalog))


# -- schedule ------------------------------------------------------------------------------


def test_due_periods_in_shanghai_with_grace():
    daily = Sub(1, ("x",), hour=9)
    assert due_period(daily, NOW, grace=GRACE) == "2026-11-22"
    assert due_period(daily, NOW - timedelta(minutes=10), grace=GRACE) is None  # 08:55: yesterday's slot is past grace
    assert due_period(daily, NOW + timedelta(minutes=50), grace=GRACE) == "2026-11-22"  # missed while down: still due
    assert due_period(daily, NOW + timedelta(hours=2), grace=GRACE) is None
    weekly = Sub(1, ("x",), "weekly", weekday=6, hour=9)
    assert due_period(weekly, NOW, grace=GRACE) == "2026-W47"
    assert due_period(replace(weekly, weekday=0), NOW, grace=GRACE) is None
    assert due_period(replace(daily, frequency="off"), NOW, grace=GRACE) is None


# -- outbox and sender ---------------------------------------------------------------------


class FakeClock:
    """Virtual time: sleepers wake in the order of their wake-up times, instantly."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []
        self._heap: list = []
        self._seq = 0
        self._driver = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._heap, (self.now + seconds, self._seq, future))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.create_task(self._drive())
        await future

    async def _drive(self) -> None:
        while self._heap:
            await asyncio.sleep(0.0005)  # let every runnable task reach its next sleep
            target, _, future = heapq.heappop(self._heap)
            self.now = max(self.now, target)
            future.set_result(None)


class FakeSend:
    def __init__(self, clock, faults=None):
        self.clock, self.faults, self.calls = clock, dict(faults or {}), []

    async def __call__(self, chat_id, message, lang):
        self.calls.append((self.clock(), chat_id))
        plan = self.faults.get(chat_id)
        if plan:
            error = plan.pop(0)
            if error is not None:
                raise error
        return None


def subscribe(store, chats, topics=("financing",)):
    subs = Subscriptions(store)
    for chat in chats:
        subs.save(Sub(chat, topics, hour=9))


def make_sender(store, catalog, send, clock, **kwargs):
    return Sender(Outbox(store), lambda: catalog, send, clock=clock, sleep=clock.sleep, **kwargs)


def test_outbox_is_unique_per_period_across_reruns(store, catalog):
    subscribe(store, [1, 2, 3])
    outbox = Outbox(store)
    assert outbox.enqueue_due(NOW, grace=GRACE) == 3
    assert outbox.enqueue_due(NOW, grace=GRACE) == 0
    assert outbox.enqueue_due(NOW + timedelta(minutes=30), grace=GRACE) == 0
    clock = FakeClock()
    send = FakeSend(clock)
    counts = asyncio.run(make_sender(store, catalog, send, clock).run())
    assert (counts.sent, counts.failed, counts.blocked) == (3, 0, 0)
    assert outbox.enqueue_due(NOW, grace=GRACE) == 0
    assert asyncio.run(make_sender(store, catalog, send, clock).run()).sent == 0
    assert sorted(c for _, c in send.calls) == [1, 2, 3]
    # next day: due again, but nothing new -> nothing sent
    assert outbox.enqueue_due(NOW + timedelta(days=1), grace=GRACE) == 3
    counts = asyncio.run(make_sender(store, catalog, send, clock).run())
    assert (counts.sent, counts.empty) == (0, 3) and len(send.calls) == 3


def test_sender_429_waits_403_blocks_5xx_retries_then_fails(store, catalog):
    subscribe(store, [1, 2, 3, 4])
    outbox = Outbox(store)
    outbox.enqueue_due(NOW, grace=GRACE)
    clock = FakeClock()
    send = FakeSend(clock, {
        1: [RetryLater(7)],
        2: [Blocked("Forbidden: bot was blocked by the user")],
        3: [Transient("502"), Transient("502"), Transient("502")],
        4: [Transient("timed out")],
    })
    counts = asyncio.run(make_sender(store, catalog, send, clock, max_attempts=3, backoff=2.0).run())
    assert (counts.sent, counts.failed, counts.blocked) == (2, 1, 1)
    retried = [t for t, c in send.calls if c == 1]
    assert len(retried) == 2 and retried[1] - retried[0] >= 7
    assert len([c for _, c in send.calls if c == 3]) == 3
    assert 2.0 in clock.slept and 4.0 in clock.slept  # exponential backoff
    subs = Subscriptions(store)
    assert subs.get(2).active is False and subs.get(1).active is True
    assert outbox.statuses() == {"sent": 2, "failed": 1, "blocked": 1}
    assert subs.sent_count(subs.get(1).id) > 0 and subs.sent_count(subs.get(3).id) == 0


def test_sender_respects_overall_and_per_chat_rates(store, catalog):
    subscribe(store, range(1, 41), topics=tuple(catalog.topics))
    outbox = Outbox(store)
    outbox.enqueue_due(NOW, grace=GRACE)
    clock = FakeClock()
    send = FakeSend(clock)
    # a small limit forces several messages per chat
    sender = make_sender(store, catalog, send, clock, rate=10)
    import bot.digest.sender as sender_module

    original = sender_module.render
    sender_module.render = lambda digest, titles: original(digest, titles, limit=400)
    try:
        counts = asyncio.run(sender.run())
    finally:
        sender_module.render = original
    assert counts.sent == 40 and counts.messages > 40
    times = sorted(t for t, _ in send.calls)
    assert all(b - a >= 0.1 - 1e-9 for a, b in zip(times, times[1:]))
    for chat in range(1, 41):
        mine = [t for t, c in send.calls if c == chat]
        assert all(b - a >= 1.0 - 1e-9 for a, b in zip(mine, mine[1:]))


def test_upgrade_from_0001_keeps_data(tmp_path):
    from bot.store import migrate

    store = Store.open(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(store.engine, "0001")
    store.touch_user(7)
    store.log_question(user_id=7, chat_id=7, question="q", outcome="answer", intent="x.y", score=90.0, language="zh")
    store.upgrade()
    assert store.revision() == "0003"
    assert store.counts()["users"] == 1 and store.counts()["question_log"] == 1
    Subscriptions(store).save(Sub(7, ("financing",), user_id=7))
    assert store.forget_user(7) == 3 and all(v == 0 for v in store.counts().values())
    store.close()
