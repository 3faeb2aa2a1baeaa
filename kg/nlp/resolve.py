"""Entity resolution: which entity a name in an article denotes.

Within an article, short forms ("Lee", "Austin", "Seoul", "the company", "he") resolve to the
entities that article has already named in full, so the two Lees of different articles stay
apart. Across articles, person names are compared by keys that survive the ways news writes
them: middle initials and suffixes ("Lloyd J. Austin III" = "Lloyd Austin 3rd"), hyphens
("Kim Jong-un" = "Kim Jong Un"), family name first in capitals ("KISHIDA Fumio" = "Fumio
Kishida") and nicknames ("Joe Biden" = "Joseph R. Biden, Jr."). Different people who share a
surname differ in their keys and never merge.

A name the registry does not know is placed by the gazetteer (countries with ISO codes and
Wikidata QIDs, capitals and seats of government standing for their country, cities,
international organisations) or typed from its words (ministries, armed forces, companies);
a name nothing can place becomes a low-confidence `Thing`, never a guessed type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from ..registry import Registry, normalise_name, undotted
from ..types import Entity
from ..vocab import slug
from .gazetteer import fold, gazetteer, ship_name, word_list
from .lexicon import COURTESY_PATTERN, COURTESY_TITLES, NAME_ABBREVIATIONS, TITLE_PATTERN

SUFFIXES = {"iii", "3rd", "ii", "2nd", "iv", "4th", "jr", "sr"}
HONORIFICS = {t.lower() for t in COURTESY_TITLES} | {"gen", "adm", "lt", "col", "maj", "capt", "prince", "princess",
                                                    "sheikh", "crown", "brig", "brigadier"}
MODEL_DESIGNATOR = re.compile(r"^[A-Z]{1,3}-?\d{1,3}[A-Z]{0,3}(?:/[A-Z]+)?\s+[A-Z]")
"""A military model's designator before its name ("P-8 Poseidon", "MQ-9B SkyGuardian", "K9 Thunder")."""
NOT_NAMES = {"he", "she", "it", "they", "we", "i", "you", "his", "her", "their", "its", "the", "this", "that"}
TITLE_PREFIX = re.compile(r"^(?:the\s+)?(?:(?:" + TITLE_PATTERN
                          + r")\s+)+", re.IGNORECASE)

CONFIDENCE = {"registry": None, "gazetteer": Decimal("0.95"), "geonames": Decimal("0.8"),
              "name-words": Decimal("0.75"), "ner": Decimal("0.6"), "surname": Decimal("0.6"),
              "unplaced": Decimal("0.3")}


LEGAL_FORM = re.compile(r",?\s+(?:Co|Corp|Corporation|Inc|Incorporated|Ltd|Limited|PLC|plc|LLC|AG|SA|NV|GmbH|AS|ASA|AB|SpA|S\.p\.A|Oyj|BV|SE|Pty Ltd)\.?$")
TITLE_ABBREVIATION = re.compile(r"\b(?:Col|Gen|Lt|Adm|Maj|Capt|Sgt|Cmdr|Brig|Cpl|Pfc|Pvt|Spc|Ens)\.?$")
ORG_MEMBERS = {"allies", "ally", "members", "member states", "leaders", "headquarters", "hq", "countries", "nations"}


def strip_name(text: str, titles: bool = True) -> str:
    """'South Korean President Lee Jae Myung’s' -> 'Lee Jae Myung' (titles, possessives, 'the', 'a').

    Titles are stripped from people's names only: "General Dynamics" is a company."""
    name = re.sub(r"[’']s?$", "", text.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"^an?\s+(?=[A-Z])", "", name)  # "a North Atlantic Treaty Organization (NATO) Ally"
    if titles:
        name = TITLE_PREFIX.sub("", name)
        name = re.sub(rf"^(?:(?:(?:Crown )?Prince|Princess|Sheikh|King|Queen)\s+|{COURTESY_PATTERN}\s+)", "", name)
    return name.strip(" ,.;:\"“”") if not re.search(r"\b[A-Z]\.$", name.strip()) else name.strip(" ,;:\"“”")


GENERIC_BODIES = {
    "defense ministry": "Ministry of Defense", "defence ministry": "Ministry of Defence",
    "ministry of defense": "Ministry of Defense", "ministry of defence": "Ministry of Defence",
    "ministry of national defense": "Ministry of National Defense",
    "foreign ministry": "Ministry of Foreign Affairs", "ministry of foreign affairs": "Ministry of Foreign Affairs",
    "joint chiefs of staff": "Joint Chiefs of Staff", "joint chiefs": "Joint Chiefs of Staff",
    "defense department": "Department of Defense",
    "department of defense": "Department of Defense", "interior ministry": "Ministry of the Interior",
    "trade ministry": "Ministry of Trade"}
"""Ministries every state has, named the same everywhere: which one is the state's word before it
(a state's navy or army keeps its own name: "the Chilean Navy", "the Philippine Air Force")."""
STATE_BODY = re.compile(r"^(?P<state>(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)(?:[’']s)?\s+(?P<body>.+)$")


@lru_cache(maxsize=65536)
def state_body(name: str) -> tuple[str, str] | None:
    """("Ministry of Defense (Japan)", kind) for "Japan's Defense Ministry", "Japanese Defense
    Ministry", "the South Korean Joint Chiefs of Staff"; None for any other name."""
    match = STATE_BODY.match(name.strip())
    if match is None:
        return None
    body = GENERIC_BODIES.get(normalise_name(match.group("body")))
    state = gazetteer().country(match.group("state")) if body else None
    if state is None:
        return None
    return f"{body} ({state.name})", "GovernmentAgency"


@lru_cache(maxsize=65536)
def _tokens(name: str) -> tuple[str, ...]:
    """A person's name as tokens in given-then-family order, without honorifics or suffixes.

    Japanese and Chinese official pages write the family name first, in capitals ("KISHIDA
    Fumio"): a capitalised token followed by a mixed-case one is moved to the end.
    """
    raw = [t for t in re.split(r"[\s,]+", name.strip()) if t]
    if len(raw) == 2 and raw[0].isupper() and raw[0].isalpha() and len(raw[0]) > 2 and not raw[1].isupper():
        raw = [raw[1], raw[0]]
    tokens = [t for t in normalise_name(fold(" ".join(raw))).split() if t not in SUFFIXES]
    kept = [t for t in tokens if t not in HONORIFICS]
    if len(kept) < 2 and len(tokens) >= 2 and not re.search(r"\b(?:Gen|Adm|Lt|Col|Maj|Capt|Dr|Mr|Mrs|Ms)\.", name):
        # "Gen Nakatani": a given name that is also a rank's abbreviation, written without its full stop
        kept = [t for t in tokens if t not in HONORIFICS - {"gen"}]
    return tuple(kept)


@lru_cache(maxsize=65536)
def person_key(name: str) -> str:
    """First and family names, without middle initials, middle names or suffixes."""
    tokens = _tokens(name)
    if len(tokens) <= 2:
        return " ".join(tokens)
    if len(tokens) == 3 and "-" in name and all(len(t) > 1 for t in tokens) and not re.search(r"-\w+\s*$", name.split()[0]):
        return " ".join(tokens)  # a hyphenated given name after the family name: "Lai Ching-te", "Lee Jae-myung"
    if len(tokens) == 3 and all(len(t) > 1 for t in tokens) and (
            len(tokens[1]) <= 4 and len(tokens[2]) <= 4 or
            tokens[0] in word_list("family_first") and len(tokens[1]) <= 6 and len(tokens[2]) <= 6):
        return " ".join(tokens)  # Korean-style names: Kim Jong Un, Lee Jae Myung, Yoon Suk Yeol
    return f"{tokens[0]} {tokens[-1]}"


@lru_cache(maxsize=1)
def _nicknames():  # noqa: ANN202 - a NickNamer
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=65536)
def person_keys(name: str) -> frozenset[str]:
    """Every key under which `name` may meet another spelling of the same person's name.

    The plain key, the given name replaced by its formal forms and nicknames ("joe" <-> "joseph"),
    and an order-free key for two-part names ("kishida fumio" ~ "fumio kishida").
    """
    key = person_key(name)
    parts = key.split()
    keys = {key}
    if len(parts) == 2:
        given, family = parts
        keys.add(" ".join(sorted(parts)) + " #set")
        if len(given) > 1:
            namer = _nicknames()
            for variant in namer.canonicals_of(given) | namer.nicknames_of(given):
                keys.add(f"{variant} {family}")
    return frozenset(keys)


@dataclass
class ArticleContext:
    """What one article has named so far, for its short forms and pronouns."""

    seen: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    """'DSCA' -> the entity of 'Defense Security Cooperation Agency', as the article defines it."""

    def note(self, entity_id: str) -> None:
        if entity_id in self.seen:
            self.seen.remove(entity_id)
        self.seen.append(entity_id)

    def last_of(self, registry: "Resolver", kind: str) -> str | None:
        for entity_id in reversed(self.seen):
            if registry.type_of(entity_id) == kind:
                return entity_id
        return None


_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE_IN_NAME = re.compile(rf"\s*[-–—,]?\s*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|"
                          rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b.*$")
"""A date a dateline's credit runs into a name ("UrduPoint News / Sputnik - 18th April, 2023"): no
name holds a whole date."""


class Resolver:
    """Resolves names to registry entities, or to new entities it creates and remembers."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.new: dict[str, Entity] = {}
        self._new_by_label: dict[str, str] = {}
        self.person_index: dict[str, str] = {}
        self._by_family: dict[tuple[str, int], dict[str, set[str]]] = {}
        """(family name, number of words) -> {given name: entity ids}: the keys of `person_index`
        a misspelt given name is compared with."""
        for entity in registry:
            if entity.type == "Person":
                for name in (entity.label, *entity.aliases):
                    self._index_person(name, entity.id)

    def _index_person(self, name: str, entity_id: str) -> None:
        for key in person_keys(name):
            if key not in self.person_index:
                self.person_index[key] = entity_id
                words = key.split()
                if words and not key.endswith("#set"):
                    self._by_family.setdefault((words[-1], len(words)), {}).setdefault(words[0], set()).add(
                        entity_id)

    def _person(self, name: str) -> str | None:
        keys = person_keys(name)
        plain = person_key(name)
        if plain in self.person_index:
            return self.person_index[plain]
        hits = {self.person_index[k] for k in keys if k in self.person_index}
        if len(hits) == 1:
            return hits.pop()
        return self._person_by_spelling(plain)

    def _person_by_spelling(self, plain: str) -> str | None:
        """'Mohammad Bin Salman' ~ 'Mohammed bin Salman': the same family name and a given name
        spelt nearly alike (rapidfuzz ratio >= 85); only when exactly one person fits."""
        from rapidfuzz.fuzz import ratio

        parts = plain.split()
        if len(parts) < 2:
            return None
        found = {entity_id for given, ids in self._by_family.get((parts[-1], len(parts)), {}).items()
                 if ratio(given, parts[0]) >= 85 for entity_id in ids}
        return found.pop() if len(found) == 1 else None

    def registered_surname(self, name: str) -> str | None:
        """'President Putin', 'Chancellor Merkel': the one registry person with that family name."""
        key = normalise_name(fold(name))
        if " " in key or len(key) < 3:
            return None
        found = _surnames(self.registry).get(key, ())
        return found[0] if len(found) == 1 else None

    def type_of(self, entity_id: str) -> str | None:
        entity = self.registry.get(entity_id) or self.new.get(entity_id)
        return entity.type if entity else None

    def _ship_told_again(self, name: str, ctx: ArticleContext) -> str | None:
        """"aboard the Adelaide" after "the HMAS Adelaide": the ship the article named with its
        prefix, told again by its own name."""
        plain = re.sub(r"^(?:the|The)\s+", "", name.strip())
        for entity_id in reversed(ctx.seen):
            entity = self.entity(entity_id)
            if entity is not None and entity.type == "Vessel" and entity.label.endswith(" " + plain) and \
                    ship_name(entity.label):
                return entity_id
        return None

    def entity(self, entity_id: str) -> Entity | None:
        return self.registry.get(entity_id) or self.new.get(entity_id)

    def resolve(self, text: str, ner_label: str, ctx: ArticleContext, *, create: bool = True,
                prefer: str | None = None, metonymy: bool = False, at_place: bool = False,
                company: bool = False, titled: bool = False, settlement: bool = False,
                heads_clause: bool = False) -> str | None:
        """The entity `text` denotes in this article; None when it denotes nothing we model.

        A capital or seat of government stands for its country ("Seoul said", "the Kremlin's
        position", "ties with Washington") unless `at_place` says it follows "in", "at", "to" or
        "from", or starts a dateline ("SEOUL, South Korea —"); `at_place` also makes a name
        nothing else places a place. `metonymy` says the name acts (subject or possessor);
        `company` that the text owns it to a state ("South Korea's Hyundai Rotem"), so a name
        nothing else types is a company; `titled` that a title stands before it ("President
        Obama"), so a lone family name is a person, to be joined to the full name across articles;
        `settlement` that the text calls it a town ("the city of Kusong", "Pocheon, South Korea"),
        so a name the gazetteer does not hold is a city, not a thing; `heads_clause` that the name
        itself is a clause's subject or an owner ("TSMC is building", "TSMC's plant"), not a
        modifier ("HIMARS launchers"), so an acronym nobody spells out still names a body.
        """
        if ner_label != "PERSON" and re.match(r"(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z]", text.strip()):
            ner_label, titled = "PERSON", True  # "Mr Mitsotakis added": a person, whatever the model tagged
        name = strip_name(text, titles=ner_label == "PERSON")
        if not name or not any(c.isalpha() for c in name) or name.lower() in NOT_NAMES | SUFFIXES or \
                name.rstrip(".") in NAME_ABBREVIATIONS:
            return None  # ("spokesman Brig. Tamer Al Refae": a rank the model took for a name)
        if name in ctx.acronyms and ctx.acronyms[name] is None:
            return None  # the acronym of a treaty or programme ("EDCA")
        government = GOVERNMENT_OF.fullmatch(name)
        state = gazetteer().country(government.group("of") or government.group("adj")) if government else None
        if state is not None:  # "the Government of Japan", "the Polish Government": the state
            hit = self.country(state.code)
            if hit is not None:
                ctx.note(hit)
            return hit
        hit = self.registry.lookup(name) or ctx.acronyms.get(name)
        if hit is None and ner_label != "PERSON":
            hit = self._state_prefixed(name)
        if hit is None and ner_label != "PERSON" and (qualified := state_body(name)) is not None:
            # "Japan's Defense Ministry", "the South Korean Joint Chiefs of Staff": that state's body, one
            # entity whatever the wording ("Ministry of Defense (Japan)"), as a registry names it
            label, kind = qualified
            hit = self.registry.lookup(label) or self._new_by_label.get(normalise_name(label))
            if hit is None:  # (made even where names are only looked up: the state and the body are certain)
                hit = self._add(Entity(slug(label), kind, label, (name,), confidence=CONFIDENCE["name-words"],
                                       source="name-words"))
            if hit is not None:
                ctx.note(hit)
                return hit
        if hit is not None and self.type_of(hit) in ("City", "Place") and not at_place and ner_label != "PERSON" \
                and gazetteer().capital_of(name):
            hit = None  # a capital or seat the registry lists as a place, standing for its government here
        if hit is None and ner_label != "PERSON" and (agency := re.fullmatch(r"(.+?)\s+news agency", name)) and \
                agency.group(1) in word_list("news_agencies"):
            name = agency.group(1)  # "AFP news agency": the agency's own name
            hit = self.registry.lookup(name)
        if hit is None and ner_label != "PERSON" and LEGAL_FORM.search(name):
            name, company = LEGAL_FORM.sub("", name), True
            hit = self.registry.lookup(name)
        if hit is None and ner_label != "PERSON":
            hit = self._ship_told_again(name, ctx)
        if hit is None and ner_label != "PERSON":
            hit = self._known_place_or_body(name, ner_label, metonymy, create, at_place)
        if hit is None and ner_label == "PERSON" and " " in name.strip() and \
                getattr(gazetteer().organization(name), "type", None) == "Company":
            hit = self._known_place_or_body(name, "ORG", metonymy, create, at_place)  # "Lockheed Martin"
        if hit is None:
            kind = prefer or {"PERSON": "Person", "GPE": "Country", "NORP": "Country"}.get(ner_label)
            hit = self._short_name(name, ctx, kind)
        bare = re.sub(r"^(?:Mr|Mrs|Ms|Dr|Mme|M)\.?\s+", "", name.strip())
        if hit is None and ner_label in ("PERSON", "GPE", "ORG", "NORP") and (
                " " not in name.strip() or (ner_label == "PERSON" and PARTICLE_SURNAME.fullmatch(bare))):
            hit = self._surname_in_article(bare if " " in name.strip() else name, ctx)  # "Mr Le Drian"
        if hit is None and ner_label == "PERSON" and " " not in name.strip():
            hit = self.registered_surname(name)
        if hit is None and (ner_label == "PERSON" or len(name.split()) >= 2):
            hit = self._person(name) if ner_label in ("PERSON", "GPE", "ORG", "NORP") else None
        if hit is None:
            hit = self._new_by_label.get(normalise_name(name))
        if hit is None and create and re.fullmatch(r"[A-Z]{2,6}s?", name) and ner_label != "GPE" and not company \
                and not (heads_clause and ner_label == "ORG"):
            # an acronym the article never spells out ("HIMARS", "HADR"): a thing unnamed; but one that
            # acts, as subject or owner ("TSMC is building", "TSMC's plant"), is a body
            return None
        if hit is None and create and titled and ner_label == "PERSON" and re.fullmatch(r"[A-Z][\w'’-]+", name) \
                and not gazetteer().country(name) and not gazetteer().kind_of_name(name):
            hit = self._add(Entity(slug(name), "Person", name, confidence=CONFIDENCE["surname"], source="surname"))
        if hit is None and create:
            hit = self._create(name, ner_label, company=company, at_place=at_place or settlement,
                               settlement=settlement)
        if hit is not None:
            ctx.note(hit)
        return hit

    def _known_place_or_body(self, name: str, ner_label: str, metonymy: bool, create: bool,
                             at_place: bool = True) -> str | None:
        gaz = gazetteer()
        org = gaz.organization(name)
        if org is None:  # "NATO Allies", "NATO headquarters": the body; "NATO Summit": an event
            words = name.split()
            for cut in range(len(words) - 1, 0, -1):
                head, rest = " ".join(words[:cut]), " ".join(words[cut:])
                if (org := gaz.organization(head)) is not None:
                    if rest.lower() not in ORG_MEMBERS:
                        return None
                    break
        if org is not None:
            known = next((h for n in (org.label, *org.aliases) if (h := self.registry.lookup(n))), None)
            if known or not create:
                return known
            return self._add(Entity(slug(org.label), org.type, org.label, org.aliases, wikidata=org.wikidata,
                                    confidence=CONFIDENCE["gazetteer"], source="gazetteer"))
        if ner_label in ("GPE", "NORP", "LOC", "ORG"):
            country = gaz.country(name)
            if country is not None:
                return self.country(country.code, create)
        code = gaz.capital_of(name)
        if code is not None and ner_label in ("GPE", "LOC", "FAC", "ORG"):
            if metonymy or not at_place:  # "Seoul said", "ties with Washington"; but "in Seoul"
                return self.country(code, create)
            registered = [c for c in self.registry.candidates(name) if self.type_of(c) in ("City", "Place")]
            if len(registered) == 1:  # the registry's own entry for the place ("Washington")
                return registered[0]
            city = gaz.city(name)
            if create and city is not None:  # "WARSAW —": a dateline tagged as an organisation is the city
                return self._add(Entity(slug(city.name), "City", city.name, confidence=CONFIDENCE["geonames"],
                                        source="geonames"))
            if create and city is None:  # a seat of government as a place: "at the White House"
                return self._add(Entity(slug(undotted(name)), "Place", name, confidence=CONFIDENCE["gazetteer"],
                                        source="seats"))
        return None

    def _state_prefixed(self, name: str) -> str | None:
        """'US State Department', 'U.S. Defense Security Cooperation Agency': the registered body
        after a state's word, when that body acts for that state (or no state is known for it)."""
        words = name.split()
        for cut in (1, 2):
            if len(words) <= cut + 1:
                break
            state = gazetteer().country(" ".join(words[:cut]))
            rest = " ".join(words[cut:])
            hit = self.registry.lookup(rest) if state is not None else None
            if hit is not None and self.type_of(hit) in ("GovernmentAgency", "MilitaryUnit", "Organization"):
                acts_for = gazetteer().country_acting_for(self.registry.get(hit).label) or \
                    gazetteer().country_acting_for(rest)
                if acts_for in (None, state.code):
                    return hit
        return None

    def province(self, name: str, code: str) -> str | None:
        """The province `name` of country `code`, where the article reads a name a country shares
        that way ("Savannah, Georgia"): the registry's region of that name, else a new one."""
        registered = [c for c in self.registry.candidates(name) if self.type_of(c) == "Region"]
        if len(registered) == 1:
            return registered[0]
        country = gazetteer().country_by_code(code)
        if country is None:
            return None
        label = f"{name.strip()} ({country.name})"
        return self._add(Entity(slug(label), "Region", label, short_names=(name.strip(),),
                                confidence=CONFIDENCE["geonames"], source="geonames"))

    def country(self, code: str, create: bool = True) -> str | None:
        known = self.registry.by_country_code(code)
        if known or not create:
            return known
        country = gazetteer().country_by_code(code)
        if country is None:
            return None
        return self._add(Entity(slug(country.name), "Country", country.name, iso3166=country.code,
                                wikidata=country.wikidata, confidence=CONFIDENCE["gazetteer"], source="rigour"))

    def _surname_in_article(self, name: str, ctx: ArticleContext) -> str | None:
        """'Albanese' after 'Anthony Albanese': the person, whatever label NER gave the surname."""
        key = normalise_name(fold(name))
        for entity_id in reversed(ctx.seen):
            entity = self.entity(entity_id)
            if entity and entity.type == "Person":
                full = normalise_name(fold(entity.label))
                parts = person_key(entity.label).split()
                if parts and (key in (parts[0], parts[-1]) or full.endswith(" " + key)):
                    return entity_id
            elif entity and entity.type in ("Company", "Organization") and " " in entity.label and \
                    normalise_name(entity.label).split()[0] == key:
                return entity_id  # "Lockheed" after "Lockheed Martin"
        return None

    def _short_name(self, name: str, ctx: ArticleContext, kind: str | None) -> str | None:
        candidates = list(self.registry.candidates(name))
        key = normalise_name(name)
        if " " not in key:  # a surname: people this article already named in full
            people = [(entity_id, person_key(entity.label).split()) for entity_id in reversed(ctx.seen)
                      if (entity := self.entity(entity_id)) is not None and entity.type == "Person"]
            candidates += [entity_id for entity_id, parts in people if parts and key in (parts[0], parts[-1])]
            if not candidates and kind == "Person" and len(key) >= 6:
                from rapidfuzz.fuzz import ratio

                # "Mr Pistorious" in a story about Boris Pistorius: the one family name a letter away
                near = {entity_id for entity_id, parts in people
                        if parts and parts[-1][:1] == key[:1] and ratio(parts[-1], key) >= 88}
                candidates += sorted(near) if len(near) == 1 else []
        if not candidates:
            return None
        candidates = list(dict.fromkeys(candidates))
        in_article = [c for c in reversed(ctx.seen) if c in candidates]
        pool = in_article or candidates
        if kind:
            typed = [c for c in pool if self.type_of(c) == kind]
            pool = typed or pool
        return pool[0] if len(pool) == 1 or in_article else None

    def _add(self, entity: Entity) -> str:
        if self.registry.get(entity.id) is not None:
            return entity.id
        self._remember(entity)
        return entity.id

    def _remember(self, entity: Entity) -> None:
        """A new entity, found again by its label (a dict: a scan of every new entity per name
        made the resolver quadratic in the corpus)."""
        if entity.id not in self.new:
            self.new[entity.id] = entity
            self._new_by_label.setdefault(normalise_name(entity.label), entity.id)

    def _create(self, name: str, ner_label: str, company: bool = False, at_place: bool = False,
                settlement: bool = False) -> str | None:
        """A new entity for a name nobody registered, typed by what can be known of it."""
        if ner_label != "PERSON":  # "(UrduPoint News / Sputnik - 18th April, 2023)": the credit, not its date
            name = DATE_IN_NAME.sub("", name).strip(" -–—,/")
        if len(name) < 2 or (name.isupper() and len(name) <= 2) or not name[0].isupper() and not name[0].isdigit():
            return None
        ship = ship_name(name)
        if ship is not None:  # "USS George Washington": a warship
            return self._add(Entity(slug(ship), "Vessel", ship, confidence=CONFIDENCE["name-words"], source="name-words"))
        if sum(1 for part in re.split(r"[-–]", name) if gazetteer().country(part)) >= 2:
            return None  # "U.S.-Japan" modifies an alliance or a relation; it names no entity
        gaz = gazetteer()
        if ner_label == "PERSON" and gaz.kind_of_name(name) == "Place":
            return self._add(Entity(slug(undotted(name)), "Place", name, confidence=CONFIDENCE["name-words"],
                                    source="name-words"))  # "Lal-lo Airport" tagged a person
        if ner_label == "PERSON" and _no_given_name(name):
            return None  # "Maintenance Enterprise": English words, no person's name
        if ner_label == "PERSON":
            tokens = _tokens(name)
            if len(name.split()) < 2 or len(tokens) < 2 or any(c.isdigit() for t in tokens for c in t) or \
                    gaz.kind_of_name(name) in ("GovernmentAgency", "MilitaryUnit", "Company", "NotAnEntity"):
                return None
            entity_id = slug(person_key(name))
            if self.registry.get(entity_id) is not None:
                return entity_id
            if entity_id not in self.new:
                raw = name.split()
                if len(raw) == 2 and raw[0].isupper() and raw[0].isalpha() and len(raw[0]) > 2 and not raw[1].isupper():
                    raw = [raw[1], raw[0]]  # KISHIDA Fumio -> Fumio Kishida
                label = " ".join(t.capitalize() if t.isupper() and len(t) > 2 and not ROMAN.fullmatch(t) and "." not in t else t
                                 for t in raw)  # "KISHIDA" -> "Kishida", but "Austin III" keeps its numeral
                self._remember(Entity(entity_id, "Person", label, confidence=Decimal("0.85"), source="ner"))
                self._index_person(name, entity_id)
            return entity_id
        kind, source = self._kind(name, ner_label)
        if kind is None:
            return None
        if company and kind in ("Organization", "Thing") and not POLITICAL_BODY.search(name):
            kind, source = "Company", "name-words"  # a legal form: "Meggitt PLC", "Raytheon Co"
        if settlement and kind in ("Thing", "Place", "Organization", "Region") and ner_label in ("GPE", "LOC", "ORG") \
                and gaz.kind_of_name(name) is None:
            kind, source = "City", "ner"  # "the city of Kusong", "Pocheon, South Korea": a town, named so
        if kind == "Thing" and at_place:
            kind, source = "Place", "ner"  # "in Morag": a place too small for the gazetteer
        if kind == "City" and source == "geonames" and (city := gaz.city(name)) is not None and \
                (city.name.lower() == "the " + name.lower() or re.search(r"\bD\.?\s?C\.?$", name)):
            name = city.name  # "Hague", NER's span of "The Hague"; "Washington D.C.": the city's own name
        # "U.S. State Department" and "US State Department" are one body: its id is made without
        # the initials' full stops
        return self._add(Entity(slug(undotted(name)), kind, name, confidence=CONFIDENCE[source], source=source))

    @staticmethod
    def _kind(name: str, ner_label: str) -> tuple[str | None, str]:
        gaz = gazetteer()
        words = gaz.kind_of_name(name)
        if ner_label == "NORP" and words in ("MilitaryUnit", "GovernmentAgency"):
            return words, "name-words"  # "US Marines" tagged a nationality: the force
        if ner_label == "NORP" or words == "NotAnEntity" or TITLE_ABBREVIATION.search(name):
            return None, "ner"  # a nationality nobody can place ("Kurdish"), a treaty, "Army Col."
        if gaz.is_media(name):
            return "Organization", "name-words"  # "Anadolu Agency", "(Bloomberg)": a news organisation
        from .tables import dictionary_word

        if " " not in name and name.lower().endswith("s") and dictionary_word(name) and \
                gaz.country(name) is None and gaz.province(name) is None:
            return None, "ner"  # "Secretaries", "Allies": a plural English word, no name; "Texas" is a state
        if words == "Place":
            return "Place", "name-words"  # "the Oval Office", "the Great Hall of the People"
        if ner_label in ("GPE", "LOC") and " " not in name and words == "Region" and name.lower() not in GENERIC_PLACE_WORDS:
            return "Region", "name-words"  # "Europe", "Asia": frequent words, regions, and no city
        city, province = gaz.city(name), gaz.province(name)
        if ner_label in ("GPE", "LOC") and province and (city is None or city.population < PROVINCE_OVER_CITY):
            return "Region", "geonames"  # "Arizona" (not the Honduran town), "Okinawa": the state, the prefecture
        if ner_label in ("GPE", "LOC") and city is not None:
            return "City", "geonames"  # before the common-word test: "Sydney" is frequent and a city
        if " " not in name and (_common_word(name) or any(c.isdigit() for c in name)):
            return None, "ner"  # "Summit", "Training", "K2s": words and models, not names
        if MODEL_DESIGNATOR.match(name) and words not in ("Company", "GovernmentAgency", "MilitaryUnit"):
            return None, "ner"  # "P-8 Poseidon", "AH-64E Apache", "F-35 Lightning II": a model of aircraft, no body
        if ner_label == "GPE":
            if gaz.city(name) is not None:
                return "City", "geonames"
            if words == "Region":
                return "Region", "name-words"
            return "Thing", "unplaced"
        if ner_label == "LOC":
            return ("Region", "name-words") if words == "Region" else ("Region", "ner")
        if ner_label == "FAC":
            if words in ("GovernmentAgency", "MilitaryUnit"):
                return words, "name-words"
            return "Place", "ner"
        if ner_label == "ORG":
            if words in ("GovernmentAgency", "MilitaryUnit", "Company"):
                return words, "name-words"
            if words == "Region":
                return "Region", "name-words"
            return "Organization", "ner"
        return None, "ner"


PARTICLE_SURNAME = re.compile(r"(?i:Le|La|De|Du|Des|Van|Von|Da|Di|Del|Della|Dos|Das|Van der|Von der|Van den|"
                              r"De la|Ter|Ten|Al|El|Bin|Ben)\s+[A-Z][\w'’-]+")
"""A family name with its particle, written alone after the full name ("Le Drian", "von der Leyen")."""
POLITICAL_BODY = re.compile(r"\b(?:Party|Parliament|Assembly|Congress|Senate|Front|Movement|League|Council|Diet)$")
"""A body a state owns that is no firm: "Vietnam's Communist Party", "Turkey's Grand National Assembly"."""
ROMAN = re.compile(r"(?:I{1,3}|IV|VI{0,3}|IX|X{1,3})")
"""A generation's numeral after a name ("Lloyd J. Austin III")."""
GOVERNMENT_OF = re.compile(r"(?:the\s+)?(?:(?:[Gg]overnment|[Gg]overnments) of (?:the\s+)?(?P<of>.+)|"
                           r"(?P<adj>[A-Z][\w.]*(?:\s+[A-Z][\w]+)?)\s+(?:[Gg]overnment|[Aa]dministration))")
"""A state's government named as a body: in deals and agreements the party is the state."""
PROVINCE_OVER_CITY = 200_000
"""A name both a province and a city names: the province, unless the city is a big one ("New York",
"Granada" stay cities; "Okinawa" and "Arizona", a town of 25,000 in Honduras, are the prefecture and
the state)."""
GENERIC_PLACE_WORDS = {"peninsula", "strait", "straits", "sea", "ocean", "gulf", "islands", "island", "region", "province",
                       "zone", "mountains", "east", "west", "north", "south"}
"""Region words that name a region only inside a longer name ("the Korean Peninsula"), never alone."""


def _no_given_name(name: str) -> bool:
    """A "person" every word of which is an English word and whose first word is no given name
    ("Maintenance Enterprise"); "Mark Grant" and "Will May" keep their given names."""
    words = [w for w in re.split(r"[\s-]+", name) if w]
    return len(words) >= 2 and all(_common_word(w) for w in words) and not _given(words[0])


def _given(word: str) -> bool:
    nicknamer = _nicknames()
    return bool(nicknamer.nicknames_of(word.lower()) or nicknamer.canonicals_of(word.lower()))


@lru_cache(maxsize=65536)
def _common_word(word: str) -> bool:
    """A capitalised common English word ("Alliance", "Training"), not a name."""
    from .tables import common_abstract_noun, common_word

    if word.isupper():
        return False
    return common_word(word) or common_abstract_noun(word)


def _surnames(registry: Registry) -> dict[str, tuple[str, ...]]:
    """Registry people by family name, computed once per registry size (the registry grows only
    by adding)."""
    cached = _SURNAMES.get(id(registry))
    if cached is None or cached[0] != len(registry):
        index: dict[str, list[str]] = {}
        for entity in registry:
            if entity.type == "Person":
                index.setdefault(normalise_name(fold(entity.label)).split()[-1], []).append(entity.id)
        cached = _SURNAMES[id(registry)] = (len(registry), {k: tuple(v) for k, v in index.items()})
    return cached[1]


_SURNAMES: dict[int, tuple[int, dict[str, tuple[str, ...]]]] = {}


def _spelling_keys(people: list[Entity]) -> dict[str, set[str]]:
    """Blocking by family name, then given names spelt nearly alike (rapidfuzz ratio >= 85:
    "Antony" ~ "Anthony", "Mohammad" ~ "Mohammed") share a key."""
    from rapidfuzz.fuzz import ratio

    by_family: dict[str, list[tuple[str, str]]] = {}
    for person in people:
        parts = person_key(person.label).split()
        if len(parts) == 2:
            by_family.setdefault(parts[1], []).append((parts[0], person.id))
    keys: dict[str, set[str]] = {}
    for family, given in sorted(by_family.items()):
        for i, (first, entity_id) in enumerate(given):
            for other, other_id in given[i + 1:]:
                if entity_id != other_id and first != other and ratio(first, other) >= 85:
                    keys.setdefault(f"{min(first, other)} {family} #spelling", set()).update({entity_id, other_id})
    return keys


def merge_people(entities: list[Entity], registry: Registry) -> dict[str, str]:
    """Across articles: new person entities whose names are variants of one person's name.

    Returns old id -> kept id. Blocking by key (only names that share a key are compared), and
    a key held by two different surviving people merges neither, so a shared surname or a
    common nickname never joins two people.
    """
    people = sorted((e for e in entities if e.type == "Person" and e.id not in registry), key=lambda e: e.id)
    owners: dict[str, set[str]] = {}
    for entity in registry:
        if entity.type == "Person":
            for name in (entity.label, *entity.aliases):
                for key in person_keys(name):
                    owners.setdefault(key, set()).add(entity.id)
    for entity in people:
        for key in person_keys(entity.label):
            owners.setdefault(key, set()).add(entity.id)
    spellings = _spelling_keys([e for e in registry if e.type == "Person"] + people)
    for key, ids in spellings.items():
        owners.setdefault(key, set()).update(ids)
    parent: dict[str, str] = {}
    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    registered = {e.id for e in registry}
    for key, ids in sorted(owners.items()):
        if len(ids) < 2 or key.endswith("#set") and len(ids) > 2:
            continue
        anchors = sorted(ids & registered)
        if len(anchors) > 1:
            continue
        ordered = anchors + sorted(ids - registered, key=lambda i: (len(i), i))
        root = find(ordered[0])
        for other in ordered[1:]:
            r = find(other)
            if r != root and r not in registered:
                parent[r] = root
    # "President Obama" in one article, "Barack Obama" in another: a lone titled family name joins
    # the one person (registered or named in full, after the merging above) who has it, and stays
    # itself when several do
    family: dict[str, set[str]] = {}
    for entity in [*(e for e in registry if e.type == "Person"), *people]:
        if entity.source != "surname":
            for name in (entity.label, *entity.aliases):
                parts = person_key(name).split()
                if len(parts) >= 2:  # either end: "Xi" of "Xi Jinping", "Obama" of "Barack Obama"
                    family.setdefault(parts[-1], set()).add(find(entity.id))
                    family.setdefault(parts[0], set()).add(find(entity.id))
    for entity in people:
        if entity.source == "surname" and find(entity.id) == entity.id:
            owners_of = family.get(normalise_name(fold(entity.label)), set())
            if len(owners_of) == 1:
                parent[entity.id] = next(iter(owners_of))
    return {e.id: find(e.id) for e in people if find(e.id) != e.id}


def with_aliases(entity: Entity, names: list[str]) -> Entity:
    extra = tuple(sorted({n for n in names if normalise_name(n) != normalise_name(entity.label)} - set(entity.aliases)))
    return replace(entity, aliases=tuple(entity.aliases) + extra) if extra else entity
