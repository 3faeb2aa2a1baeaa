"""Memory of a process and its descendants, read from Linux's /proc (0 elsewhere): what the
benchmarks report of a build or a server that runs in several processes."""

from __future__ import annotations

import os
import threading


def process_tree(pid: int) -> list[int]:
    """`pid` and every process descended from it, as /proc lists them now."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _status_kb(pid: int, path: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii") as handle:
            return next((int(line.split()[1]) for line in handle if line.startswith(field)), 0)
    except (OSError, ValueError):
        return 0


def rss_mb(pid: int) -> float:
    """The resident memory of `pid` and its descendants, summed (a page forked processes share
    counts in each)."""
    return sum(_status_kb(p, "status", "VmRSS:") for p in process_tree(pid)) / 1024


def pss_mb(pid: int) -> float:
    """The proportional set size of `pid` and its descendants, summed: a page forked processes
    share counts once, split between them."""
    return sum(_status_kb(p, "smaps_rollup", "Pss:") for p in process_tree(pid)) / 1024


class TreeMemory:
    """The largest `pss_mb` of a process tree, sampled every 0.2 s in a thread while in use."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, pss_mb(self.pid))
