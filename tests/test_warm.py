"""The saved queries answered once a build is published (`kg/warm.py`), read back by `kg query`,
the Python API and the endpoint's workers exactly as they would have computed them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg
from kg import answers
from kg.query import render, run_query
from kg.server.workers import Job, _answer, _kept, _reply
from kg.store import open_store
from kg.warm import answer_later, warm, warmable


@pytest.fixture
def build(seed_build: Path, tmp_path: Path) -> Path:
    """A private copy of the seed build with no answer kept yet."""
    copy = tmp_path / "build"
    shutil.copytree(seed_build, copy, symlinks=True)
    shutil.rmtree(copy / answers.ANSWERS_DIR, ignore_errors=True)
    return copy


def kept_files(build: Path) -> list[Path]:
    return sorted((build / answers.ANSWERS_DIR).rglob("*.json"))


def test_every_parameterless_saved_query_is_answered_as_it_would_be_computed(build: Path):
    names = warmable()
    assert "deals" in names and "parsed-only" in names
    assert not {"entity", "evidence", "as-of"} & set(names)  # they need a parameter
    store = open_store(build)
    expected = {(name, fmt): render(store.query(text), "select", fmt)
                for name, text in names.items() for fmt in ("table", "csv", "json", "tsv")}
    deals_rows = kg.open(build).query(names["deals"])
    shutil.rmtree(build / answers.ANSWERS_DIR)
    del store

    assert warm(build, answers.generation_of(build)) == list(names)
    assert len(kept_files(build)) == 2 * len(names)  # the printed table and the W3C JSON results
    for (name, fmt), answer in expected.items():
        assert run_query(build, names[name], fmt).text == answer.text, (name, fmt)
    assert kg.open(build).query(names["deals"]) == deals_rows
    # the endpoint's workers read the same results and cut them at their row cap
    memory = open_store(build, in_memory=True).store
    for fmt in ("json", "csv", "xml"):
        for cap in (2, 10_000):
            job = Job(names["deals"], "select", fmt, cap)
            kept = _kept(build, answers.generation_of(build), job)
            assert kept is not None and _reply(kept, job) == _answer(memory, job)
    assert warm(build, answers.generation_of(build)) == []  # answered already: nothing run again


def test_a_build_no_longer_published_or_updated_in_place_keeps_nothing(build: Path):
    generation = answers.generation_of(build)
    assert warm(build, generation + "-replaced") == [] and kept_files(build) == []

    since = answers.stamp(build)
    with answers.updating(build):  # an update in place after the answer was computed
        pass
    answers.keep(build, generation, "results\x1fASK {}", b'{"head":{},"boolean":true}', since)
    assert kept_files(build) == []
    answers.keep(build, generation, "results\x1fASK {}", b'{"head":{},"boolean":true}', answers.stamp(build))
    assert len(kept_files(build)) == 1


def test_the_process_started_after_a_build_answers_in_the_background(build: Path):
    process = answer_later(build)
    assert process is not None and process.wait(120) == 0
    assert len(kept_files(build)) == 2 * len(warmable())
    assert answer_later(build.parent / "nothing-built") is None
