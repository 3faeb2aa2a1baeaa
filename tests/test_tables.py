"""The lookup tables drawn from the name libraries: the same answers as the libraries, written
once to the cache folder as JSON and read back from there."""

from __future__ import annotations

import json
from pathlib import Path

import countrynames
import pytest
from wordfreq import zipf_frequency

from kg.nlp import tables
from kg.nlp.gazetteer import Gazetteer


@pytest.fixture()
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tables.tables.cache_clear()
    tables._word_sets.cache_clear()
    yield tmp_path / "alliance-kg"
    tables.tables.cache_clear()
    tables._word_sets.cache_clear()


def test_tables_are_written_once_as_json_and_read_back(fresh_cache: Path):
    first = tables.tables()
    files = list(fresh_cache.glob("tables-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text(encoding="utf-8")) == first
    files[0].write_text(json.dumps({**first, "common_words": ["zebra"]}), encoding="utf-8")
    tables.tables.cache_clear()
    assert tables.tables()["common_words"] == ["zebra"]  # read from the cache, not rebuilt
    files[0].write_text("{broken", encoding="utf-8")
    tables.tables.cache_clear()
    assert tables.tables()["common_words"] == first["common_words"]  # a damaged cache is rebuilt


def test_answers_match_the_libraries(fresh_cache: Path):
    gaz = Gazetteer()
    for name in ("Polish", "South Korean", "ROK", "Türkiye", "Ivory Coast", "DPRK", "Kurdish", "Lockheed", "FR"):
        expected = countrynames.to_code(name, fuzzy=False)
        assert gaz._countrynames_code(name) == expected, name
    for word in ("Training", "Alliance", "Summit", "Zelenskyy", "Albanese", "Counterterrorism"):
        common = zipf_frequency(word.lower(), "en") >= 4.0
        assert tables.common_word(word) == common, word
