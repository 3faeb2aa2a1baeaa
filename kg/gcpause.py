"""Python's cyclic garbage collector held off while a build runs.

A build allocates millions of objects that live until it ends (spaCy's tokens and spans, facts,
rdflib terms, rendered fragments) and makes almost no reference cycles: 333 to 563 cyclic
objects were found after a build of 150 synthetic articles. The collector still walked the
growing heap again and again, each full collection longer than the last: 0.19 to 0.31 s of
the build's own process at 150 articles (5% of the build), and as much in each parse worker.
During a build it runs only where it is cheap: on the young objects after each parsed chunk
(`collect_young`), which is where the cycles a parse makes are found.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside; the collector is as it was afterwards (a caller that
    turned it off keeps it off). Processes forked inside start with it off."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def collect_young() -> None:
    """Collect the objects made since the last collection (generations 0 and 1), not the whole
    heap: what a parsed chunk left in cycles is freed, the model and the build's facts are not
    walked."""
    if not gc.isenabled():
        gc.collect(1)
