"""kg query / kg queries / kg show and the Python API, against the seed build."""

from __future__ import annotations

import csv
import re
import io
import json
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Variable
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

import kg
from kg.cli import main
from kg.errors import QueryError
from kg.saved import saved_queries
from tests.conftest import ONTOLOGY, SOURCES, run_kg


def cli(seed_build: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(main, ["query", *args, "--build", str(seed_build), "--sources", str(SOURCES),
                                     "--ontology", str(ONTOLOGY)], input=input)


def rows(seed_build: Path, name: str, **params: str) -> list[dict]:
    return kg.open(seed_build).saved(name, **params)


def test_there_are_at_least_twelve_documented_saved_queries():
    queries = saved_queries()
    assert len(queries) >= 12
    for q in queries.values():
        assert q.title != q.name and len(q.description) > 20, q.name


def test_saved_queries_are_vouched_for_as_parsed(monkeypatch: pytest.MonkeyPatch):
    """A shipped saved query filled by `fill` is not parsed again (`sparql_safety.vouch`): each is
    read-only, local and of the form its first keyword says, as rdflib's parser finds it; a value
    that could close its IRI is refused before anything runs."""
    from kg import sparql_safety
    from kg.saved import fill, get_saved

    for name, query in saved_queries().items():
        values = {p: "2022-11-04" if p in query.dates else "https://w3id.org/alliance-kg/id/entity/boeing"
                  for p in query.params}
        text = fill(query, values)
        vouched = sparql_safety.inspect_query(text)
        again = sparql_safety.inspect_query(vouched.text)  # the text with its prologue, inspected again
        with monkeypatch.context() as patch:
            patch.setattr(sparql_safety, "_VOUCHED", {})
            assert sparql_safety.inspect_query.__wrapped__(text) == vouched, name  # parsed and checked
            assert sparql_safety.inspect_query.__wrapped__(vouched.text) == again, name
    for bad in ("http://x> } SERVICE <http://example.org/sparql> { ?s ?p ?o", "boeing", "http://x y"):
        with pytest.raises(QueryError, match="is not an IRI"):
            fill(get_saved("entity"), {"entity": bad})
    edited = get_saved("deals").__class__(**{**get_saved("deals").__dict__, "text": "SELECT * { SERVICE <http://x> {} }"})
    with pytest.raises(QueryError, match="SERVICE is refused"):  # only the shipped text is vouched for
        sparql_safety.inspect_query(fill(edited, {}))


def test_every_saved_query_runs_and_answers(seed_build: Path):
    for name, query in saved_queries().items():
        params = {"entity": "Boeing"} if "entity" in query.params else {}
        params.update({p: "2022-11-04" for p in query.dates})
        result = rows(seed_build, name, **params)
        if name not in ("parsed-only", "conflicts"):  # the seeds agree with each other
            assert result, f"{name} returned no rows"


def test_deals(seed_build: Path):
    deals = rows(seed_build, "deals")
    boeing = [d for d in deals if d["seller"] == "Boeing" and d["buyer"] == "Korean Air"]
    assert len(boeing) == 1  # one row per fact, its curated and parsed evidence counted, not repeated
    assert {"quantity": 103, "unit": "jet", "evidence": 2, "articles": 1}.items() <= boeing[0].items()
    assert set(boeing[0]["methods"].split()) == {"curated", "parsed"}
    assert boeing[0]["quote"] == "Boeing announced it reached a deal to sell 103 jets to Korean Air"  # the curated one
    assert boeing[0]["article"] == "000_39871138011cc3fb"
    every = [r for r in rows(seed_build, "evidence", entity="Boeing") if r["relation"] == "Deal"]
    assert len(every) == 2 and {r["method"] for r in every} == {"curated", "parsed"}
    assert all(r["quote"] in ("Boeing announced it reached a deal to sell 103 jets to Korean Air",) or
               "103 jets" in r["quote"] for r in every)


def test_meetings(seed_build: Path):
    found = {(r["kind"], r["participant"], str(r["date"]) if r["date"] else None) for r in rows(seed_build, "meetings")}
    assert ("Meeting", "Lee Jong-sup", "2022-11-04") in found
    assert ("Meeting", "Lloyd J. Austin III", "2022-11-04") in found
    assert ("Summit", "Lee Jae Myung", None) in found and ("Summit", "Donald Trump", None) in found


def test_alliances_treaties_positions(seed_build: Path):
    alliances = rows(seed_build, "alliances")
    assert {r["member"] for r in alliances} >= {"South Korea", "United States"}
    assert max(r["articles"] for r in alliances) == 3
    treaties = rows(seed_build, "treaties")
    assert {(r["name"], str(r["year"])) for r in treaties} >= {("Mutual Defense Treaty", "1953")}
    positions = {(r["person"], r["title"]) for r in rows(seed_build, "positions")}
    assert ("Lee Jae Myung", "President") in positions and ("Lee Jong-sup", "Defense Minister") in positions


def test_statements_by_a_person(seed_build: Path):
    trump = rows(seed_build, "statements", speaker="Trump")
    assert trump and {r["speaker"] for r in trump} == {"Donald Trump"}
    assert any("big buyer" in r["words"] for r in trump)
    assert len(rows(seed_build, "statements")) > len(trump)
    facts = [r["fact"] for r in trump]
    assert len(facts) == len(set(facts))  # one row per statement, however many records report it


def test_contributions_corroboration_timeline_investments(seed_build: Path):
    contributions = rows(seed_build, "article-contributions")
    assert {r["article"] for r in contributions} == {"000_39871138011cc3fb", "001_98e274533191068e",
                                                     "002_198e07666666ebd1"}
    corroborated = rows(seed_build, "corroborated")
    assert all(r["articles"] >= 2 for r in corroborated) and any(r["relation"] == "Summit" for r in corroborated)
    timeline = rows(seed_build, "timeline")
    dates = [str(r["date"]) for r in timeline]
    assert "2022-11-03" in dates and "2022-11-04" in dates
    investments = rows(seed_build, "investments")
    assert any(r["investor"] == "Hyundai Motor Group" and r["amount"] == Decimal("26000000000")
               and r["currency"] == "USD" for r in investments)


def test_everything_about_one_entity(seed_build: Path):
    about = rows(seed_build, "entity", entity="lee jong-sup")
    assert {r["relation"] for r in about} >= {"Meeting", "Position", "Statement"}
    assert all(r["article"] == "002_198e07666666ebd1" for r in about)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml", "table"])
def test_select_formats_parse_back(seed_build: Path, fmt: str):
    result = cli(seed_build, "deals", "--format", fmt)
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "csv":
        table = list(csv.DictReader(io.StringIO(out)))
        assert table[0]["seller"] == "Boeing" and table[0]["quantity"] == "103"
    elif fmt == "tsv":
        parsed = list(ox.parse_query_results(out.encode(), ox.QueryResultsFormat.TSV))
        assert parsed[0]["quantity"].value == "103"
    elif fmt == "json":
        data = json.loads(out)
        assert data["results"]["bindings"][0]["seller"]["value"] == "Boeing"
    elif fmt == "xml":
        parsed = XMLResultParser().parse(io.BytesIO(out.encode()))
        assert str(parsed.bindings[0][Variable("seller")]) == "Boeing"
    else:
        assert "Boeing" in out and re.search(r"\(\d+ rows?\)", out)


@pytest.mark.parametrize("fmt, rdf_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_construct_formats_parse_back(seed_build: Path, fmt: str, rdf_format: str):
    result = cli(seed_build, "CONSTRUCT { ?d akg:seller ?s } WHERE { ?d a akg:Deal ; akg:seller ?s }", "--format", fmt)
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.output, format=rdf_format)
    assert len(graph) == 1


def test_describe_and_ask(seed_build: Path):
    described = cli(seed_build, "DESCRIBE ent:boeing")
    assert described.exit_code == 0 and "Boeing" in described.output
    assert cli(seed_build, "ASK { ?d a akg:Deal }").output.strip() == "yes"
    no = cli(seed_build, "ASK { ?d a akg:Treaty ; akg:year \"1066\"^^xsd:gYear }")
    assert no.output.strip() == "no" and no.exit_code == 1


def test_query_from_file_and_stdin_and_limit(seed_build: Path, tmp_path: Path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT ?s WHERE { ?s a akg:Statement }", encoding="utf-8")
    from_file = cli(seed_build, "--file", str(path), "--limit", "2", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(from_file.output)))) == 3
    from_stdin = cli(seed_build, "-", "--format", "json", input="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(json.loads(from_stdin.output)["results"]["bindings"][0]["n"]["value"]) > 1000


@pytest.mark.parametrize("query, message", [
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM and FROM NAMED are refused"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM and FROM NAMED are refused"),
    ("LOAD <file:///etc/passwd>", "updates are refused"),
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "updates are refused"),
    ("DELETE WHERE { ?s ?p ?o }", "updates are refused"),
    ("DROP ALL", "updates are refused"),
    ("CLEAR DEFAULT", "updates are refused"),
])
def test_refusals(seed_build: Path, query: str, message: str):
    before = len(kg.open(seed_build))
    result = cli(seed_build, query)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert len(kg.open(seed_build)) == before


def test_update_only_with_the_explicit_option(seed_build: Path, tmp_path: Path):
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    insert = "INSERT DATA { GRAPH <http://example.org/notes> { ent:boeing rdfs:comment \"checked\" } }"
    refused = cli(build, insert)
    assert refused.exit_code != 0
    applied = cli(build, insert, "--allow-update", "--allow-stale")
    assert applied.exit_code == 0, applied.output
    assert kg.open(build).query("ASK { ent:boeing rdfs:comment \"checked\" }") is True
    load = cli(build, "LOAD <file:///etc/passwd>", "--allow-update", "--allow-stale")
    assert load.exit_code != 0 and "LOAD is refused" in load.output


def test_syntax_error_names_line_and_column(seed_build: Path):
    result = cli(seed_build, "SELECT * WHERE {\n  ?s ?p\n}")
    assert result.exit_code != 0 and "syntax error at line" in result.output and "column" in result.output


def test_unknown_saved_query_suggests(seed_build: Path):
    result = cli(seed_build, "dealz")
    assert result.exit_code != 0 and "did you mean 'deals'" in result.output


def test_missing_build(tmp_path: Path):
    result = CliRunner().invoke(main, ["query", "deals", "--build", str(tmp_path / "nope")])
    assert result.exit_code != 0 and "no SPARQL store" in result.output and "kg build" in result.output


def test_stale_build_is_reported(seed_build: Path, sources_copy: Path):
    facts = sources_copy / "facts" / "000_39871138011cc3fb.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", "deals", "--build", str(seed_build), "--sources", str(sources_copy),
                                       "--ontology", str(ONTOLOGY)])
    assert result.exit_code != 0 and "stale" in result.output and "facts/000_39871138011cc3fb.yaml" in result.output
    allowed = CliRunner().invoke(main, ["query", "deals", "--build", str(seed_build), "--sources", str(sources_copy),
                                        "--ontology", str(ONTOLOGY), "--allow-stale"])
    assert allowed.exit_code == 0


def test_timeout_stops_a_runaway_query_cleanly(seed_build: Path):
    started = time.monotonic()
    result = cli(seed_build, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", "--timeout", "1")
    assert result.exit_code != 0 and "timeout" in result.output
    assert time.monotonic() - started < 15


def test_show_entity_by_alias_and_case(seed_build: Path):
    result = CliRunner().invoke(main, ["show", "LLOYD AUSTIN", "--build", str(seed_build), "--sources", str(SOURCES),
                                       "--ontology", str(ONTOLOGY)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Lloyd J. Austin III")
    assert "54th Security Consultative Meeting" in result.output and "002_198e07666666ebd1, 2022-11-04" in result.output
    assert "“" in result.output


def test_show_ambiguous_and_unknown(seed_build: Path):
    lee = CliRunner().invoke(main, ["show", "Lee", "--build", str(seed_build), "--allow-stale"])
    assert lee.exit_code != 0 and "Lee Jae Myung" in lee.output and "Lee Jong-sup" in lee.output
    typo = CliRunner().invoke(main, ["show", "Boieng", "--build", str(seed_build), "--allow-stale"])
    assert typo.exit_code != 0 and "did you mean" in typo.output


def test_api_rows_dataframe_and_show(seed_build: Path):
    graph = kg.open(seed_build)
    frame = graph.query("SELECT ?label WHERE { ?e a schema:Person ; rdfs:label ?label } ORDER BY ?label", df=True)
    assert "Lee Jong-sup" in list(frame["label"])
    facts = graph.show("Korean Air")
    assert facts[0].relation == "Deal" and "103 jets" in facts[0].quotes[0].text
    with pytest.raises(QueryError):
        graph.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_queries_listing_and_a_real_subprocess(seed_build: Path):
    listing = run_kg("queries")
    assert "deals" in listing.stdout and "Who met whom" in listing.stdout
    proc = run_kg("query", "deals", "--format", "csv", "--build", str(seed_build), "--allow-stale")
    assert "Boeing,Korean Air" in proc.stdout


def test_federated_examples_parse_their_local_part_answers_and_kg_refuses_to_run_them(seed_build: Path):
    import re

    import pytest
    from rdflib.plugins.sparql import prepareQuery

    from kg.errors import QueryError
    from kg.query import run_query
    from kg.saved import federated_queries, get_saved

    examples = federated_queries()
    assert examples
    for name, example in examples.items():
        prepareQuery(example.text)  # real SPARQL 1.1 with SERVICE, parsed and never executed
        assert "SERVICE <https://query.wikidata.org/sparql>" in example.text
        local = re.sub(r"SERVICE <[^>]+> \{.*?\}\n", "", example.text, flags=re.S)  # what the graph itself answers
        assert "SERVICE <" not in local
        answer = json.loads(run_query(seed_build, local, "json").text)
        assert answer["results"]["bindings"], name
        with pytest.raises(QueryError, match="federated example"):
            get_saved(name)
    with pytest.raises(QueryError, match="SERVICE is refused"):
        run_query(seed_build, examples["wikidata-population"].text, "json")


def test_an_answer_is_kept_per_build_and_dropped_when_the_store_or_the_build_changes(seed_build: Path, tmp_path: Path):
    """The second ask of a query reads the answer the build already gave (the on-disk store pays for
    every lookup); an update in place or a new build never shows an answer kept for the old store."""
    from kg import answers

    build = tmp_path / "build"
    shutil.copytree(seed_build, build, symlinks=True)
    shutil.rmtree(build / answers.ANSWERS_DIR, ignore_errors=True)
    first = cli(build, "deals", "--format", "csv", "--allow-stale")
    generation = answers.generation_of(build)
    kept = list((build / answers.ANSWERS_DIR / generation).glob("*.json"))
    assert first.exit_code == 0 and len(kept) == 1
    assert json.loads(kept[0].read_text(encoding="utf-8"))["kind"] == "select"  # the answer as printed
    again = cli(build, "deals", "--format", "csv", "--allow-stale")
    assert again.output == first.output  # read back: the same bytes, in every format
    kept[0].write_bytes(b"{not json")  # a damaged answer is computed again, never shown
    assert cli(build, "deals", "--format", "csv", "--allow-stale").output == first.output
    assert cli(build, "deals", "--format", "json", "--allow-stale").output == \
        cli(build, "deals", "--format", "json", "--allow-stale").output
    api = kg.open(build).saved("deals")  # the Python API keeps the W3C SPARQL JSON results
    assert any("bindings" in json.loads(p.read_text(encoding="utf-8")).get("results", {})
               for p in (build / answers.ANSWERS_DIR / generation).glob("*.json"))
    assert api == kg.open(build).saved("deals") and len(api) == len(list(csv.reader(io.StringIO(first.output)))) - 1

    ask = "ASK { ent:boeing rdfs:comment \"checked\" }"
    assert cli(build, ask, "--allow-stale").output.strip() == "no"
    assert cli(build, "INSERT DATA { GRAPH <http://example.org/notes> { ent:boeing rdfs:comment \"checked\" } }",
               "--allow-update", "--allow-stale").exit_code == 0
    assert cli(build, ask, "--allow-stale").output.strip() == "yes"  # the kept "no" was dropped with the update

    # a newly published build: answers of the old generation are neither shown nor kept
    new_generation = build / f".{generation}x"
    shutil.copytree(build / f".{generation}", new_generation, symlinks=True)
    (build / "current").unlink()
    (build / "current").symlink_to(new_generation.name)
    store = ox.Store(str(new_generation / "store"))
    store.update("DELETE WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#comment> ?o } }")
    store.flush()
    del store
    assert cli(build, ask, "--allow-stale").output.strip() == "no"
    assert [p.name for p in (build / answers.ANSWERS_DIR).iterdir()] == [f"{generation}x"]
