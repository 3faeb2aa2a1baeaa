"""A block's fragments are written in Python; they must be the bytes Oxigraph itself writes."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.fragments import nt_term, render_fragment

G = URIRef("https://example.org/graph/1")
S = URIRef("https://example.org/id/seoul")
P = URIRef("https://example.org/vocab#label")


def to_oxigraph(term: object) -> object:
    """The Oxigraph term for an rdflib one, made by Oxigraph's own constructors."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD.string)))
    return ox.NamedNode(str(term))


def _oxigraph_nquads(quads: list[tuple]) -> bytes:
    return ox.serialize([ox.Quad(*(to_oxigraph(t) for t in q)) for q in quads], format=ox.RdfFormat.N_QUADS)


def test_every_character_is_escaped_as_oxigraph_escapes_it() -> None:
    text = "".join(chr(c) for c in range(0x3000)) + "\U0001F600 \u2028\u2029 Lee's \"pragmatic\" alliance\\"
    quads = [(S, P, Literal(text), G)]
    assert render_fragment(quads).nq == _oxigraph_nquads(quads)


def test_typed_tagged_and_plain_literals_and_iris_are_written_as_oxigraph_writes_them() -> None:
    objects = [Literal("2022-11-04", datatype=XSD.date), Literal(42), Literal("0.85", datatype=XSD.decimal),
               Literal("서울", lang="ko"), Literal("Seoul", lang="en-GB"), Literal("plain"),
               Literal("typed", datatype=XSD.string), URIRef("https://example.org/id/é?q=1#x")]
    quads = [(S, P, o, G) for o in objects] + [(P, P, S, URIRef("https://example.org/graph/2"))]
    fragment = render_fragment(quads)
    assert fragment.nq == _oxigraph_nquads(quads)
    assert fragment.quads == len(quads)
    # TriG and Turtle are the same triples by graph, read back by a real parser as the same quads
    assert set(ox.parse(fragment.trig, format=ox.RdfFormat.TRIG)) == set(ox.parse(fragment.nq, format=ox.RdfFormat.N_QUADS))
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(fragment.nq, format=ox.RdfFormat.N_QUADS)}
    assert {(t.subject, t.predicate, t.object) for t in ox.parse(fragment.ttl, format=ox.RdfFormat.TURTLE)} == triples
    assert set(ox.parse(b"[" + fragment.jsonld + b"]", format=ox.RdfFormat.JSON_LD)) == \
        set(ox.parse(fragment.nq, format=ox.RdfFormat.N_QUADS))
    assert nt_term(Literal(7)) == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'


def test_the_json_ld_is_the_bytes_oxigraph_writes_for_the_same_quads() -> None:
    """Subjects, predicates and graphs that come back after another, a predicate a subject had
    before, every kind of term and every character: as Oxigraph's streaming serialiser writes it."""
    Q = URIRef("https://example.org/vocab#quote")
    H = URIRef("https://example.org/graph/2")
    text = "".join(chr(c) for c in range(0x3000)) + "\U0001F600 \u2028\u2029 \"quoted\" \\"
    objects = [Literal("2022-11-04", datatype=XSD.date), Literal(42), Literal("서울", lang="ko"),
               Literal("Seoul", lang="en-GB"), Literal(text), Literal("typed", datatype=XSD.string), S]
    quads = [(S, P, objects[0], G), (S, P, objects[1], G), (S, Q, objects[2], G), (S, P, objects[3], G),
             (P, P, objects[4], G), (P, Q, S, G), (S, Q, objects[5], H), (S, Q, objects[6], G), (S, P, S, G)]
    expected = ox.serialize([ox.Quad(*(to_oxigraph(t) for t in q)) for q in quads], format=ox.RdfFormat.JSON_LD)
    assert b"[" + render_fragment(quads).jsonld + b"]" == expected


def test_an_invalid_iri_is_refused_not_written() -> None:
    import pytest

    with pytest.raises(SyntaxError):
        render_fragment([(URIRef("not an iri"), P, Literal("x"), G)])


def test_a_cache_written_in_the_background_holds_what_a_cache_written_at_once_holds(tmp_path) -> None:  # noqa: ANN001
    from kg.fragments import FragmentCache

    fragments = {f"d{i}": render_fragment([(S, P, Literal(f"name {i}"), G)]) for i in range(50)}
    with FragmentCache(tmp_path / "bg.sqlite", background=True) as cache:
        for digest, fragment in fragments.items():
            cache.put(digest, fragment)
        cache.commit()
        # still being written: known all the same, so no build renders it twice
        assert cache.known(["d0", "d49", "other"]) == {"d0", "d49"}
        assert cache.get("d7") == fragments["d7"]  # a read waits for the writes
        # many at once, in chunks: what `get` gives one by one, the uncached left out
        many = cache.get_many([f"d{i}" for i in range(50)] * 2 + ["other"] + [f"x{i}" for i in range(600)])
        assert many == fragments
        only_nq = cache.get_many(["d3"], ["nq"])["d3"]
        assert (only_nq.nq, only_nq.jsonld, only_nq.quads) == (fragments["d3"].nq, b"", fragments["d3"].quads)
        cache.put("d50", fragments["d0"])
        cache.commit()
    with FragmentCache(tmp_path / "bg.sqlite") as cache:
        assert cache.count() == 51
        assert cache.nquads("d50") == fragments["d0"].nq


def test_a_background_write_that_fails_is_raised_not_lost(tmp_path) -> None:  # noqa: ANN001
    import sqlite3

    import pytest

    from kg.fragments import FragmentCache

    cache = FragmentCache(tmp_path / "bg.sqlite", background=True)
    cache.db.execute("DROP TABLE fragment")  # the writer's insert now fails
    cache.put("d0", render_fragment([(S, P, Literal("x"), G)]))
    cache.commit()
    with pytest.raises(sqlite3.OperationalError):
        cache.wait()
    with pytest.raises(sqlite3.OperationalError):
        cache.close()


def test_trig_and_turtle_are_the_n_quads_lines_grouped_by_graph_in_first_seen_order() -> None:
    """TriG and Turtle are not kept in the cache but made from the N-Quads: a literal holding
    spaces, an IRI and " ." must not be taken for the graph at the end of its line."""
    H = URIRef("https://example.org/graph/2")
    tricky = Literal('ends like a quad <https://example.org/graph/2> .')
    quads = [(S, P, tricky, G), (S, P, Literal("x"), H), (P, P, S, G)]
    fragment = render_fragment(quads)
    first = f'<{S}> <{P}> "ends like a quad <https://example.org/graph/2> ." .\n'.encode()
    second = f'<{S}> <{P}> "x" .\n'.encode()
    third = f"<{P}> <{P}> <{S}> .\n".encode()
    assert fragment.ttl == first + third + second
    assert fragment.trig == f"<{G}> {{\n".encode() + first + third + b"}\n" + f"<{H}> {{\n".encode() + second + b"}\n"
    assert set(ox.parse(fragment.trig, format=ox.RdfFormat.TRIG)) == set(ox.parse(fragment.nq, format=ox.RdfFormat.N_QUADS))
