"""The streamed writer (large corpora) writes the same graph as the in-memory path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from kg.build import build, default_extractor
from tests.conftest import ONTOLOGY, ROOT, SOURCES


def quads(path: Path, fmt: ox.RdfFormat) -> set:
    return set(ox.parse(path=str(path), format=fmt))


def test_streamed_build_has_the_same_quads(tmp_path: Path, seed_build: Path):
    result = build(SOURCES, ONTOLOGY, tmp_path / "streamed", extractor=default_extractor())
    streamed = tmp_path / "streamed"
    expected = quads(seed_build / "dataset.nq", ox.RdfFormat.N_QUADS)
    assert result.summary["quads"] == len(expected)
    assert quads(streamed / "dataset.nq", ox.RdfFormat.N_QUADS) == expected
    assert quads(streamed / "dataset.trig", ox.RdfFormat.TRIG) == expected
    jsonld = Dataset()
    jsonld.parse(streamed / "dataset.jsonld", format="json-ld")
    assert len(jsonld) == len(expected)
    union = {(q.subject, q.predicate, q.object) for q in expected}
    assert {(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(streamed / "graph.ttl"), format=ox.RdfFormat.TURTLE)} == union
    assert (streamed / "store").is_dir() and not list(streamed.glob(".staging.*"))


def test_streamed_build_is_byte_identical_across_runs(tmp_path: Path):
    code = ("import sys; from pathlib import Path; from kg.build import build; "
            "build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))")
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-c", code, str(SOURCES), str(ONTOLOGY), str(tmp_path / seed)],
                       check=True, env=env)
    for name in ("dataset.nq", "dataset.trig", "graph.ttl", "dataset.jsonld", "manifest.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_the_store_loaded_in_a_thread_holds_every_part_and_a_bad_part_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from kg import store as store_module
    from kg.store import StoreLoader

    monkeypatch.setattr(store_module, "LOADER_PART_LINES", 3)  # several parts, two waiting at most
    line = '<http://example.org/s{0}> <http://example.org/p> "v{0}" <http://example.org/g> .\n'
    loader = StoreLoader(tmp_path / "good")
    try:
        for i in range(20):
            loader.feed(line.format(i).encode(), 1)
        loader.finish()
    finally:
        loader.close()
    assert len(ox.Store.read_only(str(tmp_path / "good"))) == 20
    bad = StoreLoader(tmp_path / "bad")
    try:
        bad.feed(b"<http://example.org/s> not n-quads\n", 1)
        with pytest.raises(SyntaxError):
            bad.finish()
    finally:
        bad.close()
