"""The extraction pipeline, kg add, kg extract and kg eval."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build, default_extractor, load_inputs
from kg.cli import main
from kg.curation import load_curated
from kg.evaluate import evaluate
from kg.nlp import extract_facts
from kg.registry import load_registry
from kg.sources import read_articles
from tests.conftest import ONTOLOGY, ROOT, SOURCES, run_kg

CORPUS = ROOT / "tests" / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def parsed():
    inputs = load_inputs(SOURCES)
    return extract_facts(inputs.articles, inputs.registry), inputs


def people_in(facts, article_id: str) -> set[str]:
    found = set()
    for fact in facts:
        if fact.evidence[0].article_id != article_id:
            continue
        for mention in fact.evidence[0].mentions:
            if mention.text == "Lee":
                found.add(mention.entity_id)
        for _, value in fact.roles:
            for v in (value if isinstance(value, tuple) else (value,)):
                if isinstance(v, str) and v.startswith("lee-"):
                    found.add(v)
    return found


def test_the_two_lees_stay_apart(parsed):
    facts, _ = parsed
    assert people_in(facts, "002_198e07666666ebd1") == {"lee-jong-sup"}
    assert people_in(facts, "000_39871138011cc3fb") == {"lee-jae-myung"}
    meeting = [f for f in facts if f.relation == "Meeting"]
    assert meeting and meeting[0].role("participants") == ("lee-jong-sup", "lloyd-austin")


def test_vigilant_storm_is_an_exercise_not_a_person(parsed):
    facts, inputs = parsed
    exercises = [f for f in facts if f.relation == "MilitaryExercise"]
    assert any(f.role("name").value == "Vigilant Storm" for f in exercises)
    assert not any(e.label == "Vigilant Storm" for e in inputs.registry)


def test_every_parsed_fact_has_evidence_at_its_span(parsed):
    facts, inputs = parsed
    bodies = {a.id: a.body for a in inputs.articles}
    assert len(facts) > 40
    for fact in facts:
        (ev,) = fact.evidence
        assert bodies[ev.article_id][ev.span.start:ev.span.end] == ev.quote
        assert ev.method.value == "parsed" and 0 < ev.confidence <= 1 and ev.agent.startswith("akg_relations")


def test_relative_dates_and_values_are_normalised(parsed):
    facts, _ = parsed
    launch = [f for f in facts if f.relation == "MissileLaunch" and f.role("missile")]
    assert launch[0].role("date").value.isoformat() == "2022-11-03"
    deal = [f for f in facts if f.relation == "Deal"][0]
    assert deal.role("quantity").amount == 103 and deal.role("item").value == "jet"
    investment = [f for f in facts if f.relation == "Investment" and f.role("value")][0]
    assert investment.role("value").amount == 26_000_000_000 and investment.role("value").currency == "USD"


def write_article(folder: Path, article_id: str, body: str, date: str = "2024-01-10") -> None:
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    (folder / "articles" / f"{article_id}.txt").write_text(
        f"---\nid: {article_id}\ntitle: null\npublisher: null\nurl: null\ndate: {date}\nlanguage: en\n---\n{body}",
        encoding="utf-8")


def test_name_variants_merge_across_articles_and_surnames_do_not(tmp_path: Path):
    sources = tmp_path / "sources"
    write_article(sources, "a1", "Defense Secretary Lloyd J. Austin III met South Korean President Yoon Suk Yeol in Seoul on Monday.\n")
    write_article(sources, "a2", "Lloyd Austin 3rd met Japanese Prime Minister Kenji Tanaka in Tokyo on Tuesday.\n"
                                 "\"We stand together,\" Austin said.\n")
    write_article(sources, "a3", "Lloyd James Austin III said North Korean leader Kim Jong-un must stop.\n"
                                 "YOON Suk Yeol met Kim Jong Un on Friday.\n")
    write_article(sources, "a4", "President Sarah Austin met Prime Minister Kenji Tanaka in Paris on Friday.\n")
    (sources / "entities.yaml").write_text("entities: []\n", encoding="utf-8")
    inputs = load_inputs(sources)
    facts = extract_facts(inputs.articles, inputs.registry)
    ids = {e.id: e for e in inputs.registry}
    austins = [i for i in ids if "austin" in i]
    assert "lloyd-austin" in austins and "sarah-austin" in austins and len(austins) == 2
    kims = [i for i in ids if i.startswith("kim-jong")]
    assert kims == ["kim-jong-un"]
    yoons = [i for i in ids if i.startswith("yoon")]
    assert yoons == ["yoon-suk-yeol"] and ids["yoon-suk-yeol"].label == "Yoon Suk Yeol"
    statement = [f for f in facts if f.relation == "Statement" and f.evidence[0].article_id == "a2"]
    assert statement and statement[0].role("speaker") == "lloyd-austin"
    meetings = {f.evidence[0].article_id: f.role("participants") for f in facts if f.relation in ("Meeting", "Summit")}
    assert "lloyd-austin" not in meetings["a4"] and "sarah-austin" in meetings["a4"]


def test_eval_scores_on_the_seeds_and_the_corpus():
    seeds = evaluate(SOURCES)
    assert seeds.overall.f1 >= 0.8 and seeds.overall.precision >= 0.85
    corpus = evaluate(CORPUS, SOURCES / "entities.yaml")
    assert corpus.overall.f1 >= 0.55
    assert corpus.by_relation["Membership"].tp >= 2 and corpus.by_relation["Position"].tp >= 8
    result = CliRunner().invoke(main, ["eval", "--sources", str(SOURCES)])
    assert result.exit_code == 0 and "FACTS" in result.output and "ENTITIES" in result.output and \
        "Misses" in result.output and "Calibration" in result.output


def test_extract_prints_candidates_that_load_back(tmp_path: Path, sources_copy: Path):
    result = CliRunner().invoke(main, ["extract", "002_198e07666666ebd1", "--sources", str(sources_copy)])
    assert result.exit_code == 0, result.output
    assert "relation: MilitaryExercise" in result.output and "Vigilant Storm" in result.output
    path = sources_copy / "facts" / "002_198e07666666ebd1.yaml"
    path.write_text(result.output, encoding="utf-8")
    articles = {a.id: a for a in read_articles(sources_copy)}
    facts = load_curated(path, articles, load_registry(sources_copy / "entities.yaml"), sources_copy)
    assert len(facts) >= 10 and any(f.relation == "Meeting" for f in facts)


def test_kg_add_text_markdown_html_and_build(tmp_path: Path, sources_copy: Path):
    text = tmp_path / "summit.txt"
    text.write_text("Japanese Prime Minister Fumio Kishida met US President Joe Biden in Washington on Wednesday.\n"
                    "\"Our alliance is stronger than ever,\" Kishida said after the talks at the White House.\n"
                    "Mitsubishi Heavy Industries announced it reached a deal to sell 12 radars to Lockheed Martin.\n"
                    "\n\nSubscribe\nNotify of\n0 Comments\nPlease select your prefered mode of payment.\n", encoding="utf-8")
    added = CliRunner().invoke(main, ["add", str(text), "--title", "Kishida and Biden meet", "--date", "2024-04-10",
                                      "--sources", str(sources_copy)])
    assert added.exit_code == 0, added.output
    article_id = added.output.split("Added ")[1].split(" ")[0]
    article = {a.id: a for a in read_articles(sources_copy)}[article_id]
    assert "Subscribe" in article.raw and "Subscribe" not in article.body and article.date.isoformat() == "2024-04-10"
    again = CliRunner().invoke(main, ["add", str(text), "--sources", str(sources_copy)])
    assert "Skipped: already in sources/" in again.output
    md = tmp_path / "note.md"
    md.write_text("# Exercise\n\nThe navies of South Korea and the United States will extend Ocean Shield, a combined "
                  "training exercise, the ministry said in a statement on the exercise.\n", encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text("<html><head><title>NATO summit opens</title></head><body><nav>Home | World</nav><article>"
                    "<h1>NATO summit opens</h1><p>NATO Secretary General Jens Stoltenberg welcomed the leaders of "
                    "Japan and Australia to the summit in Vilnius on Tuesday, saying the alliance is strong.</p>"
                    "<p>Stoltenberg said the allies would agree a more ambitious defence investment pledge at the "
                    "meeting of the leaders, and that the alliance would stand by Ukraine.</p></article>"
                    "<footer>Copyright</footer></body></html>", encoding="utf-8")
    for path in (md, html):
        result = CliRunner().invoke(main, ["add", str(path), "--sources", str(sources_copy)])
        assert result.exit_code == 0 and "Added" in result.output, result.output
    html_article = [a for a in read_articles(sources_copy) if a.title == "NATO summit opens"]
    assert html_article and "Home | World" not in html_article[0].body and "Copyright" not in html_article[0].body
    out = tmp_path / "build"
    result = build(sources_copy, ONTOLOGY, out, extractor=default_extractor())
    new_facts = [f for f in result.facts if any(e.article_id == article_id for e in f.evidence)]
    assert any(f.relation == "Deal" and f.role("quantity").amount == 12 for f in new_facts)
    assert any(f.relation == "Statement" for f in new_facts)
    for fact in new_facts:
        for ev in fact.evidence:
            assert article.body[ev.span.start:ev.span.end] == ev.quote


@pytest.mark.parametrize("name, content, message", [
    ("binary.txt", b"\x00\x01\x02binary", "binary file"),
    ("empty.txt", b"", "empty"),
    ("latin1.txt", "Caf\u00e9 society met in Z\u00fcrich, said the president of the alliance.".encode("latin-1"), "not valid UTF-8"),
    ("french.txt", ("Le président de la République a rencontré le premier ministre du Japon à Paris mardi pour "
                    "parler de la défense et de la sécurité dans la région indo-pacifique avec ses alliés.").encode(), "does not look like English"),
    ("image.png", b"\x89PNG", "unsupported file type"),
    ("letters.txt", b"A" * 100, "not an article's text"),
    ("spaced.txt", b"A " * 100, "not an article's text"),
    ("words.txt", b"Alliance alliance alliance summit summit " * 20, "not an article's text"),
])
def test_kg_add_refuses_bad_input(tmp_path: Path, sources_copy: Path, name: str, content: bytes, message: str):
    before = sorted(p.name for p in (sources_copy / "articles").iterdir())
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["add", str(path), "--sources", str(sources_copy)])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in (sources_copy / "articles").iterdir()) == before


def test_kg_add_refuses_an_enormous_file_without_reading_it(tmp_path: Path, sources_copy: Path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    result = run_kg("add", str(huge), "--sources", str(sources_copy), check=False)
    assert result.returncode != 0 and "too large" in result.stderr and "Traceback" not in result.stderr


def test_jobs_give_the_same_build(tmp_path: Path):
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    from tests.benchmarks.synthetic_articles import generate

    generate(24, sources)
    one = run_kg("build", "--sources", str(sources), "--out", str(tmp_path / "one"), "--no-validate")
    two = run_kg("build", "--sources", str(sources), "--out", str(tmp_path / "two"), "--no-validate", "--jobs", "2")
    assert "parsed" in one.stdout
    assert (tmp_path / "one" / "dataset.nq").read_bytes() == (tmp_path / "two" / "dataset.nq").read_bytes()
    run_kg("build", "--sources", str(sources), "--out", str(tmp_path / "three"), "--no-validate", "--jobs", "3")
    assert (tmp_path / "one" / "dataset.nq").read_bytes() == (tmp_path / "three" / "dataset.nq").read_bytes()


def test_parse_workers_are_forked_with_the_loaded_model_unless_a_thread_runs():
    """A forked worker starts with the parent's pipeline and parses at once; with no pipeline
    loaded it is forked all the same and loads its own; with another thread running (forking then
    is unsafe) workers are spawned."""
    import multiprocessing as mp
    import threading

    from kg.nlp.pipeline import worker_pool
    from kg.registry import Registry

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("this system does not fork")
    registry = Registry()
    with worker_pool(2, registry, nlp=object()) as pool:
        assert pool._ctx.get_start_method() == "fork"
    with worker_pool(2, registry) as pool:
        assert pool._ctx.get_start_method() == "fork" and pool._processes == 1
    with worker_pool(2, registry, processes=2) as pool:
        assert pool._processes == 2
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with worker_pool(2, registry, nlp=object()) as pool:
            assert pool._ctx.get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()


def test_workers_that_loaded_the_model_themselves_are_replaced_after_the_parse():
    """A parse left to the workers (`parsed_apart`) leaves spaCy's model in each of them; the
    merge and the SHACL check get as many fresh workers without it. Workers forked with the
    build's own model share its pages and are kept."""
    from kg.offload import Helper
    from kg.registry import Registry

    def pids(pool) -> set[int]:  # noqa: ANN001 - a multiprocessing Pool
        return {worker.pid for worker in pool._pool}

    with Helper(2, Registry()) as helper:
        before = pids(helper.pool(None, 2))
        assert helper.workers == 2
        helper.parsed()
        after = pids(helper.started)
        assert len(after) == 2 and not before & after and helper.workers == 2
        assert helper.started.apply_async(sum, ([1, 2],)).get(timeout=60) == 3
    with Helper(2, Registry()) as helper:
        before = pids(helper.pool(object()))
        helper.parsed()
        assert pids(helper.started) == before and helper.workers == 1


def test_the_parse_is_cut_finer_where_the_processes_meet_and_keeps_every_article_in_order() -> None:
    from kg.nlp.pipeline import _finer_where_they_meet

    chunks = [list(range(i * 17, (i + 1) * 17)) for i in range(24)]
    finer = _finer_where_they_meet(chunks)  # type: ignore[arg-type]
    assert [a for chunk in finer for a in chunk] == list(range(24 * 17))
    assert [len(c) for c in finer[:8]] == [17] * 8 and [len(c) for c in finer[-8:]] == [17] * 8
    assert max(len(c) for c in finer[8:-8]) <= 5 and len(finer) == 16 + 32
