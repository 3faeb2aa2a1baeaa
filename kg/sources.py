"""Read articles from `sources/articles/`: front matter, original text and the article body.

The original text after the front matter is kept byte for byte; the body, where facts are read
from, is the slice between the optional `body_starts_at` and `body_ends_before` markers.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .errors import SourceError
from .types import Article
from .yamlio import LineDict, load_yaml, nearest

FRONT_MATTER_KEYS = ("id", "title", "publisher", "url", "date", "language")
OPTIONAL_KEYS = ("body_starts_at", "body_ends_before", "licence", "reports_on", "reports_on_source")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_ARTICLE_BYTES = 5_000_000


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text or a SourceError naming the line of the first bad byte."""
    if not data.strip():
        raise SourceError("the file is empty", path=path, hint="add the article text, or remove the file")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise SourceError("this is a binary file, not text (it contains NUL bytes)", path=path, line=line,
                          hint="articles are UTF-8 plain text files")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                          path=path, line=line,
                          hint="re-save the file as UTF-8, e.g. iconv -f latin1 -t utf-8") from None
    return text.removeprefix("\ufeff")


def split_front_matter(text: str, path: Path) -> tuple[str, str]:
    """Return (front matter YAML, original text). The original keeps every byte after `---`."""
    if not text.startswith("---\n"):
        raise SourceError("missing front matter: the file must start with a line '---'", path=path, line=1,
                          hint="start the file with ---, then id/title/publisher/url/date/language lines, "
                               "then ---, then the article text")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise SourceError("front matter is not closed: no second '---' line", path=path, line=1,
                              hint="add a line '---' after the front matter fields")
    return text[4:end + 1], text[end + 5:]


def parse_date(value: object, path: Path, line: int | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise SourceError(f"invalid date {value!r}", path=path, line=line,
                          hint="write the date as YYYY-MM-DD, or null when it is unknown") from None


def read_article(path: Path) -> Article:
    """Read and validate one article file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read the article: {exc.strerror}", path=path) from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise SourceError(f"the article is too large ({len(data)} bytes, limit {MAX_ARTICLE_BYTES})",
                          path=path, hint="split it, or check that this is really one article")
    text = decode_text(data, path)
    header, raw = split_front_matter(text, path)
    meta = load_yaml(header, path, SourceError, line_offset=1)
    if not isinstance(meta, LineDict):
        raise SourceError("front matter must be 'key: value' lines", path=path, line=2,
                          hint="write id:, title:, publisher:, url:, date:, language: lines")

    def at(key: str) -> int:
        return meta.key_lines.get(key, 1) + 1

    for key in meta:
        if key not in FRONT_MATTER_KEYS + OPTIONAL_KEYS:
            guess = nearest(str(key), FRONT_MATTER_KEYS + OPTIONAL_KEYS)
            raise SourceError(f"unknown front matter field {key!r}", path=path, line=at(str(key)),
                              hint=f"did you mean {guess!r}?" if guess else
                              f"allowed fields: {', '.join(FRONT_MATTER_KEYS + OPTIONAL_KEYS)}")
    for key in FRONT_MATTER_KEYS:
        if key not in meta:
            raise SourceError(f"front matter has no {key!r} field", path=path, line=2,
                              hint=f"add '{key}: ...', or '{key}: null' when it is unknown")
    article_id = meta["id"]
    if not isinstance(article_id, str) or not ID_PATTERN.match(article_id):
        raise SourceError(f"invalid id {article_id!r}", path=path, line=at("id"),
                          hint="use letters, digits, '_', '-' and '.', e.g. 003_my_article")
    if article_id != path.stem:
        raise SourceError(f"id {article_id!r} does not match the file name {path.name!r}",
                          path=path, line=at("id"), hint=f"rename the file to {article_id}.txt or fix the id")
    for key in ("title", "publisher", "url", "language", *OPTIONAL_KEYS):
        if key == "reports_on":
            continue
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise SourceError(f"{key!r} must be text or null, not {meta[key]!r}", path=path, line=at(key),
                              hint="put the value in double quotes")
    date = parse_date(meta["date"], path, at("date"))
    reports_on = parse_date(meta.get("reports_on"), path, at("reports_on"))
    if reports_on is not None and not meta.get("reports_on_source"):
        raise SourceError("reports_on has no reports_on_source", path=path, line=at("reports_on"),
                          hint="add 'reports_on_source: \"<url of the dated source>\"': the day of the event must "
                               "come from a source a reader can check")
    if reports_on is None and meta.get("reports_on_source"):
        raise SourceError("reports_on_source has no reports_on", path=path, line=at("reports_on_source"),
                          hint="add 'reports_on: YYYY-MM-DD', the day of the event that source gives, or remove "
                               "the source")
    if reports_on is not None and date is not None and reports_on > date:
        raise SourceError(f"reports_on {reports_on} is after the article's date {date}", path=path,
                          line=at("reports_on"), hint="an article cannot report an event later than its date")
    start, end = 0, len(raw)
    if meta.get("body_starts_at"):
        start = raw.find(meta["body_starts_at"])
        if start == -1:
            raise SourceError("body_starts_at text does not occur in the article", path=path,
                              line=at("body_starts_at"), hint="copy the first words of the body exactly")
    if meta.get("body_ends_before"):
        end = raw.find(meta["body_ends_before"], start)
        if end == -1:
            raise SourceError("body_ends_before text does not occur after the body start", path=path,
                              line=at("body_ends_before"),
                              hint="copy the first words of the trailer exactly (\\n for line breaks)")
    if not raw[start:end].strip():
        raise SourceError("the article body is empty", path=path,
                          line=header.count("\n") + 2, hint="add the article text after the front matter")
    return Article(id=article_id, title=meta["title"], publisher=meta["publisher"], url=meta["url"],
                   date=date, language=meta["language"], raw=raw, body_start=start, body_end=end,
                   path=str(path), licence=meta.get("licence"), reports_on=reports_on,
                   reports_on_source=meta.get("reports_on_source"))


def read_articles(sources: Path) -> list[Article]:
    """All articles under `sources/articles`, sorted by id; duplicate ids are an error."""
    folder = sources / "articles"
    if not folder.is_dir():
        raise SourceError("no articles folder", path=folder,
                          hint="put articles as <id>.txt files in sources/articles/ (see sources/README.md)")
    articles = [read_article(p) for p in sorted(folder.iterdir()) if p.is_file() and p.suffix == ".txt"]
    if not articles:
        raise SourceError("no articles (*.txt) found", path=folder, hint="add an article with `kg add`")
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen:
            raise SourceError(f"duplicate article id {article.id!r} (also in {seen[article.id]})",
                              path=article.path, hint="give each article its own id")
        seen[article.id] = article.path
    return articles
