"""The closed vocabulary of fact types: which roles each relation has and what they hold.

Curation, extraction, assembly and evaluation all read this one table, so a relation is added
in one place. Role kinds decide how a value is parsed from YAML and written as RDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from enum import Enum


class RoleKind(str, Enum):
    ENTITY = "entity"
    ENTITIES = "entity list"
    TEXT = "text"
    MONEY = "money"
    QUANTITY = "quantity"
    DATE = "date"
    YEAR = "year"


@dataclass(frozen=True)
class Role:
    name: str
    kind: RoleKind
    required: bool = False
    identifying: bool = False
    """Identifying roles make the fact's key: two facts with equal keys are one fact."""


@dataclass(frozen=True)
class RelationSpec:
    name: str
    roles: tuple[Role, ...]
    is_event: bool = True
    """Events become nodes of their own; the others become a direct triple subject -> object."""
    subject_role: str | None = None
    object_role: str | None = None
    description: str = ""

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)

    @cached_property
    def role_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles)

    @cached_property
    def identifying(self) -> tuple[str, ...]:
        """The roles of the fact's key (asked for every fact a build merges: computed once)."""
        return tuple(r.name for r in self.roles if r.identifying)


E, ES, T, M, Q, D, Y = (RoleKind.ENTITY, RoleKind.ENTITIES, RoleKind.TEXT, RoleKind.MONEY,
                        RoleKind.QUANTITY, RoleKind.DATE, RoleKind.YEAR)


def _r(name: str, kind: RoleKind, flags: str = "") -> Role:
    return Role(name, kind, required="*" in flags, identifying="k" in flags)


_MEETING_ROLES = (_r("participants", ES, "*k"), _r("place", E), _r("host", E), _r("date", D, "k"),
                  _r("name", T), _r("outcome", T))

RELATIONS: dict[str, RelationSpec] = {spec.name: spec for spec in (
    RelationSpec("Position", (_r("holder", E, "*k"), _r("title", T, "*k"), _r("of", E), _r("start", D),
                              _r("end", D), _r("status", T)),
                 description="A person holds an office or title, optionally of a country or body. The holder "
                             "and title identify it: 'President Joe Biden' and 'U.S. President Joe Biden' are "
                             "one position, whose country comes from the evidence that states it. `start` and "
                             "`end` are what the text states ('since 2022', 'took office in May'); `status` "
                             "says the text places the holding in the past ('former', 'then-', 'outgoing')."),
    RelationSpec("BasedIn", (_r("organization", E, "*k"), _r("place", E, "*k")), is_event=False,
                 subject_role="organization", object_role="place",
                 description="An organisation or company is based in a country or place."),
    RelationSpec("Meeting", _MEETING_ROLES,
                 description="Officials or leaders meet, optionally at a place and date."),
    RelationSpec("Summit", _MEETING_ROLES, description="A meeting of heads of state or government."),
    RelationSpec("Visit", (_r("visitor", E, "*k"), _r("place", E, "*k"), _r("host", E),
                           _r("date", D, "k"), _r("purpose", T)),
                 description="A person, delegation or asset visits a place."),
    RelationSpec("Deal", (_r("seller", E, "*k"), _r("buyer", E, "*k"), _r("item", T, "k"),
                          _r("quantity", Q, "k"), _r("value", M), _r("date", D)),
                 description="A sale agreed between a seller and a buyer."),
    RelationSpec("Investment", (_r("investor", E, "*k"), _r("location", E, "k"), _r("item", T, "k"),
                                _r("quantity", Q), _r("value", M, "k"), _r("date", D)),
                 description="An investment by a company or country, in a place, of an amount."),
    RelationSpec("Memorandum", (_r("parties", ES, "*k"), _r("subject", T, "k"),
                                _r("beneficiary", E), _r("date", D)),
                 description="A memorandum of understanding between parties."),
    RelationSpec("Treaty", (_r("name", T, "*k"), _r("parties", ES, "*k"), _r("year", Y), _r("date", D),
                            _r("in_force", D), _r("ratified", D)),
                 description="A treaty between parties, signed in a year or on a date, in force and ratified "
                             "from the dates the text gives. Name and parties identify it: a 'Reciprocal "
                             "Access Agreement' or 'Mutual Defense Treaty' of one pair of states is not "
                             "another pair's."),
    RelationSpec("Declaration", (_r("name", T, "*k"), _r("parties", ES, "*"), _r("date", D),
                                 _r("subject", T)),
                 description="A joint declaration or statement of policy by parties."),
    RelationSpec("Alliance", (_r("members", ES, "*k"), _r("name", T), _r("since", Y)),
                 description="An alliance between members, existing since a year."),
    RelationSpec("Membership", (_r("member", E, "*k"), _r("organization", E, "*k"), _r("status", T),
                                _r("date", D)),
                 description="A country is, joins or applies to join an organisation."),
    RelationSpec("MilitaryExercise", (_r("name", T, "*k"), _r("participants", ES), _r("date", D),
                                      _r("outcome", T)),
                 description="A military exercise, its participants and what happened to it."),
    RelationSpec("Deployment", (_r("deployer", E, "*k"), _r("location", E, "*k"), _r("item", T),
                                _r("date", D)),
                 description="A state or force deploys, stations or rotates forces in a place, or gains "
                             "access to bases there."),
    RelationSpec("MissileLaunch", (_r("launcher", E, "*k"), _r("missile", T, "k"), _r("quantity", Q),
                                   _r("date", D, "k")),
                 description="A missile launch by a country."),
    RelationSpec("Mentioned", (_r("entity", E, "*k"),), is_event=False, subject_role="entity",
                 description="An article names an entity (schema:mentions): the evidence for an entity "
                             "that takes part in no other fact of that article."),
    RelationSpec("Statement", (_r("speaker", E, "*k"), _r("text", T, "*k"), _r("date", D),
                               _r("topic", T)),
                 description="Words said by a person, as the article reports them."),
)}


def relation(name: str) -> RelationSpec | None:
    return RELATIONS.get(name)


def map_entity_roles(roles: tuple[tuple[str, object], ...], relation_name: str, rename) -> tuple:  # noqa: ANN001
    """The roles with every entity id passed through `rename` (lists re-sorted, deduplicated):
    one place for merging entities and for translating ids between registries."""
    spec = RELATIONS[relation_name]
    mapped = []
    for name, value in roles:
        kind = spec.role(name).kind  # type: ignore[union-attr]
        if kind is RoleKind.ENTITY:
            value = rename(value)
        elif kind is RoleKind.ENTITIES:
            value = tuple(sorted({rename(v) for v in value}))  # type: ignore[union-attr]
        mapped.append((name, value))
    return tuple(mapped)
