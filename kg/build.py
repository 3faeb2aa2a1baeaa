"""`kg build`: sources -> facts -> merged facts -> RDF dataset -> SHACL check -> files in build/.

Nothing is written unless every step succeeded; the files are then renamed into place together.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from . import __version__
from .assemble import assemble, iter_quads, referenced_entities
from .curation import load_all_curated
from .errors import OntologyError
from .merge import merge_facts
from .ontology import Validation, union_graph, validate
from .registry import Registry, load_registry
from .sources import read_articles
from .store import write_store
from .stream import STREAM_THRESHOLD, write_streamed
from .types import Article, Fact
from .writers import render_jsonld, render_nquads, render_trig, render_turtle, write_atomically

Extractor = Callable[[Sequence[Article], Registry], list[Fact]]
"""A parser of articles into candidate facts (the NLP pipeline plugs in here)."""

MANIFEST = "manifest.json"
SHACL_SAMPLE = 300
"""Facts checked with SHACL in a streamed build (the first ones by key: a stable sample)."""


@dataclass
class Inputs:
    articles: list[Article]
    registry: Registry
    curated: list[Fact]


@dataclass
class BuildResult:
    inputs: Inputs
    facts: list[Fact]
    dataset: Dataset
    validation: Validation | None
    outputs: list[Path] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def load_inputs(sources: Path) -> Inputs:
    """Read and check articles, the registry and the curated facts."""
    articles = read_articles(sources)
    registry = load_registry(sources / "entities.yaml")
    curated = load_all_curated(sources, {a.id: a for a in articles}, registry)
    return Inputs(articles, registry, curated)


def input_fingerprint(sources: Path, ontology: Path) -> dict[str, str]:
    """SHA-256 of every input file: a build is stale when any of them changed."""
    files = sorted(p for p in sources.rglob("*") if p.is_file() and p.suffix in {".txt", ".yaml", ".yml"})
    files += sorted(p for p in ontology.glob("*.ttl"))
    result = {}
    for path in files:
        key = path.relative_to(sources.parent).as_posix() if path.is_relative_to(sources.parent) else path.name
        result[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def summarise(inputs: Inputs, facts: list[Fact], ds: Dataset | None) -> dict:
    used = referenced_entities(facts)
    entities = Counter(e.type for e in inputs.registry if e.id in used)
    relations = Counter(f.relation for f in facts)
    per_article = Counter(a for f in facts for a in sorted({e.article_id for e in f.evidence}))
    methods = Counter(e.method.value for f in facts for e in f.evidence)
    return {
        "articles": len(inputs.articles),
        "entities": dict(sorted(entities.items())),
        "facts": len(facts),
        "facts_by_relation": dict(sorted(relations.items())),
        "facts_by_article": {a.id: per_article.get(a.id, 0) for a in inputs.articles},
        "evidence_by_method": dict(sorted(methods.items())),
        "corroborated_facts": sum(1 for f in facts if len({e.article_id for e in f.evidence}) > 1),
        "quads": len(ds) if ds is not None else None,
    }


def default_extractor(jobs: int = 1, progress: bool = False, cache: Path | None = None) -> Extractor:
    """The NLP pipeline, over `jobs` processes, with an optional per-article parse cache."""
    from .nlp import extract_facts

    return lambda articles, registry: extract_facts(articles, registry, jobs=jobs, progress=progress, cache=cache)


def build(sources: Path, ontology: Path, out: Path | None, *, extractor: Extractor | None = None,
          check_shapes: bool = True, stream: bool | None = None) -> BuildResult:
    """Build the dataset; write it to `out` (unless None) only when it validates.

    `stream` (default: automatic past `STREAM_THRESHOLD` facts) writes without an in-memory
    dataset; its SHACL check then covers a deterministic sample of `SHACL_SAMPLE` facts.
    """
    inputs = load_inputs(sources)
    facts = list(inputs.curated)
    if extractor is not None:
        facts += extractor(inputs.articles, inputs.registry)
    merged = merge_facts(facts)
    if stream is None:
        stream = len(merged) > STREAM_THRESHOLD and out is not None
    if stream:
        sample = merged[:SHACL_SAMPLE]
        cited = {e.article_id for f in sample for e in f.evidence}
        checked = assemble([a for a in inputs.articles if a.id in cited], inputs.registry, sample)
        ds = None
    else:
        checked = ds = assemble(inputs.articles, inputs.registry, merged)
    validation = validate(checked, ontology) if check_shapes else None
    if validation is not None and not validation.conforms:
        raise OntologyError(f"the built graph does not conform to the SHACL shapes "
                            f"({validation.results} problems); nothing was written\n{validation.text}",
                            path=ontology / "shapes.ttl",
                            hint="fix the curated facts, or run `kg validate` for the full report")
    result = BuildResult(inputs, merged, ds if ds is not None else checked, validation)
    result.summary = summarise(inputs, merged, ds)
    if out is not None:
        manifest = {
            "kg_version": __version__,
            "inputs": input_fingerprint(sources, ontology),
            "summary": result.summary,
            "outputs": sorted(OUTPUT_RENDERERS),
        }
        if stream:
            result.outputs, quads = write_streamed(out, iter_quads(inputs.articles, inputs.registry, merged), manifest)
            result.summary["quads"] = quads
        else:
            files = {name: (lambda render=render: render(ds)) for name, render in OUTPUT_RENDERERS.items()}
            files[MANIFEST] = lambda: json.dumps(manifest, indent=1, sort_keys=True) + "\n"
            result.outputs = write_atomically(out, files)
            result.outputs.append(write_store(out, out / "dataset.nq"))
    return result


OUTPUT_RENDERERS: dict[str, Callable[[Dataset], str]] = {
    "dataset.trig": render_trig,
    "dataset.nq": render_nquads,
    "graph.ttl": lambda ds: render_turtle(union_graph(ds)),
    "dataset.jsonld": render_jsonld,
}
