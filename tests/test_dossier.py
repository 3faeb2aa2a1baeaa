"""`kg show ENTITY --html`: the one-page dossier, read back as HTML and rendered in headless Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from tests.browser import console_errors, requested_urls, start_browser


class _Page(HTMLParser):
    """The tags and visible text of a page, with a real HTML parser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def write_dossier(seed_build: Path, out: Path, entity: str = "lee jong-sup") -> str:
    result = CliRunner().invoke(main, ["show", entity, "--html", "--out", str(out), "--build", str(seed_build),
                                       "--allow-stale"])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_dossier_holds_identity_facts_quotes_timeline_and_network(seed_build: Path, tmp_path: Path):
    page = write_dossier(seed_build, tmp_path / "lee.html")
    parsed = _Page()
    parsed.feed(page)
    text = " ".join(" ".join(parsed.text).split())
    assert "Lee Jong-sup" in text and "Person" in text and "lee-jong-sup" in text  # who, with the identifier
    assert "Secretary Austin and I affirm that any nuclear attack" in text  # his own words, quoted
    assert "South Korean Defense Minister Lee Jong-sup" in text  # the evidence of his position
    assert re.search(r"characters \d+–\d+", text) and "2022-11-04" in text  # where and when
    assert parsed.tags.count("svg") >= 2  # the timeline and the ego network, inline
    assert "script" not in parsed.tags and "default-src 'none'" in page  # nothing to run, nothing to load
    again = write_dossier(seed_build, tmp_path / "again.html")
    assert again == page  # deterministic


def test_the_dossier_renders_in_chromium_without_a_network_request(seed_build: Path, tmp_path: Path):
    page = tmp_path / "lee.html"
    write_dossier(seed_build, page)
    driver = start_browser()
    try:
        driver.get(page.as_uri())
        body = driver.execute_script("return document.body.innerText")
        assert "Secretary Austin and I affirm" in body
        sizes = driver.execute_script(
            "return [...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().width)")
        assert len(sizes) == 2 and all(w > 300 for w in sizes)  # both pictures drawn at a readable width
        outside = [u for u in requested_urls(driver) if u.startswith(("http:", "https:", "ws:", "wss:", "ftp:"))]
        assert outside == []
        assert console_errors(driver) == []
    finally:
        driver.quit()


def test_out_without_html_is_refused_with_a_hint(seed_build: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["show", "lee jong-sup", "--out", str(tmp_path / "x.html"), "--build",
                                       str(seed_build), "--allow-stale"])
    assert result.exit_code != 0 and "--html" in result.output and "Traceback" not in result.output
