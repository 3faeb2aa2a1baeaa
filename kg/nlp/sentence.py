"""The data the relation rules share: a sentence as the rules read it, the mentions found in it,
and the candidate facts they propose (see `relations`, `agreements`, `deals`, `events`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None
    kind: str | None


@dataclass
class Candidate:
    relation: str
    roles: dict[str, object]
    start: int
    end: int
    confidence: float
    rule: str


@dataclass
class Sentence:
    span: object  # a spaCy Span
    start: int
    end: int
    text: str
    mentions: list[Mention] = field(default_factory=list)
    tokens: tuple = ()
    """The sentence's tokens, made once: every rule walks them, and spaCy makes a new Python
    object at each access."""
    lowers: frozenset = frozenset()
    lemmas: frozenset = frozenset()
    ents: tuple = ()
    """The doc's entity spans inside this sentence, read once (`Span.ents` walks all of `doc.ents`)."""
    body: str = ""
    """The whole article body, which the offsets index (cheap to hold, costly to rebuild from
    the doc: `doc.text` joins every token again)."""

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity_id and m.kind in kinds]

    def ids(self, *kinds: str) -> list[str]:
        return list(dict.fromkeys(m.entity_id for m in self.of_kind(*kinds)))
