"""Decide when two facts are the same fact, and pool their evidence.

A fact's key is its relation plus the values of its identifying roles (see `relations.py`).
Curated and parsed facts, or facts from two articles, with equal keys become one fact carrying
every evidence record, which is what lets the graph count corroboration.
"""

from __future__ import annotations

from collections.abc import Iterable

from .relations import RELATIONS
from .types import DateValue, Evidence, Fact, Money, Quantity, Text, YearValue
from .vocab import digest, slug


def value_key(value: object) -> str:
    """A canonical string for a role value, insensitive to how it was written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return ",".join(sorted(value_key(v) for v in value))
    if isinstance(value, Text):  # case, spacing, curly quotes and a closing full stop do not matter
        text = " ".join(value.value.casefold().replace("’", "'").replace("‘", "'").split())
        return text.rstrip(".,;:!? ")
    if isinstance(value, Money):
        return f"{value.amount} {value.currency}"
    if isinstance(value, Quantity):
        return f"{value.amount} {value.unit or ''}".strip()
    if isinstance(value, DateValue):
        return value.value.isoformat() if value.value else f"~{value.text.casefold()}"
    if isinstance(value, YearValue):
        return str(value.year)
    raise TypeError(f"unexpected role value {value!r}")


def fact_key(fact: Fact) -> str:
    spec = RELATIONS[fact.relation]
    parts = [f"{name}={value_key(fact.role(name))}" for name in spec.identifying]
    return fact.relation + "|" + "|".join(parts)


def fact_id(fact: Fact) -> str:
    """A readable, stable identifier: relation, a hint of the content, and a hash of the key."""
    spec = RELATIONS[fact.relation]
    hint_parts: list[str] = []
    for name in spec.identifying[:2]:
        value = fact.role(name)
        if isinstance(value, tuple):
            hint_parts.extend(value[:2])
        elif isinstance(value, str):
            hint_parts.append(value)
        elif isinstance(value, Text):
            hint_parts.append(" ".join(value.value.split()[:4]))
    hint = slug(" ".join(hint_parts))[:48].strip("-")
    return f"{slug(fact.relation)}-{hint}-{digest(fact_key(fact), length=10)}" if hint else \
        f"{slug(fact.relation)}-{digest(fact_key(fact), length=10)}"


def _evidence_order(ev: Evidence) -> tuple[str, int, int, str, str]:
    return (ev.article_id, ev.span.start, ev.span.end, ev.method.value, ev.agent)


def merge_facts(facts: Iterable[Fact]) -> list[Fact]:
    """One fact per key, with the union of evidence and of role values, in a stable order.

    Where two statements of the same fact give a role different values, the value from the
    earliest evidence (curated before parsed, then by article) is kept; `merge_with_members`
    also returns the statements, so `conflicts.py` records the values not kept.
    """
    return merge_with_members(facts)[0]


def merge_with_members(facts: Iterable[Fact]) -> tuple[list[Fact], dict[str, list[Fact]]]:
    """`merge_facts`, and for each merged fact's id the statements it was merged from."""
    groups: dict[str, list[Fact]] = {}
    for fact in facts:
        groups.setdefault(fact_key(fact), []).append(fact)
    merged = []
    members_by_id: dict[str, list[Fact]] = {}
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda f: (
            min((0 if e.method.value == "curated" else 1, e.article_id, e.span.start) for e in f.evidence)
            if f.evidence else (2, "", 0)))
        spec = RELATIONS[members[0].relation]
        roles: dict[str, object] = {}
        for member in members:
            for name, value in member.roles:
                roles.setdefault(name, value)
        evidence: dict[tuple, Evidence] = {}
        for member in members:
            for ev in member.evidence:
                evidence.setdefault(_evidence_order(ev), ev)
        ordered_roles = tuple((r.name, roles[r.name]) for r in spec.roles if r.name in roles)
        fact = Fact(spec.name, ordered_roles, tuple(evidence[k] for k in sorted(evidence)))
        merged.append(fact)
        members_by_id[fact_id(fact)] = members
    return merged, members_by_id
