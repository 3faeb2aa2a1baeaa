"""The closed Python vocabulary matches the ontology; every CLI command documents itself."""

from __future__ import annotations

import click
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.assemble import ROLE_PROPERTIES
from kg.cli import main
from kg.relations import RELATIONS
from kg.vocab import AKG
from tests.conftest import ONTOLOGY


def ontology_terms() -> tuple[Graph, set[str]]:
    g = Graph().parse(ONTOLOGY / "alliance.ttl")
    ns = str(AKG._NS)
    return g, {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns) and str(s) != ns}


def test_python_namespace_matches_the_ontology():
    _, terms = ontology_terms()
    assert terms == set(AKG.__annotations__)


def test_every_term_has_a_label_and_a_comment():
    g, terms = ontology_terms()
    for term in terms:
        assert g.value(AKG[term], RDFS.label) is not None, term
        if (AKG[term], RDF.type, OWL.NamedIndividual) not in g:
            assert g.value(AKG[term], RDFS.comment) is not None, term


def test_every_relation_has_a_class_and_every_role_a_property():
    g, _ = ontology_terms()
    for name, spec in RELATIONS.items():
        assert (AKG[name], RDF.type, OWL.Class) in g
        for role in spec.role_names:
            assert role in ROLE_PROPERTIES


def test_every_command_has_help_with_an_example():
    def walk(group: click.Group, prefix: str = ""):
        for name, command in group.commands.items():
            yield prefix + name, command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + name + " ")
    for name, command in walk(main):
        assert command.help, name
        assert "Example" in command.help, f"`kg {name} --help` has no Example block"
