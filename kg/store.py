"""The persistent SPARQL store of a build: an Oxigraph database under `build/store/`.

Queries see the default graph as the union of all named graphs, so simple questions need no
GRAPH clause, while GRAPH patterns still reach each fact's assertion and the provenance graph.
The store is made from the written N-Quads after every build and swapped into place whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError

STORE_DIR = "store"


def write_store(out_dir: Path, nquads: Path) -> Path:
    """Load `nquads` into a fresh on-disk store and swap it in for the previous one."""
    import pyoxigraph as ox

    tmp = Path(tempfile.mkdtemp(prefix=".store.", dir=out_dir))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store
        final = out_dir / STORE_DIR
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".store.old.", dir=out_dir))
            os.replace(final, old / STORE_DIR)
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return final
    except OSError as exc:
        raise BuildError(f"cannot write the SPARQL store: {exc.strerror}", path=out_dir,
                         hint="check free disk space and permissions") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def stale_inputs(build_dir: Path, sources: Path, ontology: Path) -> list[str]:
    """Input files added, removed or changed since the build was made (empty: up to date)."""
    from .build import MANIFEST, input_fingerprint

    manifest_path = build_dir / MANIFEST
    if not manifest_path.is_file():
        return ["(no manifest.json)"]
    built = json.loads(manifest_path.read_text(encoding="utf-8")).get("inputs", {})
    if not sources.is_dir():
        return []
    now = input_fingerprint(sources, ontology)
    return sorted(k for k in set(built) | set(now) if built.get(k) != now.get(k))


@dataclass
class GraphStore:
    """A read-only handle on a built store."""

    path: Path
    store: object

    def query(self, sparql: str, **kwargs: object) -> object:
        """Run SPARQL with the union of named graphs as the default graph (pyoxigraph results)."""
        return self.store.query(sparql, use_default_graph_as_union=True, **kwargs)  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.store)  # type: ignore[arg-type]


def open_store(build_dir: Path) -> GraphStore:
    """Open `build_dir/store` read-only; a clear error when there is no build."""
    import pyoxigraph as ox

    path = build_dir / STORE_DIR
    if not path.is_dir():
        raise BuildError("no SPARQL store in this build", path=build_dir, hint="run `kg build` first")
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise BuildError(f"cannot open the SPARQL store: {exc}", path=path,
                         hint="run `kg build` again to recreate it") from None
    return GraphStore(path, store)
