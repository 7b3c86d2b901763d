"""Accuracy of the engine on a labelled question file (`qzbot eval`).

A question file is YAML: `questions: [{q, intents: [ids], kind}]`; an empty `intents`
list (or kind `out_of_scope`) marks a question the bot should decline.

- top-1: the bot answered outright, with a right intent;
- top-3: a right intent is the answer or among the "did you mean" choices;
- out-of-scope rejection: out-of-scope questions declined (fallback);
- false rejection: in-scope questions declined.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.engine import Engine


@dataclass(frozen=True)
class LabelledQuestion:
    q: str
    intents: tuple[str, ...]
    kind: str
    file: str = ""

    @property
    def in_scope(self) -> bool:
        return bool(self.intents)


class QuestionFileError(Exception):
    """A question file that cannot be read; the message names the file."""


def load_questions(path: Path) -> list[LabelledQuestion]:
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    out = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for item in data.get("questions", []):
                intents = tuple(item.get("intents") or ())
                kind = item.get("kind") or ("out_of_scope" if not intents else "other")
                out.append(LabelledQuestion(str(item["q"]), intents, kind, file.name))
        except (yaml.YAMLError, UnicodeDecodeError, AttributeError, KeyError, TypeError) as exc:
            where = getattr(exc, "problem_mark", None)
            line = f":{where.line + 1}" if where is not None else ""
            raise QuestionFileError(f"{file}{line}: not a question file ({type(exc).__name__}: {str(exc).splitlines()[0]})") from None
    return out


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    top3: int = 0
    rejected: int = 0

    def add(self, top1: bool, top3: bool, rejected: bool) -> None:
        self.n += 1
        self.top1 += top1
        self.top3 += top3
        self.rejected += rejected


@dataclass
class Report:
    in_scope: Tally = field(default_factory=Tally)
    out_of_scope: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    misses: list[tuple[LabelledQuestion, str, list[str]]] = field(default_factory=list)

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def top1(self) -> float:
        return self.ratio(self.in_scope.top1, self.in_scope.n)

    @property
    def top3(self) -> float:
        return self.ratio(self.in_scope.top3, self.in_scope.n)

    @property
    def false_rejection(self) -> float:
        return self.ratio(self.in_scope.rejected, self.in_scope.n)

    @property
    def oos_rejection(self) -> float:
        return self.ratio(self.out_of_scope.rejected, self.out_of_scope.n)

    def lines(self) -> list[str]:
        s = self
        out = [
            f"in-scope questions: {s.in_scope.n}   out-of-scope questions: {s.out_of_scope.n}",
            f"top-1 accuracy (answered, right intent): {s.top1:.3f}",
            f"top-3 accuracy (right intent offered):   {s.top3:.3f}",
            f"false rejection (in-scope declined):     {s.false_rejection:.3f}",
            f"out-of-scope rejection:                  {s.oos_rejection:.3f}",
            "",
            f"{'kind':<14}{'n':>5}{'top-1':>8}{'top-3':>8}{'declined':>10}",
        ]
        for kind, t in sorted(s.by_kind.items()):
            out.append(
                f"{kind:<14}{t.n:>5}{self.ratio(t.top1, t.n):>8.3f}{self.ratio(t.top3, t.n):>8.3f}"
                f"{self.ratio(t.rejected, t.n):>10.3f}"
            )
        return out


def evaluate(engine: Engine, questions: list[LabelledQuestion], progress=None) -> Report:
    report = Report()
    for lq in questions:
        match = engine.matcher.match(lq.q)
        offered = [c.intent for c in match.candidates] if match.outcome.value != "fallback" else []
        answered = match.intent
        rejected = match.outcome.value == "fallback"
        if lq.in_scope:
            top1 = answered in lq.intents
            top3 = any(i in lq.intents for i in offered[:3])
            report.in_scope.add(top1, top3, rejected)
            report.by_kind[lq.kind].add(top1, top3, rejected)
            if not top1:
                report.misses.append((lq, match.outcome.value, [f"{c.intent}:{c.score}" for c in match.candidates[:3]]))
        else:
            report.out_of_scope.add(False, False, rejected)
            report.by_kind["out_of_scope"].add(False, False, rejected)
            if not rejected:
                report.misses.append((lq, match.outcome.value, [f"{c.intent}:{c.score}" for c in match.candidates[:3]]))
        if progress is not None:
            progress.update(1)
    return report
