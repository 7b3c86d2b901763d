"""Turning normalised text into matchable units and weighted features.

Chinese characters become toneless pinyin syllables with the usual pinyin-input
confusions folded (zh/z, ch/c, sh/s, l/n, -ing/-in, -eng/-en), so a homophone typo has
the same units as the intended word. Latin words are lower-cased and lightly stemmed.

>>> units("跨境一所") == units("跨境一锁")
True
>>> units("海外藏") == units("海外仓")
True
>>> units("overseas warehouses 2025")
['oversea', 'warehous', '2025']
>>> sorted(features("海外仓"))
['c:cans', 'c:hai', 'c:hai_wai', 'c:wai', 'c:wai_cans', 'w:hai_wai']
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

import jieba
from pypinyin import Style, pinyin

jieba.setLogLevel(logging.WARNING)

_TOKEN = re.compile(r"[\u3400-\u9fff]+|[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?%?")
_CJK = re.compile(r"[\u3400-\u9fff]")

EN_STOPWORDS = frozenset(
    """a an the of to in on for and or is are was were be been being do does did can could
    would should will shall may might must i we you he she it they me us my our your their
    this that these those there here what which who whom whose how when where why with by
    at from as about into any some have has had get got not no yes if so than then its it's
    i'm we're much many also just only very there's whats""".split()
)


@lru_cache(maxsize=65536)
def syllable(char: str) -> str:
    """Fuzzy toneless pinyin of one character (the character itself if it has none)."""
    py = pinyin(char, style=Style.NORMAL, heteronym=False, errors="default")
    s = py[0][0] if py and py[0] else char
    if not s.isascii():
        return s
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[len(a):]
    if s.startswith("l"):
        s = "n" + s[1:]
    if s.endswith("ing") or s.endswith("eng"):
        s = s[:-1]
    # keep -ang apart from -an by a marker that cannot collide with a real syllable
    if s.endswith("ang"):
        s = s[:-1] + "s"
    return s


def stem(word: str) -> str:
    """A light English stemmer: the same stem for plurals, -ing/-ed forms and a final e.

    >>> [stem(w) for w in ("warehouses", "warehouse", "companies", "financing", "financed")]
    ['warehous', 'warehous', 'company', 'financ', 'financ']
    """
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _runs(text: str) -> list[str]:
    return _TOKEN.findall(text)


def units(text: str) -> list[str]:
    """The unit sequence of normalised text: syllables, stemmed words, numbers."""
    out: list[str] = []
    for run in _runs(text):
        if _CJK.match(run):
            out.extend(syllable(ch) for ch in run)
        elif run[0].isdigit():
            out.append(run)
        elif run not in EN_STOPWORDS:
            out.append(stem(run))
    return out


def features(text: str) -> Counter[str]:
    """Unigram and bigram features per run, plus jieba words of two or more characters.

    Prefixes: `c:` Chinese (pinyin), `e:` English/number, `w:` a whole jieba word.
    """
    feats: Counter[str] = Counter()
    for run in _runs(text):
        if _CJK.match(run):
            syl = [syllable(ch) for ch in run]
            feats.update("c:" + s for s in syl)
            feats.update(f"c:{a}_{b}" for a, b in zip(syl, syl[1:]))
            for word in jieba.lcut(run, HMM=False):
                if len(word) >= 2:
                    feats["w:" + "_".join(syllable(ch) for ch in word)] += 1
        elif run[0].isdigit():
            feats["e:" + run] += 1
        elif run not in EN_STOPWORDS:
            feats["e:" + stem(run)] += 1
    # English bigrams across words, for "trade fund" vs "fund trade"
    words = [stem(r) for r in _runs(text) if r.isascii() and r.isalpha() and r not in EN_STOPWORDS]
    feats.update(f"e:{a}_{b}" for a, b in zip(words, words[1:]))
    return feats


def add_user_words(words: list[str]) -> None:
    """Teach jieba the catalog's own terms so they segment as one word."""
    for word in words:
        if len(word) >= 2 and _CJK.search(word):
            jieba.add_word(word, freq=50000)
