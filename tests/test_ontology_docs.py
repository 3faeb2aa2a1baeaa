"""The example queries in ontology/README.md run against the seed build and answer."""

from __future__ import annotations

import re
from pathlib import Path

from kg.store import open_store
from tests.conftest import ONTOLOGY


def readme_queries() -> list[str]:
    text = (ONTOLOGY / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sparql\n(.*?)```", text, flags=re.S)


def test_there_are_three_example_queries():
    assert len(readme_queries()) == 3


def test_the_example_queries_answer_on_the_seed_build(seed_build: Path):
    store = open_store(seed_build)
    deals, corroborated, parsed_only = ([tuple(v.value if v is not None else None for v in row)
                                         for row in store.query(q)] for q in readme_queries())
    assert any(r[0] == "Boeing" and r[1] == "Korean Air" and r[2] == "103" and "103 jets" in r[7] for r in deals)
    assert any(int(r[2]) >= 2 for r in corroborated)
    for row in parsed_only:
        assert 0 <= float(row[2]) <= 1
