"""Shared fixtures: the project's folders, and builds made in temporary folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parent.parent
FULL_SOURCES = ROOT / "sources"
ONTOLOGY = ROOT / "ontology"
SEED_IDS = ("000_39871138011cc3fb", "001_98e274533191068e", "002_198e07666666ebd1")


def _seed_sources() -> Path:
    """The three seed articles with their curated facts and the whole registry: the small,
    fixed graph most tests assert on (the shipped corpus grows; these tests should not)."""
    import atexit
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="akg-seed-sources-")) / "sources"
    (folder / "articles").mkdir(parents=True)
    (folder / "facts").mkdir()
    for article_id in SEED_IDS:
        shutil.copy2(FULL_SOURCES / "articles" / f"{article_id}.txt", folder / "articles")
        shutil.copy2(FULL_SOURCES / "facts" / f"{article_id}.yaml", folder / "facts")
    shutil.copy2(FULL_SOURCES / "entities.yaml", folder)
    shutil.copy2(FULL_SOURCES / "README.md", folder)
    atexit.register(shutil.rmtree, folder.parent, True)
    return folder


SOURCES = _seed_sources()


def run_kg(*args: str, cwd: Path | None = None, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m kg` as a real subprocess, importing this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, **kwargs)
    if check and proc.returncode != 0:
        raise AssertionError(f"kg {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A private copy of sources/ that a test may edit."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed articles built once per test session, curated and parsed, into a temporary folder."""
    from kg.build import build, default_extractor

    out = tmp_path_factory.mktemp("seed-build") / "build"
    build(SOURCES, ONTOLOGY, out, extractor=default_extractor())
    return out
