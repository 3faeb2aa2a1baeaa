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


def swap_in_store(out_dir: Path, new_dir: Path) -> Path:
    """Make `out_dir/store` point at `new_dir` in one atomic step, then remove the old store.

    `store` is a symbolic link to a versioned folder (`.store-XXXX`); replacing a link is one
    rename, so a build killed at any moment leaves either the old or the new store, never none.
    """
    final = out_dir / STORE_DIR
    if final.exists() and not final.is_symlink():  # a store written by an older version: move it aside once
        legacy = Path(tempfile.mkdtemp(prefix=".store-", dir=out_dir))
        os.replace(final, legacy / "data")
        os.symlink(os.path.relpath(legacy / "data", out_dir), final)
    previous = final.resolve() if final.is_symlink() else None
    link = out_dir / f".store-link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(new_dir.name, link)
    os.replace(link, final)
    if previous is not None and previous != new_dir.resolve():
        shutil.rmtree(previous.parent if previous.name == "data" else previous, ignore_errors=True)
    for stale in out_dir.glob(".store-*"):  # folders of builds that were killed before their swap
        if stale.resolve() != new_dir.resolve() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
    return final


def write_store(out_dir: Path, nquads: Path) -> Path:
    """Load `nquads` into a fresh on-disk store and swap it in for the previous one."""
    import pyoxigraph as ox

    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=out_dir))
    try:
        store = ox.Store(str(tmp))
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        del store
        return swap_in_store(out_dir, tmp)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BuildError(f"cannot write the SPARQL store: {exc.strerror}", path=out_dir,
                         hint="check free disk space and permissions") from None


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


def open_store(build_dir: Path, in_memory: bool = False) -> GraphStore:
    """Open `build_dir/store` read-only (or load the build into memory); a clear error when there
    is no build."""
    import pyoxigraph as ox

    path = build_dir / STORE_DIR
    if not path.is_dir():
        raise BuildError("no SPARQL store in this build", path=build_dir, hint="run `kg build` first")
    if in_memory:
        store = ox.Store()
        store.bulk_load(path=str(build_dir / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
        return GraphStore(path, store)
    try:
        store = ox.Store.read_only(str(path))
    except OSError as exc:
        raise BuildError(f"cannot open the SPARQL store: {exc}", path=path,
                         hint="run `kg build` again to recreate it") from None
    return GraphStore(path, store)
