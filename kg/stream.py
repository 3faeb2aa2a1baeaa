"""Write a build block by block: fragments from the cache, patched store, exports.

Every build that writes files goes this way, whatever its size: the dataset is a sequence of
blocks (see `assemble.Block`), each serialised once by Oxigraph and kept in the fragment cache.
A build renders only the blocks it has not seen, writes every file by concatenating fragments,
and patches a copy of the previous store with the blocks that came and went (a full bulk load
when there is no previous store to patch). Everything is staged under temporary names and
renamed into place only when all of it was written. rdflib's `Dataset` is kept for what is read
in Python (`kg validate`, `build(..., out=None)`): its writers cost seconds at a hundred
articles and minutes past a few thousand facts.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .assemble import Block
from .errors import BuildError
from .fragments import FILES, FORMATS, Fragment, FragmentCache, MissingFragment, render_fragment, render_missing
from .splice import ExportWriter, previous_exports
from .store import DIGEST_CHARS

if TYPE_CHECKING:
    from .store import IndexDiff, StoreLoader


def _unread_quads(out: Path, diff: "IndexDiff", unread: list[str], counted: int, fragments: FragmentCache,
                  kept: "Callable[[], Iterable[str]] | None" = None) -> int:
    """The quads of the blocks a store-only build did not read (`unread`, and the blocks of the
    `kept` lines). The last build's total, less what went away, plus what came, when both are
    known (a few blocks, not three hundred thousand); otherwise summed over every unread block."""
    if not unread and kept is None:
        return 0
    fragments.commit()  # the blocks rendered by this build are counted too
    try:
        before = int(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]["quads"])
    except (OSError, ValueError, KeyError, TypeError):
        before = None
    if diff.has_previous and before is not None:
        gone, came = diff.gone, diff.came
        found_gone = fragments.known(gone)
        if len(found_gone) == len(gone) and len(fragments.known(came)) == len(came):
            return before - fragments.quad_total(gone) + fragments.quad_total(came) - counted
    return fragments.quad_total(unread + [line[-DIGEST_CHARS:] for line in (kept() if kept else ())])


class Kept(NamedTuple):
    """Lines `start` to `end` of the last build's block index, kept as they were: what an
    incremental build hands `write_streamed` for the blocks the change did not touch. At 10k
    articles that is 280k blocks; as runs they are neither made into `Block`s nor walked one by
    one when only the store is written."""

    start: int
    end: int


def cached_render() -> list[tuple]:
    """The render of a block the last build wrote: its fragment is in the cache, and a build
    that finds it missing there builds in full (`MissingFragment`)."""
    raise MissingFragment("a block of the last build is not in the fragment cache")


cached_render.placeholder = True  # type: ignore[attr-defined]


def _expanded(items: Iterable["Block | Kept"], previous: list[str] | None) -> Iterator[Block]:
    """`items` with every kept run made into its blocks again (for exports, which copy or read
    each block)."""
    for item in items:
        if isinstance(item, Kept):
            if previous is None:
                raise MissingFragment("lines of a block index that is gone")
            for line in previous[item.start:item.end]:
                yield Block(line[:-DIGEST_CHARS - 1], line[-DIGEST_CHARS:], cached_render)
        else:
            yield item


def _between(previous: list[str], kept: list[Kept]) -> list[str]:
    """The lines of the last index outside the kept runs (in order, which do not overlap)."""
    lines: list[str] = []
    at = 0
    for run in kept:
        lines += previous[at:run.start]
        at = run.end
    return lines + previous[at:]


@dataclass
class StreamReport:
    """What a streamed build did: files written, quads stored, blocks rendered, store patched."""

    outputs: list[Path] = field(default_factory=list)
    quads: int = 0
    blocks: int = 0
    rendered: int = 0
    store: str = "loaded"
    """"patched" (a copy of the previous store, changed blocks only) or "loaded" (bulk load)."""
    copied: int = 0
    """Blocks whose bytes were copied out of the last build's exports (`splice.py`), never read."""


PREFETCH = 500
"""Blocks whose fragments `write_streamed` reads from the cache together."""


def _prefetched(blocks: "Iterable[Block | Kept]", fragments: FragmentCache, staged: Sequence[str],
                copied: "dict[str, int] | None") -> "Iterator[tuple[Block | Kept, Fragment | None]]":
    """Each block with its cached fragment (None when it is not cached, or not to be read: nothing
    is staged, or it is copied out of the last build's exports), read `PREFETCH` blocks at a time;
    a kept run passes through in its place, with None."""
    batch: list[Block] = []

    def flush() -> Iterator[tuple[Block, Fragment | None]]:
        read = [b.digest for b in batch if staged and (copied is None or b.digest not in copied)]
        found = fragments.get_many(read, staged) if read else {}
        for block in batch:
            yield block, found.get(block.digest)
        batch.clear()

    for block in blocks:
        if isinstance(block, Kept):
            yield from flush()
            yield block, None
            continue
        batch.append(block)
        if len(batch) >= PREFETCH:
            yield from flush()
    yield from flush()


def write_streamed(out: Path, blocks: "Iterable[Block | Kept]", manifest: dict, *,
                   formats: Sequence[str] = FORMATS, cache: Path | None = None,
                   loaded: "tuple[StoreLoader, Path] | None" = None,
                   before_publish: "Callable[[], None] | None" = None,
                   cached: "set[str] | None" = None) -> StreamReport:
    """Write the chosen exports, the store and manifest.json from `blocks` as a new generation.

    `formats` picks the exports (N-Quads, TriG, Turtle, JSON-LD); exports left out are not
    published, so none can disagree with the store. `loaded`: a loader already fed every block
    by the caller, and the folder of its store, which becomes this generation's store. `blocks`
    may hold `Kept` runs of the published build's index (an incremental build); a store-only
    build then handles only the blocks between them, and finds what went and came among those.
    `cached`: digests among `blocks` the caller already found in the fragment cache (not looked
    up again).
    `before_publish` is called when everything is written and may raise to publish nothing (a
    SHACL check still running elsewhere).
    """
    from .generations import current_generation, new_generation, publish
    from .store import STORE_DIR, IndexDiff, StoreLoader, index_line, patch_or_load_store, previous_lines

    report = StreamReport()
    generation = new_generation(out)
    try:
        with FragmentCache(cache or out / "cache" / "fragments.sqlite") as fragments:
            index: list[str] = []
            previous = previous_lines(out)
            # N-Quads is also staged when there is no store to patch: the new one is bulk-loaded from it.
            staged = [f for f in FORMATS if f in formats or (f == "nq" and previous is None and loaded is None)]
            # Blocks the last build wrote too are copied out of its exports (see `splice.py`).
            exports = ExportWriter(generation, staged, list(formats), previous_exports(
                current_generation(out) if previous is not None else None, len(previous or ()),
                [f for f in staged if f in formats]))
            loader = None
            try:
                at_before = {line[-DIGEST_CHARS:]: i for i, line in enumerate(previous or ())} if exports.copying else {}
                # No store to patch: the new one is loaded as the N-Quads are written, in a thread
                # (or was, as the caller rendered the blocks).
                loader = StoreLoader(generation / STORE_DIR) if previous is None and loaded is None else None
                unread: list[str] = []
                waiting: list[Block] = []  # a store-only build: blocks to look up in the cache together

                def look_up() -> None:
                    """Render the waiting blocks the cache lacks; the others are counted, not read."""
                    known = fragments.known(b.digest for b in waiting if cached is None or b.digest not in cached)
                    if cached:
                        known |= {b.digest for b in waiting if b.digest in cached}
                    made = render_missing(waiting, known)
                    for block in waiting:
                        fragment = made.pop(block.digest, None)
                        if fragment is None:
                            unread.append(block.digest)
                            continue
                        fragments.put(block.digest, fragment)
                        report.rendered += 1
                        report.quads += fragment.quads
                    waiting.clear()

                kept: list[Kept] = []  # the runs kept from the last index, as they are
                written: list[str] = []  # ... and the lines between them

                if not staged:
                    pairs: Iterator = ((item, None) for item in blocks)  # a store-only build reads no fragment
                elif exports.copying:  # a kept run is copied out of the last build's exports in one go
                    pairs = _prefetched(blocks, fragments, staged, at_before)
                else:
                    pairs = _prefetched(_expanded(blocks, previous), fragments, staged, None)
                for block, fetched in pairs:
                    if isinstance(block, Kept):  # lines of the last index, as they are
                        if previous is None:
                            raise MissingFragment("lines of a block index that is gone")
                        if staged:
                            exports.copy(block.start, block.end - block.start)
                            report.copied += block.end - block.start
                        index.extend(previous[block.start:block.end])
                        kept.append(block)
                        continue
                    line = index_line(block.key, block.digest)
                    written.append(line)
                    if not staged and getattr(block.render, "placeholder", False):
                        index.append(line)  # in the cache: counted below, not read
                        unread.append(block.digest)
                        continue
                    if not staged and loader is None:  # nothing written: only the cache must hold it
                        index.append(line)
                        waiting.append(block)
                        if len(waiting) >= 2000:
                            look_up()
                        continue
                    if exports.copy(at_before.get(block.digest)):  # where it was last time: never read
                        report.copied += 1
                        index.append(line)
                        continue
                    fragment = fetched if fetched is not None else fragments.get(block.digest, staged)
                    if fragment is None:
                        fragment = render_fragment(block.quads())
                        fragments.put(block.digest, fragment)
                        report.rendered += 1
                    index.append(line)
                    report.quads += fragment.quads  # blocks share no quads (see assemble.Block)
                    if loader is not None:
                        loader.feed(fragment.nq, fragment.quads)
                    exports.write(fragment)
                look_up()
                exports.finish()
                report.quads += exports.copied_quads  # counted from the last build's offsets
                if kept:
                    diff = IndexDiff.local(_between(previous, kept), written, index)  # type: ignore[arg-type]
                else:
                    diff = IndexDiff(previous, index)
                report.quads += _unread_quads(out, diff, unread, report.quads, fragments, (
                    lambda: (line for run in kept for line in previous[run.start:run.end]))  # type: ignore[index]
                    if kept and not staged else None)  # what a build with exports copied is counted there
                for feeding in (loader, loaded[0] if loaded else None):
                    if feeding is not None:
                        feeding.finish()
            finally:
                exports.close()
                if loader is not None:
                    loader.close()
            fragments.commit()
            report.blocks = len(index)
            if loaded is not None:
                loaded[0].close()
                os.replace(loaded[1], generation / STORE_DIR)
            report.store = patch_or_load_store(out, generation, index, fragments, generation / FILES["nq"],
                                               loaded=loader is not None or loaded is not None, diff=diff)
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
            if before_publish is not None:
                before_publish()
            report.outputs = publish(out, generation, [*(FILES[f] for f in formats), "store", "manifest.json"])
            generation = None  # published: no longer ours to remove
            from .delta import pinned_digests

            # What a server was sent stays too, so the next delta push can delete it (delta.py).
            pinned = pinned_digests(out)
            gone = diff.gone - pinned if pinned else diff.gone
            # at least as many fragments are kept as the larger of the index and what was pushed
            if previous is not None and len(gone) <= max(1000, len(index) // 4) and \
                    fragments.count() <= 2 * max(len(index), len(pinned or ())) + 1000:
                fragments.drop(gone)  # a small change: drop what went away, not scan the whole cache
            else:
                fragments.prune(diff.new | pinned if pinned else diff.new)
        return report
    except OSError as exc:
        raise BuildError(f"cannot write the build: {exc.strerror}", path=out,
                         hint="check free disk space and permissions; the previous build is untouched") from None
    finally:
        if generation is not None:
            shutil.rmtree(generation, ignore_errors=True)
