"""Entity resolution: which entity a name in an article denotes.

Within an article, short forms ("Lee", "Austin", "Seoul", "the company", "he") resolve to the
entities that article has already named in full, so the two Lees of different articles stay
apart. Across articles, name variants share a key ("Lloyd J. Austin III", "Lloyd Austin 3rd",
"Lloyd James Austin III" -> "lloyd austin"; "Kim Jong-un", "Kim Jong Un" -> "kim jong un"), so
they become one entity; a name nobody registered becomes a new entity with a stable id built
from that key. Different people who share a surname differ in their keys and never merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Registry, normalise_name
from ..types import Entity
from ..vocab import slug
from .lexicon import DEMONYMS, TITLES

SUFFIXES = {"iii", "3rd", "ii", "2nd", "iv", "jr", "sr"}
HONORIFICS = {"mr", "mrs", "ms", "dr", "sir", "gen", "adm", "lt", "col"}
NER_TYPES = {"PERSON": "Person", "GPE": "Country", "ORG": "Organization", "LOC": "Region", "NORP": "Country",
             "FAC": "Organization"}
COMPANY_WORDS = {"inc", "corp", "corporation", "group", "industries", "motor", "motors", "air", "airlines",
                 "aerospace", "electronics", "company", "co", "ltd", "heavy", "systems", "shipbuilding", "energy",
                 "semiconductors", "marine"}
TITLE_PREFIX = re.compile(r"^(?:the\s+)?(?:(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True))
                          + r")\s+)+", re.IGNORECASE)


def strip_name(text: str) -> str:
    """'South Korean President Lee Jae Myung’s' -> 'Lee Jae Myung' (titles, possessives, 'the')."""
    name = re.sub(r"[’']s$", "", text.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return TITLE_PREFIX.sub("", name).strip(" ,.;:")


def person_key(name: str) -> str:
    """First and family names, without middle initials, middle names or suffixes."""
    tokens = [t for t in normalise_name(name).split() if t not in SUFFIXES and t not in HONORIFICS]
    if len(tokens) <= 2:
        return " ".join(tokens)
    if len(tokens) == 3 and all(len(t) > 1 for t in tokens) and len(tokens[1]) <= 4 and len(tokens[2]) <= 4:
        return " ".join(tokens)  # Korean-style names: Kim Jong Un, Lee Jae Myung, Yoon Suk Yeol
    return f"{tokens[0]} {tokens[-1]}"


@dataclass
class ArticleContext:
    """What one article has named so far, for its short forms and pronouns."""

    seen: list[str] = field(default_factory=list)

    def note(self, entity_id: str) -> None:
        if entity_id in self.seen:
            self.seen.remove(entity_id)
        self.seen.append(entity_id)

    def last_of(self, registry: "Resolver", kind: str) -> str | None:
        for entity_id in reversed(self.seen):
            if registry.type_of(entity_id) == kind:
                return entity_id
        return None


class Resolver:
    """Resolves names to registry entities, or to new entities it creates and remembers."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.new: dict[str, Entity] = {}
        self.person_keys: dict[str, str] = {}
        for entity in registry:
            if entity.type == "Person":
                for name in (entity.label, *entity.aliases):
                    self.person_keys.setdefault(person_key(name), entity.id)

    def type_of(self, entity_id: str) -> str | None:
        entity = self.registry.get(entity_id) or self.new.get(entity_id)
        return entity.type if entity else None

    def entity(self, entity_id: str) -> Entity | None:
        return self.registry.get(entity_id) or self.new.get(entity_id)

    def resolve(self, text: str, ner_label: str, ctx: ArticleContext, *, create: bool = True,
                prefer: str | None = None) -> str | None:
        """The entity `text` denotes in this article; None when it denotes nothing we model."""
        name = strip_name(text)
        if not name or not any(c.isalpha() for c in name):
            return None
        hit = self.registry.lookup(name)
        if hit is None and name.lower() in DEMONYMS:
            country = DEMONYMS[name.lower()]
            hit = self.registry.lookup(country) or (self._create(country, "GPE") if create else None)
        if hit is None:
            hit = self._short_name(name, ctx, prefer or NER_TYPES.get(ner_label))
        if hit is None and ner_label == "PERSON":
            hit = self.person_keys.get(person_key(name))
        if hit is None and ner_label in ("GPE", "ORG", "LOC", "NORP"):
            hit = next((e.id for e in self.new.values() if normalise_name(e.label) == normalise_name(name)), None)
        if hit is None and create:
            hit = self._create(name, ner_label)
        if hit is not None:
            ctx.note(hit)
        return hit

    def _short_name(self, name: str, ctx: ArticleContext, kind: str | None) -> str | None:
        candidates = list(self.registry.candidates(name))
        key = normalise_name(name)
        if " " not in key:  # a surname: people this article already named in full
            for entity_id in reversed(ctx.seen):
                entity = self.entity(entity_id)
                if entity and entity.type == "Person":
                    parts = person_key(entity.label).split()
                    if parts and key in (parts[0], parts[-1]):
                        candidates.append(entity_id)
        if not candidates:
            return None
        candidates = list(dict.fromkeys(candidates))
        in_article = [c for c in reversed(ctx.seen) if c in candidates]
        pool = in_article or candidates
        if kind:
            typed = [c for c in pool if self.type_of(c) == kind]
            pool = typed or pool
        return pool[0] if len(pool) == 1 or in_article else None

    def _create(self, name: str, ner_label: str) -> str | None:
        kind = NER_TYPES.get(ner_label)
        if kind is None or len(name) < 2 or name.isupper() and len(name) <= 2:
            return None
        if kind == "Organization" and any(w in COMPANY_WORDS for w in normalise_name(name).split()):
            kind = "Company"
        if kind == "Person":
            if len(name.split()) < 2:
                return None
            key = person_key(name)
            if key in self.person_keys:
                return self.person_keys[key]
            entity_id = slug(key)
        else:
            entity_id = slug(name)
        if self.registry.get(entity_id) is not None:
            return entity_id
        if entity_id not in self.new:
            label = " ".join(w.capitalize() if w.isupper() and len(w) > 3 else w for w in name.split())
            self.new[entity_id] = Entity(entity_id, kind, label)
            if kind == "Person":
                self.person_keys[person_key(name)] = entity_id
        return entity_id
