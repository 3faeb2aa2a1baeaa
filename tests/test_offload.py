"""Work handed to forked processes (`kg.offload.aside`): the same answer as here, errors raised
here with their own message, and no fork while another thread runs."""

from __future__ import annotations

import os
import threading

import pytest

from kg.offload import aside


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails() -> None:
    raise ValueError("bad input, said plainly")


def test_a_call_aside_runs_in_another_process_and_answers_what_it_would_here():
    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: nothing is forked then (by design)")
    pid, doubled = aside(lambda: _pid_and(21))()
    assert doubled == 42 and pid != os.getpid()


def test_a_call_that_raises_aside_is_raised_here():
    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: nothing is forked then (by design)")
    result = aside(_fails)
    with pytest.raises(ValueError, match="said plainly"):
        result()


def test_with_another_thread_running_the_call_runs_here():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pid, doubled = aside(lambda: _pid_and(5))()
    finally:
        stop.set()
        other.join()
    assert (pid, doubled) == (os.getpid(), 10)
