"""Small frozen records passed between the pipeline stages; no I/O lives here.

Data flows one way: `Article` text -> `Mention`s -> `Entity`s -> `Fact`s with `Evidence`
-> RDF dataset. Keeping the records in one module lets every stage agree on one shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class Article:
    """One source article: its metadata and the body text that offsets are defined on."""

    id: str
    title: str | None
    publisher: str | None
    url: str | None
    date: dt.date | None
    language: str | None
    raw: str
    """The original text after the front matter, exactly as received."""
    body_start: int
    """Where the body starts in `raw`; offsets of evidence are relative to the body."""
    body_end: int
    path: str = ""
    licence: str | None = None
    """The terms the text is kept under (dcterms:license), as the front matter states them."""
    reports_on: dt.date | None = None
    """For an article whose publication date is unknown: the day of the latest event it reports,
    as another dated source gives it. It was written on or after that day, so it attests what it
    states on that day (akg:reportsOn); never a guess, always with `reports_on_source`."""
    reports_on_source: str | None = None

    @property
    def body(self) -> str:
        return self.raw[self.body_start:self.body_end]


@dataclass(frozen=True)
class Entity:
    """A canonical thing in the world (person, country, company...) from the registry."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    wikidata: str | None = None
    iso3166: str | None = None
    confidence: Decimal | None = None
    """None for registry entities; for entities the parser found, how sure it is of the type."""
    source: str | None = None
    """None for registry entities; else what placed the name (a gazetteer, or the NER label)."""

    @property
    def parsed(self) -> bool:
        return self.confidence is not None

    @property
    def names(self) -> tuple[str, ...]:
        """Every surface form, longest first, so the most specific name is matched first."""
        return tuple(sorted({self.label, *self.aliases, *self.short_names}, key=lambda n: (-len(n), n)))


@dataclass(frozen=True)
class Span:
    """A half-open range of character (code point) offsets into an article body."""

    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A name as written in an article, at a span, and the entity it was resolved to."""

    article_id: str
    span: Span
    text: str
    entity_id: str


class Method(str, Enum):
    """How a fact was obtained: curated by a person, or parsed by the NLP pipeline."""

    CURATED = "curated"
    PARSED = "parsed"


@dataclass(frozen=True)
class Evidence:
    """Where an article states a fact: the verbatim quote, its span and who read it there."""

    article_id: str
    span: Span
    quote: str
    prefix: str
    suffix: str
    method: Method
    confidence: Decimal
    agent: str
    """The curation file, or the pipeline component and version that produced the evidence."""
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    text: str = ""


@dataclass(frozen=True)
class Quantity:
    amount: int
    unit: str | None
    text: str = ""


@dataclass(frozen=True)
class DateValue:
    """A date as normalised from the text; `value` is None when it cannot be resolved.

    `precision` is "day", "month" or "year": "this year" is a year, not the first of January.
    """

    value: dt.date | None
    precision: str | None = None
    text: str = ""


@dataclass(frozen=True)
class YearValue:
    year: int
    text: str = ""




@dataclass(frozen=True)
class Fact:
    """One statement about the world: a relation with its role values and its evidence.

    Role values of entity roles are entity ids; text roles carry `Text`. Two facts with the
    same `key` are the same fact and merge, pooling their evidence.
    """

    relation: str
    roles: tuple[tuple[str, object], ...]
    evidence: tuple[Evidence, ...] = field(default=())

    def role(self, name: str, default: object = None) -> object:
        for key, value in self.roles:
            if key == name:
                return value
        return default

    def entity_ids(self) -> set[str]:
        """Every entity the fact's roles name (entity roles hold ids; text roles hold `Text`)."""
        return {v for _, v in self.roles if isinstance(v, str)} | \
            {x for _, v in self.roles if isinstance(v, tuple) for x in v if isinstance(x, str)}


@dataclass(frozen=True)
class Text:
    """A free-text role value (an item, a title, a name, quoted words)."""

    value: str
