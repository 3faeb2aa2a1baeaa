"""Every error hint in the code base, walked: what a hint tells the user to run, pass, set or read
must exist. A hint naming a command the CLI does not have, an option no command takes, an
environment variable nothing reads or a file the project does not ship sends the user nowhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest

from kg.cli import main

REPO = Path(__file__).resolve().parents[1]


def _hints() -> list[tuple[str, int, str]]:
    """(file, line, text) of every `hint=` argument; f-strings keep their literal parts."""
    found = []
    for path in sorted((REPO / "kg").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "hint":
                parts = [node.value] if not isinstance(node.value, ast.JoinedStr) else node.value.values
                text = "".join(p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else "{}"
                               for p in parts)
                if isinstance(node.value, (ast.Constant, ast.JoinedStr)):
                    found.append((str(path.relative_to(REPO)), node.value.lineno, text))
    return found


def _commands() -> dict[str, click.Command]:
    assert isinstance(main, click.Group)
    return dict(main.commands)


def _options(command: click.Command) -> set[str]:
    return {name for p in command.params for name in getattr(p, "opts", []) + getattr(p, "secondary_opts", [])}


HINTS = _hints()


def test_the_walk_finds_the_hints():
    assert len(HINTS) >= 80


@pytest.mark.parametrize(("where", "line", "text"), HINTS, ids=[f"{w}:{n}" for w, n, _ in HINTS])
def test_each_hint_points_at_something_that_exists(where: str, line: int, text: str):
    commands = _commands()
    every_option = set().union(*(_options(c) for c in commands.values()))
    for command, rest in re.findall(r"\bkg ([a-z]+)((?: [^;`]*)?)", text):
        assert command in commands, f"{where}:{line} names `kg {command}`, which the CLI does not have"
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", rest):
            assert option in _options(commands[command]), f"{where}:{line}: `kg {command}` takes no {option}"
    ours = re.sub(r"`(?!kg )[^`]*`", "", text)  # another tool's command line (`riot --validate`) is not ours
    for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", ours):
        assert option in every_option, f"{where}:{line} names {option}, which no command takes"
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "kg").rglob("*.py"))
    for variable in re.findall(r"\b(KG_[A-Z_]+)\b", text):
        assert re.search(rf"[\"']{variable}[\"']", code), f"{where}:{line} names {variable}, which nothing reads"
    for file in re.findall(r"\b((?:sources|ontology|kg)/[\w./-]+\.\w+)", text):
        assert (REPO / file).exists(), f"{where}:{line} points at {file}, which the project does not ship"
