"""Assemble the RDF dataset: articles, entities, one named graph per fact, and provenance.

The design (see ontology/README.md): each fact's assertion triples live in a named graph whose
IRI is the fact's IRI; the provenance graph describes that fact (relation, evidence, methods,
corroboration counts) and each evidence record as a W3C Web Annotation whose target selects the
quote in the article by TextQuoteSelector and TextPositionSelector. No blank nodes: every node
has an IRI derived from content, so the same inputs always give the same graph.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

from .conflicts import Conflict
from .merge import fact_id
from .registry import Registry
from .relations import RELATIONS, RoleKind
from .timeline import Validity, validities
from .types import Article, DateValue, Entity, Evidence, Fact, Method, Money, Quantity, Text, YearValue
from .vocab import AGENT, AKG, ARTICLE, ARTICLES_GRAPH, ENTITIES_GRAPH, ENTITY, EVENT, EVIDENCE, FACT, ID, OA, \
    PREFIXES, PROVENANCE_GRAPH, SUMMARY_GRAPH, WD, Terms, digest, slug

# every term of these vocabularies looked up once (see `Terms`): the quads of a build name them
# hundreds of thousands of times
AKG, OA, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD = (  # type: ignore[misc]
    Terms(ns) for ns in (AKG, OA, DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD))

ENTITY_CLASSES: dict[str, URIRef] = {
    "Person": SDO.Person, "Country": SDO.Country, "City": SDO.City, "Region": AKG.Region,
    "Company": SDO.Corporation, "Organization": SDO.Organization,
    "GovernmentAgency": SDO.GovernmentOrganization, "MilitaryUnit": AKG.MilitaryUnit, "Vessel": AKG.Vessel,
    "Place": SDO.Place, "Thing": SDO.Thing,
}

ROLE_PROPERTIES: dict[str, URIRef] = {
    "holder": AKG.holder, "title": SDO.roleName, "of": AKG.positionOf,
    "organization": AKG.organization, "participants": AKG.participant, "place": SDO.location,
    "date": AKG.date, "name": SDO.name, "outcome": AKG.outcome, "visitor": AKG.visitor,
    "host": AKG.host, "purpose": AKG.purpose, "seller": AKG.seller, "buyer": AKG.buyer,
    "item": AKG.item, "quantity": AKG.quantity, "value": AKG.value, "investor": AKG.investor,
    "location": SDO.location, "parties": AKG.party, "subject": AKG.subject,
    "beneficiary": AKG.beneficiary, "year": AKG.year, "members": AKG.member, "since": AKG.since,
    "member": AKG.member, "status": AKG.status, "launcher": AKG.launcher, "missile": AKG.missile,
    "speaker": AKG.speaker, "text": SDO.text, "topic": AKG.topic, "deployer": AKG.deployer,
    "entity": SDO.mentions, "start": AKG.startTime, "end": AKG.endTime, "in_force": AKG.inForceFrom,
    "ratified": AKG.ratifiedOn,
}
"""Which RDF property carries each role; a role name means the same thing in every relation."""

NON_EVENT_PROPERTIES: dict[str, URIRef] = {"BasedIn": AKG.basedIn}
METHOD_IRIS = {Method.CURATED: AKG.Curated, Method.PARSED: AKG.Parsed}


def entity_iri(entity_id: str) -> URIRef:
    return ENTITY[entity_id]


def article_iri(article_id: str) -> URIRef:
    return ARTICLE[article_id]


def _date_literal(value: DateValue) -> Literal | None:
    if value.value is None:
        return None
    if value.precision == "year":
        return Literal(f"{value.value.year:04d}", datatype=XSD.gYear)
    if value.precision == "month":
        return Literal(f"{value.value.year:04d}-{value.value.month:02d}", datatype=XSD.gYearMonth)
    return Literal(value.value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=65536, typed=True)
def _integer(value: int) -> Literal:
    """An xsd:integer; offsets and counts repeat across a build's evidence, so each is made once."""
    return Literal(value, datatype=XSD.integer)


def _decimal_literal(amount: Decimal) -> Literal:
    """xsd:decimal in canonical form ("26000000000.0"), so every RDF writer and reader agrees."""
    text = format(amount, "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def bind_prefixes(graph: Graph) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def add_article(ds: Dataset, article: Article) -> None:
    """Article metadata and body; unknown metadata is left out, never invented."""
    g = ds.graph(ARTICLES_GRAPH)
    node = article_iri(article.id)
    g.add((node, RDF.type, SDO.NewsArticle))
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, DCTERMS.identifier, Literal(article.id)))
    if article.title:
        g.add((node, DCTERMS.title, Literal(article.title)))
    if article.publisher:
        g.add((node, DCTERMS.publisher, Literal(article.publisher)))
    if article.url:
        g.add((node, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    if article.date:
        g.add((node, DCTERMS.date, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.language:
        g.add((node, DCTERMS.language, Literal(article.language)))
    if article.licence:
        g.add((node, DCTERMS.license, Literal(article.licence)))
    if article.reports_on:
        g.add((node, AKG.reportsOn, Literal(article.reports_on.isoformat(), datatype=XSD.date)))
        g.add((node, AKG.reportsOnSource, Literal(article.reports_on_source, datatype=XSD.anyURI)))
    g.add((node, SDO.text, Literal(article.body)))
    g.add((node, AKG.bodySha256, Literal(hashlib.sha256(article.body.encode("utf-8")).hexdigest())))


def add_entity(ds: Dataset, entity: Entity) -> None:
    g = ds.graph(ENTITIES_GRAPH)
    node = entity_iri(entity.id)
    g.add((node, RDF.type, ENTITY_CLASSES[entity.type]))
    g.add((node, RDFS.label, Literal(entity.label)))
    g.add((node, SKOS.prefLabel, Literal(entity.label)))
    g.add((node, DCTERMS.identifier, Literal(entity.id)))
    for alias in entity.aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    for name in entity.short_names:
        g.add((node, AKG.shortName, Literal(name)))
    if entity.iso3166:
        g.add((node, AKG.iso3166Code, Literal(entity.iso3166)))
    if entity.wikidata:
        g.add((node, OWL.sameAs, WD[entity.wikidata]))
    # Registry entities were curated; the others the parser found, with how sure it is.
    g.add((node, AKG.method, METHOD_IRIS[Method.PARSED if entity.parsed else Method.CURATED]))
    if entity.parsed:
        g.add((node, AKG.confidence, _decimal_literal(entity.confidence)))


def _add_role(g: Graph, node: URIRef, name: str, kind: RoleKind, value: object) -> None:
    prop = ROLE_PROPERTIES[name]
    if kind is RoleKind.ENTITY:
        g.add((node, prop, entity_iri(value)))  # type: ignore[arg-type]
    elif kind is RoleKind.ENTITIES:
        for entity_id in value:  # type: ignore[union-attr]
            g.add((node, prop, entity_iri(entity_id)))
    elif isinstance(value, Text):
        g.add((node, prop, Literal(value.value)))
    elif isinstance(value, Money):
        amount = URIRef(f"{node}#{name}")
        g.add((node, prop, amount))
        g.add((amount, RDF.type, SDO.MonetaryAmount))
        g.add((amount, SDO.value, _decimal_literal(value.amount)))
        g.add((amount, SDO.currency, Literal(value.currency)))
        if value.text:
            g.add((amount, RDFS.label, Literal(value.text)))
    elif isinstance(value, Quantity):
        qty = URIRef(f"{node}#{name}")
        g.add((node, prop, qty))
        g.add((qty, RDF.type, SDO.QuantitativeValue))
        g.add((qty, SDO.value, _integer(value.amount)))
        if value.unit:
            g.add((qty, SDO.unitText, Literal(value.unit)))
        if value.text:
            g.add((qty, RDFS.label, Literal(value.text)))
    elif isinstance(value, DateValue):
        literal = _date_literal(value)
        if literal is None:
            g.add((node, AKG.date if name == "date" else prop, Literal(value.text)))
            return
        g.add((node, prop, literal))
        if name != "date":
            return  # a start or end: the literal says it; the OWL-Time instant is the event's date
        instant = URIRef(f"{node}#time")
        g.add((node, TIME.hasTime, instant))
        g.add((instant, RDF.type, TIME.Instant))
        inxsd = {XSD.date: TIME.inXSDDate, XSD.gYear: TIME.inXSDgYear,
                 XSD.gYearMonth: TIME.inXSDgYearMonth}[literal.datatype]
        g.add((instant, inxsd, literal))
    elif isinstance(value, YearValue):
        g.add((node, prop, Literal(f"{value.year:04d}", datatype=XSD.gYear)))
    else:  # pragma: no cover - the relation table admits no other kinds
        raise TypeError(f"cannot write role {name}={value!r}")


def add_fact(ds: Dataset, fact: Fact, with_evidence: bool = True, ident: str | None = None) -> URIRef:
    """The fact's assertion graph and its provenance record (with its evidence unless told
    otherwise); returns the fact IRI. `ident`: the fact's id when the caller has it already."""
    spec = RELATIONS[fact.relation]
    ident = ident or fact_id(fact)
    fact_node = FACT[ident]
    assertion = ds.graph(fact_node)
    if spec.is_event:
        subject = EVENT[ident]
        assertion.add((subject, RDF.type, AKG[fact.relation]))
        for name, value in fact.roles:
            role = spec.role(name)
            assert role is not None
            _add_role(assertion, subject, name, role.kind, value)
    elif spec.object_role is None:  # Mentioned: each citing article mentions the entity (add_citation)
        subject = entity_iri(fact.role(spec.subject_role))  # type: ignore[arg-type]
    else:
        subject = entity_iri(fact.role(spec.subject_role))  # type: ignore[arg-type]
        assertion.add((subject, NON_EVENT_PROPERTIES[fact.relation], entity_iri(fact.role(spec.object_role))))  # type: ignore[arg-type]

    prov = ds.graph(PROVENANCE_GRAPH)
    prov.add((fact_node, RDF.type, AKG.Fact))
    prov.add((fact_node, AKG.relation, AKG[fact.relation]))
    prov.add((fact_node, AKG.about, subject))
    prov.add((fact_node, AKG.evidenceCount, _integer(len(fact.evidence))))
    prov.add((fact_node, AKG.articleCount,
              _integer(len({e.article_id for e in fact.evidence}))))
    for method in sorted({e.method for e in fact.evidence}, key=lambda m: m.value):
        prov.add((fact_node, AKG.method, METHOD_IRIS[method]))
    best = best_evidence(fact)
    if best is not None:  # what a one-row-per-fact answer shows, without joining every evidence record
        prov.add((fact_node, AKG.bestEvidence, evidence_iri(ident, best)))
        prov.add((fact_node, AKG.bestQuote, Literal(best.quote)))
    if with_evidence:
        for article_id in sorted({ev.article_id for ev in fact.evidence}):
            add_citation(ds, fact, article_id, ident)
        for ev in fact.evidence:
            add_fact_evidence(ds, fact, ev, ident)
    return fact_node


def add_citation(ds: Dataset, fact: Fact, article_id: str, ident: str | None = None) -> None:
    """That one article states the fact: prov:wasDerivedFrom, and for Mentioned the article's
    schema:mentions. Kept apart from the fact's own triples so that a fact a thousand articles
    cite does not change whole when one of them does."""
    spec = RELATIONS[fact.relation]
    ident = ident or fact_id(fact)
    ds.graph(PROVENANCE_GRAPH).add((FACT[ident], PROV.wasDerivedFrom, article_iri(article_id)))
    if not spec.is_event and spec.object_role is None:
        ds.graph(FACT[ident]).add((article_iri(article_id), SDO.mentions,
                                   entity_iri(fact.role(spec.subject_role))))  # type: ignore[arg-type]


def best_evidence(fact: Fact) -> Evidence | None:
    """The quote to show for a fact: curated before parsed, then the most confident, then the
    first article and position (deterministic)."""
    return min(fact.evidence, default=None, key=lambda e: (e.method is not Method.CURATED, -e.confidence,
                                                          e.article_id, e.span.start, e.span.end))


def add_fact_evidence(ds: Dataset, fact: Fact, ev: Evidence, ident: str | None = None) -> URIRef:
    """One evidence record of `fact` and the link from the fact to it."""
    ident = ident or fact_id(fact)
    prov = ds.graph(PROVENANCE_GRAPH)
    ev_node = add_evidence(prov, ev, FACT[ident], ident)
    prov.add((FACT[ident], AKG.hasEvidence, ev_node))
    return ev_node


def agent_iri(agent: str) -> URIRef:
    return AGENT[slug(agent)]


def add_agent(prov: Graph, agent: str, software: bool) -> None:
    """Who made evidence: a curator, or a software component with its version.

    Written once per agent (not per evidence record), so many facts by one agent repeat nothing.
    """
    node = agent_iri(agent)
    prov.add((node, RDF.type, PROV.Agent))
    prov.add((node, RDFS.label, Literal(agent)))
    if software:
        prov.add((node, RDF.type, PROV.SoftwareAgent))
        if "/" in agent:
            prov.add((node, AKG.componentVersion, Literal(agent.split("/", 1)[1].split(":", 1)[0])))


def agents_of(facts: Iterable[Fact]) -> list[tuple[str, bool]]:
    """Every agent named by some evidence, and whether it is software (made parsed evidence)."""
    software: dict[str, bool] = {}
    for fact in facts:
        for ev in fact.evidence:
            software[ev.agent] = software.get(ev.agent, False) or ev.method is Method.PARSED
    return sorted(software.items())


def evidence_iri(ident: str, ev: Evidence) -> URIRef:
    return EVIDENCE[f"{ident}-{digest(ev.article_id, str(ev.span.start), str(ev.span.end), ev.method.value, ev.agent, length=10)}"]


def add_validity(prov: Graph, ident: str, validity: Validity) -> None:
    """When a holding held (see `timeline.py`), on the fact node in the provenance graph: each
    term an akg:Term with akg:validFrom / akg:validUntil and its basis — derived from the
    articles' words and dates, not stated by any one article."""
    node = FACT[ident]
    for prop, day in ((AKG.firstAttested, validity.first_attested), (AKG.lastAttested, validity.last_attested)):
        if day is not None:
            prov.add((node, prop, Literal(day.isoformat(), datatype=XSD.date)))
    for index, term in enumerate(validity.terms, start=1):
        term_node = URIRef(f"{node}#term-{index}")
        prov.add((node, AKG.heldDuring, term_node))
        prov.add((term_node, RDF.type, AKG.Term))
        for prop, day in ((AKG.validFrom, term.valid_from), (AKG.validUntil, term.valid_until)):
            if day is not None:
                prov.add((term_node, prop, Literal(day.isoformat(), datatype=XSD.date)))
        prov.add((term_node, AKG.validityBasis, Literal(term.basis)))


def conflict_iri(conflict: Conflict) -> URIRef:
    return ID[f"conflict/{conflict.id}"]


def add_conflict(prov: Graph, conflict: Conflict) -> None:
    """An akg:Conflict: the facts that disagree, the role they disagree on, and each side's value
    with the evidence that states it (an akg:Claim), so both quotes stay side by side."""
    node = conflict_iri(conflict)
    prov.add((node, RDF.type, AKG.Conflict))
    prov.add((node, AKG.relation, AKG[conflict.relation]))
    prov.add((node, AKG.conflictingRole, Literal(conflict.role)))
    for index, claim in enumerate(conflict.claims, start=1):
        ident = fact_id(claim.fact)
        prov.add((node, AKG.conflictingFact, FACT[ident]))
        claim_node = URIRef(f"{node}#claim-{index}")
        prov.add((node, AKG.hasClaim, claim_node))
        prov.add((claim_node, RDF.type, AKG.Claim))
        prov.add((claim_node, AKG.claimOf, FACT[ident]))
        prov.add((claim_node, AKG.claimedValue, Literal(_shown(claim.value))))
        for ev in claim.evidence:
            prov.add((claim_node, AKG.hasEvidence, evidence_iri(ident, ev)))


def _shown(value: object) -> str:
    """A role value as an analyst reads it ("$5.8 billion", "180 K2 tank", "2023-08-18")."""
    text = getattr(value, "text", None)
    if isinstance(value, DateValue) and value.value is not None:
        return value.value.isoformat() if value.precision == "day" else (text or value.value.isoformat())
    if isinstance(value, YearValue):
        return str(value.year)
    if isinstance(value, Quantity):
        return f"{value.amount} {value.unit or ''}".strip()
    if isinstance(value, Money):
        return f"{value.amount} {value.currency}"
    return str(getattr(value, "value", text or value))


def add_evidence(prov: Graph, ev: Evidence, fact_node: URIRef, ident: str) -> URIRef:
    """One evidence record as a Web Annotation pointing into the article body."""
    node = evidence_iri(ident, ev)
    target, quote_sel, pos_sel = URIRef(f"{node}#target"), URIRef(f"{node}#quote"), URIRef(f"{node}#position")
    article = article_iri(ev.article_id)
    prov.add((node, RDF.type, AKG.Evidence))
    prov.add((node, RDF.type, OA.Annotation))
    prov.add((node, OA.motivatedBy, OA.describing))
    prov.add((node, OA.hasBody, fact_node))
    prov.add((node, OA.hasTarget, target))
    prov.add((node, PROV.wasDerivedFrom, article))
    prov.add((node, AKG.method, METHOD_IRIS[ev.method]))
    prov.add((node, AKG.confidence, _decimal_literal(ev.confidence)))
    prov.add((node, PROV.wasAttributedTo, agent_iri(ev.agent)))
    prov.add((target, RDF.type, OA.SpecificResource))
    prov.add((target, OA.hasSource, article))
    prov.add((target, OA.hasSelector, quote_sel))
    prov.add((target, OA.hasSelector, pos_sel))
    prov.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    prov.add((quote_sel, OA.exact, Literal(ev.quote)))
    prov.add((quote_sel, OA.prefix, Literal(ev.prefix)))
    prov.add((quote_sel, OA.suffix, Literal(ev.suffix)))
    prov.add((pos_sel, RDF.type, OA.TextPositionSelector))
    prov.add((pos_sel, OA.start, _integer(ev.span.start)))
    prov.add((pos_sel, OA.end, _integer(ev.span.end)))
    for index, mention in enumerate(ev.mentions, start=1):
        m_node = URIRef(f"{node}#mention-{index}")
        prov.add((node, AKG.hasMention, m_node))
        prov.add((m_node, RDF.type, AKG.Mention))
        prov.add((m_node, OA.start, _integer(mention.span.start)))
        prov.add((m_node, OA.end, _integer(mention.span.end)))
        prov.add((m_node, AKG.surfaceForm, Literal(mention.text)))
        prov.add((m_node, AKG.denotes, entity_iri(mention.entity_id)))
    return node


def referenced_entities(facts: Iterable[Fact]) -> set[str]:
    ids: set[str] = set()
    for fact in facts:
        spec = RELATIONS[fact.relation]
        for name, value in fact.roles:
            kind = spec.role(name).kind  # type: ignore[union-attr]
            if kind is RoleKind.ENTITY:
                ids.add(value)  # type: ignore[arg-type]
            elif kind is RoleKind.ENTITIES:
                ids.update(value)  # type: ignore[arg-type]
        for ev in fact.evidence:
            ids.update(m.entity_id for m in ev.mentions)
    return ids


def assemble(articles: list[Article], registry: Registry, facts: list[Fact],
             conflicts: Sequence[Conflict] = ()) -> Dataset:
    """The whole dataset. Entities appear only if some fact refers to them."""
    ds = Dataset()
    bind_prefixes(ds)
    for block in iter_blocks(articles, registry, facts, conflicts):
        ds.addN(block.quads())
    return ds


class QuadSink:
    """Collects quads the way `Dataset.graph(iri).add(...)` would, without building a Dataset.

    The same `add_*` functions then serve both the in-memory dataset (small builds, SHACL) and
    the streamed N-Quads of large corpora, where holding every quad in rdflib does not scale.
    """

    class _View:
        def __init__(self, sink: "QuadSink", graph: URIRef) -> None:
            self.sink, self.graph_iri = sink, graph

        def add(self, triple: tuple) -> None:
            self.sink.quads.append((*triple, self.graph_iri))

    def __init__(self) -> None:
        self.quads: list[tuple] = []

    def graph(self, iri: URIRef) -> "QuadSink._View":
        return QuadSink._View(self, iri)

    def take(self) -> list[tuple]:
        """The quads collected since the last call, without duplicates, in the order added."""
        quads, self.quads = list(dict.fromkeys(self.quads)), []
        return quads


def _render_salt() -> str:
    """What else a block's quads depend on: the code that writes them."""
    here = Path(__file__).resolve().parent
    parts = [(here / name).read_bytes() for name in ("assemble.py", "vocab.py", "relations.py")]
    return hashlib.sha256(b"\x1f".join(parts)).hexdigest()


RENDER_SALT = _render_salt()


class Block(NamedTuple):
    """A unit of the dataset whose quads depend only on `digest`: an article, an entity, the
    agents, a fact, one of its citations or evidence records, a derived count, term or conflict.

    Blocks share no quads, so a build is the concatenation of its blocks, and an incremental
    build re-renders only the blocks whose digest changed (see `fragments.py`). A named tuple:
    a build at ten thousand articles walks three hundred thousand of them.
    """

    key: str
    digest: str
    render: Callable[[], list[tuple]]
    fact: Fact | None = None
    """The fact a fact or evidence block belongs to."""

    def quads(self) -> list[tuple]:
        return self.render()


def _digest(kind: str, content: object) -> str:
    return hashlib.sha256(f"{RENDER_SALT}\x1f{kind}\x1f{content!r}".encode("utf-8")).hexdigest()


def _rendered(add: Callable[[QuadSink], object]) -> Callable[[], list[tuple]]:
    def render() -> list[tuple]:
        sink = QuadSink()
        add(sink)
        return sink.take()
    return render


def article_block(article: Article) -> Block:
    content = (article.id, article.title, article.publisher, article.url, article.date, article.language,
               article.body, article.licence, article.reports_on, article.reports_on_source)
    return Block(f"article/{article.id}", _digest("article", content),
                 _rendered(lambda sink: add_article(sink, article)))  # type: ignore[arg-type]


def entity_block(entity: Entity) -> Block:
    return Block(f"entity/{entity.id}", _digest("entity", entity), _rendered(lambda sink: add_entity(sink, entity)))  # type: ignore[arg-type]


def agents_block(agents: list[tuple[str, bool]]) -> Block:
    return Block("agents", _digest("agents", agents),
                 _rendered(lambda sink: [add_agent(sink.graph(PROVENANCE_GRAPH), a, sw) for a, sw in agents]))  # type: ignore[arg-type]


def fact_blocks(fact: Fact, reuse: dict[str, str] | None = None, fresh: set[str] = frozenset()) -> list[Block]:
    """The fact itself (assertion, relation, counts), each article citing it, then each evidence
    record on its own: a fact cited by a thousand articles changes whenever one of them does,
    but its other 999 evidence blocks stay as they were.

    `reuse` (block key -> digest, from the last build) gives the digests of the citation and
    evidence blocks of articles not in `fresh`: their content is the same, so their digests
    need not be computed again."""
    ident = fact_id(fact)
    reuse = reuse or {}
    best = best_evidence(fact)
    articles = sorted({e.article_id for e in fact.evidence})
    core = (fact.relation, fact.roles, len(fact.evidence), len(articles),
            sorted({e.method.value for e in fact.evidence}), best and (best.article_id, best.span, best.quote,
                                                                       best.method.value, best.agent))
    blocks = [Block(f"fact/{ident}", _digest("fact", core),
                    _rendered(lambda sink: add_fact(sink, fact, with_evidence=False, ident=ident)), fact)]  # type: ignore[arg-type]
    for article_id in articles:
        key = f"cites/{ident}/{article_id}"
        digest = reuse.get(key) if article_id not in fresh else None
        blocks.append(Block(key, digest or _digest("cites", (ident, fact.relation, fact.roles, article_id)),
                            _rendered(lambda sink, a=article_id: add_citation(sink, fact, a, ident)), fact))  # type: ignore[misc]
    for ev in fact.evidence:
        key = f"evidence/{ident}/{ev.article_id}/{ev.span.start}-{ev.span.end}/{ev.method.value}/{ev.agent}"
        digest = reuse.get(key) if ev.article_id not in fresh else None
        blocks.append(Block(key, digest or _digest("evidence", (ident, ev)),
                            _rendered(lambda sink, e=ev: add_fact_evidence(sink, fact, e, ident)), fact))  # type: ignore[misc]
    return blocks


def count_block(entity_id: str, count: int) -> Block:
    return Block(f"count/{entity_id}", _digest("count", (entity_id, count)),
                 _rendered(lambda sink: sink.graph(SUMMARY_GRAPH).add(
                     (entity_iri(entity_id), AKG.factCount, _integer(count)))))  # type: ignore[arg-type]


def term_block(ident: str, validity: Validity) -> Block:
    return Block(f"term/{ident}", _digest("term", (ident, validity)),
                 _rendered(lambda sink: add_validity(sink.graph(PROVENANCE_GRAPH), ident, validity)))  # type: ignore[arg-type]


def conflict_block(conflict: Conflict) -> Block:
    # What add_conflict writes, and nothing more: the claims' whole facts would make the digest
    # cost more than the block.
    rendered = (conflict.id, conflict.relation, conflict.role,
                [(fact_id(c.fact), _shown(c.value), [str(evidence_iri(fact_id(c.fact), e)) for e in c.evidence])
                 for c in conflict.claims])
    return Block(f"conflict/{conflict.id}", _digest("conflict", rendered),
                 _rendered(lambda sink: add_conflict(sink.graph(PROVENANCE_GRAPH), conflict)))  # type: ignore[arg-type]


def used_entities(registry: Registry, facts: list[Fact]) -> list[Entity]:
    """The registry entities some fact refers to, by id."""
    used = referenced_entities(facts)
    return sorted((e for e in registry if e.id in used), key=lambda e: e.id)


def iter_blocks(articles: list[Article], registry: Registry, facts: list[Fact],
                conflicts: Sequence[Conflict] = ()) -> Iterator[Block]:
    """The dataset as blocks: articles (by id), the entities, the agents, the facts, then what
    is derived across facts: how many facts each entity takes part in (the entities query
    would otherwise scan every fact graph), when each holding was valid, where the articles
    disagree.

    One block per entity, count and term rather than one for all: an article that adds an
    entity or a fact then changes a few small blocks, which is what a store patch and a delta
    push send. Nothing is rendered until a block's quads are asked for; the order is
    deterministic, so files written block by block are byte-identical for the same inputs.
    """
    for article in sorted(articles, key=lambda a: a.id):
        yield article_block(article)
    for entity in used_entities(registry, facts):
        yield entity_block(entity)
    yield agents_block(agents_of(facts))
    for fact in facts:
        yield from fact_blocks(fact)
    for entity_id, count in sorted(Counter(e for f in facts for e in f.entity_ids()).items()):
        yield count_block(entity_id, count)
    for ident, validity in sorted(validities(facts, articles).items()):
        yield term_block(ident, validity)
    for conflict in conflicts:
        yield conflict_block(conflict)
