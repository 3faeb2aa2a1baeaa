"""Names that are both a country and another country's province ("Georgia": the Caucasus state and
the US state), read once per article, the way a reader does: one sense for the whole story.

Why a pass of its own: the resolver sees one mention at a time, and the mention that settles the
sense ("Savannah, Georgia") may come after the one it must settle ("Hyundai's Georgia plant").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..registry import normalise_name
from .gazetteer import gazetteer

STATE_WORDS = re.compile(r"(?:\bstate\s+of\s+|\bU\.?S\.?\s+state\s+of\s+)$", re.IGNORECASE)
"""'the U.S. state of Georgia', 'the state of Georgia'."""
COUNTRY_AFTER = re.compile(r",\s+(?:the\s+)?(?:U\.?S\.?A?\.?|United States|America)\b|\s+state\b(?!\s+[A-Z])")
"""'Georgia, U.S.', 'Georgia state officials' (lower case: not 'Georgia State University')."""
PLACE_LABELS = ("GPE", "LOC", "ORG", "PERSON")


def provinces_read(body: str, ents: Iterable) -> dict[str, str]:  # noqa: ANN001 - spaCy spans
    """{normalised name: ISO code of the country whose province it is} for every name of this
    article that is both a country and a province and that the article reads as the province:
    a town of that country named before it ("Savannah, Georgia"), "the state of" before it, the
    country after it ("Georgia, U.S."); or, with none of those, other provinces or towns of that
    country named in the story and nothing of the namesake country (its capital, its people's
    adjective). A story of "Ukraine and Georgia" stays with the Caucasus state."""
    gaz = gazetteer()
    ents = [e for e in ents if e.label_ in PLACE_LABELS + ("NORP",)]
    ambiguous: dict[str, tuple[str, str]] = {}  # name -> (province's country, namesake country)
    for e in ents:
        key = normalise_name(e.text)
        if key in ambiguous or e.label_ not in ("GPE", "LOC"):
            continue
        code, country = gaz.province(e.text), gaz.country(e.text)
        if code and country is not None and country.code != code and normalise_name(country.name) == key:
            ambiguous[key] = (code, country.code)
    if not ambiguous:
        return {}
    read: dict[str, str] = {}
    for key, (code, namesake) in ambiguous.items():
        mentions = [e for e in ents if normalise_name(e.text) == key]
        local = any(_local_cue(body, e, code) for e in mentions)
        if not local:
            others = {normalise_name(e.text) for e in ents if e.label_ in ("GPE", "LOC") and
                      normalise_name(e.text) != key and _lies_in(e.text, code)}
            rival = any(_names_country(e.text, namesake) for e in ents if normalise_name(e.text) != key)
            local = bool(others) and not rival
        if local:
            read[key] = code
    return read


def _local_cue(body: str, mention, code: str) -> bool:  # noqa: ANN001
    before = body[max(0, mention.start_char - 40):mention.start_char]
    town = re.search(r"([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+)?),\s+$", before)
    if town is not None and (city := gazetteer().city(town.group(1))) is not None and city.country_code == code:
        return True  # "Savannah, Georgia"
    if town is not None and gazetteer().city(town.group(1)) is None and gazetteer().country(town.group(1)) is None \
            and re.search(r"\b(?:in|near|at|outside|of)\s+$", before[:town.start()]):
        return True  # "in Ellabell, Georgia": a town too small to know, placed by its state ("in Ukraine, Georgia
        # and Moldova" lists states)
    if STATE_WORDS.search(before):
        return True
    return code == "US" and COUNTRY_AFTER.match(body, mention.end_char) is not None


def _lies_in(text: str, code: str) -> bool:
    """A province or a town of country `code`, and no country itself ("Alabama", "Atlanta")."""
    gaz = gazetteer()
    if gaz.capital_of(text) is not None:
        return False  # "Washington" mostly stands for a government
    country = gaz.country(text)
    if country is not None:  # "Florida", which a country list maps to the state it lies in; not "the U.S."
        return country.code == code and gaz.province(text) is not None
    if gaz.province(text) == code:
        return True
    city = gaz.city(text)
    return city is not None and city.country_code == code and city.population >= 100_000


def _names_country(text: str, code: str) -> bool:
    """The namesake country's capital or its people's adjective ("Tbilisi", "Georgian")."""
    gaz = gazetteer()
    if gaz.capital_of(text) == code:
        return True
    country = gaz.country(text)
    return country is not None and country.code == code and normalise_name(text) != normalise_name(country.name)
