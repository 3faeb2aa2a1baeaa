"""Write a large build without holding it in memory: streamed N-Quads, store, exports.

Small builds go through an rdflib `Dataset` (pretty TriG, compact JSON-LD, full SHACL). Past
`STREAM_THRESHOLD` facts rdflib's writers cost minutes and gigabytes, so the quads are streamed fact by fact into
N-Quads, bulk-loaded into the Oxigraph store, and TriG, Turtle and JSON-LD are serialised from
the store by Oxigraph, whose output order is deterministic. Everything is written to temporary
names first and renamed into place together, like the small path.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import BuildError
from .vocab import PREFIXES

STREAM_THRESHOLD = 2_000
"""Above this many facts, builds are streamed."""


def to_oxigraph(term: object) -> object:
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    raise TypeError(f"no blank nodes or other terms are expected in the dataset: {term!r}")


def _oxigraph_quads(batches: Iterable[list[tuple]]):  # noqa: ANN202 - yields pyoxigraph quads
    import pyoxigraph as ox

    for batch in batches:
        for s, p, o, g in batch:
            yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), to_oxigraph(g))


def write_streamed(out: Path, batches: Iterable[list[tuple]], manifest: dict) -> tuple[list[Path], int]:
    """Write dataset.nq, store/, dataset.trig, graph.ttl, dataset.jsonld and manifest.json."""
    import pyoxigraph as ox

    from .store import swap_in_store

    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging.", dir=out))
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror}", path=out) from None
    try:
        # One pass over the batches writes N-Quads, TriG and Turtle with the terms exactly as
        # generated: Oxigraph's store canonicalises literals (xsd:nonNegativeInteger becomes
        # xsd:integer, "1.0" becomes "1"), so the files are not exported from it. Graph blocks
        # may repeat in TriG, which merges them; repeated lines in Turtle are one triple.
        with open(staging / "dataset.nq", "wb") as nq, open(staging / "dataset.trig", "wb") as trig, \
                open(staging / "graph.ttl", "wb") as ttl:
            for batch in batches:
                quads = list(_oxigraph_quads([batch]))
                nq.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
                by_graph: dict[str, list] = {}
                for quad in quads:
                    by_graph.setdefault(quad.graph_name.value, []).append(
                        ox.Triple(quad.subject, quad.predicate, quad.object))
                for graph, triples in by_graph.items():
                    block = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
                    trig.write(f"<{graph}> {{\n".encode() + block + b"}\n")
                    ttl.write(block)
        store_dir = Path(tempfile.mkdtemp(prefix=".store-", dir=out))
        store = ox.Store(str(store_dir))
        store.bulk_load(path=str(staging / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        count = len(store)
        expanded = ox.serialize(ox.parse(path=str(staging / "dataset.nq"), format=ox.RdfFormat.N_QUADS),
                                format=ox.RdfFormat.JSON_LD)
        with open(staging / "dataset.jsonld", "wb") as handle:
            handle.write(b'{"@context": ' + json.dumps(PREFIXES, sort_keys=True).encode() + b', "@graph": ')
            handle.write(expanded)
            handle.write(b"}\n")
        del store
        manifest = {**manifest, "summary": {**manifest.get("summary", {}), "quads": count}}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        outputs = []
        for name in ("dataset.nq", "dataset.trig", "graph.ttl", "dataset.jsonld"):
            os.chmod(staging / name, 0o644)
            os.replace(staging / name, out / name)
            outputs.append(out / name)
        outputs.append(swap_in_store(out, store_dir))
        os.chmod(staging / "manifest.json", 0o644)
        os.replace(staging / "manifest.json", out / "manifest.json")
        outputs.append(out / "manifest.json")
        return outputs, count
    except OSError as exc:
        raise BuildError(f"cannot write the build: {exc.strerror}", path=out,
                         hint="check free disk space and permissions; the previous build is untouched") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
