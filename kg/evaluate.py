"""`kg eval`: how well parsed facts and entities match the curated ones.

Facts: a parsed fact matches a curated fact of the same article when their keys are equal: the
same relation and the same identifying roles (see `relations.py`). Scored per relation, per
article and overall, over the articles that have a curated facts file.

Entities: the entities an article's curated facts use, plus those its `entities:` list names,
against the entities its parsed facts use (including `Mentioned`). An entity counts as found
only when it is resolved to the right entity *and* typed right; a wrong type is a miss and a
false positive, and is listed in the confusion table.

When the parser runs with another registry than the curated facts (`--registry`), entities are
matched by name: every parsed entity is mapped to the gold entity with the same normalised label
or alias, or the same person key ("Lloyd Austin 3rd" ~ "Lloyd J. Austin III"); the parser never
sees the gold registry, so nothing leaks.

Calibration: parsed facts bucketed by their confidence, with the fraction that is right, so a
reader can see whether 0.8 means right about eight times in ten.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .build import load_inputs
from .errors import KGError, SourceError
from .merge import fact_key
from .registry import Registry, load_registry, normalise_name
from .relations import map_entity_roles
from .types import Fact
from .yamlio import load_yaml

ENTITY_ONLY = "Mentioned"


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
    entities: Score = field(default_factory=Score)
    entities_by_type: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    entity_confusion: Counter = field(default_factory=Counter)
    """(gold type, parsed type) -> count, for entities resolved right but typed wrong."""
    entity_misses: list[tuple[str, str, str]] = field(default_factory=list)
    entity_false_positives: list[tuple[str, str, str]] = field(default_factory=list)
    calibration: dict[float, Score] = field(default_factory=lambda: defaultdict(Score))
    """Confidence bucket -> tp (right) and fp (wrong) among parsed facts."""
    by_rule: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    """Rule -> tp and fp of the parsed facts it produced: what its confidence should be."""
    articles: list[str] = field(default_factory=list)


def _entity_map(parsed_registry: Registry, gold: Registry) -> dict[str, str]:
    from .nlp.resolve import person_keys

    by_name: dict[str, str] = {}
    for entity in gold:
        for name in (entity.label, *entity.aliases):
            by_name.setdefault(normalise_name(name), entity.id)
            if entity.type == "Person":
                for key in person_keys(name):
                    by_name.setdefault("person:" + key, entity.id)
    mapping = {}
    for entity in parsed_registry:
        if entity.id in gold and gold.get(entity.id).type == entity.type:  # type: ignore[union-attr]
            mapping[entity.id] = entity.id
            continue
        for name in (entity.label, *entity.aliases):
            hit = by_name.get(normalise_name(name))
            if hit is None and entity.type == "Person":
                hit = next((h for k in sorted(person_keys(name)) if (h := by_name.get("person:" + k))), None)
            if hit:
                mapping[entity.id] = hit
                break
        if entity.id not in mapping and entity.type == "Person" and entity.source == "surname":
            # "President Obama" that no article named in full: the one curated person of that family
            # name, as the registry's own surname lookup would have placed it
            key = normalise_name(entity.label)
            owners = {g.id for g in gold if g.type == "Person" and key in (person_key_of(g.label)[0],
                                                                          person_key_of(g.label)[-1])}
            if len(owners) == 1:
                mapping[entity.id] = owners.pop()
                continue
        if entity.id not in mapping and entity.type == "Person":  # "Antony Albanese" ~ "Anthony Albanese"
            from rapidfuzz.fuzz import ratio

            plain = person_key_of(entity.label)
            close = {g.id for g in gold if g.type == "Person" and len(plain) == 2 and
                     person_key_of(g.label)[-1:] == plain[-1:] and ratio(person_key_of(g.label)[0], plain[0]) >= 85}
            if len(close) == 1:
                mapping[entity.id] = close.pop()
    return mapping


def person_key_of(name: str) -> list[str]:
    from .nlp.resolve import person_key

    return person_key(name).split() or [""]


def _translate(fact: Fact, mapping: dict[str, str]) -> Fact:
    """The fact in the gold registry's ids; an entity with no counterpart becomes '?id'."""
    return Fact(fact.relation, map_entity_roles(fact.roles, fact.relation, lambda v: mapping.get(v, f"?{v}")),
                fact.evidence)


def _entities_of(fact: Fact) -> set[str]:
    return fact.entity_ids()


def split_articles(sources: Path, split: str) -> set[str]:
    """The article ids of a named split in `sources/splits.yaml` (held-out, dev...)."""
    path = sources / "splits.yaml"
    if not path.is_file():
        raise SourceError(f"no splits file, so no split {split!r}", path=path,
                          hint="write splits.yaml with lists of article ids, e.g. 'heldout: [id, ...]'")
    doc = load_yaml(path.read_text(encoding="utf-8"), path, SourceError) or {}
    if split not in doc or not isinstance(doc[split], list):
        raise SourceError(f"no split {split!r} in the splits file", path=path,
                          hint=f"splits there: {', '.join(sorted(map(str, doc))) or 'none'}")
    return {str(a) for a in doc[split]}


def evaluate(sources: Path, extractor_registry: Path | None = None, split: str | None = None) -> Evaluation:
    """Parse `sources` and score the parsed facts and entities against its curated ones."""
    from .nlp import extract_facts

    inputs = load_inputs(sources)
    curated_articles = {p.stem for p in (sources / "facts").glob("*.y*ml")} if (sources / "facts").is_dir() else set()
    if split is not None:
        wanted = split_articles(sources, split)
        curated_articles &= wanted
    articles = [a for a in inputs.articles if a.id in curated_articles]
    gold_registry = inputs.registry
    parse_registry = load_registry(extractor_registry) if extractor_registry else load_registry(sources / "entities.yaml")
    parsed = extract_facts(articles, parse_registry)
    mapping = _entity_map(parse_registry, gold_registry) if extractor_registry else \
        {e.id: e.id for e in parse_registry}
    parsed = [_translate(f, mapping) for f in parsed]
    result = Evaluation(articles=sorted(a.id for a in articles))

    gold_facts = [(a, f) for f in inputs.curated for a in sorted({e.article_id for e in f.evidence})
                  if a in curated_articles]
    parsed_facts = [(f.evidence[0].article_id, f) for f in parsed]
    _score_facts(result, gold_facts, parsed_facts)
    _score_entities(result, gold_facts, parsed_facts, gold_registry, parse_registry, mapping)
    return result


def _score_facts(result: Evaluation, gold_facts: list[tuple[str, Fact]], parsed_facts: list[tuple[str, Fact]]) -> None:
    gold_keys: dict[tuple[str, str], Fact] = {}
    for article, fact in gold_facts:
        if fact.relation != ENTITY_ONLY:
            gold_keys.setdefault((article, fact_key(fact)), fact)
    parsed_keys: dict[tuple[str, str], Fact] = {}
    for article, fact in parsed_facts:
        if fact.relation != ENTITY_ONLY:
            parsed_keys.setdefault((article, fact_key(fact)), fact)
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
        if key in parsed_keys:
            evidence = parsed_keys[key].evidence[0]
            bucket = round(float(evidence.confidence), 1)
            rule = evidence.agent.rsplit(":", 1)[-1]
            for score in (result.calibration[bucket], result.by_rule[rule]):
                if key in gold_keys:
                    score.tp += 1
                else:
                    score.fp += 1


def _score_entities(result: Evaluation, gold_facts: list[tuple[str, Fact]], parsed_facts: list[tuple[str, Fact]],
                    gold_registry: Registry, parse_registry: Registry, mapping: dict[str, str]) -> None:
    gold: dict[str, set[str]] = defaultdict(set)
    for article, fact in gold_facts:
        gold[article] |= _entities_of(fact)
    found: dict[str, dict[str, str]] = defaultdict(dict)  # article -> gold-or-?id -> parsed type
    reverse = {v: k for k, v in sorted(mapping.items(), reverse=True)}
    for article, fact in parsed_facts:
        for entity_id in _entities_of(fact):
            original = entity_id[1:] if entity_id.startswith("?") else reverse.get(entity_id, entity_id)
            entity = parse_registry.get(original)
            if entity is not None:
                found[article][entity_id] = entity.type
    for article in sorted(set(gold) | set(found)):
        for entity_id in sorted(set(gold[article]) | set(found[article])):
            gold_entity = gold_registry.get(entity_id) if entity_id in gold[article] else None
            parsed_type = found[article].get(entity_id)
            gold_type = gold_entity.type if gold_entity else None
            label = gold_entity.label if gold_entity else entity_id.lstrip("?")
            if gold_type and parsed_type == gold_type:
                result.entities.tp += 1
                result.entities_by_type[gold_type].tp += 1
                continue
            if gold_type:
                result.entities.fn += 1
                result.entities_by_type[gold_type].fn += 1
                result.entity_misses.append((article, label, gold_type + (f" (parsed as {parsed_type})"
                                                                            if parsed_type else "")))
            if parsed_type:
                result.entities.fp += 1
                result.entities_by_type[parsed_type].fp += 1
                result.entity_false_positives.append((article, label, parsed_type))
                if gold_type:
                    result.entity_confusion[(gold_type, parsed_type)] += 1


def rule_confidences(result: Evaluation) -> dict[str, float]:
    """Each rule's measured precision, smoothed toward one half where it fired rarely
    ((right + 1) / (fired + 2)): the confidence its facts should carry."""
    return {rule: round((s.tp + 1) / (s.tp + s.fp + 2), 2) for rule, s in sorted(result.by_rule.items())}


def write_rule_confidences(result: Evaluation, path: Path) -> None:
    import os
    import tempfile

    import yaml

    lines = ["# Confidence of each relation rule: its precision on the curated development articles,",
             "# smoothed as (right + 1) / (fired + 2). Written by `kg eval --split dev --write-calibration`;",
             "# the parser gives every fact it reads with a rule this confidence.",
             yaml.safe_dump({"rules": rule_confidences(result)}, sort_keys=True)]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
        os.replace(tmp, path)
    except OSError as exc:
        raise KGError(f"cannot write the calibration: {exc.strerror}", path=path,
                      hint="give --write-calibration a path you can write to") from None


def format_evaluation(result: Evaluation, show_errors: bool = True) -> str:
    def row(name: str, s: Score) -> str:
        return f"{name[:40]:40} {s.precision:9.2f} {s.recall:7.2f} {s.f1:6.2f} {s.tp:4d} {s.fp:4d} {s.fn:4d}"
    header = f"{'':40} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
    lines = [f"Articles scored: {len(result.articles)} (those with a curated facts file)", "",
             "Facts by relation:", header]
    lines += [row(k, v) for k, v in sorted(result.by_relation.items())]
    lines += ["", "Facts by article:", header]
    lines += [row(k, v) for k, v in sorted(result.by_article.items())]
    lines += ["", "Entities by type (resolved and typed right):", header]
    lines += [row(k, v) for k, v in sorted(result.entities_by_type.items())]
    if result.entity_confusion:
        lines += ["", "Type confusion (curated type -> parsed type: count):"]
        lines += [f"  {g} -> {p}: {n}" for (g, p), n in sorted(result.entity_confusion.items())]
    lines += ["", "Calibration (parsed facts by confidence: fraction right):"]
    lines += [f"  {bucket:.1f}: {s.tp}/{s.tp + s.fp} = {s.tp / (s.tp + s.fp):.2f}"
              for bucket, s in sorted(result.calibration.items()) if s.tp + s.fp]
    lines += ["", "By rule (parsed facts: right / fired):"]
    lines += [f"  {rule:32} {s.tp}/{s.tp + s.fp}" for rule, s in sorted(result.by_rule.items())]
    lines += ["", header, row("FACTS", result.overall), row("ENTITIES", result.entities)]
    if show_errors:
        lines += ["", f"Misses ({len(result.misses)}): curated facts the parser did not find"]
        lines += [f"  [{a}] {k}\n      “{' '.join(q.split())[:160]}”" for a, k, q in result.misses]
        lines += ["", f"False positives ({len(result.false_positives)}): parsed facts no curator wrote"]
        lines += [f"  [{a}] {k}\n      “{' '.join(q.split())[:160]}”" for a, k, q in result.false_positives]
        lines += ["", f"Entity misses ({len(result.entity_misses)})"]
        lines += [f"  [{a}] {label}: {kind}" for a, label, kind in result.entity_misses]
        lines += ["", f"Entity false positives ({len(result.entity_false_positives)})"]
        lines += [f"  [{a}] {label}: {kind}" for a, label, kind in result.entity_false_positives]
    return "\n".join(lines)
