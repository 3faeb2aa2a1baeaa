"""Work a full build hands to its parse workers once the articles are parsed.

After the parse, which `--jobs N` splits over N processes, a build does its remaining work
(rendering the blocks of every fact, the SHACL check, the exports) in one process: on 400
synthetic articles about 7 s after a 12 s parse. The workers that parsed take their share of
each batch of fact blocks to render, and one runs the SHACL check while this process writes the
exports; a build whose sample does not conform is still never published (`stream.write_streamed`
asks before it publishes).

Measured on 2 cores it is neutral (6.6-7.6 s after the parse, with or without it): the
store-loading thread already keeps the second core busy after the parse, so the SHACL check
overlaps the exports but slows them as much. The idle cores of a larger machine are what it
uses.

Everything a worker returns is what this process would have computed itself: fragments are a
pure function of their block, SHACL's report of the sample. So the outputs do not depend on
whether a worker ran, and `--jobs 1` keeps all of it in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .assemble import fact_blocks
from .fragments import Fragment, render_fragment

if TYPE_CHECKING:
    from .building import Validation
    from .registry import Registry
    from .types import Article, Fact

SHARE_FROM = 64
"""Fewer facts to render than this in a batch are rendered here: sending them costs more."""


def render_blocks(items: Sequence[tuple["Fact", Sequence[str]]]) -> list[tuple[str, Fragment]]:
    """The fragments of the named blocks of each fact, as (digest, fragment), in order."""
    rendered = []
    for fact, keys in items:
        blocks = {b.key: b for b in fact_blocks(fact)}
        rendered += [(blocks[k].digest, render_fragment(blocks[k].quads())) for k in keys]
    return rendered


def check_sample_alone(sample: list["Fact"], articles: dict[str, "Article"], registry: "Registry",
                       ontology: Path) -> "Validation":
    """`building.check_sample` where the articles come as a dict (a helper cannot call back)."""
    from .building import check_sample

    return check_sample(sample, articles.__getitem__, registry, ontology)[0]


class Helper:
    """The build's parse workers (`nlp.pipeline.worker_pool`: `jobs` - 1 spawned processes, which
    share no state with this one), kept after the parse for the work above. Made only when the
    parse needs them (`pool`): a build with little to parse spawns nothing, and then renders and
    checks here, as with `jobs` 1. Use as a context manager: the processes end with the build,
    however it ends."""

    def __init__(self, jobs: int, registry: "Registry") -> None:
        self._jobs, self._registry = jobs, registry
        self._pool = None

    def pool(self):  # noqa: ANN201 - a multiprocessing Pool
        """The workers, started at the first call."""
        if self._pool is None:
            from .nlp.pipeline import worker_pool

            self._pool = worker_pool(self._jobs, self._registry)
        return self._pool

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # every result was collected (or is of no use to a failed build): end the workers now;
            # letting them exit on their own first tears down a loaded spaCy model in each
            self._pool.terminate()
            self._pool.join()

    def render(self, items: list[tuple["Fact", list[str]]]) -> dict[str, Fragment]:
        """The fragments of the named blocks of each fact, by digest: the items split in `jobs`
        parts, the first rendered here while the workers render the others."""
        if self._pool is None or len(items) < SHARE_FROM:
            return dict(render_blocks(items))
        size = -(-len(items) // self._jobs)
        theirs = [self._pool.apply_async(render_blocks, (items[at:at + size],))
                  for at in range(size, len(items), size)]
        rendered = render_blocks(items[:size])
        for part in theirs:
            rendered += part.get()
        return dict(rendered)

    def check(self, sample: list["Fact"], article_of: Callable[[str], "Article"], registry: "Registry",
              ontology: Path) -> Callable[[], "Validation"]:
        """Start the SHACL check of `sample`; the returned call waits for its result."""
        if self._pool is None:
            from .building import check_sample

            validation = check_sample(sample, article_of, registry, ontology)[0]
            return lambda: validation
        cited = sorted({e.article_id for f in sample for e in f.evidence})
        result = self._pool.apply_async(check_sample_alone, (sample, {a: article_of(a) for a in cited},
                                                            registry, ontology))
        return result.get
