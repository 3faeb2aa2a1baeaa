"""The seed build: content, provenance read back through spans, round trips, determinism."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDF

from kg.build import build
from kg.ontology import union_graph, validate
from kg.sources import read_articles
from kg.vocab import AKG, OA, PREFIXES, PROVENANCE_GRAPH
from tests.conftest import ONTOLOGY, ROOT, SOURCES

Q = "".join(f"PREFIX {p}: <{i}>\n" for p, i in PREFIXES.items())
OUTPUTS = ("dataset.trig", "dataset.nq", "graph.ttl", "dataset.jsonld", "manifest.json")


@pytest.fixture(scope="module")
def dataset(seed_build: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(seed_build / "dataset.trig", format="trig")
    return ds


def rows(ds: Dataset, query: str) -> list[tuple]:
    return [tuple(row) for row in ds.query(Q + query)]


def test_build_writes_every_output(seed_build: Path):
    for name in OUTPUTS:
        assert (seed_build / name).stat().st_size > 0
    assert (seed_build / "store").is_dir()


def test_boeing_sells_103_jets_to_korean_air_with_evidence_at_its_span(dataset: Dataset):
    found = rows(dataset, """
        SELECT ?qty ?unit ?quote ?start ?end ?article WHERE {
          GRAPH ?fact { ?deal a akg:Deal ; akg:seller ent:boeing ; akg:buyer ent:korean-air ;
                               akg:quantity [ schema:value ?qty ; schema:unitText ?unit ] }
          ?fact akg:hasEvidence ?ev .
          ?ev akg:method akg:Curated ; prov:wasDerivedFrom ?article ;
              oa:hasTarget/oa:hasSelector ?qs , ?ps .
          ?qs oa:exact ?quote . ?ps oa:start ?start ; oa:end ?end .
        }""")
    assert found, "no Boeing -> Korean Air deal in the graph"
    articles = {a.id: a for a in read_articles(SOURCES)}
    for qty, unit, quote, start, end, article in found:
        assert qty.toPython() == 103 and str(unit) == "jet"
        body = articles[str(article).rsplit("/", 1)[-1]].body
        assert body[start.toPython():end.toPython()] == str(quote)
        assert "103 jets" in str(quote)


def test_every_evidence_quote_is_at_its_span(dataset: Dataset):
    articles = {a.id: a for a in read_articles(SOURCES)}
    found = rows(dataset, """
        SELECT ?id ?quote ?start ?end WHERE {
          ?ev a akg:Evidence ; oa:hasTarget ?t . ?t oa:hasSource/dcterms:identifier ?id ;
              oa:hasSelector ?q , ?p . ?q oa:exact ?quote . ?p oa:start ?start ; oa:end ?end . }""")
    assert len(found) >= 30
    for article_id, quote, start, end in found:
        assert articles[str(article_id)].body[int(start):int(end)] == str(quote)


def test_lee_in_the_security_consultative_meeting_is_lee_jong_sup(dataset: Dataset):
    denoted = rows(dataset, """
        SELECT DISTINCT ?entity WHERE {
          ?ev prov:wasDerivedFrom art:002_198e07666666ebd1 ; akg:hasMention ?m .
          ?m akg:surfaceForm "Lee" ; akg:denotes ?entity . }""")
    assert {str(e).rsplit("/", 1)[-1] for (e,) in denoted} == {"lee-jong-sup"}
    elsewhere = rows(dataset, """
        SELECT DISTINCT ?entity WHERE {
          ?ev prov:wasDerivedFrom art:000_39871138011cc3fb ; akg:hasMention ?m .
          ?m akg:surfaceForm "Lee" ; akg:denotes ?entity . }""")
    assert {str(e).rsplit("/", 1)[-1] for (e,) in elsewhere} == {"lee-jae-myung"}


def test_the_security_consultative_meeting(dataset: Dataset):
    found = rows(dataset, """
        SELECT ?date WHERE { ?m a akg:Meeting ; akg:participant ent:lee-jong-sup , ent:lloyd-austin ;
                             akg:date ?date }""")
    assert [d.toPython().isoformat() for (d,) in found] == ["2022-11-04"]


def test_relative_date_last_night_resolves_against_article_date(dataset: Dataset):
    found = rows(dataset, "SELECT ?date WHERE { ?l a akg:MissileLaunch ; akg:launcher ent:north-korea ; akg:date ?date }")
    assert "2022-11-03" in {str(d) for (d,) in found}


def test_hyundai_investment_is_normalised(dataset: Dataset):
    found = rows(dataset, """
        SELECT ?amount ?currency WHERE { ?i a akg:Investment ; akg:investor ent:hyundai-motor-group ;
            akg:value [ schema:value ?amount ; schema:currency ?currency ] }""")
    assert (Decimal("26000000000"), "USD") in {(a.toPython(), str(c)) for a, c in found}


def test_mutual_defense_treaty_signed_1953(dataset: Dataset):
    found = rows(dataset, """SELECT ?year WHERE { ?t a akg:Treaty ; akg:party ent:united-states , ent:south-korea ;
                                                  akg:year ?year }""")
    assert "1953" in {str(y) for (y,) in found}


def test_kim_jong_un_is_one_entity(dataset: Dataset):
    found = rows(dataset, "SELECT ?e WHERE { ?e rdfs:label ?l FILTER(CONTAINS(LCASE(?l), 'kim jong')) }")
    assert len({e for (e,) in found}) == 1


def test_lee_trump_summit_is_corroborated_by_two_articles(dataset: Dataset):
    found = rows(dataset, """
        SELECT ?n WHERE { GRAPH ?f { ?s a akg:Summit ; akg:participant ent:lee-jae-myung , ent:donald-trump }
                          ?f akg:articleCount ?n }""")
    assert found and max(n.toPython() for (n,) in found) >= 2


def test_statements_have_speaker_words_and_evidence(dataset: Dataset):
    found = rows(dataset, """
        SELECT ?words WHERE { GRAPH ?f { ?s a akg:Statement ; akg:speaker ent:donald-trump ; schema:text ?words }
                              ?f akg:hasEvidence ?ev }""")
    assert any("big buyer of US military equipment" in str(w) for (w,) in found)


def test_every_entity_has_label_and_type_and_countries_have_iso_codes(dataset: Dataset):
    assert not rows(dataset, "SELECT ?e WHERE { GRAPH graph:entities { ?e ?p ?o } FILTER NOT EXISTS { ?e rdfs:label ?l } }")
    codes = dict(rows(dataset, "SELECT ?e ?c WHERE { ?e a schema:Country ; akg:iso3166Code ?c }"))
    assert {str(k).rsplit("/", 1)[-1]: str(v) for k, v in codes.items()}.get("south-korea") == "KR"


def test_unknown_article_metadata_is_not_invented(dataset: Dataset):
    assert not rows(dataset, "SELECT ?d WHERE { art:000_39871138011cc3fb dcterms:date ?d }")
    assert [str(d) for (d,) in rows(dataset, "SELECT ?d WHERE { art:002_198e07666666ebd1 dcterms:date ?d }")] == ["2022-11-04"]


def test_boilerplate_is_not_in_the_body():
    article = {a.id: a for a in read_articles(SOURCES)}["001_98e274533191068e"]
    assert "Subscribe" not in article.body and "payment" not in article.body
    assert "Subscribe" in article.raw
    original = (ROOT.parent / "shared" / "seeds" / "001_98e274533191068e.txt")
    if original.exists():
        assert article.raw.encode("utf-8") == original.read_bytes()


def test_original_text_is_kept_byte_for_byte():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("shared/seeds is not beside this checkout")
    for article in read_articles(SOURCES):
        if (seeds / f"{article.id}.txt").exists():
            assert article.raw.encode("utf-8") == (seeds / f"{article.id}.txt").read_bytes()


def test_rdflib_and_pyoxigraph_read_the_same_number_of_quads(seed_build: Path):
    for name, fmt, oxfmt in (("dataset.trig", "trig", ox.RdfFormat.TRIG), ("dataset.nq", "nquads", ox.RdfFormat.N_QUADS)):
        ds = Dataset()
        ds.parse(seed_build / name, format=fmt)
        store = ox.Store()
        store.load(path=str(seed_build / name), format=oxfmt)
        assert len(ds) == len(store) > 500, name
    jsonld = Dataset()
    jsonld.parse(seed_build / "dataset.jsonld", format="json-ld")
    assert len(jsonld) == len(store)
    union = Graph().parse(seed_build / "graph.ttl", format="turtle")
    assert len(union) == len(list(ox.parse(path=str(seed_build / "graph.ttl"), format=ox.RdfFormat.TURTLE)))
    assert len(union) == len({(q.subject, q.predicate, q.object) for q in store})


def test_same_inputs_give_byte_identical_files(tmp_path: Path):
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"b{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "kg", "build", "--sources", str(SOURCES), "--ontology", str(ONTOLOGY),
                        "--out", str(out)], check=True, env=env, capture_output=True)
        outs.append(out)
    for name in OUTPUTS:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_the_build_conforms_to_the_shapes(dataset: Dataset):
    report = validate(dataset, ONTOLOGY)
    assert report.conforms, report.text


def test_shapes_catch_a_quote_that_is_not_at_its_span(dataset: Dataset):
    tampered = Dataset(default_union=True)
    for quad in dataset.quads((None, None, None, None)):
        tampered.add(quad)
    prov = tampered.graph(PROVENANCE_GRAPH)
    selector = next(prov.subjects(RDF.type, OA.TextPositionSelector))
    start = prov.value(selector, OA.start)
    prov.set((selector, OA.start, Literal(start.toPython() + 1, datatype=start.datatype)))
    report = validate(tampered, ONTOLOGY)
    assert not report.conforms
    assert "not the text at its span" in report.text


def test_validating_reads_the_shapes_once_and_again_when_they_change(dataset: Dataset, tmp_path: Path):
    """The parsed shapes and ontology are kept between checks: pySHACL adds two RDFS axioms to
    the shapes at its first check and must change them no further, and an edited shapes file
    must be read again."""
    import shutil

    from kg.ontology import ONTOLOGY_FILE, SHAPES_FILE, _shapes_and_ontology

    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder)
    shapes, ontology = _shapes_and_ontology(folder / SHAPES_FILE, folder / ONTOLOGY_FILE)
    assert validate(dataset, folder).conforms
    before = (set(shapes), set(ontology))
    assert validate(dataset, folder).conforms
    assert _shapes_and_ontology(folder / SHAPES_FILE, folder / ONTOLOGY_FILE)[0] is shapes
    assert (set(shapes), set(ontology)) == before
    text = (folder / SHAPES_FILE).read_text(encoding="utf-8")
    (folder / SHAPES_FILE).write_text(text.replace("sh:minLength 1 ]", "sh:minLength 100000 ]", 1), encoding="utf-8")
    assert not validate(dataset, folder).conforms


def test_a_check_pins_nothing_of_its_caller(dataset: Dataset):
    """rdflib's SPARQL parser leaves reference cycles through its frames; run on the caller's
    stack they held the caller's frame, and so everything the build had, until a full collection
    (`ontology._on_own_stack`). With the collector off, what the caller held is freed as soon as
    the caller is done."""
    import gc
    import weakref

    class Held:
        pass

    def caller() -> "weakref.ref[Held]":
        held = Held()
        assert validate(dataset, ONTOLOGY).conforms  # the quote constraint is parsed and evaluated
        return weakref.ref(held)

    gc.collect()
    gc.disable()
    try:
        assert caller()() is None
    finally:
        gc.enable()


def test_shapes_catch_a_fact_without_evidence(dataset: Dataset):
    tampered = Dataset(default_union=True)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if p != AKG.hasEvidence:
            tampered.add((s, p, o, g))
    report = validate(tampered, ONTOLOGY)
    assert not report.conforms and "at least one evidence" in report.text


def test_build_without_writing(tmp_path: Path):
    result = build(SOURCES, ONTOLOGY, None)
    assert result.outputs == [] and result.summary["facts"] == len(result.facts)
    assert len(union_graph(result.dataset)) > 0


def _quads_of_dataset(dataset) -> set:  # noqa: ANN001 - an rdflib Dataset
    import pyoxigraph as ox

    data = dataset.serialize(format="nquads").encode("utf-8")
    return set(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def _quads_of_file(path: Path) -> set:
    import pyoxigraph as ox

    return set(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("synthetic", [0, 300])
def test_the_written_build_is_the_dataset_assembled_in_memory(tmp_path: Path, synthetic: int):
    """Two ways through assembly: blocks rendered into fragments and files (every written build),
    and the whole dataset in rdflib (`build(..., out=None)`, for Python callers and `kg validate`).
    On the shipped sources and on a 300-article synthetic corpus they hold the same quads."""
    import shutil

    from kg.build import default_extractor
    from tests.benchmarks.synthetic_articles import generate

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    if synthetic:
        generate(synthetic, sources)
    parsed = tmp_path / "parsed"
    written = build(sources, ONTOLOGY, tmp_path / "build", extractor=default_extractor(cache=parsed),
                    check_shapes=False, formats=("nq",))
    in_memory = build(sources, ONTOLOGY, None, extractor=default_extractor(cache=parsed), check_shapes=False)
    assert written.summary["facts"] == len(in_memory.facts)
    assert _quads_of_file(tmp_path / "build" / "dataset.nq") == _quads_of_dataset(in_memory.dataset)


def test_a_callers_own_extractor_and_yml_facts_take_the_one_written_path(tmp_path: Path):
    """A Python caller's extractor (any callable) and facts files named `.yml` are written by the
    same streamed build as everything else: the files hold what the in-memory assembly holds, and
    a later `kg build` with the NLP pipeline never takes that build's state for its own."""
    import shutil

    from kg.building import NlpExtractor
    from kg.types import Fact

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    first = sorted((sources / "facts").glob("*.yaml"))[0]
    first.rename(first.with_suffix(".yml"))
    calls = []

    def mine(articles, registry):  # noqa: ANN001, ANN202 - the Extractor protocol
        calls.append(len(articles))
        fact = next(f for f in build(SOURCES, ONTOLOGY, None).facts if f.relation == "Position")
        return [Fact(fact.relation, fact.roles, fact.evidence)]

    written = build(sources, ONTOLOGY, tmp_path / "build", extractor=mine, check_shapes=False, formats=("nq",))
    in_memory = build(sources, ONTOLOGY, None, extractor=mine, check_shapes=False)
    assert calls == [len(in_memory.inputs.articles)] * 2 and not written.incremental
    assert _quads_of_file(tmp_path / "build" / "dataset.nq") == _quads_of_dataset(in_memory.dataset)
    again = build(sources, ONTOLOGY, tmp_path / "build", extractor=NlpExtractor(cache=tmp_path / "parsed"),
                  check_shapes=False, formats=("nq",))
    assert not again.incremental and again.full_reason == "the state belongs to another build, code version or registry"


def test_a_callers_extractor_citing_a_quote_not_in_its_article_stops_the_build_with_the_fact_named(tmp_path: Path):
    import dataclasses
    import shutil

    from kg.errors import BuildError
    from kg.types import Fact, Span

    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    fact = next(f for f in build(SOURCES, ONTOLOGY, None).facts if f.relation == "Position")
    moved = dataclasses.replace(fact.evidence[0], span=Span(fact.evidence[0].span.start + 1,
                                                             fact.evidence[0].span.end + 1))
    with pytest.raises(BuildError, match="quote is not the text of article"):
        build(sources, ONTOLOGY, tmp_path / "build", extractor=lambda a, r: [Fact(fact.relation, fact.roles, (moved,))])
    assert not (tmp_path / "build" / "dataset.nq").exists() and not (tmp_path / "build" / "store").exists()


def test_the_shacl_sample_checks_every_form_of_fact_a_few_times_each():
    """SHACL in a build checks a few facts of every form (relation, kinds of role values,
    methods), not the first facts by key: a form met once, late, is checked all the same."""
    import datetime as dt

    from kg.building import SHACL_PER_FORM, ShaclSample
    from kg.types import DateValue, Evidence, Fact, Method, Span, Text

    def fact(article: str, speaker: str, date: DateValue | None = None, method: Method = Method.PARSED) -> Fact:
        roles = [("speaker", speaker), ("words", Text(f"words of {article}"))] + ([("date", date)] if date else [])
        return Fact("Statement", tuple(roles), (Evidence(article, Span(0, 5), "words", "", "", method,
                                                          Decimal("0.8"), "agent"),))

    types = {"lee": "Person", "seoul": "Country"}
    sample = ShaclSample({"a"}, types.get)
    for i in range(50):
        sample.offer(fact(f"a{i}", "lee"))
    day, year = DateValue(dt.date(2022, 11, 4), "day"), DateValue(dt.date(2022, 1, 1), "year")
    late = [fact("b1", "seoul"), fact("b2", "lee", day), fact("b3", "lee", year), fact("b4", "lee", method=Method.CURATED)]
    for f in late:
        sample.offer(f)
    assert len(sample.facts) == SHACL_PER_FORM + len(late)
    assert {f.evidence[0].article_id for f in sample.facts} >= {"b1", "b2", "b3", "b4"}


def test_a_sampled_fact_brings_a_few_of_its_evidence_records_not_every_citing_article():
    """A fact three thousand articles mention would bring every one of them into the SHACL check;
    a few records, one of each method first, check the same shapes."""
    from kg.building import SHACL_EVIDENCE, ShaclSample
    from kg.types import Evidence, Fact, Method, Span

    records = tuple(Evidence(f"a{i}", Span(0, 5), "Seoul", "", "", Method.CURATED if i == 40 else Method.PARSED,
                             Decimal("0.9"), "agent") for i in range(50))
    sample = ShaclSample({f"a{i}" for i in range(50)}, {"seoul": "City"}.get)
    sample.offer(Fact("Mentioned", (("entity", "seoul"),), records))
    [checked] = sample.facts
    assert len(checked.evidence) == SHACL_EVIDENCE
    assert {e.method for e in checked.evidence} == {Method.CURATED, Method.PARSED}
    assert [e.article_id for e in checked.evidence] == sorted((e.article_id for e in checked.evidence),
                                                              key=lambda a: int(a[1:]))  # in the fact's order


def test_worker_processes_check_what_one_process_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`--jobs 2` keeps a parse worker to merge and render facts and for the SHACL check
    (`offload.py`): the files are those of `--jobs 1`, and so are those of a parse large enough to
    be left to the workers, spaCy never loaded in the build's process (`parsed_apart`); and a build
    whose sample breaks a shape, checked by a worker while the exports are written, publishes
    nothing and leaves the last build as it was."""
    import os
    import shutil

    import kg.nlp.pipeline as pipeline
    from kg.building import NlpExtractor
    from kg.errors import OntologyError
    from tests.benchmarks.synthetic_articles import generate

    sources = tmp_path / "sources"
    generate(120, sources)
    for jobs in (1, 2):
        build(sources, ONTOLOGY, tmp_path / f"jobs{jobs}", extractor=NlpExtractor(jobs=jobs, cache=tmp_path / f"p{jobs}"))
    for name in ("dataset.nq", "dataset.trig", "graph.ttl", "dataset.jsonld", "manifest.json"):
        assert (tmp_path / "jobs1" / name).read_bytes() == (tmp_path / "jobs2" / name).read_bytes(), name

    here, load = os.getpid(), pipeline.build_nlp

    def in_workers_only(registry):  # noqa: ANN001, ANN202 - the workers forked from here inherit it
        assert os.getpid() != here, "the build's process loaded spaCy for a parse left to the workers"
        return load(registry)

    monkeypatch.setattr(pipeline, "PARSED_APART", 100)
    monkeypatch.setattr(pipeline, "build_nlp", in_workers_only)
    build(sources, ONTOLOGY, tmp_path / "apart", extractor=NlpExtractor(jobs=2, cache=tmp_path / "p4"))
    monkeypatch.undo()
    for name in ("dataset.nq", "dataset.trig", "graph.ttl", "dataset.jsonld", "manifest.json"):
        assert (tmp_path / "jobs1" / name).read_bytes() == (tmp_path / "apart" / name).read_bytes(), name
    strict = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, strict)
    with open(strict / "shapes.ttl", "a", encoding="utf-8") as shapes:  # no fact can have a second relation
        shapes.write("\nakgsh:Impossible a sh:NodeShape ; sh:targetClass akg:Fact ;\n"
                     "    sh:property [ sh:path akg:relation ; sh:minCount 2 ] .\n")
    before = (tmp_path / "jobs2" / "dataset.nq").read_bytes()
    (sources / "articles" / sorted((sources / "articles").iterdir())[0].name).write_text(
        (sorted((sources / "articles").iterdir())[0]).read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8")
    shutil.rmtree(tmp_path / "jobs2" / "cache")  # a full build, with the workers
    with pytest.raises(OntologyError, match="does not conform"):
        build(sources, strict, tmp_path / "jobs2", extractor=NlpExtractor(jobs=2, cache=tmp_path / "p3"))
    assert (tmp_path / "jobs2" / "dataset.nq").read_bytes() == before


def _seed_sample_and_a_moved_quote() -> tuple:
    """The seeds' articles and registry, twelve of their facts, and the same twelve with the first
    quote's span moved one character on (what the SHACL quote check must catch)."""
    import dataclasses

    from kg.registry import load_registry

    result = build(SOURCES, ONTOLOGY, None)
    articles = {a.id: a for a in read_articles(SOURCES)}
    registry = load_registry(SOURCES / "entities.yaml")
    sample = list(result.facts)[:12]
    fact = sample[0]
    first = fact.evidence[0]
    moved = dataclasses.replace(first, span=dataclasses.replace(first.span, start=first.span.start + 1))
    tampered = [dataclasses.replace(fact, evidence=(moved, *fact.evidence[1:])), *sample[1:]]
    return articles, registry, sample, tampered


def test_the_sample_check_finds_the_same_problems_with_or_without_a_dataset():
    """A build's worker checks its sample on one graph of triples (`keep=False`), not on a dataset
    of named graphs: the verdict, and every problem named, are the same, and a quote moved off
    its span is caught either way."""
    from kg.building import check_sample

    articles, registry, sample, tampered = _seed_sample_and_a_moved_quote()
    for facts, conforms in ((sample, True), (tampered, False)):
        kept, dataset = check_sample(facts, articles.__getitem__, registry, ONTOLOGY)
        alone, nothing = check_sample(facts, articles.__getitem__, registry, ONTOLOGY, keep=False)
        assert kept == alone and kept.conforms is conforms, kept.text
        assert len(dataset) > 0 and len(nothing) == 0
    assert "not the text at its span" in alone.text


def test_the_checker_process_gives_the_verdict_this_process_would():
    """A build with `jobs` >= 2 whose parse starts no workers checks its SHACL sample in a process
    forked at its start (`offload.Helper.prepare_check`): a conforming sample conforms, a quote
    moved off its span is named as this process names it, and a checker that died is answered
    for by this process."""
    import threading

    from kg.building import check_sample
    from kg.offload import Helper

    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: the checker is not forked then (by design)")
    articles, registry, sample, tampered = _seed_sample_and_a_moved_quote()
    for facts, conforms in ((sample, True), (tampered, False)):
        here = check_sample(facts, articles.__getitem__, registry, ONTOLOGY, keep=False)[0]
        with Helper(2, registry) as helper:
            helper.prepare_check(ONTOLOGY)
            process = helper._checker._process  # noqa: SLF001 - the test looks at the process it started
            assert process is not None and process.is_alive()
            there = helper.check(facts, articles.__getitem__, registry, ONTOLOGY)()
            assert process.exitcode == 0  # it answered and ended
        assert there == here and there.conforms is conforms, there.text
    assert "not the text at its span" in there.text
    with Helper(2, registry) as helper:
        helper.prepare_check(ONTOLOGY)
        process = helper._checker._process  # noqa: SLF001
        process.kill()
        process.join()
        assert helper.check(tampered, articles.__getitem__, registry, ONTOLOGY)() == here
    assert helper._checker is None  # noqa: SLF001


def test_a_small_build_with_two_jobs_is_checked_by_the_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The three seed articles with `--jobs 2`: no parse worker, so the checker checks the sample,
    and the build is the one `--jobs 1` makes."""
    import threading

    from kg.build import default_extractor
    from kg.offload import Ahead

    if threading.active_count() != 1:
        pytest.skip("a thread of another test is running: the checker is not forked then (by design)")
    asked: list[bool] = []
    real = Ahead.run

    def spy(self, call):  # noqa: ANN001, ANN202
        asked.append(self._process is not None)  # noqa: SLF001 - handed to a forked process
        return real(self, call)

    monkeypatch.setattr(Ahead, "run", spy)
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        result = build(SOURCES, ONTOLOGY, out, extractor=default_extractor(jobs, cache=out / "cache" / "parsed"),
                       check_shapes=True)
        assert result.validation is not None and result.validation.conforms
        outs[jobs] = (out / "dataset.nq").read_bytes()
        assert asked == ([True] if jobs == 2 else [])
    assert outs[1] == outs[2]
