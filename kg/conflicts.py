"""Where articles disagree about the same deal, event or agreement: each disagreement becomes an
`akg:Conflict` that links the facts and the evidence of every side, so nothing is silently
merged away or dropped.

"The same" is decided by keys (documented in `ontology/README.md`, section Conflicts):

- Within one fact (same relation and identifying roles): its statements give different values
  for a role that should have one value — a deal's or investment's `value`, an event's `date`,
  a treaty's `year`, an alliance's `since`. The merged fact keeps the earliest statement's value
  (see `merge.py`); the conflict records every value with its evidence.
- Across facts: a deal with the same seller, buyer and item but another `quantity`, or the same
  count of goods named more or less precisely at another `value`; a meeting,
  summit or visit of the same people (to the same place) dated differently within `DAYS_APART`
  days — a day apart is one event told two ways, a year apart is another meeting.

Values that agree to the precision they were written in do not conflict: $5.8 billion and
$5.76 billion (within `MONEY_TOLERANCE`), "November 2022" and 2022-11-04.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .merge import fact_id, value_key
from .normalize import is_hedged
from .timeline import first_day, last_day
from .types import DateValue, Evidence, Fact, Money, Quantity, YearValue
from .vocab import digest

WITHIN_ROLES: dict[str, tuple[str, ...]] = {
    "Deal": ("value", "date"), "Investment": ("quantity", "date"), "Memorandum": ("date",),
    "Treaty": ("year", "date"), "Declaration": ("date",), "Alliance": ("since",),
    "Meeting": ("place",), "Summit": ("place",), "Membership": ("date",), "MilitaryExercise": ("date",),
}
"""Roles one fact should have one value for, by relation."""
DAYS_APART = 7
SUMMIT_DAYS = 2
"""Summit dates this close are one summit dated by different days of it, not a disagreement."""
MONEY_TOLERANCE = Decimal("0.05")
HEDGED_TOLERANCE = Decimal("0.10")
"""A count written with a hedge ("almost a hundred", "around 80") agrees with counts this close."""
FRAMEWORK_RATIO = 5
"""Counts of the same goods this many times apart are a framework and a tranche, not one deal."""


@dataclass(frozen=True)
class Claim:
    """One side of a conflict: the fact, the value it states and the evidence that states it."""

    fact: Fact
    value: object
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Conflict:
    relation: str
    role: str
    claims: tuple[Claim, ...]

    @property
    def id(self) -> str:
        parts = sorted(f"{fact_id(c.fact)}={value_key(c.value)}" for c in self.claims)
        return f"{self.relation.lower()}-{self.role}-{digest(*parts, length=12)}"


def compatible(a: object, b: object) -> bool:
    """Do two values agree, to the precision each was written in?"""
    if isinstance(a, Money) and isinstance(b, Money):
        if a.currency != b.currency:
            return False  # different currencies cannot be compared without a rate: let a person look
        top = max(abs(a.amount), abs(b.amount))
        return top == 0 or abs(a.amount - b.amount) / top <= MONEY_TOLERANCE
    if isinstance(a, DateValue) and isinstance(b, DateValue):
        if a.value is None or b.value is None:
            return True  # an unresolved "last week" contradicts nothing
        return first_day(a) <= last_day(b) and first_day(b) <= last_day(a)  # type: ignore[operator]
    if isinstance(a, Quantity) and isinstance(b, Quantity):
        if a.amount == b.amount:
            return True
        if hedged(a) or hedged(b):
            return abs(a.amount - b.amount) <= HEDGED_TOLERANCE * max(a.amount, b.amount)
        return False
    if isinstance(a, YearValue) and isinstance(b, YearValue):
        return a.year == b.year
    return value_key(a) == value_key(b)


def hedged(quantity: Quantity) -> bool:
    """Was the count written as an estimate ("around 80 support vehicles", "almost a hundred")?"""
    return is_hedged(quantity.text or "")


def _clusters(pairs: Sequence[tuple[object, Evidence]]) -> list[tuple[object, list[Evidence]]]:
    """Values that agree, grouped; each group keeps its most precise value and its evidence."""
    groups: list[tuple[object, list[Evidence]]] = []
    for value, ev in pairs:
        for i, (kept, evidence) in enumerate(groups):
            if compatible(kept, value):
                evidence.append(ev)
                if isinstance(value, DateValue) and isinstance(kept, DateValue) and \
                        ("day", "month", "year").index(value.precision) < ("day", "month", "year").index(kept.precision):
                    groups[i] = (value, evidence)
                break
        else:
            groups.append((value, [ev]))
    return groups


def within_fact(fact: Fact, members: Iterable[Fact], type_of=None) -> list[Conflict]:  # noqa: ANN001
    """Disagreements between the statements (`members`) merged into `fact`.

    Places disagree only when the event is dated (an undated "summit of X and Y" may be two
    summits) and both are places of one kind: "the Kremlin" and "Moscow", or "Delhi" and "India",
    are one place told at two scales."""
    found = []
    members = list(members)
    for role in WITHIN_ROLES.get(fact.relation, ()):
        if role == "place" and not isinstance(fact.role("date"), DateValue):
            continue
        pairs = [(value, ev) for m in members if (value := m.role(role)) is not None for ev in m.evidence]
        if role == "place" and len({(type_of or (lambda _: None))(v) for v, _ in pairs}) > 1:
            continue
        groups = _clusters(sorted(pairs, key=lambda p: (p[1].article_id, p[1].span.start, p[1].method.value)))
        if len(groups) > 1:
            found.append(Conflict(fact.relation, role, tuple(Claim(fact, value, tuple(evidence))
                                                            for value, evidence in groups)))
    return found


def across_facts(facts: Iterable[Fact]) -> list[Conflict]:
    """Different facts that are the same deal or event told with another quantity or date."""
    return [c for found in across_by_bucket(facts).values() for c in found]


def across_bucket(fact: Fact) -> str | None:
    """The group of facts a fact is compared with across facts (`across_by_bucket`), as text:
    deals by seller, buyer and the head noun of their goods, meetings and summits by their
    participants, visits by visitor and place; None for a fact compared with none. An
    incremental build recomputes only the groups the changed facts were or are in."""
    if fact.relation == "Deal" and fact.role("quantity") is not None and fact.role("item") is not None:
        words = _item_words(fact)
        return repr(("Deal", fact.role("seller"), fact.role("buyer"), words[-1] if words else ""))
    if fact.relation in ("Meeting", "Summit") and isinstance(fact.role("date"), DateValue):
        return repr(("Meeting", fact.role("participants")))
    if fact.relation == "Visit" and isinstance(fact.role("date"), DateValue):
        return repr(("Visit", fact.role("visitor"), fact.role("place")))
    return None


def across_by_bucket(facts: Iterable[Fact]) -> dict[str, list[Conflict]]:
    """`across_facts`, by the group of facts each conflict was found in (`across_bucket`); only
    groups with a conflict."""
    buckets: dict[str, list[Fact]] = {}
    for fact in facts:
        if (bucket := across_bucket(fact)) is not None:
            buckets.setdefault(bucket, []).append(fact)
    found = {bucket: _deal_conflicts(group) if group[0].relation == "Deal" else _date_conflicts(group)
             for bucket, group in buckets.items()}  # a group holds deals only, or dated events only
    return {bucket: conflicts for bucket, conflicts in found.items() if conflicts}


def _deal_conflicts(bucket: list[Fact]) -> list[Conflict]:
    found = []
    for group in _same_deals(sorted(bucket, key=fact_id)):
        group = _between_articles(group)
        clusters = _clusters([(f.role("quantity"), f) for f in group])  # type: ignore[misc]
        if len(clusters) > 1:
            found.append(Conflict("Deal", "quantity", tuple(Claim(f, f.role("quantity"), f.evidence)
                                                            for f in group)))
    return found + _values_apart(sorted(bucket, key=fact_id))


def _date_conflicts(group: list[Fact]) -> list[Conflict]:
    found = []
    dated = sorted((f for f in group if f.role("date").value is not None), key=lambda f: f.role("date").value)
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            gap = (b.role("date").value - a.role("date").value).days
            if gap > DAYS_APART:
                break
            if a.relation == "Summit" and gap <= SUMMIT_DAYS:
                continue  # a state visit or summit runs for days: its arrival and its talks
            if not compatible(a.role("date"), b.role("date")):
                found.append(Conflict(a.relation, "date", (Claim(a, a.role("date"), a.evidence),
                                                           Claim(b, b.role("date"), b.evidence))))
    return found


def _item_words(fact: Fact) -> tuple[str, ...]:
    """The goods' words, lower case, the head noun last ("Abrams battle tank")."""
    return tuple(str(value_key(fact.role("item"))).lower().replace("-", " ").split())


def same_deal(a: Fact, b: Fact) -> bool:
    """Two deals between the same seller and buyer are one deal told twice when both give the
    same value and name the same goods, or one names them more precisely ("battle tanks",
    "Abrams battle tanks"); or when neither gives a value and the goods are named alike. A deal
    with a value and one without are two: a framework for 1,000 tanks and a contract for 180 of
    them, or tranches years apart ("250 Abrams tanks", "116 M1A1 Abrams tanks"), name the same
    goods with different counts and are not a disagreement."""
    if (a.role("seller"), a.role("buyer")) != (b.role("seller"), b.role("buyer")):
        return False
    qa, qb = a.role("quantity"), b.role("quantity")
    if isinstance(qa, Quantity) and isinstance(qb, Quantity) and min(qa.amount, qb.amount) * FRAMEWORK_RATIO < \
            max(qa.amount, qb.amount):
        return False  # "a framework for 1,000 tanks" and "117 of the 180 tanks": a whole and a part, two deals
    wa, wb = _item_words(a), _item_words(b)
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    va, vb = a.role("value"), b.role("value")
    if isinstance(va, Money) and isinstance(vb, Money):
        return compatible(va, vb) and (set(wa) <= set(wb) or set(wb) <= set(wa))
    return va is None and vb is None and wa == wb


def _between_articles(group: list[Fact]) -> list[Fact]:
    """The counts of one deal that articles disagree on. An article that itself gives several
    counts of the goods ("180 K2 tanks ... 116 of the K2GF version and 64 of the K2PL") tells
    parts of the deal, not a disagreement: a count only such articles state is left out."""
    counts_by_article: dict[str, set[int]] = {}
    for fact in group:
        for ev in fact.evidence:
            counts_by_article.setdefault(ev.article_id, set()).add(fact.role("quantity").amount)  # type: ignore[union-attr]
    return [f for f in group if any(len(counts_by_article[ev.article_id]) == 1 for ev in f.evidence)]


def _values_apart(facts: list[Fact]) -> list[Conflict]:
    """The same count of the same goods between the same sides, at values that do not agree:
    "116 M1A1 Abrams Battle Tanks ... worth approximately $3.75 billion" and "the $1.4 billion
    deal ... 116 M1A1 Abrams tanks" are one sale valued two ways. (Facts with one key already
    meet in `within_fact`; these differ in how they name the goods.)"""
    found = []
    for i, a in enumerate(facts):
        for b in facts[i + 1:]:
            va, vb = a.role("value"), b.role("value")
            wa, wb = _item_words(a), _item_words(b)
            if isinstance(va, Money) and isinstance(vb, Money) and wa != wb and \
                    (set(wa) <= set(wb) or set(wb) <= set(wa)) and \
                    a.role("quantity").amount == b.role("quantity").amount and not compatible(va, vb):  # type: ignore[union-attr]
                found.append(Conflict("Deal", "value", (Claim(a, va, a.evidence), Claim(b, vb, b.evidence))))
    return found


def _same_deals(facts: list[Fact]) -> list[list[Fact]]:
    """`facts` (one seller, buyer and kind of goods) grouped by `same_deal`, transitively."""
    groups: list[list[Fact]] = []
    for fact in facts:
        joined = [g for g in groups if any(same_deal(fact, other) for other in g)]
        merged = [f for g in joined for f in g] + [fact]
        groups = [g for g in groups if g not in joined] + [sorted(merged, key=fact_id)]
    return sorted(groups, key=lambda g: fact_id(g[0]))


def find_conflicts(facts: Sequence[Fact], groups: dict[str, list[Fact]], type_of=None) -> list[Conflict]:  # noqa: ANN001
    """Every conflict among the merged `facts`, given the statements each was merged from
    (`groups`: fact id -> members) and the entity types (`type_of`: id -> type), in a stable order."""
    found = []
    for fact in facts:
        found += within_fact(fact, groups.get(fact_id(fact), [fact]), type_of)
    found += across_facts(facts)
    unique = {c.id: c for c in found}
    return [unique[k] for k in sorted(unique)]

