"""Figures (amounts, counts, percentages, dates) in answers and in source quotes.

An answer may only state a figure that its quotes state. Values are compared exactly,
after applying Chinese and English multipliers, so "28.26亿" in a quote allows
"2.826 billion" in English but not "2.83 billion":

>>> sorted(figures_in_answer("授信28.26亿元，超350家"))
['28.26亿', '350']
>>> allowed = quote_values("设立30亿元“海丝外贸基金”，为超350家外贸企业授信28.26亿元")
>>> [f for f in figures_in_answer("RMB 2.826 billion to over 350 firms") if not figure_allowed(f, allowed)]
[]
>>> [f for f in figures_in_answer("RMB 2.83 billion") if not figure_allowed(f, allowed)]
['2.83 billion']
>>> figure_allowed("1000", quote_values("已汇聚超千家跨境电商企业"))
True
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "百": Decimal(100),
    "trillion": Decimal(10) ** 12,
    "billion": Decimal(10) ** 9,
    "million": Decimal(10) ** 6,
    "thousand": Decimal(1000),
}
_UNIT = r"(?:\s*(万亿|亿|万|千|百|trillion|billion|million|thousand)(?![a-z]))?"
_NUMBER = r"(?<![A-Za-z0-9.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
# "B2B" and "5G" are names, not figures: the lookarounds skip digits touching letters.
FIGURE_LOOSE = re.compile(_NUMBER + _UNIT + r"(?![A-Za-z0-9])", re.IGNORECASE)

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10**4, "亿": 10**8}
CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def _decimal(integer: str, fraction: str | None) -> Decimal | None:
    try:
        return Decimal(integer.replace(",", "") + (fraction or ""))
    except InvalidOperation:
        return None


def figures_in_answer(text: str) -> list[str]:
    """The figures an answer states, as written (number plus multiplier, if any)."""
    found = []
    for m in FIGURE_LOOSE.finditer(text):
        unit = m.group(3) or ""
        found.append((m.group(1) + (m.group(2) or "") + (" " + unit if unit.isascii() and unit else unit)).strip())
    return found


def figure_value(figure: str) -> tuple[Decimal, Decimal | None]:
    """(raw number, value with multiplier applied or None)."""
    m = FIGURE_LOOSE.search(figure)
    if not m:
        raise ValueError(figure)
    raw = _decimal(m.group(1), m.group(2))
    unit = (m.group(3) or "").lower()
    return raw, (raw * MULTIPLIERS[unit] if unit else None)


def chinese_numeral(run: str) -> int | None:
    """Value of a run of Chinese numerals: "一千二百" -> 1200, "千" -> 1000, "十三" -> 13."""
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch] if digit is None else digit * 10 + CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        elif ch in CN_BIG:
            section += digit or 0
            total += (section or 1) * CN_BIG[ch]
            section, digit = 0, None
    value = total + section + (digit or 0)
    return value or None


def quote_values(text: str) -> set[Decimal]:
    """Every value a quote supports: raw numbers, multiplied amounts, Chinese numerals."""
    values: set[Decimal] = set()
    for m in FIGURE_LOOSE.finditer(text):
        raw = _decimal(m.group(1), m.group(2))
        if raw is None:
            continue
        values.add(raw)
        unit = (m.group(3) or "").lower()
        if unit:
            values.add(raw * MULTIPLIERS[unit])
    for m in CN_RUN.finditer(text):
        run = m.group(0)
        value = chinese_numeral(run)
        if value is not None:
            values.add(Decimal(value))
        # a multiplier right after a number in Arabic digits is handled above; here
        # also take each digit-led piece of a run ("九大千亿" gives 9 and 千亿 = 10^11).
        for piece in re.findall(r"[零〇一二两三四五六七八九]?[十百千]?[万亿]+|[十百千]", run):
            v = chinese_numeral(piece)
            if v is not None:
                values.add(Decimal(v))
    return {v.normalize() for v in values}


def figure_allowed(figure: str, allowed: set[Decimal]) -> bool:
    raw, value = figure_value(figure)
    if raw.normalize() in allowed:
        return True
    return value is not None and value.normalize() in allowed
