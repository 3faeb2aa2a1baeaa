"""`kg build`: sources -> facts -> merged facts -> RDF dataset -> SHACL check -> files in build/.

Nothing is published unless every step succeeded: each build is written into a new generation
folder and made current in one rename (see `generations.py`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from . import __version__
from .assemble import Block, assemble, iter_blocks, referenced_entities
from .curation import load_all_curated
from .errors import OntologyError
from .conflicts import across_facts, within_fact
from .merge import fact_id, fact_key, merge_with_members
from .ontology import Validation, validate
from .registry import Registry, load_registry
from .sources import read_articles
from .fragments import FILES, FORMATS, FragmentCache
from .generations import input_fingerprint
from .stream import StreamReport, write_streamed
from .types import Article, Fact

Extractor = Callable[[Sequence[Article], Registry], list[Fact]]
"""A parser of articles into candidate facts (the NLP pipeline plugs in here)."""

SHACL_SAMPLE = 2000
"""Facts checked with SHACL in a build: the first ones by key among those not built before."""
FRAGMENT_CACHE = Path("cache") / "fragments.sqlite"


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
    stream: StreamReport | None = None
    """For a streamed build: blocks rendered anew and whether the store was patched."""
    conflicts: list = field(default_factory=list)
    """Where the articles disagree (`conflicts.Conflict`), also written as akg:Conflict."""
    incremental: bool = False
    """True when the build applied a delta to the last one's state; `facts` then holds only the
    facts the changed articles touched."""
    changed_articles: list[str] = field(default_factory=list)
    """For an incremental build: the articles added, edited or removed since the last build."""
    full_reason: str = ""
    """For a full build where an earlier one exists: why no delta could be applied."""


def load_inputs(sources: Path) -> Inputs:
    """Read and check articles, the registry and the curated facts."""
    articles = read_articles(sources)
    registry = load_registry(sources / "entities.yaml")
    curated = load_all_curated(sources, {a.id: a for a in articles}, registry)
    return Inputs(articles, registry, curated)


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


@dataclass(frozen=True)
class NlpExtractor:
    """The NLP pipeline, over `jobs` processes, with an optional per-article parse cache.

    Called, it parses and resolves entities across the articles; `parse` gives each article's
    own parse, which is what the persistent build state keeps (see `state.py`)."""

    jobs: int = 1
    progress: bool = False
    cache: Path | None = None

    def parse(self, articles: Sequence[Article], registry: Registry, *, every: bool = True
              ) -> list[tuple[list[Fact], list]]:
        """`every`: these are all the articles (parses of others are dropped from the cache)."""
        from .nlp.pipeline import parse_each

        return parse_each(articles, registry, jobs=self.jobs, progress=self.progress, cache=self.cache, every=every)

    def forget(self, article_ids: Sequence[str]) -> None:
        if self.cache is not None:
            from .nlp.pipeline import forget_parses

            forget_parses(self.cache, article_ids)

    def __call__(self, articles: Sequence[Article], registry: Registry) -> list[Fact]:
        from .nlp.pipeline import _combine

        return _combine(self.parse(articles, registry), registry)


MAX_AUTO_JOBS = 8
"""Processes `kg build` starts by itself at most: each holds its own copy of the spaCy model."""


def cpu_jobs() -> int:
    """One process per core this process may run on (at most `MAX_AUTO_JOBS`). Parsing is the
    bulk of a build and its processes scale with the cores; a corpus too small to share out
    (fewer than two chunks of articles to parse) is parsed here without starting any."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_AUTO_JOBS))


def default_extractor(jobs: int | None = 1, progress: bool = False, cache: Path | None = None) -> NlpExtractor:
    """The NLP pipeline, over `jobs` processes (None: `cpu_jobs()`), with an optional per-article
    parse cache."""
    return NlpExtractor(jobs or cpu_jobs(), progress, cache)


SHACL_CHUNK = 500
"""Facts assembled and checked at a time: the rdflib graph and pyshacl's working copies of a
2,000-fact sample held at once cost hundreds of megabytes."""


def check_sample(sample: list[Fact], article_of: Callable[[str], Article], registry: Registry,
                 ontology: Path) -> tuple[Validation, Dataset]:
    """SHACL on the sample, `SHACL_CHUNK` facts (with their articles and entities) at a time;
    the results of every chunk, and the first chunk's dataset."""
    problems: list[str] = []
    first: Dataset | None = None
    for start in range(0, max(len(sample), 1), SHACL_CHUNK):
        part = sample[start:start + SHACL_CHUNK]
        cited = sorted({e.article_id for f in part for e in f.evidence})
        ds = assemble([article_of(a) for a in cited], registry, part)
        report = validate(ds, ontology)
        first = ds if first is None else first
        if not report.conforms:
            problems += report.text.splitlines()[1:]
    text = "Conforms." if not problems else f"Does not conform: {len(problems)} problem(s).\n" + "\n".join(problems)
    return Validation(not problems, text, len(problems)), first if first is not None else Dataset()


def new_evidence_only(fact: Fact, changed_articles: set[str]) -> Fact:
    """`fact` with only the evidence from changed articles (or its first, when none is new).

    A fact mentioned by a thousand articles changes whenever one of them does; its other
    evidence was checked when it was first built, so an incremental check stays small.
    """
    fresh = tuple(e for e in fact.evidence if e.article_id in changed_articles)
    return Fact(fact.relation, fact.roles, fresh or fact.evidence[:1]) if len(fresh) != len(fact.evidence) else fact


def build(sources: Path, ontology: Path, out: Path | None, *, extractor: Extractor | None = None,
          check_shapes: bool = True, formats: Sequence[str] = FORMATS) -> BuildResult:
    """Build the dataset; write it to `out` (unless None) only when it validates.

    One path for every size: the dataset is written block by block through the fragment cache,
    re-rendering only blocks that changed since the last build; the SHACL check covers the first
    `SHACL_SAMPLE` facts not seen before (all of them on a first build up to that many).
    `formats` picks the exports (the store is always made). With `out=None` nothing is written
    and the whole dataset is assembled in rdflib, for Python callers and `kg validate`.
    """
    if out is not None and isinstance(extractor, NlpExtractor) and extractor.cache is None:
        from dataclasses import replace

        extractor = replace(extractor, cache=out / "cache" / "parsed")  # as `kg build` does: one path
    stateful = out is not None and (extractor is None or isinstance(extractor, NlpExtractor))
    full_reason = ""
    if stateful:  # a delta on the state of the last build, when it can promise the same result
        from .incremental import incremental_build

        from . import incremental

        done = incremental_build(sources, ontology, out, extractor, check_shapes, formats)  # type: ignore[arg-type]
        if done is not None:
            return done
        full_reason = incremental.last_fallback or ""
        from .fullbuild import streamable, streamed_full_build

        if streamable(sources, extractor):  # type: ignore[arg-type]
            return streamed_full_build(sources, ontology, out, extractor, check_shapes, formats,  # type: ignore[arg-type]
                                       full_reason=full_reason)
    inputs = load_inputs(sources)
    facts = list(inputs.curated)
    raw: list[tuple[list[Fact], list]] = []
    if isinstance(extractor, NlpExtractor):
        from .nlp.pipeline import _combine

        from .nlp.pipeline import registry_fingerprint

        raw = extractor.parse(inputs.articles, inputs.registry)
        registry_before = registry_fingerprint(inputs.registry)
        facts += _combine(raw, inputs.registry)
    elif extractor is not None:
        facts += extractor(inputs.articles, inputs.registry)
    merged, members = merge_with_members(facts)
    type_of = lambda i: getattr(inputs.registry.get(i), "type", None)  # noqa: E731
    within = {fact_key(f): within_fact(f, members.get(fact_id(f), [f]), type_of) for f in merged}
    conflicts = [c for _, c in sorted({c.id: c for c in [*(c for w in within.values() for c in w),
                                                          *across_facts(merged)]}.items())]
    stream = out is not None  # one path for every size: rdflib only for a dataset read in Python
    blocks: list[Block] = []
    if stream:
        blocks = list(iter_blocks(inputs.articles, inputs.registry, merged, conflicts))
        with FragmentCache(out / FRAGMENT_CACHE) as cache:
            known = cache.known(b.digest for b in blocks)
        changed = {b.key.removeprefix("article/") for b in blocks if b.key.startswith("article/")
                   and b.digest not in known}
        touched = {id(b.fact): b.fact for b in blocks if b.fact is not None and b.digest not in known}
        sample = [new_evidence_only(f, changed) for f in touched.values()][:SHACL_SAMPLE]
        by_id = {a.id: a for a in inputs.articles}
        validation, checked = check_sample(sample, by_id.__getitem__, inputs.registry, ontology) if check_shapes \
            else (None, Dataset())
        ds = None
    else:
        checked = ds = assemble(inputs.articles, inputs.registry, merged, conflicts)
        validation = validate(checked, ontology) if check_shapes else None
    if validation is not None and not validation.conforms:
        raise OntologyError(f"the built graph does not conform to the SHACL shapes "
                            f"({validation.results} problems); nothing was written\n{validation.text}",
                            path=ontology / "shapes.ttl",
                            hint="fix the curated facts, or run `kg validate` for the full report")
    result = BuildResult(inputs, merged, ds if ds is not None else checked, validation, conflicts=conflicts,
                         full_reason=full_reason)
    result.summary = summarise(inputs, merged, ds)
    result.summary["conflicts"] = len(conflicts)
    if out is not None:
        manifest = {
            "kg_version": __version__,
            "inputs": input_fingerprint(sources, ontology),
            "summary": result.summary,
            "outputs": sorted(FILES[f] for f in FORMATS),
        }
        report = write_streamed(out, blocks, manifest, formats=formats, cache=out / FRAGMENT_CACHE)
        result.outputs = report.outputs
        result.summary["quads"] = report.quads
        result.stream = report
        if stateful:
            from .nlp.pipeline import registry_fingerprint

            _record_state(out, inputs, raw, facts, merged, blocks, within,
                          registry_before if raw else registry_fingerprint(inputs.registry), extractor is not None)
    return result


def _record_state(out: Path, inputs: Inputs, raw: list, facts: list[Fact], merged: list[Fact], blocks: list[Block],
                  within: dict, fingerprint: str, parsing: bool) -> None:
    """Keep what this full build computed, so the next build can apply a delta (`state.py`)."""
    from .incremental import record, statement_rows
    from .merge import fact_key
    from .nlp.pipeline import resolve_new_entities
    from .state import salt

    ids = [a.id for a in inputs.articles]
    new_entities = {i: entities for i, (_, entities) in zip(ids, raw)}
    chosen, mapping = resolve_new_entities([new_entities.get(i, []) for i in ids], inputs.registry) if raw else ({}, {})
    curated: dict[str, list[Fact]] = {}
    for fact in inputs.curated:
        curated.setdefault(fact.evidence[0].article_id, []).append(fact)
    parsed: dict[str, list[Fact]] = {}
    for fact in facts[len(inputs.curated):]:
        parsed.setdefault(fact.evidence[0].article_id, []).append(fact)
    by_fact: dict[int, list[tuple[str, str]]] = {}
    for block in blocks:
        if block.fact is not None:
            by_fact.setdefault(id(block.fact), []).append((block.key, block.digest))
    record(out, state_salt=salt(fingerprint, parsing), articles=inputs.articles,
           article_digests={b.key.removeprefix("article/"): b.digest for b in blocks if b.key.startswith("article/")},
           new_entities=new_entities, chosen=chosen, mapping=mapping,
           statements={i: statement_rows(curated.get(i, []), parsed.get(i, [])) for i in ids},
           merged=merged, blocks_by_key={fact_key(f): by_fact.get(id(f), []) for f in merged},
           within={k: v for k, v in within.items() if v})


