"""What every build path shares: its inputs, its result, the extractor and the SHACL check.

`build.py` chooses the path (incremental, streamed full build, or in memory for Python
callers); `fullbuild.py` and `incremental.py` take these from here, not from `build.py`, so no
build module imports the one that calls it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from .assemble import assemble, iter_blocks, referenced_entities
from .curation import load_all_curated
from .errors import BuildError
from .ontology import Validation, union_of, validate
from .registry import Registry, load_registry
from .sources import read_articles
from .stream import StreamReport
from .types import Article, Fact

Extractor = Callable[[Sequence[Article], Registry], list[Fact]]
"""A parser of articles into candidate facts (the NLP pipeline plugs in here)."""

SHACL_SAMPLE = 2000
"""At most this many facts are checked with SHACL in a build, among those not built before."""
SHACL_PER_FORM = 3
"""Facts checked per form (see `ShaclSample`): the RDF of one form is written by the same code
path, so a fourth fact of it checks nothing the first three did not. Measured at 150 synthetic
articles: SHACL on every new fact took 8.9 s of an 11.6 s build from the parse cache."""
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
    """Where the articles disagree (`conflicts.Conflict`), also written as akg:Conflict. For an
    incremental build, those it found anew: every one within a fact, and those across facts in
    the groups a changed fact was or is in (the others are as the last build wrote them)."""
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
                 ontology: Path, keep: bool = True) -> tuple[Validation, Dataset]:
    """SHACL on the sample, `SHACL_CHUNK` facts (with their articles and entities) at a time;
    the results of every chunk, and the first chunk's dataset when `keep` (an incremental build
    returns it). Without `keep` the dataset is empty and each chunk's triples go straight into
    the one graph pySHACL reads: building a dataset of named graphs and copying it was a third
    of the check's time."""
    problems: list[str] = []
    first: Dataset | None = None
    for start in range(0, max(len(sample), 1), SHACL_CHUNK):
        part = sample[start:start + SHACL_CHUNK]
        cited = sorted({e.article_id for f in part for e in f.evidence})
        articles = [article_of(a) for a in cited]
        if keep and first is None:
            report = validate(first := assemble(articles, registry, part), ontology)
        else:
            report = validate(union_of(q for block in iter_blocks(articles, registry, part) for q in block.quads()),
                              ontology)
        if not report.conforms:
            problems += report.text.splitlines()[1:]
    text = "Conforms." if not problems else f"Does not conform: {len(problems)} problem(s).\n" + "\n".join(problems)
    return Validation(not problems, text, len(problems)), first if first is not None else Dataset()


class ShaclSample:
    """The facts a build checks with SHACL: up to `SHACL_PER_FORM` of every form, where a form
    is what decides which shapes and which RDF a fact gets: its relation, each role with the kind
    of its value (an entity's type, a date's precision, a text, an amount), its methods and
    whether more than one article states it. Every form a build makes is checked, however
    large the build, instead of the first facts by key (which at 10k articles were mostly
    statements)."""

    def __init__(self, changed_articles: set[str], type_of: Callable[[str], str | None]) -> None:
        self.facts: list[Fact] = []
        self._changed = changed_articles
        self._type_of = type_of
        self._seen: dict[tuple, int] = {}

    def _kind(self, value: object) -> object:
        if isinstance(value, str):
            return self._type_of(value)  # an entity: its type
        if isinstance(value, tuple):
            return tuple(sorted({str(self._kind(v)) for v in value}))
        return (type(value).__name__, getattr(value, "precision", None), getattr(value, "currency", None) is None)

    def offer(self, fact: Fact) -> None:
        """Take `fact` into the sample if its form has fewer than `SHACL_PER_FORM` facts in it."""
        if len(self.facts) >= SHACL_SAMPLE:
            return
        form = (fact.relation, tuple((name, self._kind(value)) for name, value in sorted(fact.roles, key=lambda r: r[0])),
                tuple(sorted({e.method.value for e in fact.evidence})),
                len({e.article_id for e in fact.evidence}) > 1)
        if self._seen.get(form, 0) < SHACL_PER_FORM:
            self._seen[form] = self._seen.get(form, 0) + 1
            self.facts.append(_few_evidence(new_evidence_only(fact, self._changed)))


SHACL_EVIDENCE = 3
"""Evidence records checked per sampled fact: every evidence record of a method is written by the
same code, and a fact that three thousand articles mention would otherwise bring all three
thousand articles into the check (at 3k synthetic articles: 80 sampled facts, 26.7 s and 380 MB)."""


def _few_evidence(fact: Fact) -> Fact:
    """`fact` with at most `SHACL_EVIDENCE` evidence records, one of each method first."""
    if len(fact.evidence) <= SHACL_EVIDENCE:
        return fact
    first = list({e.method: e for e in reversed(fact.evidence)}.values())  # the first of each method
    rest = [e for e in fact.evidence if e not in first]
    kept = sorted(first + rest[:max(0, SHACL_EVIDENCE - len(first))], key=fact.evidence.index)
    return Fact(fact.relation, fact.roles, tuple(kept))


def new_evidence_only(fact: Fact, changed_articles: set[str]) -> Fact:
    """`fact` with only the evidence from changed articles (or its first, when none is new).

    A fact mentioned by a thousand articles changes whenever one of them does; its other
    evidence was checked when it was first built, so an incremental check stays small.
    """
    fresh = tuple(e for e in fact.evidence if e.article_id in changed_articles)
    return Fact(fact.relation, fact.roles, fresh or fact.evidence[:1]) if len(fresh) != len(fact.evidence) else fact


def run_extractor(extractor: Extractor, articles: Sequence[Article], registry: Registry) -> list[Fact]:
    """A Python caller's own extractor, its facts held to the rule every fact keeps: evidence in a
    given article, its quote exactly the article's text at its span. The build stops with the
    fact named rather than write a fact nobody can trace."""
    bodies = {a.id: a.body for a in articles}
    facts = list(extractor(articles, registry))
    for fact in facts:
        if not fact.evidence:
            raise BuildError(f"the extractor gave a {fact.relation} fact without evidence",
                             hint="give every fact at least one Evidence (article, span, verbatim quote)")
        for ev in fact.evidence:
            if ev.article_id not in bodies:
                raise BuildError(f"the extractor gave a {fact.relation} fact citing article {ev.article_id!r}, "
                                 f"which is not among the articles", hint="cite one of the articles it was given")
            if bodies[ev.article_id][ev.span.start:ev.span.end] != ev.quote:
                raise BuildError(f"the extractor's {fact.relation} quote is not the text of article "
                                 f"{ev.article_id} at {ev.span.start}-{ev.span.end}: {ev.quote[:80]!r}",
                                 hint="set the span to where the quote occurs in the article body")
    return facts

