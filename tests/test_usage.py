"""Usage stats, the chart, and the unanswered inbox (bot.usage) on an in-memory log."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine

from bot.catalog.edit import CatalogEditor
from bot.engine import Engine
from bot.store.schema import Base, Feedback, QuestionLog, Subscription
from bot.usage import stats_chart_png, unanswered_inbox, usage_stats

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def db():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    rows = [
        ("海外仓有多少个", "answer", "funds.warehouses", 0),
        ("海外仓数量", "answer", "funds.warehouses", 1),
        ("外贸基金多大", "answer", "funds.trade_fund", 1),
        ("国外仓库总共几座", "fallback", None, 0),
        ("国外仓库总共几座", "fallback", None, 4),
        ("国外仓库总共几座？", "fallback", None, 2),
        ("国外的仓库总共几座", "clarify", None, 3),
        ("今天天气怎么样", "fallback", None, 1),
        ("很久以前的问题", "fallback", None, 40),
    ]
    with engine.begin() as conn:
        for question, outcome, intent, days_ago in rows:
            conn.execute(QuestionLog.__table__.insert().values(
                asked_at=NOW - timedelta(days=days_ago), question=question, outcome=outcome,
                intent=intent, score=50.0, language="zh"))
        conn.execute(Feedback.__table__.insert().values(given_at=NOW, intent="funds.warehouses", helpful=True))
        conn.execute(Feedback.__table__.insert().values(given_at=NOW, intent="funds.trade_fund", helpful=False))
        for chat_id, topics, active in ((1, "customs,funds", True), (2, "funds", True), (3, "customs", False)):
            conn.execute(Subscription.__table__.insert().values(
                chat_id=chat_id, topics=topics, active=active, frequency="daily", weekday=0, hour=9, language="zh",
                created_at=NOW, updated_at=NOW))
    return engine


def test_stats_count_what_happened(db):
    stats = usage_stats(db, days=14, now=NOW)
    assert stats.total == 8  # the 40-day-old question is outside the window
    assert stats.outcomes == {"answer": 3, "fallback": 4, "clarify": 1}
    assert stats.top_intents[0] == ("funds.warehouses", 2)
    assert stats.per_day[-1] == (NOW.date(), 2)
    assert (stats.helpful, stats.not_helpful) == (1, 1)
    assert stats.subscribers == [("funds", 2), ("customs", 1)]  # active subscriptions only
    text = "\n".join(stats.lines())
    assert "subscribers by topic: funds 2, customs 1" in text
    assert "questions in the last 14 days: 8" in text and "answer 38%" in text


def test_chart_is_a_valid_png(db):
    png = stats_chart_png(usage_stats(db, now=NOW))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_inbox_groups_near_duplicates_and_attaching_answers_them(db, mini):
    engine = Engine.load(mini)
    inbox = unanswered_inbox(db, engine.matcher, now=NOW)
    assert inbox[0].count == 4 and set(inbox[0].variants) == {"国外仓库总共几座", "国外仓库总共几座？", "国外的仓库总共几座"}
    assert [item.question for item in inbox] == ["国外仓库总共几座", "今天天气怎么样"]
    CatalogEditor(mini).add_phrasing("funds.warehouses", inbox[0].question, "zh")
    engine = Engine.load(mini)
    for variant in inbox[0].variants:
        assert engine.ask(variant).intent == "funds.warehouses", variant
    # answered now, so it left the inbox; a dismissed question leaves it too
    assert [item.question for item in unanswered_inbox(db, engine.matcher, now=NOW)] == ["今天天气怎么样"]
    assert unanswered_inbox(db, engine.matcher, now=NOW, dismissed={"今天天气怎么样"}) == []
