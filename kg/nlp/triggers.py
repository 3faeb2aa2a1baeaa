"""The trigger lexicons of `kg/data/triggers.yaml`, loaded once: rules ask "is this a sell
verb?" here instead of carrying word lists of their own."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    text = resources.files("kg").joinpath("data", "triggers.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 - a safe loader


@lru_cache(maxsize=None)
def words(kind: str) -> frozenset[str]:
    """The words of one trigger class ("sell", "buy", "deal_noun"...), lower case."""
    return frozenset(str(w).lower() for w in _lexicon().get(kind) or ())


def mapping(kind: str) -> dict[str, str]:
    return dict(_lexicon().get(kind) or {})


@lru_cache(maxsize=None)
def phrases(kind: str) -> tuple[str, ...]:
    """Multi-word entries, longest first, so the most specific phrase is matched first."""
    return tuple(sorted((str(w) for w in _lexicon().get(kind) or ()), key=lambda w: (-len(w), w)))
