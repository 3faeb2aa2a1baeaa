"""Namespaces: the project's closed ontology vocabulary, Web Annotation, and our IRI scheme.

rdflib ships PROV, SDO (schema.org), DCTERMS, TIME, SKOS, OWL, XSD; it does not ship the W3C
Web Annotation vocabulary, so `OA` is declared here once, closed like rdflib's own. `AKG` is a
`DefinedNamespace`: a misspelt term raises instead of minting a wrong IRI, and a test checks it
against `ontology/alliance.ttl`.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

BASE = "https://w3id.org/alliance-kg/"
ONTOLOGY_IRI = BASE + "ontology"


class AKG(DefinedNamespace):
    """The alliance-kg ontology (ontology/alliance.ttl)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes: facts and provenance
    Fact: URIRef
    Evidence: URIRef
    Mention: URIRef
    Method: URIRef
    Event: URIRef
    Agreement: URIRef
    Relationship: URIRef
    # classes: entity types not in schema.org
    Region: URIRef
    MilitaryUnit: URIRef
    Vessel: URIRef
    # classes: relations
    Position: URIRef
    Meeting: URIRef
    Summit: URIRef
    Visit: URIRef
    Deal: URIRef
    Investment: URIRef
    Memorandum: URIRef
    Treaty: URIRef
    Declaration: URIRef
    Alliance: URIRef
    Membership: URIRef
    MilitaryExercise: URIRef
    MissileLaunch: URIRef
    Statement: URIRef
    Mentioned: URIRef
    Deployment: URIRef
    deployer: URIRef
    BasedIn: URIRef
    # individuals
    Curated: URIRef
    Parsed: URIRef
    # fact and provenance properties
    relation: URIRef
    about: URIRef
    hasEvidence: URIRef
    evidenceCount: URIRef
    articleCount: URIRef
    method: URIRef
    confidence: URIRef
    hasMention: URIRef
    denotes: URIRef
    surfaceForm: URIRef
    componentVersion: URIRef
    bodySha256: URIRef
    reportsOn: URIRef
    reportsOnSource: URIRef
    # entity properties
    shortName: URIRef
    iso3166Code: URIRef
    # role properties
    holder: URIRef
    positionOf: URIRef
    basedIn: URIRef
    participant: URIRef
    date: URIRef
    outcome: URIRef
    visitor: URIRef
    host: URIRef
    purpose: URIRef
    seller: URIRef
    buyer: URIRef
    item: URIRef
    quantity: URIRef
    value: URIRef
    investor: URIRef
    party: URIRef
    subject: URIRef
    beneficiary: URIRef
    year: URIRef
    member: URIRef
    since: URIRef
    organization: URIRef
    status: URIRef
    startTime: URIRef
    inForceFrom: URIRef
    ratifiedOn: URIRef
    endTime: URIRef
    # time and disagreement, derived by the build
    factCount: URIRef
    bestEvidence: URIRef
    bestQuote: URIRef
    heldDuring: URIRef
    Term: URIRef
    validFrom: URIRef
    validUntil: URIRef
    validityBasis: URIRef
    firstAttested: URIRef
    lastAttested: URIRef
    Conflict: URIRef
    Claim: URIRef
    conflictingFact: URIRef
    conflictingRole: URIRef
    hasClaim: URIRef
    claimOf: URIRef
    claimedValue: URIRef
    launcher: URIRef
    missile: URIRef
    speaker: URIRef
    topic: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary, the terms this project uses."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextQuoteSelector: URIRef
    TextPositionSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef
    motivatedBy: URIRef
    describing: URIRef


WD = Namespace("http://www.wikidata.org/entity/")
ID = Namespace(BASE + "id/")
ENTITY = Namespace(BASE + "id/entity/")
ARTICLE = Namespace(BASE + "id/article/")
FACT = Namespace(BASE + "id/fact/")
EVENT = Namespace(BASE + "id/event/")
EVIDENCE = Namespace(BASE + "id/evidence/")
AGENT = Namespace(BASE + "id/agent/")
GRAPH = Namespace(BASE + "id/graph/")

ARTICLES_GRAPH = GRAPH["articles"]
ENTITIES_GRAPH = GRAPH["entities"]
PROVENANCE_GRAPH = GRAPH["provenance"]
SUMMARY_GRAPH = GRAPH["summary"]
"""What every analyst query would otherwise recompute (facts per entity), made at build time."""

PREFIXES: dict[str, str] = {
    "akg": str(AKG._NS), "oa": str(OA._NS), "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/", "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#", "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": str(WD), "ent": str(ENTITY), "art": str(ARTICLE), "fact": str(FACT), "event": str(EVENT),
    "ev": str(EVIDENCE), "agent": str(AGENT), "graph": str(GRAPH),
}
"""Prefixes bound in every output and predeclared for queries."""


class Terms:
    """A namespace whose terms are looked up once each.

    rdflib's `DefinedNamespace` checks every attribute against its declared terms and makes a new
    `URIRef` at each access; writing a build's quads does that a few hundred thousand times. The
    terms are rdflib's own (`Terms(OA).exact is OA.exact`'s value), only remembered."""

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace
        self._items: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._namespace, name)
        setattr(self, name, value)  # found in the instance from now on: this method is not called again
        return value

    def __getitem__(self, name: str) -> URIRef:
        try:
            return self._items[name]
        except KeyError:
            value = self._items[name] = self._namespace[name]
            return value


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """A readable IRI segment: lower case, ASCII letters and digits joined by '-' ('Türkiye' ->
    'turkiye', 'Błaszczak' -> 'blaszczak': transliterated by `normality`, not stripped of the
    letters Unicode does not decompose)."""
    from normality import ascii_text

    folded = ascii_text(text) or ""
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def digest(*parts: str, length: int = 12) -> str:
    """A short stable hash of the parts: identifiers come from content, never from uuid4."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]
