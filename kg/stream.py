"""Write a large build block by block: fragments from the cache, patched store, exports.

Small builds go through an rdflib `Dataset` (pretty TriG, compact JSON-LD, full SHACL). Past
`STREAM_THRESHOLD` facts rdflib's writers cost minutes and gigabytes, so the dataset is written
as a sequence of blocks (see `assemble.Block`), each serialised once by Oxigraph and kept in the
fragment cache. A build renders only the blocks it has not seen, writes every file by
concatenating fragments, and patches a copy of the previous store with the blocks that came and
went (a full bulk load when there is no previous store to patch). Everything is staged under
temporary names and renamed into place only when all of it was written.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .assemble import Block
from .errors import BuildError
from .fragments import FILES, FORMATS, FragmentCache, render_fragment
from .vocab import PREFIXES

STREAM_THRESHOLD = 2_000
"""Above this many facts, builds are streamed."""


def to_oxigraph(term: object) -> object:
    """The Oxigraph term for an rdflib one; IRIs are converted once (a build repeats a few
    thousand of them hundreds of thousands of times)."""
    if type(term) is URIRef:
        return _named_node(term)
    return _to_oxigraph(term)


@lru_cache(maxsize=131072)
def _named_node(iri: str) -> object:
    import pyoxigraph as ox

    return ox.NamedNode(str(iri))


def _to_oxigraph(term: object) -> object:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"no blank nodes or other terms are expected in the dataset: {term!r}")


@dataclass
class StreamReport:
    """What a streamed build did: files written, quads stored, blocks rendered, store patched."""

    outputs: list[Path] = field(default_factory=list)
    quads: int = 0
    blocks: int = 0
    rendered: int = 0
    store: str = "loaded"
    """"patched" (a copy of the previous store, changed blocks only) or "loaded" (bulk load)."""


def write_streamed(out: Path, blocks: Iterable[Block], manifest: dict, *,
                   formats: Sequence[str] = FORMATS, cache: Path | None = None) -> StreamReport:
    """Write the chosen exports, the store and manifest.json from `blocks` as a new generation.

    `formats` picks the exports (N-Quads, TriG, Turtle, JSON-LD); exports left out are not
    published, so none can disagree with the store.
    """
    from .generations import new_generation, publish
    from .store import patch_or_load_store, previous_index

    report = StreamReport()
    generation = new_generation(out)
    try:
        with FragmentCache(cache or out / "cache" / "fragments.sqlite") as fragments:
            index: list[tuple[str, str]] = []
            # N-Quads is also staged when there is no store to patch: the new one is bulk-loaded from it.
            staged = [f for f in FORMATS if f in formats or (f == "nq" and previous_index(out) is None)]
            handles = {fmt: open(generation / FILES[fmt], "wb") for fmt in staged}
            try:
                if "jsonld" in handles:
                    handles["jsonld"].write(b'{"@context": ' + json.dumps(PREFIXES, sort_keys=True).encode()
                                            + b', "@graph": [')
                first_json = True
                for block in blocks:
                    fragment = fragments.get(block.digest, handles)
                    if fragment is None:
                        fragment = render_fragment(block.quads())
                        fragments.put(block.digest, fragment)
                        report.rendered += 1
                    index.append((block.key, block.digest))
                    report.quads += fragment.quads  # blocks share no quads (see assemble.Block)
                    for fmt, handle in handles.items():
                        data = getattr(fragment, fmt)
                        if fmt == "jsonld":
                            if not data:
                                continue
                            if not first_json:
                                handle.write(b",")
                            first_json = False
                        handle.write(data)
                if "jsonld" in handles:
                    handles["jsonld"].write(b"]}\n")
            finally:
                for handle in handles.values():
                    handle.close()
            fragments.commit()
            report.blocks = len(index)
            report.store = patch_or_load_store(out, generation, index, fragments, generation / FILES["nq"])
            for fmt in FORMATS:
                if fmt not in formats:
                    (generation / FILES[fmt]).unlink(missing_ok=True)
            manifest = {**manifest, "summary": {**manifest.get("summary", {}), "quads": report.quads},
                        "outputs": sorted(FILES[f] for f in formats)}
            (generation / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                                      encoding="utf-8")
            for path in generation.iterdir():
                if path.is_file():
                    os.chmod(path, 0o644)
            report.outputs = publish(out, generation, [*(FILES[f] for f in formats), "store", "manifest.json"])
            generation = None  # published: no longer ours to remove
            fragments.prune(digest for _, digest in index)
        return report
    except OSError as exc:
        raise BuildError(f"cannot write the build: {exc.strerror}", path=out,
                         hint="check free disk space and permissions; the previous build is untouched") from None
    finally:
        if generation is not None:
            shutil.rmtree(generation, ignore_errors=True)
