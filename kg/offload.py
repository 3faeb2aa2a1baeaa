"""Work a full build hands to its parse workers once the parse is done: merging and rendering the
facts, and the SHACL check.

After the parse, which `--jobs N` splits over N processes, a build does its remaining work
(rendering the blocks of every fact, the SHACL check, the exports) in one process: on 400
synthetic articles about 7 s after a 12 s parse. The worker that parsed runs the SHACL check
while the exports are written; a build whose sample does not conform is still never published
(`stream.write_streamed` asks before it publishes).

Measured on 2 cores the check alone is neutral (14.77 s against 14.73 s without it, 400
articles, `--jobs 2`); the idle cores of a larger machine are what it uses.

The facts are merged and rendered by the workers too (`merge_and_render`): after the parse, the
fact stage was the longest part of a build left to one core (3.4 s of 13.3 s at 400 synthetic
articles, `--jobs 2`). A worker is sent the statements of a few hundred fact keys as the pickled
rows they are stored as, and sends back each fact pickled, its blocks and their serialised
fragments as bytes, which cost little to pass. (Handing workers rdflib terms to render, tried
before, was slower than rendering here: pickling terms costs what the second core saves.) This
process keeps what needs the whole build: the counters, the fragment cache, the store and the
build state.

SHACL's report of the sample is what this process would have computed itself, so the outputs do
not depend on whether a worker ran, and `--jobs 1` keeps the check in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

T = TypeVar("T")

if TYPE_CHECKING:
    from .building import Validation
    from .registry import Registry
    from .types import Article, Fact


def merge_key(rows: list["Fact"], type_of) -> tuple:  # noqa: ANN001 - callable(id) -> type
    """One fact key's statements merged: the fact, the conflicts within it, and its blocks."""
    from .assemble import fact_blocks
    from .conflicts import within_fact
    from .merge import merge_with_members

    merged, members = merge_with_members(rows)
    fact = merged[0]
    return fact, within_fact(fact, next(iter(members.values())), type_of), fact_blocks(fact)


def fact_summary(fact: "Fact") -> tuple:
    """What the build's process keeps of a merged fact besides its blocks: what it adds to the
    counters, and its columns of the fact table (`state.fact_columns`). A worker sends this beside
    the pickled fact, so that process need not unpickle the fact (1 s of its time for 3,200 facts
    at 400 synthetic articles)."""
    from collections import Counter

    from .state import fact_columns, fact_counters

    counts: Counter = Counter()
    fact_counters(fact, 1, counts)
    return tuple(counts.items()), *fact_columns(fact)


def merge_and_render(groups: list[tuple[str, list[bytes]]], added: dict[str, str],
                     registry: "Registry | None" = None) -> list[tuple]:
    """For each (fact key, pickled statements): the key, the merged fact (pickled by a worker, as
    is when `registry` is given: the build's own, when the build's process does a share itself),
    its conflicts within, its blocks' (key, digest) and their fragments, and its `fact_summary`,
    in order. `added`: the types of the entities the build added to the registry after the parse
    (a worker's copy lacks them)."""
    from .fragments import render_fragments
    from .nlp.pipeline import worker_registry
    from .state import _dump, _load

    here = registry is not None
    registry = registry or worker_registry()

    def type_of(entity_id: str) -> str | None:
        return added.get(entity_id) or getattr(registry.get(entity_id), "type", None)

    done, blocks = [], []
    for key, rows in groups:
        fact, conflicts, made = merge_key([_load(row) for row in rows], type_of)  # type: ignore[misc]
        blocks += made
        done.append((key, fact if here else _dump(fact), conflicts, [(b.key, b.digest) for b in made],
                     fact_summary(fact)))
    fragments = iter(render_fragments(b.quads() for b in blocks))
    return [(key, fact, conflicts, [(k, d, next(fragments)) for k, d in index], summary)
            for key, fact, conflicts, index, summary in done]


def sample_check(sample: list["Fact"], article_of: Callable[[str], "Article"], registry: "Registry",
                 ontology: Path) -> Callable[[], "Validation"]:
    """The SHACL check of `sample` as one picklable call, with the articles its evidence cites
    (read now): what a worker or a process ahead is handed."""
    from functools import partial

    cited = sorted({e.article_id for f in sample for e in f.evidence})
    return partial(check_sample_alone, sample, {a: article_of(a) for a in cited}, registry, ontology)


def check_sample_alone(sample: list["Fact"], articles: dict[str, "Article"], registry: "Registry",
                       ontology: Path) -> "Validation":
    """`building.check_sample` where the articles come as a dict (a helper cannot call back)."""
    from .building import check_sample

    return check_sample(sample, articles.__getitem__, registry, ontology, keep=False)[0]


class Ahead:
    """A process forked now that runs `prepare` at once, then one call it is given later
    (`run`), while this process goes on; use as a context manager (the process ends with it).

    What an incremental build parses is one or two articles, but parsing them means importing
    spaCy and loading the model and the registry's patterns (2.7 s of adding one article at 3k
    synthetic articles), while the build's own process has seconds to spend before it knows which
    articles changed (hashing every input) and after (reading the state). Forked only while this
    process runs no other thread (see `Helper.prepare_check`); otherwise nothing is prepared and
    `run` calls here. If the process cannot answer (it died, or the call raised there) the call
    runs again here, so an error is raised with its message."""

    def __init__(self, prepare: Callable[[], object] | None = None) -> None:
        import multiprocessing as mp
        import threading

        self._process = self._conn = None
        self._asked = False
        if "fork" not in mp.get_all_start_methods() or threading.active_count() != 1:
            return
        import gc

        context = mp.get_context("fork")
        mine, theirs = context.Pipe()
        gc.freeze()  # as for the parse's workers (`worker_pool`): the child's collections copy no page
        try:
            self._process = context.Process(target=_prepare_then_call, args=(theirs, mine, prepare), daemon=True)
            self._process.start()
        finally:
            gc.unfreeze()
        theirs.close()
        self._conn = mine

    def run(self, call: Callable[[], "T"]) -> Callable[[], "T"]:
        """Hand `call` (picklable) to the process; the returned call waits for its result."""
        if self._conn is None:
            return at_once(call)
        conn = self._conn
        try:
            conn.send(call)
            sent = self._asked = True
        except Exception:  # noqa: BLE001 - a closed pipe, or a call that does not pickle: it runs here
            sent = False

        def result() -> "T":
            answer = None
            if sent:
                try:
                    answer = conn.recv()
                except (EOFError, OSError):
                    answer = None
            self.close()
            return answer[0] if answer is not None else call()
        return result

    def close(self) -> None:
        """End the process (it was not needed, or it answered)."""
        if self._process is None:
            return
        self._conn.close()  # type: ignore[union-attr]
        if not self._asked:  # still preparing, or waiting: nobody will ask it anything
            self._process.terminate()
        self._process.join()
        self._process = self._conn = None

    def __enter__(self) -> "Ahead":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def at_once(call: Callable[[], "T"]) -> Callable[[], "T"]:
    """`call` run here and now, its result handed back as `Ahead.run` hands one."""
    value = call()
    return lambda: value


def aside(call: Callable[[], "T"]) -> Callable[[], "T"]:
    """`call` run in a process forked now (`Ahead`); the returned call waits for its result."""
    return Ahead().run(call)


def _prepare_then_call(conn, builds, prepare: Callable[[], object] | None) -> None:  # noqa: ANN001 - Connections
    """`Ahead`'s process: `prepare`, then the one call it is sent, answered in a one-element tuple,
    or not at all if it raised (the build's process then calls again and raises it)."""
    builds.close()  # the build's end as the fork copied it: the build ending, even killed, ends this
    try:
        if prepare is not None:
            prepare()
    except Exception:  # noqa: BLE001, S110 - only a head start: the call meets the same error
        pass
    try:
        call = conn.recv()
    except (EOFError, OSError):
        return  # not needed after all
    try:
        answer = (call(),)
    except Exception:  # noqa: BLE001 - the build's process calls again and raises it
        return
    conn.send(answer)


class Helper:
    """The build's parse workers (`nlp.pipeline.worker_pool`: `jobs` - 1 processes, or `jobs` for a
    parse this process leaves to them, forked or spawned, which share no state with this one after
    they start), kept after the parse to merge facts and for the SHACL check (`parsed`). Made only
    when the parse needs them (`pool`): a build with little to parse spawns nothing, and then
    checks here, as with `jobs` 1. Use as a context manager: the processes end with the build,
    however it ends."""

    def __init__(self, jobs: int, registry: "Registry") -> None:
        self._jobs, self._registry = jobs, registry
        self._pool = None
        self._processes = jobs - 1
        self._models = False  # whether the workers loaded a model this process does not share
        self._checker: Ahead | None = None  # see `prepare_check`

    def pool(self, nlp=None, processes: int | None = None):  # noqa: ANN001, ANN201 - a spaCy Language; a multiprocessing Pool
        """The workers, started at the first call (forked with `nlp` where the system allows):
        `processes` of them, by default `jobs` - 1 (see `nlp.pipeline.worker_pool`)."""
        if self._pool is None:
            from .nlp.pipeline import worker_pool

            self._processes = self._jobs - 1 if processes is None else processes
            self._pool = worker_pool(self._jobs, self._registry, nlp, self._processes)
            self._models = nlp is None  # the workers load spaCy themselves, this process never does
        return self._pool

    def parsed(self) -> None:
        """The parse is over. Workers that loaded spaCy's model for a parse this process left to
        them (`nlp.pipeline.parsed_apart`) are replaced by as many without it, for the merge and
        the SHACL check: each held 340-370 MB after parsing 5k synthetic articles, which the rest of
        the build has no use for. (Forked from this process, which never loaded the model, they
        start small; its pool's threads end with the old workers, so the fork is safe.)"""
        if self._pool is None or not self._models:
            return
        from .nlp.pipeline import worker_pool

        self._pool.terminate()
        self._pool.join()
        self._pool = worker_pool(self._jobs, self._registry, None, self._processes)
        self._models = False

    @property
    def started(self):  # noqa: ANN201 - a multiprocessing Pool or None
        """The workers if the parse started them, else None (a build with little to parse)."""
        return self._pool

    @property
    def workers(self) -> int:
        """How many processes the workers are (`jobs` - 1, or `jobs` after a parse the build's
        process left to them)."""
        return self._processes

    def __enter__(self) -> "Helper":
        return self

    def prepare_check(self, ontology: Path) -> None:
        """Start the SHACL checker, for a build with `jobs` >= 2 whose parse starts no workers (a
        few articles, or articles parsed before): one process (`Ahead`), forked now, loads pySHACL
        and the shapes while this process parses and merges, and checks the sample while this one
        writes the exports and the store. Without it a small build did all of that in turn on one
        core (three seed articles: 1.1 s of SHACL in a 2.7 s build). Not a `multiprocessing.Pool`:
        a pool's threads here would keep the parse's workers from being forked after it."""
        if self._jobs < 2 or self._pool is not None or self._checker is not None:
            return
        from functools import partial

        from .ontology import warm_up

        self._checker = Ahead(partial(warm_up, ontology))

    def __exit__(self, *exc: object) -> None:
        if self._checker is not None:
            self._checker.close()
            self._checker = None
        if self._pool is not None:
            # every result was collected (or is of no use to a failed build): end the workers now;
            # letting them exit on their own first tears down a loaded spaCy model in each
            self._pool.terminate()
            self._pool.join()

    def check(self, sample: list["Fact"], article_of: Callable[[str], "Article"], registry: "Registry",
              ontology: Path) -> Callable[[], "Validation"]:
        """Start the SHACL check of `sample`; the returned call waits for its result."""
        if self._checker is not None:  # if it cannot answer, the check runs here (`Ahead.run`)
            return self._checker.run(sample_check(sample, article_of, registry, ontology))
        if self._pool is None:
            from .building import check_sample

            validation = check_sample(sample, article_of, registry, ontology, keep=False)[0]
            return lambda: validation
        return self._pool.apply_async(sample_check(sample, article_of, registry, ontology)).get
