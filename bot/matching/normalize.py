"""Normalising what users type before matching.

>>> n = Normalizer({"跨境一锁": ["一锁通关", "one lock"], "海外仓": ["海外仓库"]})
>>> n.normalize("請問，海外倉庫有幾個呢？？？")
'海外仓有几个'
>>> n.normalize("Hello, ＯＺＯＮ， one lock!!")
'ozon 跨境一锁'
>>> n.normalize("你好 一锁通关怎么用 谢谢")
'跨境一锁怎么用'
>>> detect_language("How many overseas warehouses?"), detect_language("海外仓 how many")
('en', 'zh')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

MAX_CHARS = 600  # matching looks at most at this much text; keeps time bounded
_T2S = opencc.OpenCC("t2s")

# Words that carry no meaning for matching: greetings, politeness, sentence particles.
# Longest first, so "请问一下" goes before "请问".
FILLERS = sorted(
    """
    请问一下 请问下 请问 麻烦问一下 麻烦问下 麻烦 想问一下 想问下 想问问 想问 我想知道 我想了解 想了解一下 想了解
    咨询一下 咨询下 打扰一下 打扰了 你好啊 你好 您好 在吗 哈喽 谢谢你 谢谢您 谢谢 多谢 感谢
    帮我查一下 帮我查下 帮忙看看 一下下 一下
    """.split(),
    key=len,
    reverse=True,
)
EN_FILLERS = {"hi", "hello", "hey", "please", "thanks", "thank", "you", "pls", "plz", "kindly", "dear"}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w\u3400-\u9fff%.]+")
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,40}>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202f\ufeff]")
_SENTENCE_END = re.compile(r"[。！？!?；;，,\n]+|(?<![0-9])[.](?![0-9])")
_FILLER_RE = re.compile("|".join(map(re.escape, FILLERS)))
# sentence particles only where a clause ends, so 哈萨克斯坦 and 酒吧 survive
_PARTICLES = re.compile(r"[吗呢嘛啊呀吧哈啦哦噢呗哇哟嗯]+(?=\s|$)")


def detect_language(text: str) -> str:
    """'en' for Latin-script text without Chinese characters, else 'zh' (the default)."""
    return "en" if _LATIN.search(text) and not _CJK.search(text) else "zh"


@lru_cache(maxsize=4096)
def _t2s(text: str) -> str:
    return _T2S.convert(text)


def base_normalize(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, lower case, no controls."""
    text = _CONTROL.sub(" ", text[: MAX_CHARS * 2])
    text = _TAG.sub(" ", _SCRIPT.sub(" ", text))  # pasted HTML: <b>跨境一锁</b> asks about 跨境一锁
    text = unicodedata.normalize("NFKC", text)
    return _t2s(text).lower()[:MAX_CHARS]


class Normalizer:
    """Full normalisation: base, punctuation and emoji out, fillers out, glossary applied."""

    def __init__(self, glossary: dict[str, list[str]] | None = None):
        pairs = []
        for canonical, variants in (glossary or {}).items():
            canon = self._clean(base_normalize(canonical))
            # the canonical term maps to itself: as the longest match it shields the
            # shorter variants inside it (电商协会 inside 跨境电商协会 stays put)
            pairs.append((canon, canon))
            for variant in variants:
                v = self._clean(base_normalize(variant))
                if v and v != canon:
                    pairs.append((v, canon))
        self._glossary = dict(p for p in sorted(pairs, key=lambda p: len(p[0])) if p[0])
        self._trie: dict = {}
        for variant in self._glossary:
            node = self._trie
            for ch in variant:
                node = node.setdefault(ch, {})
            node[""] = variant  # end of a variant

    def apply_glossary(self, text: str) -> str:
        """Rewrite every variant to its canonical term, longest match first, left to right.
        A Latin variant matches whole words only ("one lock", not inside "someone locked").
        A trie walk: a regex alternation of thousands of variants is far slower."""
        out, i, n = [], 0, len(text)
        while i < n:
            node, j, found = self._trie, i, None
            while j < n and text[j] in node:
                node = node[text[j]]
                j += 1
                if "" in node:
                    variant = node[""]
                    if not variant.isascii() or (
                        (i == 0 or not text[i - 1].isalnum()) and (j == n or not text[j].isalnum())
                    ):
                        found = (j, variant)
            if found:
                out.append(self._glossary[found[1]])
                i = found[0]
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

    @staticmethod
    def _clean(text: str) -> str:
        text = _NOT_WORD.sub(" ", text).replace("_", " ")
        return " ".join(text.split())

    def sentences(self, text: str, limit: int = 5) -> list[str]:
        """The normalised clauses of a message (a long message often hides one question)."""
        parts = _SENTENCE_END.split(base_normalize(text))
        out = [n for n in (self.normalize(p) for p in parts) if n]
        return out[-limit:]

    def normalize(self, text: str) -> str:
        text = self._clean(base_normalize(text))
        if self._glossary:
            text = self.apply_glossary(text)
        text = _PARTICLES.sub(" ", _FILLER_RE.sub(" ", text))
        words = [w for w in text.split() if w not in EN_FILLERS]
        # Chinese runs join up (the particle removal may have split them); anything
        # next to a Latin word or a number keeps its space
        out = ""
        for w in words:
            if out and not (_CJK.match(out[-1]) and _CJK.match(w[0])):
                out += " "
            out += w
        return out.strip(" .")
