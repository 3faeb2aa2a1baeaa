"""The network projection, every export format on the seed build, the pictures and the browser."""

from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.network.analytics import network_stats
from kg.network.export import FORMATS
from kg.network.filters import NetworkFilter, apply
from kg.network.project import entity_view, full_view, load_facts
from kg.store import open_store
from tests.browser import console_errors, requested_urls, start_browser

BOEING = "https://w3id.org/alliance-kg/id/entity/boeing"
KOREAN_AIR = "https://w3id.org/alliance-kg/id/entity/korean-air"


@pytest.fixture(scope="module")
def facts(seed_build: Path):
    return load_facts(open_store(seed_build))


def export(seed_build: Path, out: Path, *args: str):
    result = CliRunner().invoke(main, ["export", "--build", str(seed_build), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


def test_entity_view_collapses_events_into_labelled_edges(facts):
    graph = entity_view(facts)
    deal = graph.get_edge_data(BOEING, KOREAN_AIR)
    assert deal, "no Boeing -> Korean Air edge"
    (data,) = deal.values()
    assert data["relation"] == "Deal" and data["quantity"] == "103" and data["item"] == "jet"
    assert data["sources"] == "000_39871138011cc3fb" and "sells to" in data["label"]
    lee, trump = ("https://w3id.org/alliance-kg/id/entity/lee-jae-myung",
                  "https://w3id.org/alliance-kg/id/entity/donald-trump")
    summit = graph.get_edge_data(trump, lee) or graph.get_edge_data(lee, trump)
    assert any(d["relation"] == "Summit" and d["sources"].count(";") == 1 for d in summit.values())
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, (str, int, float, bool)) for v in data.values())
        assert not {"source", "target", "id", "name", "value", "key"} & set(data)


def test_full_view_keeps_events_as_nodes(facts):
    graph = full_view(facts)
    deals = [n for n, d in graph.nodes(data=True) if d.get("type") == "Deal"]
    assert len(deals) == 1
    roles = {graph.edges[e]["label"]: e[1] for e in graph.out_edges(deals[0], keys=True)}
    assert roles["seller"] == BOEING and roles["buyer"] == KOREAN_AIR


def test_filters(facts):
    graph = entity_view(facts)
    ego = apply(graph, NetworkFilter(center="Lee Jong-sup", depth=1))
    labels = {d["label"] for _, d in ego.nodes(data=True)}
    assert {"Lee Jong-sup", "Lloyd J. Austin III"} <= labels and "Boeing" not in labels
    deals = apply(graph, NetworkFilter(relations=("Deal",)))
    assert set(deals.nodes) == {BOEING, KOREAN_AIR}
    countries = apply(graph, NetworkFilter(types=("Country",)))
    assert all(d["type"] == "Country" for _, d in countries.nodes(data=True))
    dated = apply(graph, NetworkFilter(since="2022-11-01", until="2022-11-30"))
    assert "https://w3id.org/alliance-kg/id/entity/lee-jong-sup" in dated
    one = apply(graph, NetworkFilter(source="002_198e07666666ebd1"))
    assert BOEING not in one and len(one) > 3


def test_analytics(facts):
    stats = network_stats(entity_view(facts))
    assert stats.degree[0][0] in ("United States", "South Korea")
    assert stats.communities and any("Boeing" in c and "Korean Air" in c for c in stats.communities)
    assert stats.corroborated[0][4] == 3  # the alliance, in all three articles


def test_graphml_and_gexf_read_back_with_the_deal(seed_build: Path, tmp_path: Path):
    export(seed_build, tmp_path / "n.graphml", "--format", "graphml")
    graph = nx.read_graphml(tmp_path / "n.graphml")
    deal = [d for u, v, d in graph.edges(data=True) if u == BOEING and v == KOREAN_AIR]
    assert deal and deal[0]["quantity"] == "103" and deal[0]["relation"] == "Deal"
    export(seed_build, tmp_path / "n.gexf", "--format", "gexf")
    gexf = nx.read_gexf(tmp_path / "n.gexf")
    assert gexf.number_of_nodes() == graph.number_of_nodes()
    assert any(d.get("relation") == "Deal" for _, _, d in gexf.edges(data=True))


def test_cytoscape_keeps_every_attribute(seed_build: Path, tmp_path: Path, facts):
    export(seed_build, tmp_path / "n.cyjs", "--format", "cytoscape")
    data = json.loads((tmp_path / "n.cyjs").read_text(encoding="utf-8"))
    back = nx.cytoscape_graph(data)
    original = entity_view(facts)
    for node, attrs in original.nodes(data=True):
        assert {k: v for k, v in back.nodes[node].items() if k in attrs} == attrs
    edges = {(u, v, d["relation"], d["label"]): d for u, v, d in original.edges(data=True)}
    for u, v, d in back.edges(data=True):
        assert {k: d[k] for k in edges[(u, v, d["relation"], d["label"])]} == edges[(u, v, d["relation"], d["label"])]


def test_json_and_dot(seed_build: Path, tmp_path: Path):
    export(seed_build, tmp_path / "n.json", "--format", "json")
    graph = nx.node_link_graph(json.loads((tmp_path / "n.json").read_text(encoding="utf-8")), edges="links")
    assert BOEING in graph
    export(seed_build, tmp_path / "n.dot", "--format", "dot")
    import pydot

    (dot,) = pydot.graph_from_dot_file(str(tmp_path / "n.dot"))
    assert any("Korean Air" in (n.get("label") or "") for n in dot.get_nodes())


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_pictures_are_deterministic(seed_build: Path, tmp_path: Path, fmt: str):
    export(seed_build, tmp_path / f"a.{fmt}", "--format", fmt)
    export(seed_build, tmp_path / f"b.{fmt}", "--format", fmt)
    a, b = (tmp_path / f"a.{fmt}").read_bytes(), (tmp_path / f"b.{fmt}").read_bytes()
    assert len(a) > 10_000
    if fmt in ("svg", "pdf"):
        assert a == b


def test_picture_of_an_ego_network_and_the_timeline(seed_build: Path, tmp_path: Path):
    export(seed_build, tmp_path / "ego.png", "--format", "png", "--center", "lee jae myung", "--depth", "2")
    from PIL import Image

    assert Image.open(tmp_path / "ego.png").size[0] > 800
    result = CliRunner().invoke(main, ["timeline", "--build", str(seed_build), "--out", str(tmp_path / "t.png")])
    assert result.exit_code == 0 and (tmp_path / "t.png").stat().st_size > 10_000


def test_the_timeline_breaks_its_axis_between_eras_and_places_undated_events_at_their_article(facts):
    import datetime as dt

    from kg.network.timeline import eras, timeline_events

    events, _ = timeline_events(facts)
    runs = eras(events)
    assert [run[0].when.year for run in runs][0] == 1953 and len(runs) == 2  # 1953 treaty, then 2022-2025
    assert all(b[0].when - a[-1].when > dt.timedelta(days=3 * 365) for a, b in zip(runs, runs[1:]))
    undated = [e for e in events if e.precision == "article"]
    assert undated and all("(reported " in e.label for e in undated)
    assert all(e.when.isoformat() in {facts.article_dates[a] for a in e.articles.split(";")} for e in undated)


def test_unknown_center_suggests(seed_build: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["export", "--build", str(seed_build), "--format", "png", "--out",
                                       str(tmp_path / "x.png"), "--center", "Boieng"])
    assert result.exit_code != 0 and "did you mean" in result.output and "Traceback" not in result.output


def test_every_format_is_written(seed_build: Path, tmp_path: Path):
    for fmt in FORMATS:
        export(seed_build, tmp_path / f"all.{fmt}", "--format", fmt)
        assert (tmp_path / f"all.{fmt}").stat().st_size > 200


def test_html_export_draws_the_graph_offline_in_chromium(seed_build: Path, tmp_path: Path):
    page = tmp_path / "network.html"
    export(seed_build, page, "--format", "html")
    head = page.read_text(encoding="utf-8").split("<script>")[0]
    assert "default-src 'none'" in head and "<link" not in head
    driver = start_browser()
    try:
        driver.get(page.as_uri())
        for _ in range(50):
            stats = driver.execute_script("return window.KG_STATS")
            if stats:
                break
            time.sleep(0.1)
        assert stats["nodes"] >= 15 and stats["edges"] >= 15
        assert driver.execute_script("return document.querySelectorAll('canvas').length") >= 1
        time.sleep(0.5)
        assert driver.execute_script("return window.KG_PAINTED()") > 500, "the canvas is blank"
        driver.save_screenshot(str(tmp_path / "network-initial.png"))
        assert driver.execute_script("return window.KG_OUTSIDE()") == [], "nodes cut off at the edge on load"
        driver.execute_script("document.getElementById('search').value = 'Boeing';"
                              "document.getElementById('search').dispatchEvent(new Event('change'))")
        details = driver.find_element("id", "details").text
        assert "Boeing announced it reached a deal to sell 103 jets to Korean Air" in details
        assert "000_39871138011cc3fb" in details
        driver.save_screenshot(str(tmp_path / "network.png"))
        assert (tmp_path / "network.png").stat().st_size > 10_000
        assert not console_errors(driver)
        outside = [u for u in requested_urls(driver) if u.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
        assert outside == []
    finally:
        driver.quit()


def test_pictures_name_their_sources_by_title_and_date(seed_build: Path):
    from kg.network.export import project, title_for

    graph, facts = project(open_store(seed_build), "entity", NetworkFilter())
    title = title_for(graph, "entity", NetworkFilter(), facts)
    assert "President Lee Proposes" in title  # the title, not the id, of an article that has one
    assert "002_198e07666666ebd1 (2022-11-04)" in title  # an untitled article: its id and date
