"""The conflicts of a build, read back from its store for people: `kg conflicts`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .query import run_query
from .saved import get_saved


@dataclass
class Side:
    value: str
    quotes: list[tuple[str, str]] = field(default_factory=list)
    """(article id, quote) for every evidence record that states this value."""


@dataclass
class ConflictView:
    id: str
    relation: str
    role: str
    sides: list[Side] = field(default_factory=list)


def read_conflicts(build_dir: Path) -> list[ConflictView]:
    """Every akg:Conflict of the build, with each side's value and quotes, in a stable order."""
    answer = run_query(build_dir, get_saved("conflicts").text, "json")
    found: dict[str, ConflictView] = {}
    for row in json.loads(answer.text)["results"]["bindings"]:
        def get(name: str) -> str:
            return row[name]["value"] if name in row else ""

        view = found.setdefault(get("conflict"), ConflictView(get("conflict"), get("relation"), get("role")))
        side = next((s for s in view.sides if s.value == get("value")), None)
        if side is None:
            side = Side(get("value"))
            view.sides.append(side)
        if (get("article"), get("quote")) not in side.quotes:
            side.quotes.append((get("article"), get("quote")))
    return [found[k] for k in sorted(found)]


def format_conflicts(views: list[ConflictView], width: int = 100) -> str:
    if not views:
        return "No conflicts: no two articles disagree about the same deal, event or agreement."
    lines = [f"{len(views)} conflict(s) — the same fact, told differently:"]
    for view in views:
        lines.append("")
        lines.append(f"{view.relation} · {view.role} · {view.id}")
        for side in view.sides:
            lines.append(f"  {view.role} = {side.value}")
            for article, quote in side.quotes:
                short = quote if len(quote) <= width else quote[:width - 1] + "…"
                lines.append(f"    [{article}] “{short}”")
    return "\n".join(lines)
