"""When each holding of an office was valid, from what the articles state and when they were
written: the time dimension of `Position` facts.

A holding is valid from the start the text states ("since May 2022", "took office in May"),
else from the earliest date of an article that attests it (a 2022-11-04 article calling Lee
Jong-sup South Korea's defence minister attests that he was on that day). It is valid until
the end the text states ("from 2017 to 2021"), else — for an office one person holds at a time
(`SOLE_OFFICES`: a president, a defence minister of one country) — until the day before the
next holder's run of attestations begins, else open; a holder attested again after a
successor gets a second term. Holdings the text puts in the past ("former", "then-") are not
attested on the article's date: a "former" one ended by then.

The result is written to the provenance graph as terms (`akg:heldDuring` → `akg:Term` with
`akg:validFrom` / `akg:validUntil` and the basis: `stated`, `attested`, `attested+succeeded`,
`former`) plus the first and last attestation, so `kg query --as-of DATE` is one SPARQL filter
(see `kg/queries/as-of.rq`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .merge import fact_id
from .types import Article, DateValue, Fact

SOLE_OFFICES = frozenset({
    "president", "prime minister", "chancellor", "king", "queen", "emperor", "leader", "vice president",
    "defense minister", "foreign minister", "secretary of defense", "secretary of state", "secretary general",
    "crown prince", "national security adviser", "secretary of the air force",
})
"""Canonical titles (see `kg/nlp/lexicon.py`) that one person holds at a time for a given
country or body; "Ambassador", "General" or "Senator" are held by many at once."""


@dataclass(frozen=True)
class Term:
    """One stretch of time a holding held."""

    valid_from: dt.date | None
    valid_until: dt.date | None
    basis: str


@dataclass(frozen=True)
class Validity:
    terms: tuple[Term, ...]
    first_attested: dt.date | None
    last_attested: dt.date | None


def first_day(value: DateValue) -> dt.date | None:
    """The first day of the period a date names (DateValue keeps it: 2021 -> 2021-01-01)."""
    return value.value


def last_day(value: DateValue) -> dt.date | None:
    """The last day of the period a date names: 2021 -> 2021-12-31, May 2022 -> 2022-05-31."""
    day = value.value
    if day is None:
        return None
    if value.precision == "year":
        return dt.date(day.year, 12, 31)
    if value.precision == "month":
        return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def office(fact: Fact) -> tuple[str, str] | None:
    """(title, body) of a sole office, or None when many may hold the title at once."""
    title, of = fact.role("title"), fact.role("of")
    name = getattr(title, "value", "").lower()
    if of is None or name not in SOLE_OFFICES:
        return None
    return name, str(of)


def attested_on(article: Article) -> dt.date | None:
    """The day an article attests what it states: its date, or, for an article that gives none,
    the latest of the full dates its text names and the day of the event it reports
    (`reports_on`, from another dated source): it was written on or after each of them."""
    from .normalize import latest_date_in

    if article.date:
        return article.date
    bounds = [d for d in (latest_date_in(article.body), article.reports_on) if d is not None]
    return max(bounds) if bounds else None


def validities(facts: Iterable[Fact], articles: Iterable[Article]) -> dict[str, Validity]:
    """Validity of every Position fact, by fact id (deterministic: sorted inputs, no clock).

    For a sole office, the attestations of all its holders are read in date order: a run of
    attestations of one holder is one term, ended the day before another holder's run begins —
    so Trump attested in 2017, Biden in 2023 and Trump again in 2025 gives Trump two terms."""
    dates = {a.id: attested_on(a) for a in articles}
    found: dict[str, Validity] = {}
    runs: dict[tuple[str, str], list[tuple[dt.date, str, str]]] = {}
    for fact in facts:
        if fact.relation != "Position":
            continue
        ident = fact_id(fact)
        attested = sorted({d for e in fact.evidence if (d := dates.get(e.article_id)) is not None})
        first, last = (attested[0], attested[-1]) if attested else (None, None)
        start, end = fact.role("start"), fact.role("end")
        status = getattr(fact.role("status"), "value", "")
        stated_from = first_day(start) if isinstance(start, DateValue) else None
        stated_until = last_day(end) if isinstance(end, DateValue) else None
        if stated_from or stated_until:
            found[ident] = Validity((Term(stated_from, stated_until, "stated"),), first, last)
        elif status == "former":  # "former" on the day it was written: it ended before then
            until = first - dt.timedelta(days=1) if first else None
            found[ident] = Validity((Term(None, until, "former"),), first, last)
        elif status == "then":
            found[ident] = Validity((), first, last)  # held at some earlier time the text does not date
        else:
            found[ident] = Validity((Term(first, None, "attested"),) if first else (), first, last)
            key = office(fact)
            if key is not None:
                runs.setdefault(key, []).extend((d, str(fact.role("holder")), ident) for d in attested)
    for attestations in runs.values():
        attestations.sort()
        terms: dict[str, list[Term]] = {}
        current: list = []  # [holder, ident, from]
        for day, holder, ident in attestations:
            if current and current[0] == holder:
                continue
            if current:
                terms.setdefault(current[1], []).append(
                    Term(current[2], day - dt.timedelta(days=1), "attested+succeeded"))
            current = [holder, ident, day]
        if current:
            terms.setdefault(current[1], []).append(Term(current[2], None, "attested"))
        for ident, held in terms.items():
            mine = found[ident]
            found[ident] = Validity(tuple(held), mine.first_attested, mine.last_attested)
    return found
