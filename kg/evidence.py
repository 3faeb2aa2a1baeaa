"""Place evidence quotes in article bodies: character offsets, context and named mentions.

This module owns "where does the quote's offset come from": a quote is searched verbatim in the
body; it must occur once, or the curator says which occurrence. Offsets are code point offsets
into the body, as the W3C Web Annotation TextPositionSelector defines them.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from .types import Entity, Mention, Span

CONTEXT_CHARS = 32


def occurrences(body: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of `quote` in `body` (overlaps included)."""
    starts, index = [], body.find(quote)
    while index != -1:
        starts.append(index)
        index = body.find(quote, index + 1)
    return starts


def closest_passage(body: str, quote: str) -> str:
    """The passage of `body` most like `quote`, to show a curator what they probably meant."""
    if not body:
        return ""
    size = max(len(quote), 1)
    step = max(1, size // 8)
    best, best_score = body[:size], -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote)
    for start in range(0, max(1, len(body) - size + step), step):
        window = body[start:start + size]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
            continue
        score = matcher.ratio()
        if score > best_score:
            best, best_score = window, score
    return best.replace("\n", " ").strip()


def context(body: str, span: Span) -> tuple[str, str]:
    """The text just before and after a span: the prefix and suffix of a TextQuoteSelector."""
    return body[max(0, span.start - CONTEXT_CHARS):span.start], body[span.end:span.end + CONTEXT_CHARS]


@lru_cache(maxsize=65536)
def _name_pattern(name: str) -> re.Pattern:
    """A name as a whole word; compiled once (re's own cache holds 512, a corpus names thousands)."""
    return re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])")


def find_mentions(body: str, span: Span, entity: Entity, article_id: str) -> tuple[Mention, ...]:
    """Where `entity` is named inside the span, by any of its names, longest names first."""
    text = body[span.start:span.end]
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for name in entity.names:
        for match in _name_pattern(name).finditer(text):
            start, end = match.start(), match.end()
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            found.append(Mention(article_id, Span(span.start + start, span.start + end), match.group(), entity.id))
    return tuple(sorted(found, key=lambda m: (m.span.start, m.span.end)))


def sentence_around(body: str, span: Span) -> Span:
    """The sentence (or line) holding `span`: from after the previous full stop or line break to
    the next one, so a name's evidence reads as a statement, not a bare word."""
    start = max(body.rfind("\n", 0, span.start), *(body.rfind(m, 0, span.start) for m in (". ", "? ", "! ")))
    start = 0 if start < 0 else start + (1 if body[start] == "\n" else 2)
    ends = [i for i in (body.find("\n", span.end), *(body.find(m, span.end) for m in (". ", "? ", "! "))) if i >= 0]
    end = min(ends) + 1 if ends else len(body)
    while start < span.start and body[start].isspace():
        start += 1
    while end > span.end and body[end - 1].isspace():
        end -= 1
    return Span(start, end)
