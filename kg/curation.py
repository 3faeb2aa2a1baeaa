"""Load the hand-curated facts (`sources/facts/<article>.yaml`) into `Fact`s with `Evidence`.

Every value is checked against the relation table and the registry, every quote is placed in
the article body; anything wrong stops with the file, the line and what to do.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import normalize
from .errors import CurationError
from .evidence import closest_passage, context, find_mentions, occurrences, sentence_around
from .registry import Registry
from .relations import RELATIONS, RelationSpec, RoleKind
from .sources import decode_text
from .types import Article, DateValue, Evidence, Fact, Method, Span, Text
from .yamlio import LineDict, LineList, line_of, load_yaml, nearest

FACT_KEYS = ("relation", "evidence", "confidence", "note")
EVIDENCE_KEYS = ("quote", "occurrence")


def place_quote(article: Article, quote: str, occurrence: int | None, path: Path, line: int | None) -> Span:
    """The span of the `occurrence`-th appearance of `quote` in the body, or a clear error."""
    body = article.body
    if not quote:
        raise CurationError("the evidence quote is empty", path=path, line=line,
                            hint="copy the sentence that states the fact from the article")
    starts = occurrences(body, quote)
    if not starts:
        raise CurationError(f"quote not found in article {article.id}: {quote!r}", path=path, line=line,
                            hint=f"the closest passage in the article is: {closest_passage(body, quote)!r} "
                                 "(copy it character for character, curly quotes included)")
    if occurrence is None:
        if len(starts) > 1:
            raise CurationError(f"the quote occurs {len(starts)} times in article {article.id}: {quote!r}",
                                path=path, line=line,
                                hint=f"add 'occurrence: N' (1 to {len(starts)}) or quote a longer passage")
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise CurationError(f"occurrence {occurrence} is out of range: the quote occurs {len(starts)} time(s)",
                            path=path, line=line, hint=f"use a number from 1 to {len(starts)}")
    start = starts[occurrence - 1]
    return Span(start, start + len(quote))


def _entity(value: object, registry: Registry, path: Path, line: int | None, role: str) -> str:
    if isinstance(value, str) and value in registry:
        return value
    guess = None
    if isinstance(value, str):
        guess = registry.lookup(value) or nearest(value, registry.entities)
    raise CurationError(f"unknown entity {value!r} in role {role!r}", path=path, line=line,
                        hint=(f"did you mean {guess!r}?" if guess else "add it to sources/entities.yaml")
                        + " (roles name entities by their registry id)")


def convert_role(spec: RelationSpec, name: str, value: object, article: Article, registry: Registry,
                 path: Path, line: int | None) -> object:
    """One YAML role value -> its typed value (entity id, ids, Text, Money, Quantity, dates)."""
    role = spec.role(name)
    assert role is not None
    try:
        if role.kind is RoleKind.ENTITY:
            return _entity(value, registry, path, line, name)
        if role.kind is RoleKind.ENTITIES:
            items = value if isinstance(value, list) else [value]
            ids = tuple(sorted({_entity(v, registry, path, line, name) for v in items}))
            return ids
        if role.kind is RoleKind.TEXT:
            if not isinstance(value, (str, int, float)) or not str(value).strip():
                raise ValueError(f"{name!r} must be text")
            return Text(str(value).strip())
        if role.kind is RoleKind.MONEY:
            return normalize.parse_money(str(value))
        if role.kind is RoleKind.QUANTITY:
            return normalize.parse_quantity(str(value))
        if role.kind is RoleKind.DATE:
            return normalize.resolve_date(value, article.date)  # type: ignore[arg-type]
        if role.kind is RoleKind.YEAR:
            return normalize.parse_year(value)  # type: ignore[arg-type]
    except ValueError as exc:
        raise CurationError(f"bad value for {name!r}: {exc}", path=path, line=line) from None
    raise AssertionError(role.kind)  # pragma: no cover


def _evidence_items(raw: object, path: Path, line: int | None) -> list[tuple[str, int | None, int | None]]:
    if raw is None:
        raise CurationError("the fact has no evidence", path=path, line=line,
                            hint="add evidence: \"<the sentence from the article, verbatim>\"")
    items = raw if isinstance(raw, list) else [raw]
    result = []
    for item in items:
        item_line = line_of(item) or line
        if isinstance(item, str):
            result.append((item, None, item_line))
            continue
        if not isinstance(item, LineDict) or "quote" not in item:
            raise CurationError("each evidence must be a quote, or a mapping with 'quote' (and 'occurrence')",
                                path=path, line=item_line)
        for key in item:
            if key not in EVIDENCE_KEYS:
                raise CurationError(f"unknown evidence field {key!r}", path=path, line=item_line,
                                    hint="evidence takes 'quote' and 'occurrence'")
        occurrence = item.get("occurrence")
        if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)):
            raise CurationError(f"occurrence must be a whole number, not {occurrence!r}", path=path, line=item_line)
        quote = item["quote"]
        if not isinstance(quote, str):
            raise CurationError("the quote must be text", path=path, line=item_line, hint="put it in double quotes")
        result.append((quote, occurrence, item_line))
    return result


def parse_fact(item: LineDict, article: Article, registry: Registry, path: Path, agent: str) -> Fact:
    """One YAML fact mapping -> a validated `Fact` with curated evidence."""
    line = item.line
    name = item.get("relation")
    spec = RELATIONS.get(name) if isinstance(name, str) else None
    if spec is None:
        guess = nearest(str(name), RELATIONS)
        raise CurationError(f"unknown relation {name!r}", path=path, line=line_of(item, "relation"),
                            hint=f"did you mean {guess!r}?" if guess else f"use one of {', '.join(RELATIONS)}")
    for key in item:
        if key not in FACT_KEYS and key not in spec.role_names:
            guess = nearest(str(key), spec.role_names + FACT_KEYS)
            raise CurationError(f"{name} has no role {key!r}", path=path, line=line_of(item, key),
                                hint=(f"did you mean {guess!r}? " if guess else "")
                                + f"{name} takes: {', '.join(spec.role_names)}")
    roles: dict[str, object] = {}
    for role in spec.roles:
        value = item.get(role.name)
        if value is None:
            if role.required:
                raise CurationError(f"{name} needs the role {role.name!r}", path=path, line=line,
                                    hint=f"add {role.name}: ... ({role.kind.value})")
            continue
        roles[role.name] = convert_role(spec, role.name, value, article, registry, path, line_of(item, role.name))
    if spec.name == "Statement":
        words = roles["text"].value  # type: ignore[attr-defined]
        if not occurrences(article.body, words):
            raise CurationError(f"the statement text does not occur in article {article.id}: {words!r}",
                                path=path, line=line_of(item, "text"),
                                hint=f"the closest passage is {closest_passage(article.body, words)!r}")
        if "date" not in roles and article.date is not None:
            roles["date"] = DateValue(article.date, "day", "article date")
    if "item" in spec.role_names and "item" not in roles and roles.get("quantity") is not None:
        unit = roles["quantity"].unit  # type: ignore[attr-defined]
        if unit:
            roles["item"] = Text(unit)
    confidence = item.get("confidence", 1)
    try:
        confidence_value = Decimal(str(confidence))
    except InvalidOperation:
        confidence_value = Decimal(-1)
    if not Decimal(0) <= confidence_value <= Decimal(1):
        raise CurationError(f"confidence must be a number from 0 to 1, not {confidence!r}", path=path,
                            line=line_of(item, "confidence"))
    entity_ids = [v for r in spec.roles if r.kind is RoleKind.ENTITY and (v := roles.get(r.name))]
    entity_ids += [v for r in spec.roles if r.kind is RoleKind.ENTITIES for v in roles.get(r.name, ())]
    evidence = []
    for quote, occurrence, ev_line in _evidence_items(item.get("evidence"), path, line_of(item, "evidence")):
        span = place_quote(article, quote, occurrence, path, ev_line)
        prefix, suffix = context(article.body, span)
        mentions = tuple(m for eid in sorted(set(entity_ids))
                         for m in find_mentions(article.body, span, registry.entities[eid], article.id))
        evidence.append(Evidence(article.id, span, quote, prefix, suffix, Method.CURATED,
                                 confidence_value, agent, tuple(sorted(mentions, key=lambda m: m.span.start))))
    ordered = tuple((r.name, roles[r.name]) for r in spec.roles if r.name in roles)
    return Fact(spec.name, ordered, tuple(evidence))


def load_curated(path: Path, articles: dict[str, Article], registry: Registry, sources: Path) -> list[Fact]:
    """Read one curated-facts file."""
    doc = load_yaml(decode_text(path.read_bytes(), path), path, CurationError)
    if not isinstance(doc, LineDict):
        raise CurationError("expected 'article:' and 'facts:' at the top level", path=path, line=1)
    article_id = doc.get("article")
    if article_id != path.stem:
        raise CurationError(f"'article: {article_id}' does not match the file name {path.name!r}",
                            path=path, line=line_of(doc, "article"),
                            hint=f"name the file after the article id: {article_id}.yaml")
    if article_id not in articles:
        guess = nearest(str(article_id), articles)
        raise CurationError(f"no article with id {article_id!r} in {sources / 'articles'}", path=path,
                            line=line_of(doc, "article"),
                            hint=f"did you mean {guess!r}?" if guess else "add the article first")
    items = doc.get("facts") or []
    if not isinstance(items, LineList):
        raise CurationError("'facts:' must be a list", path=path, line=line_of(doc, "facts"))
    agent = path.relative_to(sources).as_posix() if path.is_relative_to(sources) else path.name
    facts = []
    for item in items:
        if not isinstance(item, LineDict):
            raise CurationError("each fact must be a mapping with 'relation:' and its roles", path=path,
                                line=line_of(item) or items.line)
        facts.append(parse_fact(item, articles[article_id], registry, path, agent))
    for key in doc:
        if key not in ("article", "facts", "entities"):
            raise CurationError(f"unknown top-level field {key!r}", path=path, line=line_of(doc, key),
                                hint="a facts file has 'article:', 'facts:' and optionally 'entities:'")
    return facts + named_entities(doc.get("entities"), facts, articles[article_id], registry, path, agent,
                                  line_of(doc, "entities"))


def named_entities(raw: object, facts: list[Fact], article: Article, registry: Registry, path: Path, agent: str,
                   line: int | None) -> list[Fact]:
    """`entities: [id, ...]`: every entity the article names, for those no fact above uses a
    `Mentioned` fact whose evidence is the sentence of the entity's first mention."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CurationError("'entities:' must be a list of entity ids", path=path, line=line)
    used = {x for f in facts for x in f.entity_ids()}
    found = []
    body = article.body
    for value in raw:
        entity_id = _entity(value, registry, path, line_of(raw, raw.index(value)) if isinstance(raw, LineList) else line,
                            "entities")
        if entity_id in used:
            continue
        used.add(entity_id)
        entity = registry.entities[entity_id]
        mentions = find_mentions(body, Span(0, len(body)), entity, article.id) or \
            _demonym_mentions(body, entity, article.id)
        if not mentions:
            raise CurationError(f"entity {entity_id!r} is not named in article {article.id} by any of its names",
                                path=path, line=line,
                                hint="add the spelling the article uses to its aliases in sources/entities.yaml")
        span = sentence_around(body, mentions[0].span)
        prefix, suffix = context(body, span)
        found.append(Fact("Mentioned", (("entity", entity_id),),
                          (Evidence(article.id, span, body[span.start:span.end], prefix, suffix, Method.CURATED,
                                    Decimal(1), agent, (mentions[0],)),)))
    return found


def load_all_curated(sources: Path, articles: dict[str, Article], registry: Registry) -> list[Fact]:
    folder = sources / "facts"
    if not folder.is_dir():
        return []
    facts: list[Fact] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        facts.extend(load_curated(path, articles, registry, sources))
    return facts


def _demonym_mentions(body: str, entity, article_id: str) -> tuple:  # noqa: ANN001 - an Entity
    """A country named only by its adjective ("Russian aggression", "South Korean companies")."""
    import re

    from .nlp.gazetteer import gazetteer
    from .types import Mention

    if entity.type != "Country" or not entity.iso3166:
        return ()
    for match in re.finditer(r"\b(?:South |North )?[A-Z][a-z]+(?:an|ese|ish|i|ic|ch)\b", body):
        country = gazetteer().country(match.group(0))
        if country is not None and country.code == entity.iso3166:
            return (Mention(article_id, Span(match.start(), match.end()), match.group(0), entity.id),)
    return ()
