"""Write the dataset to disk, atomically and byte-identically for the same inputs.

Every file is written to a temporary name in the same folder and renamed into place only after
all of them were written, so an interrupted or failed build leaves the previous one whole.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.serializers.trig import TrigSerializer

from .errors import BuildError
from .vocab import PREFIXES

OUTPUTS = {
    "dataset.trig": "TriG: every named graph",
    "dataset.nq": "N-Quads: every named graph, one quad a line, sorted",
    "graph.ttl": "Turtle: the union of all graphs",
    "dataset.jsonld": "JSON-LD with a context",
}


def sorted_lines(text: str) -> str:
    lines = sorted(set(line for line in text.splitlines() if line.strip()))
    return "\n".join(lines) + "\n"


def render_nquads(ds: Dataset) -> str:
    return sorted_lines(ds.serialize(format="nquads"))


class SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with named graphs in IRI order (it takes them from an unordered set)."""

    def __init__(self, store: Graph) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda g: str(g.identifier))


def render_trig(ds: Dataset) -> str:
    buffer = io.BytesIO()
    SortedTrigSerializer(ds).serialize(buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def render_turtle(union: Graph) -> str:
    for prefix, iri in PREFIXES.items():
        union.bind(prefix, iri, override=True, replace=True)
    return union.serialize(format="turtle")


def _canonical_order(node: object) -> object:
    """Sort JSON-LD arrays (unordered sets in JSON-LD, but written in set order by rdflib)."""
    if isinstance(node, dict):
        return {k: (v if k == "@list" and isinstance(v, list) else _canonical_order(v)) for k, v in node.items()}
    if isinstance(node, list):
        items = [_canonical_order(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def render_jsonld(ds: Dataset) -> str:
    text = ds.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    return json.dumps(_canonical_order(json.loads(text)), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def write_files(folder: Path, files: dict[str, Callable[[], str | bytes]]) -> None:
    """Render every file into `folder`, an unpublished build generation (see `generations.py`)."""
    try:
        for name, render in files.items():
            content = render()
            path = folder / name
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            os.chmod(path, 0o644)
    except OSError as exc:
        raise BuildError(f"cannot write the build: {exc.strerror}", path=folder.parent,
                         hint="check free disk space and permissions; the previous build is untouched") from None


def write_atomically(out_dir: Path, files: dict[str, Callable[[], str | bytes]]) -> list[Path]:
    """Render every file into temporaries, then rename them all into `out_dir`."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror}", path=out_dir) from None
    staged: list[tuple[Path, Path]] = []
    try:
        for name, render in files.items():
            content = render()
            data = content.encode("utf-8") if isinstance(content, str) else content
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out_dir)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            staged.append((Path(tmp), out_dir / name))
        for tmp, final in staged:
            os.replace(tmp, final)
    except OSError as exc:
        raise BuildError(f"cannot write the build: {exc.strerror}", path=out_dir,
                         hint="check free disk space and permissions; the previous build is untouched") from None
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [final for _, final in staged]
