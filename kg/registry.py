"""The entity registry: canonical entities with type, labels, aliases and identifiers.

Curated facts refer to entities by registry id; the extractor's entity ruler and the resolver
use the names. Aliases are unambiguous full names; short names ("Lee", "Seoul") may be shared by
several entities and are resolved per article.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CurationError
from .sources import decode_text
from .types import Entity
from .yamlio import LineDict, LineList, load_yaml, nearest

ENTITY_TYPES = ("Person", "Country", "City", "Region", "Place", "Company", "Organization", "GovernmentAgency",
                "MilitaryUnit", "Vessel", "Thing")
ENTITY_KEYS = ("id", "type", "label", "aliases", "short_names", "wikidata", "iso3166")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


NAME_SUFFIX = re.compile(r"jr|sr|junior|senior|ii|iii|iv|\d(?:st|nd|rd|th)")
"""A generational suffix alone (normalised): no entity's name."""
_DASHES = re.compile(r"[\-‐–—.]")
_SPACES = re.compile(r"\s+")


_INITIALS = re.compile(r"\b(?:\w\.){2,}")
_LETTERS = re.compile(r"\b\w(?: \w\b)+")


def undotted(text: str) -> str:
    """Initials written without their full stops: 'U.S. Forces Korea' ~ 'US Forces Korea'."""
    return _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)


@lru_cache(maxsize=262144)
def _fold(key: str) -> str:
    """A normalised name with its accents folded and its initials joined: 'défense' ~ 'defense',
    'u s forces korea' (from 'U.S. Forces Korea') ~ 'us forces korea'."""
    import unicodedata

    folded = "".join(c for c in unicodedata.normalize("NFKD", key) if not unicodedata.combining(c))
    return _LETTERS.sub(lambda m: m.group(0).replace(" ", ""), folded)


@lru_cache(maxsize=262144)
def normalise_name(name: str) -> str:
    """Fold case, punctuation and hyphens so 'Kim Jong-un' and 'Kim Jong Un' compare equal.
    Cached: the parser asks for the same few thousand names hundreds of thousands of times."""
    folded = name.casefold().replace("’", "'")
    return _SPACES.sub(" ", _DASHES.sub(" ", folded)).strip()


@dataclass
class Registry:
    """Entities by id, with a lookup from unambiguous names to ids."""

    entities: dict[str, Entity] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    by_short_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_iso: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    _folded_names: dict[str, str] | None = field(default=None, repr=False, compare=False)
    _folded_size: int = field(default=-1, repr=False, compare=False)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.entities[k] for k in sorted(self.entities))

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def lookup(self, name: str) -> str | None:
        """The entity an unambiguous name (label or alias) denotes, else None; written with or
        without its accents ("Défense Security Cooperation Agency", "Turkiye")."""
        key = normalise_name(name)
        hit = self.by_name.get(key)
        return hit if hit is not None else self._folded().get(_fold(key))

    def _folded(self) -> dict[str, str]:
        """Names without accents, made when first needed and again after `add`."""
        if self._folded_names is None or self._folded_size != len(self.by_name):
            folded: dict[str, str] = {}
            for key, entity_id in self.by_name.items():
                folded.setdefault(_fold(key), entity_id)
            self._folded_names, self._folded_size = folded, len(self.by_name)
        return self._folded_names

    def candidates(self, name: str) -> tuple[str, ...]:
        """Every entity a name may denote: one for a label/alias, several for a shared short name."""
        hit = self.lookup(name)
        if hit:
            return (hit,)
        return self.by_short_name.get(normalise_name(name), ())

    def by_country_code(self, code: str) -> str | None:
        """The country entity with this ISO 3166-1 code, if the registry has one."""
        return self.by_iso.get(code.upper())

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = entity
        if entity.iso3166:
            self.by_iso.setdefault(entity.iso3166, entity.id)
        for name in (entity.label, *entity.aliases):
            self.by_name.setdefault(normalise_name(name), entity.id)
        for name in entity.short_names:
            key = normalise_name(name)
            self.by_short_name[key] = tuple(sorted({*self.by_short_name.get(key, ()), entity.id}))


def _text_list(value: object, path: Path, line: int | None, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CurationError(f"{key!r} must be a list of names", path=path, line=line,
                            hint=f"write {key}: [Name One, Name Two]")
    return tuple(value)


def load_registry(path: Path) -> Registry:
    """Read and validate `entities.yaml`."""
    if not path.is_file():
        raise CurationError("the entity registry is missing", path=path,
                            hint="create sources/entities.yaml (see sources/README.md)")
    doc = load_yaml(decode_text(path.read_bytes(), path), path, CurationError)
    items = doc.get("entities") if isinstance(doc, dict) else None
    if not isinstance(items, LineList):
        raise CurationError("expected a top-level 'entities:' list", path=path, line=1,
                            hint="start the file with 'entities:' and list entities under it")
    registry = Registry(path=path)
    owner: dict[str, str] = {}
    for item in items:
        if not isinstance(item, LineDict):
            raise CurationError("each entity must be a mapping with id, type and label", path=path,
                                line=getattr(item, "line", items.line))
        line = item.line
        for key in item:
            if key not in ENTITY_KEYS:
                guess = nearest(str(key), ENTITY_KEYS)
                raise CurationError(f"unknown entity field {key!r}", path=path, line=item.key_lines.get(key, line),
                                    hint=f"did you mean {guess!r}?" if guess else f"allowed: {', '.join(ENTITY_KEYS)}")
        entity_id = item.get("id")
        if not isinstance(entity_id, str) or not SLUG.match(entity_id):
            raise CurationError(f"invalid entity id {entity_id!r}", path=path, line=line,
                                hint="use a lower-case slug such as lee-jae-myung")
        if entity_id in registry:
            raise CurationError(f"duplicate entity id {entity_id!r}", path=path, line=line,
                                hint="each entity is listed once; merge the two entries")
        kind = item.get("type")
        if kind not in ENTITY_TYPES:
            guess = nearest(str(kind), ENTITY_TYPES)
            raise CurationError(f"unknown entity type {kind!r} for {entity_id!r}", path=path,
                                line=item.key_lines.get("type", line),
                                hint=f"did you mean {guess!r}?" if guess else f"use one of {', '.join(ENTITY_TYPES)}")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise CurationError(f"entity {entity_id!r} has no label", path=path, line=line,
                                hint="add label: <preferred name>")
        aliases = _text_list(item.get("aliases"), path, item.key_lines.get("aliases", line), "aliases")
        short = _text_list(item.get("short_names"), path, item.key_lines.get("short_names", line), "short_names")
        for name in (label, *aliases):
            key = normalise_name(name)
            if NAME_SUFFIX.fullmatch(key):  # "[Joseph R. Biden, Jr.]" in YAML is two aliases
                raise CurationError(f"the name {name!r} of {entity_id!r} is only a name's suffix", path=path,
                                    line=item.key_lines.get("aliases", line),
                                    hint="a name with a comma in a [list] must be quoted: "
                                         "aliases: [\"Joseph R. Biden, Jr.\"]")
            if key in owner and owner[key] != entity_id:
                raise CurationError(f"the name {name!r} of {entity_id!r} is already a name of {owner[key]!r}",
                                    path=path, line=line,
                                    hint="names shared by several entities belong in short_names")
            owner[key] = entity_id
        wikidata = item.get("wikidata")
        if wikidata is not None and not (isinstance(wikidata, str) and re.fullmatch(r"Q[1-9]\d*", wikidata)):
            raise CurationError(f"invalid Wikidata id {wikidata!r}", path=path, line=item.key_lines.get("wikidata", line),
                                hint="write it like Q30, or leave it out when not certain")
        iso = item.get("iso3166")
        if iso is not None:
            if kind != "Country" or not (isinstance(iso, str) and re.fullmatch(r"[A-Z]{2}", iso)):
                raise CurationError(f"invalid iso3166 {iso!r} for {entity_id!r}", path=path,
                                    line=item.key_lines.get("iso3166", line),
                                    hint="countries only, as an ISO 3166-1 alpha-2 code such as KR")
        registry.add(Entity(entity_id, kind, label.strip(), aliases, short, wikidata, iso))
    return registry
