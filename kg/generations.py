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
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from .errors import BuildError
from .fragments import FILES

MANIFEST = "manifest.json"
"""What a generation says about itself: its inputs' fingerprint, summary and outputs."""


def input_fingerprint(sources: Path, ontology: Path, remember: Path | None = None) -> dict[str, str]:
    """SHA-256 of every input file (articles, facts, the registry: *.txt, *.yaml, *.yml under
    `sources`; the ontology's *.ttl), keyed by its path from the folder holding `sources`: a build
    is stale when any of them changed. `remember`: the digests a build kept (read, never written
    here; see `fingerprint_inputs`)."""
    return fingerprint_inputs(sources, ontology, remember).digests


@dataclass
class InputFingerprint:
    """The digests of a build's input files, and what `remember` keeps of them for the next build."""

    digests: dict[str, str]
    path: Path | None
    entries: dict[str, tuple]
    changed: bool

    def remember(self) -> None:
        """Keep the digests for the next build: called once the build is published, so a build
        that fails leaves its build folder exactly as it was."""
        if self.path is not None and self.changed:
            _remember(self.path, self.entries)


def fingerprint_inputs(sources: Path, ontology: Path, remember: Path | None = None) -> InputFingerprint:
    """`input_fingerprint`, walked with `os.walk` and plain strings: with `pathlib`, sorting and
    relativising ten thousand paths cost more than hashing the files (0.6 s of 0.9 s).

    With `remember` (a build's cache file), a file whose size, times and inode are those it had
    when it was last hashed keeps that digest, as git's index does: reading and hashing ten
    thousand articles was 0.3 s of a one-article build. A digest is trusted only if the file had
    last changed at least `RACY_SECONDS` before it was hashed, so a change made in the same tick of
    the file system's clock as the hashing can never go unseen."""
    seen = _remembered(remember)
    hashed: dict[str, tuple] = {}
    base = sources.parent
    result: dict[str, str] = {}

    def digest_of(key: str, path: str) -> str | None:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if not S_ISREG(stat.st_mode):
            return None
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        kept = seen.get(key)
        if kept is not None and kept[0] == signature:
            hashed[key] = kept
            return kept[1]
        now = time.time_ns()
        digest = _sha256(path)
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < now - RACY_SECONDS * 1_000_000_000:
            hashed[key] = (signature, digest)
        return digest

    for root, dirs, names in os.walk(sources, followlinks=True):
        dirs.sort()
        prefix = Path(os.path.relpath(root, base)).as_posix()
        for name in sorted(names):
            if os.path.splitext(name)[1] in _INPUT_SUFFIXES and \
                    (digest := digest_of(f"{prefix}/{name}", os.path.join(root, name))) is not None:
                result[f"{prefix}/{name}"] = digest
    for path in sorted(p for p in ontology.glob("*.ttl")):
        key = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
        if (digest := digest_of(key, str(path))) is not None:
            result[key] = digest
    return InputFingerprint(result, remember, hashed, hashed != seen)


INPUTS_CACHE = Path("cache") / "inputs.pickle"
"""Where a build remembers the digests of its input files (`input_fingerprint`)."""
RACY_SECONDS = 2
"""How long before its hashing a file must have last changed for its digest to be remembered
(two seconds: the coarsest timestamps of a common file system, FAT's)."""
_INPUT_SUFFIXES = frozenset({".txt", ".yaml", ".yml"})


def _remembered(path: Path | None) -> dict[str, tuple]:
    """What `_remember` kept: {key: ((size, mtime, ctime, inode), digest)}; empty when missing or
    unreadable (then every file is hashed)."""
    if path is None:
        return {}
    import pickle

    try:
        with open(path, "rb") as handle:
            kept = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _remember(path: Path, hashed: dict[str, tuple]) -> None:
    """Keep the digests for the next build, atomically; a cache that cannot be written is only
    a slower next build."""
    import pickle

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(hashed, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _sha256(path: "str | Path") -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


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
