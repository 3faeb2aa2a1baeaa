"""Work handed to forked processes (`kg.offload.aside`): the same answer as here, errors raised
here with their own message, and no fork while another thread runs."""

from __future__ import annotations

import os
import threading
from functools import partial

import pytest

from kg.offload import Ahead, aside


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails() -> None:
    raise ValueError("bad input, said plainly")


def test_a_call_aside_runs_in_another_process_and_answers_what_it_would_here():
    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: nothing is forked then (by design)")
    pid, doubled = aside(partial(_pid_and, 21))()
    assert doubled == 42 and pid != os.getpid()
    assert aside(lambda: _pid_and(1))() == (os.getpid(), 2)  # a call that does not pickle runs here


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
        pid, doubled = aside(partial(_pid_and, 5))()
    finally:
        stop.set()
        other.join()
    assert (pid, doubled) == (os.getpid(), 10)


def _prepared() -> None:
    os.environ["KG_TEST_PREPARED"] = "yes"  # in the forked process only


def _was_prepared() -> str | None:
    return os.environ.get("KG_TEST_PREPARED")


def test_what_a_process_ahead_prepared_is_there_for_the_call_it_is_given_later():
    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: nothing is forked then (by design)")
    with Ahead(_prepared) as ahead:
        assert ahead.run(_was_prepared)() == "yes"
    assert "KG_TEST_PREPARED" not in os.environ
    with Ahead(_prepared) as unused:  # never asked: ended with the block
        process = unused._process  # noqa: SLF001
    assert process is not None and not process.is_alive()
