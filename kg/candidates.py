"""`kg extract`: parsed facts of one article written in the curated-file format, for review.

A curator reads the candidates, keeps the right ones (adjusting roles where needed), and adds
them to `sources/facts/<article>.yaml`; they then count as curated. New entities the parser
found are listed as suggested registry entries.
"""

from __future__ import annotations

import json
from pathlib import Path

from .build import load_inputs
from .errors import SourceError
from .evidence import occurrences
from .relations import RELATIONS
from .types import DateValue, Fact, Money, Quantity, Text, YearValue
from .yamlio import nearest


def _yaml(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, Text):
        return json.dumps(value.value, ensure_ascii=False)
    if isinstance(value, Money):
        return json.dumps(value.text or f"{value.amount} {value.currency}", ensure_ascii=False)
    if isinstance(value, Quantity):
        return json.dumps(value.text or f"{value.amount} {value.unit or ''}".strip(), ensure_ascii=False)
    if isinstance(value, DateValue):
        return value.value.isoformat() if value.value and value.precision == "day" else json.dumps(value.text)
    if isinstance(value, YearValue):
        return str(value.year)
    return str(value)


def candidates_yaml(sources: Path, article_ref: str) -> str:
    """Parse one article (by id or path) and render its candidate facts as curated YAML."""
    from .nlp import extract_facts

    inputs = load_inputs(sources)
    by_id = {a.id: a for a in inputs.articles}
    article_id = Path(article_ref).stem if article_ref.endswith(".txt") else article_ref
    if article_id not in by_id:
        guess = nearest(article_id, by_id)
        raise SourceError(f"no article {article_ref!r} in {sources / 'articles'}",
                          hint=f"did you mean {guess!r}?" if guess else "add it first with `kg add`")
    article = by_id[article_id]
    known = set(inputs.registry.entities)
    facts = sorted(extract_facts([article], inputs.registry),
                   key=lambda f: (f.evidence[0].span.start, f.relation))
    lines = [f"# Candidate facts parsed from {article.id} by the NLP pipeline.",
             "# Review each one; keep what the article really says, fix roles, then add it to",
             f"# {sources / 'facts' / (article.id + '.yaml')}.", f"article: {article.id}", "facts:"]
    for fact in facts:
        if fact.relation != "Mentioned":
            lines.extend(_fact_lines(fact, article.body))
    named = [v for f in facts for _, v in f.roles if isinstance(v, str) and v in inputs.registry.entities]
    named += [x for f in facts for _, v in f.roles if isinstance(v, tuple) for x in v]
    if named:
        lines += ["# Every entity the article names (those in no fact above become Mentioned facts):",
                  "entities: [" + ", ".join(dict.fromkeys(named)) + "]"]
    new = sorted(set(inputs.registry.entities) - known)
    if new:
        lines += ["", "# New entities these candidates use; review, then add them to sources/entities.yaml:"]
        for entity_id in new:
            entity = inputs.registry.entities[entity_id]
            extra = "".join(f", {k}: {v}" for k, v in (("iso3166", entity.iso3166), ("wikidata", entity.wikidata)) if v)
            lines.append(f"#  - {{id: {entity.id}, type: {entity.type}, label: {json.dumps(entity.label)}{extra}}}"
                         f"  # confidence {entity.confidence}")
    return "\n".join(lines) + "\n"


def _fact_lines(fact: Fact, body: str) -> list[str]:
    ev = fact.evidence[0]
    out = [f"  - relation: {fact.relation}    # confidence {ev.confidence}, {ev.agent}"]
    spec = RELATIONS[fact.relation]
    for name, value in fact.roles:
        if spec.role(name) is not None:
            out.append(f"    {name}: {_yaml(value)}")
    starts = occurrences(body, ev.quote)
    if len(starts) > 1:
        out += ["    evidence:", f"      - quote: {json.dumps(ev.quote, ensure_ascii=False)}",
                f"        occurrence: {starts.index(ev.span.start) + 1}"]
    else:
        out.append(f"    evidence: {json.dumps(ev.quote, ensure_ascii=False)}")
    return out
