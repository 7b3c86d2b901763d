"""The catalog's schema (pydantic). YAML files are validated against these models."""

from __future__ import annotations

import re
from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
TOPIC_PATTERN = r"^[a-z][a-z0-9_]*$"
MAX_PHRASING_CHARS = 200


def partial_date(value: object) -> str | None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD (YAML may hand us a `date`)."""
    if value is None:
        return None
    value = str(value)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Bilingual(Strict):
    """A text in Chinese and English; both are required."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Phrasings(Strict):
    """Ways a business may ask for an intent, per language."""

    zh: list[str] = Field(min_length=6)
    en: list[str] = Field(min_length=2)

    @field_validator("zh", "en")
    @classmethod
    def _no_blank(cls, value: list[str]) -> list[str]:
        if any(not v or not v.strip() for v in value):
            raise ValueError("a phrasing is empty")
        too_long = [v for v in value if len(v.strip()) > MAX_PHRASING_CHARS]
        if too_long:
            # a whole message (an unanswered question pasted in) is not a way of asking
            raise ValueError(f"a phrasing is at most {MAX_PHRASING_CHARS} characters; "
                             f"this one has {len(too_long[0].strip())}: {too_long[0].strip()[:30]!r}…")
        return [v.strip() for v in value]


class Source(Strict):
    """A verbatim quote from one source document."""

    doc: str
    quote: str = Field(min_length=4)


class AdminNote(Strict):
    """Marks an answer written by an admin without a document behind it."""

    by: str
    at: str


class Policy(Strict):
    """Policy metadata, where the document gives it."""

    issuer: str | None = None
    date: str | None = None
    as_of: str | None = None

    @field_validator("date", "as_of", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        return partial_date(value)


class Intent(Strict):
    """One thing a business may want to know."""

    id: str = Field(pattern=ID_PATTERN)
    title: Bilingual
    answer: Bilingual
    questions: Phrasings
    keywords: list[str] = Field(min_length=1)
    related: list[str] = Field(default_factory=list)
    policy: Policy | None = None
    counties: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    admin: AdminNote | None = None


class TopicFile(Strict):
    """One YAML file of the catalog: a topic and its intents."""

    topic: str = Field(pattern=TOPIC_PATTERN)
    title: Bilingual
    intents: list[Intent] = Field(min_length=1)


class NewsItem(Strict):
    """A dated event the documents report; feeds digests."""

    id: str = Field(pattern=ID_PATTERN)
    date: str
    topic: str = Field(pattern=TOPIC_PATTERN)
    text: Bilingual
    intent: str | None = None
    counties: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        return partial_date(value)


class NewsFile(Strict):
    news: list[NewsItem] = Field(default_factory=list)


class GlossaryFile(Strict):
    """Canonical term -> list of variants users type."""

    glossary: dict[str, list[str]]


class Document(Strict):
    id: str
    file: str
    title: str
    title_en: str
    publisher: str
    date: str | None = None
    date_note: str | None = None
    kind: str

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        return partial_date(value)


class SeedIndex(Strict):
    documents: list[Document]
