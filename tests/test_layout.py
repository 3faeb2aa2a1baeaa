"""The package's modules import each other in one direction only: no circle, lazy imports included.

A circle hidden by an import inside a function still ties the modules together (neither can be
understood, tested or moved without the other); the build modules had one (`store.py` reached back
into `build.py`), and the relation rules three (`syntax` and `relations`, `relations` and
`agreements`, `gazetteer` and `resolve`)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

KG = Path(__file__).resolve().parents[1] / "kg"


def module_name(path: Path) -> str:
    parts = path.relative_to(KG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The package's modules `path` imports, at the top or inside a function."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            for alias in node.names:  # `from . import relations` imports a module, not a name
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in modules}


def import_graph() -> nx.DiGraph:
    paths = sorted(KG.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = nx.DiGraph()
    for path in paths:
        graph.add_node(module_name(path))
        graph.add_edges_from((module_name(path), other) for other in imports_of(path, modules)
                             if other != module_name(path) and not module_name(path).startswith(other + "."))
    return graph


def test_no_import_circle_in_the_package():
    graph = import_graph()
    assert nx.is_directed_acyclic_graph(graph), list(nx.simple_cycles(graph))


def test_the_graph_sees_lazy_and_package_relative_imports():
    """The check would pass on a graph with no edges: it must see an import inside a function
    (`store` reads the manifest from `generations` lazily) and one two levels up."""
    graph = import_graph()
    assert graph.has_edge("kg.nlp.pipeline", "kg.nlp.agreements")  # `from . import agreements`
    assert graph.has_edge("kg.nlp.relations", "kg.normalize")  # `from .. import normalize`
    assert graph.has_edge("kg.nlp.relations", "kg.nlp.syntax")
    assert graph.number_of_edges() > 100
