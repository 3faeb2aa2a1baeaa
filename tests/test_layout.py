"""The build modules import each other in one direction only: no circle, lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

KG = Path(__file__).resolve().parents[1] / "kg"
BUILD_MODULES = ("build", "store", "stream", "generations", "fragments", "assemble", "merge", "conflicts",
                 "timeline")


def imports_of(module: str) -> set[str]:
    tree = ast.parse((KG / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):  # every import, at the top or inside a function
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(BUILD_MODULES)


def test_no_import_circle_among_the_build_modules():
    graph = nx.DiGraph()
    for module in BUILD_MODULES:
        graph.add_node(module)
        graph.add_edges_from((module, other) for other in imports_of(module))
    assert nx.is_directed_acyclic_graph(graph), list(nx.simple_cycles(graph))
