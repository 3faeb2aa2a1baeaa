"""A full build in bounded memory: the corpus flows through the build state, never all held.

Holding every statement, merged fact and block of ten thousand articles in Python lists peaks at
gigabytes. Here a full build is a sequence of streaming passes over SQLite (`state.py`):

1. parse every article the parse cache lacks, writing each chunk's parses as they come, and keep
   only each article's new entities, from which new entities are resolved across articles;
2. article by article (a few hundred at a time): read it and its curated facts, read its parse
   back from the cache, map merged entity ids, store its statements, render its block;
3. fact key by fact key, in key order straight from an index: merge the statements of one key,
   render the fact's blocks, count what the derived blocks need, store the fact;
4. what is derived across facts, from the facts that need it (positions, deals and events);
5. write the build from the block index, streamed from the state (`stream.py`).

The state is written into a new file and swapped into place after the build is published: it
then matches the published build, and the next build can apply a delta to it (`incremental.py`).
It is the same dataset the in-memory path assembles (tested on the shipped sources and on a
300-article synthetic corpus, quad for quad).
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .assemble import (Block, agents_block, article_block, conflict_block, count_block, entity_block,
                       term_block)
from .conflicts import across_by_bucket
from .incremental import statement_rows, with_evidence
from .state import STATE, State, _dump, _load, articles_with_dates, entity_refs, manifest_stamp, salt, \
    statement_counters, stub
from .stream import cached_render
from .timeline import attested_on
from .types import Fact

if TYPE_CHECKING:
    from .registry import Registry
    from .building import BuildResult, Extractor
    from .store import StoreLoader

CHUNK = 256
"""Articles read, mapped and stored at a time."""
FACT_BATCH = 500
"""Facts whose blocks are looked up in the fragment cache at a time."""
FACT_BLOCKS = 5_000
"""Blocks looked up at a time, at most (but always a whole fact): 500 facts have about 4,000,
one widely reported fact thousands (an evidence block for each of its statements)."""

MERGE_BATCH = 100
"""Fact keys merged and rendered by one worker (or this process) at a time: a build of 400
synthetic articles has 3,200; in batches of 500 the worker and this process could not share
them evenly (3.4 s of merging here against 2.2 s there). This process, which also stores what
comes back, merges a quarter batch at a time, only while the next result is not back."""
MERGE_STATEMENTS = 400
"""Statements a merge batch holds at most (a key with more goes alone): 3.2 a key on average at
10k synthetic articles, but 2,654 for the most reported."""
HELD_STATEMENTS = 3_200
"""Statements of the batches handed out and not yet stored, at most: what comes back (each
evidence block rendered in every format) waits in this process until it is stored, and the store
loader sets the pace. With a bound of 8 batches a worker plus 4, a 10k-article build with two
workers held 200 MB of results more than one that merged everything here."""


def streamed_full_build(sources: Path, ontology: Path, out: Path, extractor: "Extractor | None",
                        check_shapes: bool, formats, full_reason: str = "") -> "BuildResult":  # noqa: ANN001
    """The full build; a build that fails (bad input found half-way, a full disk) leaves no
    half-written state behind, only the previous build and its state."""
    try:
        return _streamed(sources, ontology, out, extractor, check_shapes, formats, full_reason)
    except BaseException:
        (out / f"{STATE}.new").unlink(missing_ok=True)
        raise


def _streamed(sources: Path, ontology: Path, out: Path, extractor: "Extractor | None",
              check_shapes: bool, formats, full_reason: str) -> "BuildResult":  # noqa: ANN001
    with ExitStack() as stack:
        return _streamed_in(stack, sources, ontology, out, extractor, check_shapes, formats, full_reason)


def _streamed_in(stack: ExitStack, sources: Path, ontology: Path, out: Path,  # noqa: C901, PLR0915
                 extractor: "Extractor | None", check_shapes: bool, formats, full_reason: str) -> "BuildResult":  # noqa: ANN001
    """The build; what must end with it (the worker processes) is entered on `stack`."""
    from . import __version__
    from .building import (FRAGMENT_CACHE, BuildResult, Inputs, NlpExtractor, ShaclSample,
                           run_extractor)
    from .curation import load_curated
    from .errors import OntologyError, SourceError
    from .fragments import FILES, FORMATS, Fragment, FragmentCache, MissingFragment, render_missing
    from .generations import INPUTS_CACHE, fingerprint_inputs
    from .nlp.pipeline import (cached_parse, parse_into_cache, parsed_alone, registry_fingerprint, remap,
                               resolve_new_entities)
    from .offload import Helper
    from .registry import load_registry
    from .sources import read_article

    input_digests = fingerprint_inputs(sources, ontology, out / INPUTS_CACHE)
    inputs_now = input_digests.digests
    folder = sources / "articles"
    if not folder.is_dir():
        raise SourceError("no articles folder", path=folder,
                          hint="put articles as <id>.txt files in sources/articles/ (see sources/README.md)")
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".txt")
    if not paths:
        raise SourceError("no articles (*.txt) found", path=folder, hint="add an article with `kg add`")
    registry = load_registry(sources / "entities.yaml")
    fingerprint = registry_fingerprint(registry)
    # the worker processes that parse stay for the SHACL check (offload.py)
    helper = stack.enter_context(Helper(extractor.jobs if isinstance(extractor, NlpExtractor) else 1, registry))
    ids = [p.stem for p in paths]
    present = set(ids)
    facts_folder = sources / "facts"
    strays = sorted([*facts_folder.glob("*.yaml"), *facts_folder.glob("*.yml")]) if facts_folder.is_dir() else []
    for stray in strays:
        if stray.stem not in present:  # facts for an article that does not exist: a clear error
            load_curated(stray, {}, registry, sources)
    # 1. parse into the cache; only the new entities stay in memory. A parse that starts no
    # workers leaves the other cores to the SHACL checker, started as early as it is known
    if check_shapes and isinstance(extractor, NlpExtractor) and parsed_alone(len(paths)):
        helper.prepare_check(ontology)
    new_entities: dict[str, list] = {}
    custom: dict[str, list[Fact]] | None = None
    if isinstance(extractor, NlpExtractor):
        articles_all = [read_article(p) for p in paths]  # bodies only: the parses go to disk
        new_entities = parse_into_cache(articles_all, registry, jobs=extractor.jobs, progress=extractor.progress,
                                        cache=extractor.cache, pool=helper.pool)  # type: ignore[arg-type]
        del articles_all
        helper.parsed()
    elif extractor is not None:  # a Python caller's own extractor: its facts, by article (it may add entities)
        custom = {}
        for fact in run_extractor(extractor, [read_article(p) for p in paths], registry):
            custom.setdefault(fact.evidence[0].article_id, []).append(fact)
    if check_shapes and helper.started is None:  # every article parsed before, or few to parse
        helper.prepare_check(ontology)
    chosen, mapping = resolve_new_entities([new_entities.get(i, []) for i in ids], registry) if new_entities \
        else ({}, {})
    state_path = out / STATE
    fresh = state_path.with_name(state_path.name + ".new")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    counters: Counter = Counter()
    rendered = [0]  # blocks rendered anew, reported like a streamed build's
    dates: dict[str, str | None] = {}
    entity_seen: dict = {}  # the refs of the new entities stored so far (`state.entity_refs`)
    changed: set[str] = set()
    from .store import StoreLoader, previous_index

    # With no published store to patch, the new store is loaded in a thread as the blocks are
    # rendered, so the load is done by the time the exports are (see `StoreLoader`).
    staging = out / STAGED_STORE
    if staging.exists():
        shutil.rmtree(staging)
    loader = StoreLoader(staging) if previous_index(out) is None else None
    with State.create(fresh) as state, FragmentCache(out / FRAGMENT_CACHE, background=True) as cache, _closing(loader):
        db = state.db
        db.execute("BEGIN")

        def ensure(blocks: list[Block], known: set[str], made: "dict[str, Fragment] | None" = None) -> list[bool]:
            """Render each of `blocks` into the cache (and the loading store) unless an earlier build
            left it there (then it only goes into the store); for each, whether it was rendered now.
            The blocks to render are rendered together (`render_fragments`), but for those a worker
            rendered already (`made`, by digest)."""
            made = render_missing(blocks, known, made)
            flags = []
            for block in blocks:
                fragment = made.pop(block.digest, None)
                if fragment is None:
                    if loader is not None:
                        data = cache.nquads(block.digest)
                        if data is None:
                            raise MissingFragment(block.key)
                        loader.feed(data, data.count(b"\n"))
                    flags.append(False)
                    continue
                cache.put(block.digest, fragment)
                if loader is not None:
                    loader.feed(fragment.nq, fragment.quads)
                known.add(block.digest)
                flags.append(True)
            return flags

        # 2. articles, a chunk at a time
        for start in range(0, len(paths), CHUNK):
            chunk = [read_article(p) for p in paths[start:start + CHUNK]]
            by_id = {a.id: a for a in chunk}
            blocks = [article_block(a) for a in chunk]
            known = cache.known(b.digest for b in blocks)
            for article, block, new in zip(chunk, blocks, ensure(blocks, known)):
                if new:
                    changed.add(article.id)
                    rendered[0] += 1
                curated = [f for suffix in (".yaml", ".yml") if (facts_file := facts_folder / f"{article.id}{suffix}")
                           .is_file() for f in load_curated(facts_file, by_id, registry, sources)]
                if custom is not None:
                    parsed = custom.get(article.id, [])
                elif extractor is not None:
                    parsed = [remap(f, mapping) for f in cached_parse(extractor.cache, article, fingerprint)[0]]  # type: ignore[union-attr]
                else:
                    parsed = []
                rows = statement_rows(curated, parsed)
                statement_counters((f for *_, f in rows), 1, counters)
                db.executemany("INSERT INTO statement VALUES (?, ?, ?, ?, ?)",
                               ((article.id, rank, seq, key, _dump(f)) for rank, seq, key, f in rows))
                dates[article.id] = day.isoformat() if (day := attested_on(article)) else None
                db.execute("INSERT INTO article VALUES (?, ?, ?, ?)", (article.id, dates[article.id], block.digest,
                                                                       entity_refs(db, new_entities.get(article.id, []),
                                                                                   entity_seen)))
        cache.commit()
        for entity_id in sorted(name for kind, name in counters if kind == "role"):
            if entity_id in chosen and entity_id not in registry and counters[("role", entity_id)] > 0:
                registry.add(chosen[entity_id])

        def type_of(entity_id: str) -> str | None:
            return getattr(registry.get(entity_id), "type", None)

        # 3. facts, key by key
        positions: dict[str, Fact] = {}
        across: dict[str, Fact] = {}
        within: list = []
        sample = ShaclSample(changed, type_of)
        summary = Counter()
        pending: list[tuple] = []
        pending_blocks = 0  # the blocks of `pending`

        def flush() -> None:
            nonlocal pending_blocks
            blocks = [b for _, _, bs, _, _, _ in pending for b in bs]
            made = {d: f for _, _, _, _, given, _ in pending for d, f in given.items()}
            known = cache.known(b.digest for b in blocks)
            flags = iter(ensure(blocks, known, made))
            for key, fact, bs, conflicts, _, info in pending:
                new = [b for b in bs if next(flags)]
                rendered[0] += len(new)
                if new and check_shapes:  # the sample is only for the SHACL check
                    sample.offer(fact if isinstance(fact, Fact) else _load(fact))
                _, relation, brief, curated, parsed, articles, bucket = info
                db.execute("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (key, relation, _dump(fact) if isinstance(fact, Fact) else fact,
                            _dump([(b.key, b.digest) for b in bs]), _dump(conflicts) if conflicts else None,
                            articles, curated, parsed, brief, bucket, len(bs)))
            cache.commit()
            pending.clear()
            pending_blocks = 0

        workers = helper.started if isinstance(extractor, NlpExtractor) else None
        added = {e: t for e in sorted(chosen) if (t := type_of(e)) is not None} if workers is not None else {}
        for key, fact, conflicts, blocks, made, info in _merged(db, type_of, workers, helper.workers, added,
                                                                        registry):
            counts, relation, brief = info[:3]
            counters.update(dict(counts))
            summary[relation] += 1
            if relation == "Position" or info[-1] is not None:  # kept without their evidence: a
                # position, or a fact compared across facts (its group, `conflicts.across_bucket`)
                (positions if relation == "Position" else across)[key] = stub(_load(brief))
            within += conflicts
            pending.append((key, fact, blocks, conflicts, made, info))
            pending_blocks += len(blocks)
            if len(pending) >= FACT_BATCH or pending_blocks >= FACT_BLOCKS:
                flush()
        flush()
        # SHACL on the facts not built before, SHACL_CHUNK at a time: by the helper while what is
        # derived across facts and the exports are made here, asked for before they are published
        validation = None
        checked = helper.check(sample.facts, lambda i: read_article(folder / f"{i}.txt"), registry, ontology) \
            if check_shapes and sample.facts else None
        # 4. derived across facts
        from .timeline import validities

        by_bucket = across_by_bucket([across[k] for k in sorted(across)])
        db.executemany("INSERT INTO across VALUES (?, ?)",
                       ((bucket, c.id) for bucket in sorted(by_bucket) for c in by_bucket[bucket]))
        found = within + with_evidence([c for bucket in sorted(by_bucket) for c in by_bucket[bucket]], state)
        conflicts_all = [c for _, c in sorted({c.id: c for c in found}.items())]
        held = validities([positions[k] for k in sorted(positions)], articles_with_dates(dates))
        referenced = sorted(name for (kind, name), n in counters.items() if kind == "ref" and n > 0)
        head = [entity_block(registry.get(e)) for e in referenced if registry.get(e) is not None]  # type: ignore[arg-type]
        head.append(agents_block(sorted((name, counters[("software", name)] > 0)
                                        for (kind, name), n in counters.items() if kind == "agent" and n > 0)))
        tail = [count_block(name, n) for (kind, name), n in sorted(counters.items()) if kind == "count" and n > 0]
        tail += [term_block(i, v) for i, v in sorted(held.items())]
        tail += [conflict_block(c) for c in conflicts_all]
        known = cache.known(b.digest for b in head + tail)
        rendered[0] += sum(ensure(head + tail, known))
        cache.commit()
        for (kind, name), n in sorted(counters.items()):
            if n:
                db.execute("INSERT INTO counter VALUES (?, ?, ?)", (kind, name, n))
        state_salt = salt(fingerprint, "custom" if custom is not None else extractor is not None)
        for name, value in (("salt", state_salt), ("new", chosen), ("mapping", mapping)):
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, _dump(value)))
        db.execute("COMMIT")
        def conforms() -> None:
            nonlocal validation
            if checked is None:
                return
            validation = checked()
            if not validation.conforms:
                raise OntologyError(f"the built graph does not conform to the SHACL shapes "
                                    f"({validation.results} problems); nothing was written\n{validation.text}",
                                    path=ontology / "shapes.ttl",
                                    hint="fix the curated facts, or run `kg validate` for the full report")
        # 5. the build, streamed from the state
        facts_total = sum(summary.values())
        curated_n, parsed_n = db.execute("SELECT COALESCE(SUM(curated), 0), COALESCE(SUM(parsed), 0) "
                                         "FROM fact").fetchone()
        corroborated = db.execute("SELECT COUNT(*) FROM fact WHERE articles > 1").fetchone()[0]
        result_summary = {
            "articles": len(ids),
            "entities": dict(sorted(Counter(t for e in referenced if (t := type_of(e)) is not None).items())),
            "facts": facts_total,
            "facts_by_relation": dict(sorted(summary.items())),
            "facts_by_article": {i: counters[("cited", i)] for i in ids},
            "evidence_by_method": dict(sorted({k: v for k, v in (("curated", curated_n), ("parsed", parsed_n))
                                               if v}.items())),
            "corroborated_facts": corroborated,
            "quads": None,
            "conflicts": len(conflicts_all),
        }
        manifest = {"kg_version": __version__, "inputs": inputs_now, "summary": result_summary,
                    "outputs": sorted(FILES[f] for f in FORMATS)}
        from .stream import write_streamed

        cache.wait()  # the exports are written from what the cache holds, read on another connection
        if loader is not None:
            loader.fed()  # every block is in: the store is compacted while the exports are written
        report = write_streamed(out, _index(db, ids, head, tail), manifest, formats=formats,
                                cache=out / FRAGMENT_CACHE, loaded=(loader, staging) if loader else None,
                                before_publish=conforms)
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", ("stamp", _dump(manifest_stamp(out))))
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{state_path}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, state_path)  # the state of this build, in one rename, after it was published
    input_digests.remember()  # so are the digests of its inputs
    result = BuildResult(Inputs([], registry, []), _StoredFacts(state_path), None, validation,  # type: ignore[arg-type]
                         conflicts=conflicts_all, full_reason=full_reason)
    result.summary = {**result_summary, "quads": report.quads}
    report.rendered += rendered[0]
    result.outputs, result.stream = report.outputs, report
    return result


def _groups(db, raw: bool = False) -> Iterator[tuple[str, list]]:  # noqa: ANN001 - a sqlite3 connection
    """Statements grouped by fact key, each group in build order, streamed from SQLite (`raw`:
    still pickled)."""
    cursor = db.execute("SELECT key, blob FROM statement ORDER BY key, rank, article, seq")
    current, group = None, []
    for key, blob in cursor:
        if key != current and group:
            yield current, group  # type: ignore[misc]
            group = []
        current = key
        group.append(blob if raw else _load(blob))
    if group:
        yield current, group  # type: ignore[misc]


def _merged(db, type_of, workers, count: int, added: dict[str, str],  # noqa: ANN001
            registry: "Registry") -> Iterator[tuple]:
    """Fact key by fact key: the key, the merged fact (or, from a worker, the fact pickled), its
    conflicts within, its blocks, the fragments a worker rendered for them (by digest) and its
    `offload.fact_summary`.

    With `workers` (the parse's processes, `count` of them) the facts are merged and rendered
    there, a few hundred keys at a time, while this process stores what they sent back
    (`offload.merge_and_render`), and here too whenever they are all busy; in order either way,
    so the build is the same."""
    from .offload import fact_summary, merge_and_render, merge_key

    if workers is None:
        for key, rows in _groups(db):
            fact, conflicts, blocks = merge_key(rows, type_of)
            yield key, fact, conflicts, blocks, {}, fact_summary(fact)
        return
    from collections import deque

    batches = _Batches(_groups(db, raw=True))
    waiting: deque = deque()  # in key order: (statements, a worker's pending result or a batch done here)
    held = 0  # statements of the batches in `waiting`: what they send back is held here till stored
    while True:
        # three batches a worker has not finished, whatever waits to be stored here: counting
        # every batch not yet stored left the worker idle while its results came back and this
        # process merged (4.7 s here, 1.7 s there, at 400 synthetic articles, --jobs 2)
        while sum(not isinstance(w, list) and not w.ready() for _, w in waiting) < 3 * count and \
                held < HELD_STATEMENTS and (batch := batches.take(MERGE_BATCH, MERGE_STATEMENTS)):
            waiting.append((weight := _weight(batch), workers.apply_async(merge_and_render, (batch, added))))
            held += weight
        if not waiting:
            return
        if isinstance(waiting[0][1], list) or waiting[0][1].ready():
            weight, done = waiting.popleft()
            held -= weight
            for key, fact, conflicts, index, info in (done if isinstance(done, list) else done.get()):
                yield (key, fact, conflicts, [Block(k, d, cached_render) for k, d, _ in index],
                       {d: f for _, d, f in index}, info)
        elif batch := batches.take(MERGE_BATCH // 4, MERGE_STATEMENTS // 4):  # the workers are busy: a few keys done here
            waiting.append((weight := _weight(batch), merge_and_render(batch, added, registry)))
            held += weight
        else:
            waiting[0][1].wait()


def _weight(batch: list[tuple[str, list]]) -> int:
    return sum(len(rows) for _, rows in batch)


class _Batches:
    """Fact keys with their statements (`_groups`), taken a batch at a time: at most so many keys
    and so many statements, but always at least one key (a fact that thousands of articles state
    goes alone). What a batch sends back grows with its statements (an evidence block each), so
    counting keys alone let a few batches of widely reported facts hold hundreds of megabytes."""

    def __init__(self, groups: Iterator[tuple[str, list]]) -> None:
        self._groups = groups
        self._next = next(groups, None)

    def take(self, keys: int, statements: int) -> list[tuple[str, list]]:
        batch: list[tuple[str, list]] = []
        weight = 0
        while self._next is not None and len(batch) < keys and (not batch or weight + len(self._next[1]) <= statements):
            batch.append(self._next)
            weight += len(self._next[1])
            self._next = next(self._groups, None)
        return batch


STAGED_STORE = "cache/store.loading"
"""Where a build from nothing loads its store before the store joins the new generation."""


@contextmanager
def _closing(loader: "StoreLoader | None") -> Iterator[None]:
    """Ends the loading thread however the build ends; after a failure the half-made store goes."""
    try:
        yield
    except BaseException:
        if loader is not None:
            loader.close()
            shutil.rmtree(loader.path, ignore_errors=True)
        raise
    finally:
        if loader is not None:
            loader.close()


def _index(db, ids: list[str], head: list[Block], tail: list[Block]) -> Iterator[Block]:  # noqa: ANN001
    """Every block in the order of `assemble.iter_blocks`, each already in the fragment cache."""
    for article_id, digest in db.execute("SELECT id, digest FROM article ORDER BY id"):
        yield Block(f"article/{article_id}", digest, cached_render)
    for block in head:
        yield Block(block.key, block.digest, cached_render)
    for (blocks,) in db.execute("SELECT blocks FROM fact ORDER BY key"):
        for key, digest in _load(blocks):  # type: ignore[union-attr]
            yield Block(key, digest, cached_render)
    for block in tail:
        yield Block(block.key, block.digest, cached_render)


class _StoredFacts:
    """The build's merged facts, read from its state only when someone asks for them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._facts: list[Fact] | None = None

    def _load(self) -> list[Fact]:
        if self._facts is None:
            with State(self.path.parent.parent) as state:
                self._facts = state.all_facts()
        return self._facts

    def __iter__(self):  # noqa: ANN204
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __getitem__(self, index):  # noqa: ANN001, ANN204
        return self._load()[index]
