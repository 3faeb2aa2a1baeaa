"""`kg build`: sources -> facts -> merged facts -> RDF dataset -> SHACL check -> files in build/.

Nothing is published unless every step succeeded: each build is written into a new generation
folder and made current in one rename (see `generations.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .assemble import assemble
from .building import (FRAGMENT_CACHE, MAX_AUTO_JOBS, SHACL_CHUNK, SHACL_SAMPLE, BuildResult, Extractor,  # noqa: F401
                       Inputs, NlpExtractor, check_sample, cpu_jobs, default_extractor, load_inputs,
                       new_evidence_only, run_extractor, summarise)
from .conflicts import across_facts, within_fact
from .errors import OntologyError
from .fragments import FORMATS
from .gcpause import paused
from .merge import fact_id, merge_with_members
from .ontology import require_files, validate


def build(sources: Path, ontology: Path, out: Path | None, *, extractor: Extractor | None = None,
          check_shapes: bool = True, formats: Sequence[str] = FORMATS) -> BuildResult:
    """Build the dataset; write it to `out` (unless None) only when it validates.

    One path writes every build, whatever its size: a delta on the last build's state when one
    can be applied (`incremental.py`), else the streamed full build (`fullbuild.py`), block by
    block through the fragment cache; the SHACL check covers every form of fact not seen
    before, a few facts of each (`building.ShaclSample`). `formats` picks the exports (the store is always made). With `out=None`
    nothing is written and the whole dataset is assembled in rdflib, for Python callers and
    `kg validate`.
    """
    if check_shapes:
        require_files(ontology)
    if out is not None:
        with paused():  # see gcpause.py
            return _write(sources, ontology, out, extractor, check_shapes, formats)
    inputs = load_inputs(sources)
    facts = list(inputs.curated)
    if isinstance(extractor, NlpExtractor):
        from .nlp.pipeline import _combine

        facts += _combine(extractor.parse(inputs.articles, inputs.registry), inputs.registry)
    elif extractor is not None:
        facts += run_extractor(extractor, inputs.articles, inputs.registry)
    merged, members = merge_with_members(facts)
    type_of = lambda i: getattr(inputs.registry.get(i), "type", None)  # noqa: E731
    within = [c for f in merged for c in within_fact(f, members.get(fact_id(f), [f]), type_of)]
    conflicts = [c for _, c in sorted({c.id: c for c in [*within, *across_facts(merged)]}.items())]
    ds = assemble(inputs.articles, inputs.registry, merged, conflicts)
    validation = validate(ds, ontology) if check_shapes else None
    if validation is not None and not validation.conforms:
        raise OntologyError(f"the built graph does not conform to the SHACL shapes "
                            f"({validation.results} problems)\n{validation.text}",
                            path=ontology / "shapes.ttl",
                            hint="fix the curated facts, or run `kg validate` for the full report")
    result = BuildResult(inputs, merged, ds, validation, conflicts=conflicts)
    result.summary = summarise(inputs, merged, ds)
    result.summary["conflicts"] = len(conflicts)
    return result


def _write(sources: Path, ontology: Path, out: Path, extractor: Extractor | None, check_shapes: bool,
           formats: Sequence[str]) -> BuildResult:
    from dataclasses import replace

    from . import incremental
    from .fullbuild import streamed_full_build

    if isinstance(extractor, NlpExtractor) and extractor.cache is None:
        extractor = replace(extractor, cache=out / "cache" / "parsed")  # as `kg build` does
    full_reason = ""
    if extractor is None or isinstance(extractor, NlpExtractor):  # another extractor may change unseen
        done = incremental.incremental_build(sources, ontology, out, extractor, check_shapes, formats)
        if done is not None:
            return done
        full_reason = incremental.last_fallback or ""
    return streamed_full_build(sources, ontology, out, extractor, check_shapes, formats, full_reason=full_reason)
