"""Build generations: every build is written whole into a new folder and published in one rename.

`build/` holds versioned folders `.gen-XXXX/` (exports, manifest, store, block index) and a
link `current` to the published one; `build/dataset.nq`, `build/store`, `build/manifest.json`
and the other outputs are links through `current`. Publishing a build is one atomic rename of
`current`, so a build killed at any moment (kill -9 included) leaves readers the complete
previous build or the complete new one, never new files beside an old store. The parse and
fragment caches live beside the generations (`build/cache/`) and are content-addressed, so they
never need to agree with a generation.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import BuildError
from .fragments import FILES

MANIFEST = "manifest.json"
"""What a generation says about itself: its inputs' fingerprint, summary and outputs."""


def input_fingerprint(sources: Path, ontology: Path) -> dict[str, str]:
    """SHA-256 of every input file: a build is stale when any of them changed."""
    files = sorted(p for p in sources.rglob("*") if p.is_file() and p.suffix in {".txt", ".yaml", ".yml"})
    files += sorted(p for p in ontology.glob("*.ttl"))
    result = {}
    for path in files:
        key = path.relative_to(sources.parent).as_posix() if path.is_relative_to(sources.parent) else path.name
        result[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


CURRENT = "current"
PUBLISHED = (*FILES.values(), "manifest.json", "store")
"""Every name a build may publish; names a generation lacks are unlinked from `build/`."""


def new_generation(out: Path) -> Path:
    """An empty, unpublished folder for the next build."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".gen-", dir=out))
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror}", path=out,
                         hint="check free disk space and permissions") from None


def current_generation(out: Path) -> Path | None:
    """The published generation of `out`, or None (no build, or one made by an older version)."""
    link = out / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _relink(path: Path, target: str) -> None:
    """Point `path` at `target` in one rename (whatever `path` was before)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = path.with_name(f".{path.name}.link-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    if path.is_dir() and not path.is_symlink():  # a store folder from an older version
        shutil.rmtree(path)
    os.replace(tmp, path)


def publish(out: Path, generation: Path, names: Iterable[str]) -> list[Path]:
    """Make `generation` the current build; returns the published paths under `out`."""
    names = [n for n in PUBLISHED if n in set(names)]
    try:
        previous = current_generation(out)
        _relink(out / CURRENT, generation.name)  # the one step that publishes the build
        for name in names:  # links through `current`, made once (first build, or an older layout)
            _relink(out / name, f"{CURRENT}/{name}")
        for name in set(PUBLISHED) - set(names):
            if (out / name).is_symlink() or (out / name).is_file():
                (out / name).unlink()
        if previous is not None and previous != generation.resolve():
            shutil.rmtree(previous, ignore_errors=True)
        remove_leftovers(out, keep=generation)
    except OSError as exc:
        raise BuildError(f"cannot publish the build: {exc.strerror}", path=out,
                         hint="check free disk space and permissions") from None
    return [out / name for name in names]


def remove_leftovers(out: Path, keep: Path) -> None:
    """Folders of builds killed before they were published, and older versions' temporaries."""
    for pattern in (".gen-*", ".store-*", ".staging.*"):
        for stale in out.glob(pattern):
            if stale.resolve() != keep.resolve() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
