"""The build commands as a user runs them: real subprocesses and click's runner."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.warm import warmable
from tests.conftest import FULL_SOURCES, ONTOLOGY, ROOT, SOURCES, run_kg


def test_build_then_stats_as_a_real_subprocess(tmp_path: Path):
    shutil.copytree(FULL_SOURCES, tmp_path / "sources")
    shutil.copytree(ONTOLOGY, tmp_path / "ontology")
    built = run_kg("build", cwd=tmp_path)
    assert "SHACL: conforms" in built.stdout
    assert "Facts by relation:" in built.stdout and "Deal" in built.stdout
    assert (tmp_path / "build" / "dataset.trig").is_file()
    # once published, the saved queries are answered in a process of their own, which outlives `kg build`
    kept, deadline = tmp_path / "build" / "cache" / "answers", time.monotonic() + 120
    while len(list(kept.rglob("*.json"))) < 2 * len(warmable()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(list(kept.rglob("*.json"))) == 2 * len(warmable())
    assert "Deal" in run_kg("query", "parsed-only", cwd=tmp_path).stdout
    stats = run_kg("stats", "--json", cwd=tmp_path)
    summary = json.loads(stats.stdout)
    articles = sorted(p.stem for p in (FULL_SOURCES / "articles").glob("*.txt"))
    assert summary["articles"] == len(articles) >= 30
    assert summary["facts_by_relation"]["Deal"] >= 5
    assert summary["entities"]["Person"] >= 30 and summary["entities"]["Country"] >= 25
    assert set(summary["facts_by_article"]) == set(articles)
    assert all(n > 0 for n in summary["facts_by_article"].values())


def test_stats_without_a_build_is_a_clear_error(tmp_path: Path):
    proc = run_kg("stats", "--build", str(tmp_path / "nothing"), check=False)
    assert proc.returncode != 0
    assert "no build found" in proc.stderr and "kg build" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_validate_conforms_on_the_sources():
    result = CliRunner().invoke(main, ["validate", "--sources", str(SOURCES), "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms:")


def test_validate_reports_problems_in_words(tmp_path: Path):
    shutil.copytree(ONTOLOGY, tmp_path / "ontology")
    shapes = tmp_path / "ontology" / "shapes.ttl"
    # a stricter shape the seed graph cannot meet: every statement must carry a topic
    shapes.write_text(shapes.read_text(encoding="utf-8") + """
akgsh:StrictStatementShape a sh:NodeShape ; sh:targetClass akg:Statement ;
    sh:property [ sh:path akg:topic ; sh:minCount 1 ; sh:message "a statement needs a topic" ] .
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", "--sources", str(SOURCES), "--ontology", str(tmp_path / "ontology")])
    assert result.exit_code == 1
    assert "Does not conform" in result.output
    assert "akg:topic: a statement needs a topic" in result.output


def test_malformed_shapes_file_is_a_clear_error(tmp_path: Path):
    shutil.copytree(ONTOLOGY, tmp_path / "ontology")
    (tmp_path / "ontology" / "shapes.ttl").write_text("@prefix broken", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--sources", str(SOURCES), "--ontology", str(tmp_path / "ontology"),
                                       "--out", str(tmp_path / "b")])
    assert result.exit_code != 0
    assert "shapes.ttl" in result.output and "malformed Turtle" in result.output
    assert not (tmp_path / "b" / "dataset.trig").exists() and not (tmp_path / "b" / "store").exists()


def test_the_build_summary_lists_the_most_productive_articles_of_a_large_corpus():
    from kg.stats import LISTED_ARTICLES, format_summary

    summary = {"articles": 500, "entities": {"Person": 3}, "facts": 900, "corroborated_facts": 1, "quads": 10,
               "facts_by_relation": {"Deal": 900}, "evidence_by_method": {"parsed": 900},
               "facts_by_article": {f"a{i:03d}": i % 7 for i in range(500)}}
    short = format_summary(summary)
    assert len(short.splitlines()) < LISTED_ARTICLES and "`kg stats` lists all" in short
    assert "  a006: 6" in short and "  a000: 0" not in short  # the most facts first
    assert len(format_summary(summary, every_article=True).splitlines()) > 500


def test_only_the_kg_program_leaves_the_collector_off_after_a_build(tmp_path: Path):
    """`kg` ends its process with the command, so a build leaves Python's cyclic collector off
    (`kg.cli.run`); `main` called from Python (a notebook, these tests) gets it back on."""
    import gc

    from kg.cli.options import PROCESS_ENDS

    args = ["build", "--sources", str(SOURCES), "--ontology", str(ONTOLOGY), "--no-parse", "--no-answer",
            "--formats", "none"]
    assert gc.isenabled()
    result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    try:
        result = CliRunner().invoke(main, [*args, "--out", str(tmp_path / "b")], obj={PROCESS_ENDS: True})
        assert result.exit_code == 0, result.output
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_kg_program_ends_without_tearing_down_its_heap_yet_keeps_its_exit_code_output_and_exit_handlers():
    """`kg.cli.run` ends the process with `os._exit` once the command is done: the exit code,
    everything printed (through a pipe, past any buffer) and the exit handlers (multiprocessing's
    among them) are kept; a message as exit code, or a thread still running, takes Python's own
    way out."""
    import subprocess
    import sys

    script = ("import atexit, sys, threading, time\n"
              "from kg.cli import _end\n"
              "atexit.register(lambda: print('handler ran', file=sys.stderr))\n"
              "print('x' * 200000)\n"
              "if sys.argv[1] == 'thread':\n"
              "    threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()\n"
              "_end(SystemExit(sys.argv[2] if sys.argv[2].isalpha() else int(sys.argv[2])))\n"
              "print('python exits')\n"
              "raise SystemExit(5)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    fast = subprocess.run([sys.executable, "-c", script, "-", "3"], capture_output=True, text=True, env=env)
    assert fast.returncode == 3 and fast.stdout == "x" * 200000 + "\n" and "handler ran" in fast.stderr
    message = subprocess.run([sys.executable, "-c", script, "-", "oops"], capture_output=True, text=True, env=env)
    assert message.returncode == 5 and "python exits" in message.stdout and "handler ran" in message.stderr
    waiting = subprocess.run([sys.executable, "-c", script, "thread", "0"], capture_output=True, text=True, env=env)
    assert waiting.returncode == 5 and "thread done" in waiting.stdout
    real = run_kg("--version")
    assert real.returncode == 0 and "version" in real.stdout
