"""Incremental builds from the per-article parse cache, and builds killed with SIGKILL."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import open_store
from tests.benchmarks.synthetic_articles import generate
from tests.conftest import ONTOLOGY, ROOT, SOURCES, run_kg


def build_cmd(sources: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "kg", "build", "--sources", str(sources), "--ontology", str(ONTOLOGY),
            "--out", str(out), "--no-validate"]


def test_one_new_article_is_the_only_one_parsed_and_removal_removes_its_facts(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(12, sources)
    out = tmp_path / "build"
    run_kg("build", "--sources", str(sources), "--out", str(out), "--no-validate")
    cache = out / "cache" / "parsed"
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pickle")}
    assert len(before) == 15
    time.sleep(0.05)
    generate(13, tmp_path / "more", seed=99)
    new = tmp_path / "more" / "articles" / "syn_000012.txt"
    text = new.read_text(encoding="utf-8").replace("syn_000012", "late_001")
    (sources / "articles" / "late_001.txt").write_text(text, encoding="utf-8")
    run_kg("build", "--sources", str(sources), "--out", str(out), "--no-validate")
    after = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pickle")}
    assert set(after) == set(before) | {"late_001.pickle"}
    assert all(after[name] == stamp for name, stamp in before.items()), "an unchanged article was parsed again"
    store = open_store(out)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?ev prov:wasDerivedFrom art:late_001 }"
    from kg.stats import SPARQL_PREFIXES

    assert int(next(iter(store.query(SPARQL_PREFIXES + count)))["n"].value) > 0
    del store
    (sources / "articles" / "late_001.txt").unlink()
    run_kg("build", "--sources", str(sources), "--out", str(out), "--no-validate")
    assert not (cache / "late_001.pickle").exists()
    text = (out / "dataset.nq").read_text(encoding="utf-8")
    assert "late_001" not in text
    clean = tmp_path / "clean"
    run_kg("build", "--sources", str(sources), "--out", str(clean), "--no-validate")
    assert (clean / "dataset.nq").read_bytes() == (out / "dataset.nq").read_bytes()


def snapshot(out: Path) -> tuple[int, int, str, str]:
    """What a reader of the build sees: store size, N-Quads size and digest, manifest."""
    store = ox.Store.read_only(str(out / "store"))
    stored = len(store)
    del store
    quads = sum(1 for _ in ox.parse(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    digest = hashlib.sha256((out / "dataset.nq").read_bytes()).hexdigest()
    return stored, quads, digest, (out / "manifest.json").read_text(encoding="utf-8")


def run_build(sources: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(build_cmd(sources, out), check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - started


def built_corpus(tmp_path: Path, synthetic: int) -> tuple[Path, Path, tuple]:
    """The shipped sources plus `synthetic` generated articles, built once: (sources, build, what
    a reader of that build sees)."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(synthetic, sources)
    out = tmp_path / "build"
    run_build(sources, out)
    return sources, out, snapshot(out)


def killed_builds(sources: Path, out: Path, duration: float, fractions: tuple[float, ...]):  # noqa: ANN201
    """For each fraction of `duration`: start a build, SIGKILL it then, and yield the snapshot
    of what a reader sees afterwards."""
    for fraction in fractions:
        proc = subprocess.Popen(build_cmd(sources, out), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        yield snapshot(out)


def test_kill_9_never_damages_the_previous_build_or_the_cache(tmp_path: Path):
    """Kill an incremental build at spread-out moments: readers always see the whole old build
    or the whole new one, the caches stay readable, and the next build finishes the job."""
    sources, out, reference = built_corpus(tmp_path, 60)
    assert reference[0] == reference[1]
    extra = tmp_path / "extra"
    generate(40, extra, seed=5)
    for index, path in enumerate(sorted((extra / "articles").glob("*.txt"))):
        text = path.read_text(encoding="utf-8").replace(path.stem, f"extra_{index:03d}")
        (sources / "articles" / f"extra_{index:03d}.txt").write_text(text, encoding="utf-8")
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(out, rehearsal, symlinks=True)
    duration = run_build(sources, rehearsal)  # the same incremental build, uninterrupted
    expected = snapshot(rehearsal)
    assert expected != reference
    for current in killed_builds(sources, out, duration, (0.1, 0.3, 0.5, 0.65, 0.8, 0.9, 0.97)):
        assert current[0] == current[1], "the store and the N-Quads disagree after a kill"
        assert current in (reference, expected), "a kill left a build that is neither the old nor the new one"
        for cached in (out / "cache" / "parsed").glob("*.pickle"):
            with open(cached, "rb") as handle:
                pickle.load(handle)
    run_build(sources, out)
    assert snapshot(out) == expected
    assert not [p.name for p in out.glob(".gen-*") if p.resolve() != (out / "current").resolve()]


# --- streamed builds: fragments, patched stores ------------------------------------------------

EXPORTS = ("dataset.nq", "dataset.trig", "graph.ttl", "dataset.jsonld", "manifest.json")


def stored_quads(out: Path) -> set:
    store = ox.Store.read_only(str(out / "store"))
    quads = set(store.quads_for_pattern(None, None, None, None))
    del store
    return quads


def stream_build(sources: Path, out: Path, *extra: str) -> str:
    return run_kg("build", "--sources", str(sources), "--out", str(out), *extra).stdout


def assert_same_as_clean_build(sources: Path, out: Path, tmp_path: Path, name: str, *extra: str) -> None:
    clean = tmp_path / f"clean-{name}"
    stream_build(sources, clean, *extra)
    for export in EXPORTS:
        assert (out / export).read_bytes() == (clean / export).read_bytes(), f"{export} differs from a clean build"
    # where each block lies in each export, which the next build copies by (`splice.py`)
    assert (out / "current" / "exports.idx").read_bytes() == (clean / "current" / "exports.idx").read_bytes()
    assert stored_quads(out) == stored_quads(clean), "the patched store differs from a freshly loaded one"


def test_streamed_add_edit_remove_render_only_what_changed_and_equal_a_clean_build(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(20, sources)
    out = tmp_path / "build"
    first = stream_build(sources, out)
    assert "store loaded" in first
    total = int(first.split("Blocks: ")[1].split()[0])

    generate(21, tmp_path / "more", seed=99)
    added = sources / "articles" / "late_001.txt"
    added.write_text((tmp_path / "more" / "articles" / "syn_000020.txt").read_text(encoding="utf-8")
                     .replace("syn_000020", "late_001"), encoding="utf-8")
    report = stream_build(sources, out)
    assert "store patched" in report and "Incremental: 1 changed article(s)" in report
    rendered = int(report.split("(")[1].split()[0])
    assert 0 < rendered < total / 4, report
    copied = int(report.split("rendered anew, ")[1].split()[0])  # the exports are spliced (splice.py)
    assert total / 2 < copied < total, report
    assert "late_001" in (out / "dataset.nq").read_text(encoding="utf-8")
    assert_same_as_clean_build(sources, out, tmp_path, "added")

    edited = sources / "articles" / "syn_000003.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Poland signed a $2 billion contract for 96 Apache "
                      "helicopters from Boeing on Monday.\n", encoding="utf-8")
    report = stream_build(sources, out)
    assert "store patched" in report and "Incremental: 1 changed article(s)" in report
    assert_same_as_clean_build(sources, out, tmp_path, "edited")

    added.unlink()
    assert "Incremental: 1 changed article(s)" in stream_build(sources, out)
    assert "late_001" not in (out / "dataset.nq").read_text(encoding="utf-8")
    assert not any("late_001" in str(term.value) for quad in stored_quads(out)
                   for term in (quad.subject, quad.object, quad.graph_name))
    assert_same_as_clean_build(sources, out, tmp_path, "removed")


def test_store_only_builds_keep_the_last_index_where_the_change_left_it_and_equal_a_clean_build(tmp_path: Path):
    """`--formats none`: an incremental build hands the unchanged runs of the last block index on
    as they are (`stream.Kept`). Adding articles that sort first and last, editing and removing
    one give the store, block index and manifest of a clean build; an index that does not have
    the sections the state says costs a full build, never a wrong one."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(20, sources)
    out = tmp_path / "build"
    assert "store loaded" in stream_build(sources, out, "--formats", "none")

    def same_as_clean(name: str) -> None:
        clean = tmp_path / f"clean-{name}"
        stream_build(sources, clean, "--formats", "none")
        for kept in ("blocks.tsv", "manifest.json"):
            assert (out / "current" / kept).read_bytes() == (clean / "current" / kept).read_bytes(), \
                f"{kept} differs from a clean build's after the article was {name}"
        assert stored_quads(out) == stored_quads(clean), f"the store differs after the article was {name}"

    generate(21, tmp_path / "more", seed=99)
    text = (tmp_path / "more" / "articles" / "syn_000020.txt").read_text(encoding="utf-8")
    for name in ("aaa_first", "zzz_last"):
        (sources / "articles" / f"{name}.txt").write_text(text.replace("syn_000020", name), encoding="utf-8")
        report = stream_build(sources, out, "--formats", "none")
        assert "store patched" in report and "Incremental: 1 changed article(s)" in report, report
        same_as_clean(f"added-{name}")
    edited = sources / "articles" / "syn_000007.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Poland signed a $2 billion contract for 96 Apache "
                      "helicopters from Boeing on Monday.\n", encoding="utf-8")
    assert "Incremental: 1 changed article(s)" in stream_build(sources, out, "--formats", "none")
    same_as_clean("edited")
    (sources / "articles" / "aaa_first.txt").unlink()
    assert "Incremental: 1 changed article(s)" in stream_build(sources, out, "--formats", "none")
    same_as_clean("removed")

    index = out / "current" / "blocks.tsv"
    lines = index.read_text(encoding="utf-8").splitlines()
    from kg.incremental import IndexLayout
    from kg.state import State

    with State(out) as state:
        articles, (_, sizes) = len(state.article_ids()), state.fact_runs()
    layout = IndexLayout.of(lines, articles, sizes)
    assert layout is not None and lines[layout.facts_start].startswith("fact/") and \
        lines[layout.facts_end].startswith("count/") and set(layout.tail) == \
        {line.split("\t")[0] for line in lines[layout.facts_end:]}
    cut = next(n for n, line in enumerate(lines) if line.startswith("cites/"))  # a line of a fact's run
    assert IndexLayout.of(lines[:cut] + lines[cut + 1:], articles, sizes) is None
    assert IndexLayout.of(lines[1:], articles, sizes) is None
    damaged = index.with_name("damaged.tsv")  # generations are read-only: swap in a copy
    damaged.write_text("\n".join(lines), encoding="utf-8")  # its last line cut short
    os.replace(damaged, index)
    (sources / "articles" / "zzz_last.txt").unlink()
    report = stream_build(sources, out, "--formats", "none")
    assert "Incremental" not in report and "does not match the state" in report, report
    same_as_clean("removed after the index was damaged")


def test_exports_are_written_anew_when_the_last_builds_offsets_or_files_cannot_be_trusted(tmp_path: Path):
    """Splicing copies byte ranges out of the last build's exports; a damaged offsets file, an
    export cut short, or an export the last build did not write means writing every block."""
    from kg.splice import OFFSETS

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(6, sources)
    out = tmp_path / "build"
    stream_build(sources, out, "--formats", "nq,trig")
    article = sources / "articles" / "syn_000002.txt"
    for step, damage in enumerate([
            lambda: None,  # the last build wrote no Turtle or JSON-LD: nothing to copy them from
            lambda: (out / "current" / OFFSETS).write_bytes(b'{"formats": ["nq"], "blocks": 3}\n\x00'),
            lambda: os.truncate(os.path.realpath(out / "dataset.nq"), 100)]):
        damage()
        article.write_text(article.read_text(encoding="utf-8") + f"Japan signed {step + 2} deals on Monday.\n",
                           encoding="utf-8")
        report = stream_build(sources, out)
        assert "copied from the last build" not in report, report
        assert_same_as_clean_build(sources, out, tmp_path, f"damaged-{step}")
    article.write_text(article.read_text(encoding="utf-8") + "Japan signed 9 deals on Monday.\n", encoding="utf-8")
    assert "copied from the last build" in stream_build(sources, out)  # trusted again after a clean write
    assert_same_as_clean_build(sources, out, tmp_path, "spliced")


def test_large_copies_out_of_the_last_exports_run_side_by_side_and_give_the_same_files(tmp_path: Path,
                                                                                     monkeypatch) -> None:  # noqa: ANN001
    """The files' runs of unchanged blocks are copied in threads, one per file (`splice._copy_all`,
    from `PARALLEL_COPY_BYTES` up: here from the first byte); the exports are those of a clean build."""
    import threading

    from kg import splice
    from kg.build import build

    monkeypatch.setattr(splice, "PARALLEL_COPY_BYTES", 0)
    threads: list[str] = []
    copy_range = splice.copy_range

    def recorded(*args) -> None:  # noqa: ANN002
        threads.append(threading.current_thread().name)
        copy_range(*args)

    monkeypatch.setattr(splice, "copy_range", recorded)
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out, extractor=None)
    article = sorted((sources / "articles").glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nSeoul and Washington met again on Monday.\n",
                       encoding="utf-8")
    result = build(sources, ONTOLOGY, out, extractor=None)
    assert result.incremental and result.stream.copied > 0
    assert len(threads) >= 2 and all(name.startswith("kg-export-copy") for name in threads), threads
    clean = tmp_path / "clean"
    build(sources, ONTOLOGY, clean, extractor=None)
    for export in EXPORTS:
        assert (out / export).read_bytes() == (clean / export).read_bytes(), f"{export} differs from a clean build"


def test_formats_choose_the_exports_and_remove_the_others(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out = tmp_path / "build"
    for _ in range(2):  # from scratch, then over the previous build
        run_kg("build", "--sources", str(sources), "--out", str(out), "--no-parse")
        assert all((out / name).is_file() for name in EXPORTS)
        run_kg("build", "--sources", str(sources), "--out", str(out), "--no-parse", "--formats", "nq")
        assert (out / "dataset.nq").is_file()
        assert not any((out / name).exists() for name in ("dataset.trig", "graph.ttl", "dataset.jsonld"))
        result = run_kg("build", "--sources", str(sources), "--out", str(out), "--no-parse",
                        "--formats", "none")
        assert not (out / "dataset.nq").exists()
        assert len(stored_quads(out)) > 0
        assert "Wrote 2 files" in result.stdout
        deals = run_kg("query", "deals", "--build", str(out), "--sources", str(sources)).stdout
        assert "Boeing" in deals
    bad = run_kg("build", "--sources", str(sources), "--out", str(out), "--formats", "nq,xml", check=False)
    assert bad.returncode == 2 and "unknown format 'xml'" in bad.stderr


def test_a_damaged_fragment_cache_only_costs_a_slower_build(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out = tmp_path / "build"
    stream_build(sources, out, "--no-parse")
    (out / "cache" / "fragments.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{out / 'cache' / 'fragments.sqlite'}{suffix}").unlink(missing_ok=True)
    report = stream_build(sources, out, "--no-parse")
    total, rendered = report.split("Blocks: ")[1].split()[:2]
    copied = report.split("anew, ")[1].split()[0] if "copied from" in report else "0"
    # the exports are copied out of the last build's files (splice.py), so nothing needs the cache
    assert int(rendered.strip("(")) + int(copied) == int(total), report
    assert_same_as_clean_build(sources, out, tmp_path, "damaged", "--no-parse")
    edited = sources / "articles" / sorted(p.name for p in (sources / "articles").glob("*.txt"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "Japan signed a deal on Monday.\n", encoding="utf-8")
    stream_build(sources, out, "--no-parse")  # the next build still patches or loads a right store
    assert_same_as_clean_build(sources, out, tmp_path, "damaged-then-edited", "--no-parse")


def test_the_build_state_survives_a_crash_between_publishing_and_recording(tmp_path: Path, monkeypatch):
    """A build killed after it published but before it wrote its state leaves a state that no
    longer matches the published build: the next build notices, builds in full, and is right."""
    import kg.state
    from kg.build import build, default_extractor

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    generate(8, sources)
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out, extractor=default_extractor(cache=out / "cache" / "parsed"))
    generate(9, tmp_path / "more", seed=4)
    (sources / "articles" / "late_001.txt").write_text(
        (tmp_path / "more" / "articles" / "syn_000008.txt").read_text(encoding="utf-8").replace("syn_000008", "late_001"),
        encoding="utf-8")

    def crash(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(kg.state.State, "commit", crash)
    try:
        build(sources, ONTOLOGY, out, extractor=default_extractor(cache=out / "cache" / "parsed"))
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    assert "late_001" in (out / "dataset.nq").read_text(encoding="utf-8")  # published, state not written
    edited = sources / "articles" / "syn_000002.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Greece signed a deal for 24 Rafale jets.\n", encoding="utf-8")
    result = build(sources, ONTOLOGY, out, extractor=default_extractor(cache=out / "cache" / "parsed"))
    assert not result.incremental and "another build" in result.full_reason
    again = build(sources, ONTOLOGY, out, extractor=default_extractor(cache=out / "cache" / "parsed"))
    assert again.incremental  # the full build recorded a state that matches it
    assert_same_as_clean_build(sources, out, tmp_path, "after-crash")


def test_kill_9_during_an_incremental_build_leaves_the_state_consistent(tmp_path: Path):
    """SIGKILL at spread-out moments of a one-article incremental build: the published build is
    the old or the new one, and the next build (incremental or full) equals a clean build."""
    sources, out, reference = built_corpus(tmp_path, 30)
    generate(31, tmp_path / "more", seed=8)
    (sources / "articles" / "late_001.txt").write_text(
        (tmp_path / "more" / "articles" / "syn_000030.txt").read_text(encoding="utf-8").replace("syn_000030", "late_001"),
        encoding="utf-8")
    rehearsal = tmp_path / "rehearsal"
    shutil.copytree(out, rehearsal, symlinks=True)
    duration = run_build(sources, rehearsal)
    expected = snapshot(rehearsal)
    for current in killed_builds(sources, out, duration, (0.2, 0.4, 0.6, 0.75, 0.85, 0.95)):
        assert current in (reference, expected), "a kill left a build that is neither the old nor the new one"
    run_build(sources, out)
    assert snapshot(out) == expected
    edited = sources / "articles" / "syn_000004.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "Greece signed a deal for 24 Rafale jets.\n", encoding="utf-8")
    stream_build(sources, out, "--no-validate")
    assert_same_as_clean_build(sources, out, tmp_path, "after-kills", "--no-validate")


def test_a_full_build_that_meets_bad_input_half_way_leaves_no_state_behind(tmp_path: Path):
    """The registry changed (so the build is a full one) and a facts file is broken: the build
    stops with the file named, the published build and its state are as they were, and no
    half-written state file is left."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out = tmp_path / "build"
    stream_build(sources, out, "--no-parse")
    before = snapshot(out), (out / "cache" / "state.sqlite").read_bytes()
    registry = sources / "entities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    facts = sorted((sources / "facts").glob("*.yaml"))[-1]
    facts.write_text(facts.read_text(encoding="utf-8").replace("relation:", "relation: [", 1), encoding="utf-8")
    bad = run_kg("build", "--sources", str(sources), "--out", str(out), "--no-parse", check=False)
    assert bad.returncode != 0 and facts.name in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
    assert (snapshot(out), (out / "cache" / "state.sqlite").read_bytes()) == before
    assert not (out / "cache" / "state.sqlite.new").exists()


def test_a_first_build_that_fails_half_way_leaves_no_half_loaded_store(tmp_path: Path):
    """A build from nothing loads its store while it renders (`StoreLoader`); bad input met
    half-way ends the loading thread and removes the half-made store."""
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    facts = sorted((sources / "facts").glob("*.yaml"))[-1]
    facts.write_text(facts.read_text(encoding="utf-8").replace("relation:", "relation: [", 1), encoding="utf-8")
    out = tmp_path / "build"
    bad = run_kg("build", "--sources", str(sources), "--out", str(out), "--no-parse", check=False)
    assert bad.returncode != 0 and facts.name in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
    assert not (out / "cache" / "store.loading").exists() and not (out / "store").exists()


def test_the_input_fingerprint_hashes_every_input_file_by_its_path_from_the_sources_parent(tmp_path: Path):
    """What an incremental build compares with the published manifest: articles, facts and the
    registry under the sources folder (nested folders too), keyed as `sources/...`, and the
    ontology's Turtle files; other files, and a file named only ".txt", are not inputs."""
    from kg.generations import input_fingerprint

    sources = tmp_path / "sources"
    (sources / "articles" / "more").mkdir(parents=True)
    (sources / "facts").mkdir()
    files = {"articles/a.txt": b"one", "articles/more/b.txt": b"two", "facts/a.yaml": b"facts: []",
             "facts/c.yml": b"x", "entities.yaml": b"entities: []"}
    for name, data in files.items():
        (sources / name).write_bytes(data)
    (sources / "articles" / "notes.md").write_text("not an input", encoding="utf-8")
    (sources / "articles" / ".txt").write_text("no name, no suffix", encoding="utf-8")
    found = input_fingerprint(sources, ONTOLOGY)
    expected = {f"sources/{name}": hashlib.sha256(data).hexdigest() for name, data in files.items()}
    expected |= {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in ONTOLOGY.glob("*.ttl")}
    assert found == expected
    (sources / "articles" / "more" / "b.txt").write_bytes(b"changed")
    assert input_fingerprint(sources, ONTOLOGY)["sources/articles/more/b.txt"] == hashlib.sha256(b"changed").hexdigest()


def test_the_input_fingerprint_remembers_digests_only_of_files_that_did_not_change_since(tmp_path: Path,
                                                                                    monkeypatch) -> None:  # noqa: ANN001
    """With a cache file, a file whose size, times and inode are unchanged keeps its digest
    without being read; any write changes its ctime and is hashed again, even one that keeps
    the size and puts the modification time back; a file changed too recently to be sure of
    (`RACY_SECONDS`) is hashed every time, never remembered; and nothing is written until the
    build that hashed them calls `remember` (after it is published)."""
    from kg import generations
    from kg.generations import fingerprint_inputs, input_fingerprint

    sources = tmp_path / "sources"
    (sources / "articles").mkdir(parents=True)
    for name in ("a", "b"):
        (sources / "articles" / f"{name}.txt").write_bytes(name.encode() * 10)
    remember = tmp_path / "build" / "cache" / "inputs.pickle"
    plain = input_fingerprint(sources, ONTOLOGY)
    found = fingerprint_inputs(sources, ONTOLOGY, remember)
    assert found.digests == plain and not remember.exists()  # not kept before `remember`
    found.remember()
    # just written: not remembered (the ontology's files are old enough, so the cache exists)
    assert not {k for k in generations._remembered(remember) if k.startswith("sources/")}

    monkeypatch.setattr(generations, "RACY_SECONDS", -3600)  # as if every file were an hour old
    fingerprint_inputs(sources, ONTOLOGY, remember).remember()
    assert {"sources/articles/a.txt", "sources/articles/b.txt"} <= set(generations._remembered(remember))
    real = generations._sha256
    monkeypatch.setattr(generations, "_sha256", lambda path: pytest.fail(f"{path} was read again"))
    assert input_fingerprint(sources, ONTOLOGY, remember) == plain  # nothing read
    monkeypatch.setattr(generations, "_sha256", real)
    edited = sources / "articles" / "b.txt"
    before = edited.stat()
    edited.write_bytes(b"B" * 10)  # same size, mtime put back: the ctime still moves
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert input_fingerprint(sources, ONTOLOGY, remember)["sources/articles/b.txt"] == \
        hashlib.sha256(b"B" * 10).hexdigest()
    remember.write_bytes(b"not a pickle")  # a damaged cache: every file hashed again
    assert input_fingerprint(sources, ONTOLOGY, remember) == input_fingerprint(sources, ONTOLOGY)


def test_a_build_that_fails_leaves_the_remembered_input_digests_as_they_were(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The digests are kept once a build is published: a bad article found half-way leaves the
    build folder, its caches included, as the last build left it."""
    from kg import generations
    from kg.build import build
    from kg.errors import KGError

    monkeypatch.setattr(generations, "RACY_SECONDS", -3600)  # every file old enough to remember
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out = tmp_path / "build"
    build(sources, ONTOLOGY, out, extractor=None)
    kept = (out / generations.INPUTS_CACHE).read_bytes()
    article = sorted((sources / "articles").glob("*.txt"))[0]
    article.write_text(article.read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    with pytest.raises(KGError):
        build(sources, ONTOLOGY, out, extractor=None)
    assert (out / generations.INPUTS_CACHE).read_bytes() == kept


def test_conflicts_across_facts_are_found_again_only_in_the_groups_a_change_reaches(tmp_path: Path):
    """Seven real articles disagree four times; two of the disagreements are between facts: the
    value of the first Abrams batch (the United States selling tanks to Poland) and the count of
    the K2s Hyundai Rotem builds (117 against Virtual News 360's 116). Removing the Virtual News
    360 report ends the second; the first lies in a group of facts (`conflicts.across_bucket`) no
    change reached and stays as the last build wrote it, known from the state by its id. Either
    way the build equals a clean one."""
    import json
    import sqlite3

    from tests.test_time_conflicts import _real_pair

    sources = _real_pair(tmp_path, "n13_poland_abrams_chinook_ap", "n78_poland_abrams_second_batch_ap",
                         "n80_poland_apache_contract_bloomberg", "n81_poland_apache_jumpseat",
                         "n82_poland_k2_second_batch_koreaherald", "n83_poland_k2_second_tranche_indiandefensenews",
                         "n84_poland_k2_local_production_virtualnews")
    out = tmp_path / "build"
    moved = "n78_poland_abrams_second_batch_ap"

    def conflicts() -> tuple[int, list[str]]:
        with sqlite3.connect(out / "cache" / "state.sqlite") as db:
            groups = sorted(row[0] for row in db.execute("SELECT DISTINCT bucket FROM across"))
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["summary"]["conflicts"], groups

    stream_build(sources, out)
    abrams, k2 = "('Deal', 'united-states', 'poland', 'tank')", "('Deal', 'hyundai-rotem', 'poland', 'tank')"
    assert conflicts() == (4, sorted([abrams, k2]))
    aside = tmp_path / "aside"
    aside.mkdir()
    for folder, suffix in (("articles", ".txt"), ("facts", ".yaml")):
        shutil.move(sources / folder / f"{moved}{suffix}", aside)
    assert "Incremental: 1 changed article(s)" in stream_build(sources, out)
    assert conflicts() == (3, [k2])
    assert_same_as_clean_build(sources, out, tmp_path, "without")
    for folder, suffix in (("articles", ".txt"), ("facts", ".yaml")):
        shutil.move(aside / f"{moved}{suffix}", sources / folder)
    assert "Incremental: 1 changed article(s)" in stream_build(sources, out)
    assert conflicts() == (4, sorted([abrams, k2]))
    assert_same_as_clean_build(sources, out, tmp_path, "with")
