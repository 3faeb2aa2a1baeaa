"""`kg eval`: how well parsed facts match the curated ones, per relation, per article, overall.

A parsed fact matches a curated fact of the same article when their keys are equal: the same
relation and the same identifying roles (see `relations.py`). For articles whose curated facts
use a different registry than the extractor (the corpus fixture), entities are matched by name:
every parsed entity is mapped to the gold entity that has the same normalised label or alias,
or the same person key ("Lloyd Austin 3rd" ~ "Lloyd J. Austin III"); the extractor is never
given the gold registry, so nothing leaks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .build import load_inputs
from .merge import fact_key
from .registry import Registry, load_registry, normalise_name
from .relations import RELATIONS, RoleKind
from .types import Fact


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    overall: Score = field(default_factory=Score)
    by_relation: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_article: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    misses: list[tuple[str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)


def _entity_map(parsed_registry: Registry, gold: Registry) -> dict[str, str]:
    from .nlp.resolve import person_key

    by_name: dict[str, str] = {}
    for entity in gold:
        for name in (entity.label, *entity.aliases):
            by_name.setdefault(normalise_name(name), entity.id)
            if entity.type == "Person":
                by_name.setdefault("person:" + person_key(name), entity.id)
    mapping = {}
    for entity in parsed_registry:
        for name in (entity.label, *entity.aliases):
            hit = by_name.get(normalise_name(name)) or (by_name.get("person:" + person_key(name))
                                                         if entity.type == "Person" else None)
            if hit:
                mapping[entity.id] = hit
                break
    return mapping


def _translate(fact: Fact, mapping: dict[str, str]) -> Fact:
    spec = RELATIONS[fact.relation]
    roles = []
    for name, value in fact.roles:
        kind = spec.role(name).kind  # type: ignore[union-attr]
        if kind is RoleKind.ENTITY:
            value = mapping.get(value, f"?{value}")  # type: ignore[arg-type]
        elif kind is RoleKind.ENTITIES:
            value = tuple(sorted(mapping.get(v, f"?{v}") for v in value))  # type: ignore[union-attr]
        roles.append((name, value))
    return Fact(fact.relation, tuple(roles), fact.evidence)


def evaluate(sources: Path, extractor_registry: Path | None = None) -> Evaluation:
    """Parse `sources` and score the parsed facts against its curated facts."""
    from .nlp import extract_facts

    inputs = load_inputs(sources)
    gold_registry = inputs.registry
    parse_registry = load_registry(extractor_registry) if extractor_registry else load_registry(sources / "entities.yaml")
    parsed = extract_facts(inputs.articles, parse_registry)
    mapping = _entity_map(parse_registry, gold_registry) if extractor_registry else \
        {e.id: e.id for e in parse_registry}
    parsed = [_translate(f, mapping) for f in parsed]
    gold_keys: dict[tuple[str, str], Fact] = {}
    for fact in inputs.curated:
        for article in sorted({e.article_id for e in fact.evidence}):
            gold_keys.setdefault((article, fact_key(fact)), fact)
    parsed_keys: dict[tuple[str, str], Fact] = {}
    for fact in parsed:
        parsed_keys.setdefault((fact.evidence[0].article_id, fact_key(fact)), fact)
    result = Evaluation()
    for key in sorted(set(gold_keys) | set(parsed_keys)):
        article, fkey = key
        relation = fkey.split("|", 1)[0]
        scores = (result.overall, result.by_relation[relation], result.by_article[article])
        if key in gold_keys and key in parsed_keys:
            for s in scores:
                s.tp += 1
        elif key in gold_keys:
            for s in scores:
                s.fn += 1
            result.misses.append((article, fkey, gold_keys[key].evidence[0].quote))
        else:
            for s in scores:
                s.fp += 1
            result.false_positives.append((article, fkey, parsed_keys[key].evidence[0].quote))
    return result


def format_evaluation(result: Evaluation, show_errors: bool = True) -> str:
    def row(name: str, s: Score) -> str:
        return f"{name:28} {s.precision:9.2f} {s.recall:7.2f} {s.f1:6.2f} {s.tp:4d} {s.fp:4d} {s.fn:4d}"
    header = f"{'':28} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
    lines = ["By relation:", header]
    lines += [row(k, v) for k, v in sorted(result.by_relation.items())]
    lines += ["", "By article:", header]
    lines += [row(k, v) for k, v in sorted(result.by_article.items())]
    lines += ["", header, row("OVERALL", result.overall)]
    if show_errors:
        lines += ["", f"Misses ({len(result.misses)}): curated facts the parser did not find"]
        lines += [f"  [{a}] {k}\n      “{' '.join(q.split())[:160]}”" for a, k, q in result.misses]
        lines += ["", f"False positives ({len(result.false_positives)}): parsed facts no curator wrote"]
        lines += [f"  [{a}] {k}\n      “{' '.join(q.split())[:160]}”" for a, k, q in result.false_positives]
    return "\n".join(lines)
