"""Turning normalised text into matchable units and weighted features.

Chinese characters become toneless pinyin syllables with the usual pinyin-input
confusions folded (zh/z, ch/c, sh/s, l/n, -ing/-in, -eng/-en), so a homophone typo has
the same units as the intended word. Words are then found in the syllable sequence
against a vocabulary of the catalog's own words (segmented by jieba), so "跨境一所" is
read as the catalog word 跨境一锁 although jieba itself would split it. Latin words are
lower-cased and lightly stemmed.

>>> units("跨境一所") == units("跨境一锁")
True
>>> units("海外藏") == units("海外仓")
True
>>> units("overseas warehouses 2025")
['oversea', 'warehous', '2025']
>>> add_user_words(["跨境一锁"])
>>> v = Vocabulary(["跨境一锁是什么"])
>>> v.words(units("跨境一所是什么"))
['kua_jin_yi_suo', 'sen_me']
>>> sorted(v.features("跨境一所"))
['b:jin_yi', 'b:kua_jin', 'b:yi_suo', 'w:kua_jin_yi_suo']
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

import jieba
from pypinyin import Style, pinyin

jieba.setLogLevel(logging.WARNING)

_TOKEN = re.compile(r"[\u3400-\u9fff]+|[a-z]+(?:'[a-z]+)?|\d+(?:\.\d+)?%?")
_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_WORD = 8  # syllables

# Question words (what, how, many, when, where, who) stay: like 什么/多少/哪里 they tell a
# "what is it" intent from a "how many" one; IDF keeps their weight small.
EN_STOPWORDS = frozenset(
    """a an the of to in on for and or is are was were be been being do does did can could
    would should will shall may might must i we you he she it they me us my our your their
    this that these those there here which whom whose with by at from as about into any some
    have has had get got not no yes if so than then its it's i'm we're also just only very
    there's""".split()
)


# Question and function words: every intent is asked with them, so the catalog's IDF
# overrates them (a rare "怎么样" in the catalog is not a rare topic).
FUNCTION_WORDS = """
什么 怎么 怎么样 怎样 如何 多少 几个 几家 哪些 哪个 哪里 哪儿 哪家 是否 有没有 可以 能不能 能否 是不是
为什么 为啥 咋样 咋办 干嘛 干啥 现在 目前 已经 我们 你们 他们 我的 一个 这个 那个 这些 那些 听说 到底
具体 请问 了解 知道 情况 相关 一些 有些 还有 还是 或者 以及 以后 之前 时候 怎么回事 是啥 是什么 有啥 啥样
""".split()


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


def runs(text: str) -> list[str]:
    return _TOKEN.findall(text)


def units(text: str) -> list[str]:
    """The unit sequence of normalised text: syllables, stemmed words, numbers."""
    out: list[str] = []
    for run in runs(text):
        if _CJK.match(run):
            out.extend(syllable(ch) for ch in run)
        elif run[0].isdigit():
            out.append(run)
        elif run not in EN_STOPWORDS:
            out.append(stem(run))
    return out


class Vocabulary:
    """The catalog's Chinese words as syllable sequences, for homophone-proof segmentation."""

    def __init__(self, texts: Iterable[str] = ()):
        self.words_set: set[tuple[str, ...]] = set()
        for text in texts:
            for run in runs(text):
                if _CJK.match(run):
                    for word in jieba.lcut(run, HMM=False):
                        if 2 <= len(word) <= MAX_WORD:
                            self.words_set.add(tuple(syllable(ch) for ch in word))

    def segment(self, syl: list[str]) -> list[tuple[str, ...]]:
        """Fewest-pieces segmentation of a syllable run into known words (else singles)."""
        n = len(syl)
        best = [0] + [n + 1] * n  # pieces needed to cover syl[:i]
        back = [0] * (n + 1)
        for i in range(1, n + 1):
            for j in range(max(0, i - MAX_WORD), i):
                piece = tuple(syl[j:i])
                if (i - j == 1 or piece in self.words_set) and best[j] + 1 < best[i]:
                    best[i], back[i] = best[j] + 1, j
        out, i = [], n
        while i > 0:
            out.append(tuple(syl[back[i]:i]))
            i = back[i]
        return out[::-1]

    def words(self, seq: list[str]) -> list[str]:
        return ["_".join(w) for w in self.segment(seq) if len(w) > 1]

    def chinese_words(self, run: str) -> list[tuple[str, ...]]:
        """Words of a Chinese run: catalog words by sound; the stretches between them
        segmented by jieba, so a word the catalog never uses (天气) stays one word."""
        pieces = self.segment([syllable(ch) for ch in run])
        out: list[tuple[str, ...]] = []
        pos = 0
        stretch_start = None
        for k, piece in enumerate(pieces + [("",) * 2]):
            if len(piece) == 1 and k < len(pieces):
                stretch_start = pos if stretch_start is None else stretch_start
            else:
                if stretch_start is not None:
                    for word in jieba.lcut(run[stretch_start:pos], HMM=False):
                        out.append(tuple(syllable(ch) for ch in word))
                    stretch_start = None
                if k < len(pieces):
                    out.append(piece)
            pos += len(piece)
        return out

    def features(self, text: str) -> Counter[str]:
        """Weighted-later features. Prefixes: `w:` a word (several syllables), `s:` a
        single syllable, `b:` a syllable pair inside a word, `e:` English or a number."""
        feats: Counter[str] = Counter()
        english: list[str] = []
        for run in runs(text):
            if _CJK.match(run):
                for word in self.chinese_words(run):
                    if len(word) == 1:
                        feats["s:" + word[0]] += 1
                        continue
                    feats["w:" + "_".join(word)] += 1
                    # syllable pairs: "科创" still meets the pair inside "科创天使基金"
                    feats.update(f"b:{a}_{b}" for a, b in zip(word, word[1:]))
            elif run[0].isdigit():
                feats["e:" + run] += 1
            elif run not in EN_STOPWORDS:
                english.append(stem(run))
                feats["e:" + english[-1]] += 1
        feats.update(f"e:{a}_{b}" for a, b in zip(english, english[1:]))
        return feats


@lru_cache(maxsize=1)
def function_features() -> frozenset[str]:
    return frozenset("w:" + "_".join(syllable(ch) for ch in w) for w in FUNCTION_WORDS)


def add_user_words(words: list[str]) -> None:
    """Teach jieba the catalog's own terms so they segment as one word."""
    for word in words:
        if len(word) >= 2 and _CJK.search(word):
            jieba.add_word(word, freq=50000)
