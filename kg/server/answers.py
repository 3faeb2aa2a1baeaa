"""Answers the endpoint keeps: the same query asked again of the same build is not run again.

A published build never changes, so an answer a worker computed holds for as long as that build
is served. Dashboards and colleagues polling the saved queries ask the same few queries over and
over: on the shipped corpus (93k quads, answered from memory) the listing queries take 25-100 ms
in a worker, and 50 clients mixing the 19 saved queries queued behind two workers (p99 3 s,
`tests/benchmarks/bench_serve.py`). A kept answer is sent by the server's own process, no worker
involved.

An entry is keyed by the generation of the build the worker answered from (a worker started after
a new build was published answers from that one, `workers._serve`), the query text after its
checks, its kind, the result format and the row cap; a request is answered from it only while
that generation is still the published one. Only successful answers are kept (a query that timed
out or failed runs again), bounded by bytes, the least recently asked going first.

`kg query` keeps its answers too (`kg/answers.py`), on disk and as it prints them; these are the
HTTP bodies of each result format, asked for by many clients at once, so they stay in memory.
"""

from __future__ import annotations

from collections import OrderedDict

from .workers import Reply

Key = tuple[str, str, str, int]
"""(query text, kind, result format, row cap)."""


class AnswerCache:
    def __init__(self, budget: int) -> None:
        """`budget`: bytes of answer bodies kept at most (0 keeps none)."""
        self.budget = budget
        self.used = 0
        self._entries: OrderedDict[tuple[str, Key], Reply] = OrderedDict()

    def get(self, generation: str | None, key: Key) -> Reply | None:
        """The kept answer to `key` on the published `generation`, or None."""
        if generation is None:
            return None
        reply = self._entries.get((generation, key))
        if reply is not None:
            self._entries.move_to_end((generation, key))
        return reply

    def put(self, key: Key, reply: Reply) -> None:
        """Keep a worker's answer under the generation it was computed on."""
        size = len(reply.body)
        if not reply.ok or not reply.generation or size > self.budget:
            return
        entry = (reply.generation, key)
        if entry in self._entries:
            self.used -= len(self._entries.pop(entry).body)
        self._entries[entry] = reply
        self.used += size
        while self.used > self.budget:
            _, dropped = self._entries.popitem(last=False)
            self.used -= len(dropped.body)

    def __len__(self) -> int:
        return len(self._entries)
