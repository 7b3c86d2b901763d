"""Usage at a glance and the unanswered inbox, read from the question log.

Library code on a SQLAlchemy engine (the store's): no Telegram. The chart is a PNG with
ASCII labels (dates, outcome names, intent ids), which render in matplotlib's bundled
font on any machine, unlike CJK text without a CJK font installed.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from rapidfuzz import fuzz
from sqlalchemy import Engine, func, select

from bot.matching import Matcher
from bot.store.schema import Feedback, QuestionLog, Subscription

NEAR_DUPLICATE = 85  # rapidfuzz ratio of normalised texts at which two questions are one
CANDIDATES = 5  # intents offered for "attach to another intent"


@dataclass
class UsageStats:
    days: int
    per_day: list[tuple[date, int]]
    outcomes: dict[str, int]
    top_intents: list[tuple[str, int]]
    top_unanswered: list[tuple[str, int]]
    helpful: int
    not_helpful: int
    subscribers: list[tuple[str, int]] = field(default_factory=list)  # active subscribers by topic

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def rate(self, outcome: str) -> float:
        return self.outcomes.get(outcome, 0) / self.total if self.total else 0.0

    def lines(self) -> list[str]:
        out = [f"questions in the last {self.days} days: {self.total}"]
        out.append("  " + "   ".join(f"{o} {self.rate(o):.0%}" for o in ("answer", "clarify", "fallback")))
        out.append("per day: " + ", ".join(f"{d:%m-%d} {n}" for d, n in self.per_day if n) if self.total else "per day: -")
        out.append("top intents: " + (", ".join(f"{i} ({n})" for i, n in self.top_intents) or "-"))
        out.append("top unanswered: " + (" | ".join(f"{q} ({n})" for q, n in self.top_unanswered) or "-"))
        out.append(f"feedback: {self.helpful} helpful, {self.not_helpful} not helpful")
        out.append("subscribers by topic: " + (", ".join(f"{t} {n}" for t, n in self.subscribers) or "-"))
        return out


def usage_stats(engine: Engine, *, days: int = 14, now: datetime | None = None, top: int = 5) -> UsageStats:
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=days)
    with engine.connect() as conn:
        rows = conn.execute(
            select(QuestionLog.asked_at, QuestionLog.outcome, QuestionLog.intent, QuestionLog.question)
            .where(QuestionLog.asked_at >= since)
        ).all()
        feedback = dict(
            conn.execute(select(Feedback.helpful, func.count()).where(Feedback.given_at >= since).group_by(Feedback.helpful)).all()
        )
        topics = conn.execute(select(Subscription.topics).where(Subscription.active.is_(True))).scalars().all()
    per_day = Counter(_as_utc(r.asked_at).date() for r in rows)
    first = (now - timedelta(days=days - 1)).date()
    return UsageStats(
        days=days,
        per_day=[(first + timedelta(days=i), per_day.get(first + timedelta(days=i), 0)) for i in range(days)],
        outcomes=dict(Counter(r.outcome for r in rows)),
        top_intents=Counter(r.intent for r in rows if r.outcome == "answer" and r.intent).most_common(top),
        top_unanswered=Counter(r.question for r in rows if r.outcome != "answer").most_common(top),
        helpful=feedback.get(True, 0),
        not_helpful=feedback.get(False, 0),
        subscribers=sorted(Counter(t for row in topics for t in row.split(",") if t).items(), key=lambda x: (-x[1], x[0])),
    )


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite drops the zone


def stats_chart_png(stats: UsageStats) -> bytes:
    """Questions per day, the share of each outcome and subscribers by topic, as a PNG image."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, (left, right, subs) = plt.subplots(1, 3, figsize=(12, 3.4), gridspec_kw={"width_ratios": [3, 1, 2]})
    days = [d.strftime("%m-%d") for d, _ in stats.per_day]
    left.bar(days, [n for _, n in stats.per_day], color="#3b7dd8")
    left.set_title(f"Questions per day (last {stats.days} days)")
    left.tick_params(axis="x", labelrotation=60, labelsize=7)
    names = ["answer", "clarify", "fallback"]
    right.bar(names, [stats.rate(o) * 100 for o in names], color=["#2e9d5b", "#e0a526", "#c94c4c"])
    right.set_title("Outcomes (%)")
    right.set_ylim(0, 100)
    names = [t for t, _ in stats.subscribers] or ["-"]
    subs.barh(names, [n for _, n in stats.subscribers] or [0], color="#7a5cc4")
    subs.invert_yaxis()
    subs.set_title("Subscribers by topic")
    subs.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


@dataclass
class InboxItem:
    """Near-duplicate unanswered questions, with the intent the matcher leans to."""

    question: str  # the most frequent wording
    count: int
    variants: list[str] = field(default_factory=list)
    suggested: str | None = None
    suggested_score: float = 0.0
    candidates: list[str] = field(default_factory=list)  # the intents the matcher ranks first


def unanswered_inbox(engine: Engine, matcher: Matcher, *, days: int = 30, limit: int = 20,
                     now: datetime | None = None, dismissed: set[str] = frozenset()) -> list[InboxItem]:
    """Recent fallback and clarify questions, grouped, most frequent first. Questions the
    catalog answers now (an admin attached them, or a close variant) have left the inbox."""
    since = (now or datetime.now(timezone.utc)) - timedelta(days=days)
    with engine.connect() as conn:
        questions = conn.execute(
            select(QuestionLog.question).where(QuestionLog.asked_at >= since, QuestionLog.outcome != "answer")
        ).scalars().all()
    groups: list[tuple[str, Counter[str]]] = []  # (normalised head, wordings)
    for question, n in Counter(q.strip() for q in questions if q.strip()).most_common():
        if question in dismissed or matcher.match(question).outcome == "answer":
            continue
        norm = matcher.normalizer.normalize(question)
        for head, wordings in groups:
            if norm == head or (norm and fuzz.ratio(norm, head) >= NEAR_DUPLICATE):
                wordings[question] += n
                break
        else:
            groups.append((norm, Counter({question: n})))
    items = []
    for _, wordings in groups:
        top_wording = wordings.most_common(1)[0][0]
        _, ranked = matcher.rank(top_wording, limit=CANDIDATES)
        items.append(InboxItem(
            question=top_wording, count=sum(wordings.values()), variants=[w for w, _ in wordings.most_common()],
            suggested=ranked[0].intent if ranked else None, suggested_score=ranked[0].score if ranked else 0.0,
            candidates=[c.intent for c in ranked],
        ))
    items.sort(key=lambda item: -item.count)
    return items[:limit]
