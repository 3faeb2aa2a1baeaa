"""One exception root for every kind of bad input, turned into a clean CLI message at the edge.

Each message says which file and line, what is wrong, and what to do about it; the CLI prints it
without a traceback and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Root of all errors the project raises on purpose (bad input, not bugs)."""

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class SourceError(KGError):
    """An article file is missing, unreadable, not UTF-8, empty, or has bad front matter."""


class CurationError(KGError):
    """A curated-facts or entity-registry file is malformed or cites evidence that is not there."""


class OntologyError(KGError):
    """The ontology or SHACL shapes are missing or malformed, or the graph does not conform."""


class BuildError(KGError):
    """The build cannot be written or read back (missing build, stale build, I/O failure)."""


class QueryError(KGError):
    """A SPARQL query is malformed, refused for safety, unknown by name, or timed out."""
