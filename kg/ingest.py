"""`kg add`: bring new articles into `sources/articles/` in the project's format.

Plain text, Markdown and HTML are accepted. HTML goes through trafilatura (main text, boilerplate
removed, metadata from the page). Input that is binary, empty, too large, not UTF-8 or not
English is refused with a clear message; an article already present (same normalised body) is
skipped; a trailing comment widget or subscription/payment blurb is left out of the body with a
`body_ends_before` marker, so it never produces facts; files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .sources import MAX_ARTICLE_BYTES, decode_text, read_article, read_articles
from .vocab import slug

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
TRAILER = re.compile(
    r"^(?:Subscribe\b|Notify of\b|\d+\s+Comments?\b|Leave a (?:comment|reply)\b|Share this\b|Related (?:articles|posts|stories)\b|"
    r"Sign up for\b|Newsletter\b|All rights reserved\b|Please select your prefer+ed mode of payment|Comments?\s*$|"
    r"Would love your thoughts|View all comments|Read more:|Advertisement\s*$|Support (?:our|independent) journalism)",
    re.IGNORECASE | re.MULTILINE)
ENGLISH_WORDS = {"the", "and", "of", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "it", "by",
                 "said", "at", "from", "his", "her", "be", "are", "has", "have", "will", "an", "this", "their"}


@dataclass(frozen=True)
class Added:
    article_id: str | None
    path: Path | None
    skipped: str | None = None


def is_english(text: str) -> bool:
    """A cheap check: common English function words make up a fair share of the words."""
    words = re.findall(r"[A-Za-z]+", text.lower())
    if len(words) < 20:
        return len(words) > 0
    share = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
    return share >= 0.12


def not_prose(text: str) -> str | None:
    """Why a text is not an article's prose, or None: too few words to say anything, or words
    that do not vary the way sentences do ("A A A A …", "AAAA…", a list of one repeated token)."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    if len(words) < 8:
        return f"it has {len(words)} word(s); an article has sentences"
    distinct = {w.lower() for w in words}
    if len(distinct) < 5 or len(distinct) / len(words) < 0.1:
        return f"its {len(words)} words are {len(distinct)} word(s) repeated, not sentences"
    if not any(len(w) >= 4 for w in distinct) or max(len(w) for w in words) > 45:
        return "its words are not words of sentences"
    return None


def trailer_start(text: str) -> int | None:
    """Where a comment widget or subscription/payment blurb begins, if the text ends with one."""
    for match in TRAILER.finditer(text):
        if match.start() >= len(text) * 0.4:
            start = match.start()
            while start > 0 and text[start - 1] in "\n ":
                start -= 1
            return start if start > 0 else None
    return None


def normalised_body(text: str) -> str:
    return " ".join(text.split())


def _html(raw: str, path: Path) -> tuple[str, dict]:
    import trafilatura

    extracted = trafilatura.extract(raw, output_format="json", with_metadata=True, include_comments=False,
                                    include_tables=False, favor_precision=True)
    if not extracted:
        raise SourceError("no article text found in this HTML page", path=path,
                          hint="check that the page holds the article itself, not a login or index page")
    data = json.loads(extracted)
    meta = {k: data.get(k) for k in ("title", "url", "date")}
    meta["publisher"] = data.get("sitename")
    return data.get("text") or "", meta


def _yaml_value(value: str | None) -> str:
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def prepare_article(path: Path, sources: Path, *, title: str | None = None, date: str | None = None,
                    url: str | None = None, publisher: str | None = None) -> tuple[Added, str | None]:
    """Check one file and render it in the project's format; nothing is written yet."""
    if path.suffix.lower() not in SUFFIXES:
        raise SourceError(f"unsupported file type {path.suffix or '(none)'}", path=path,
                          hint="kg add takes .txt, .md and .html files")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise SourceError(f"the file is too large to be one article ({size} bytes, limit {MAX_ARTICLE_BYTES})",
                          path=path, hint="split it into articles, or check that it is really an article")
    text = decode_text(path.read_bytes(), path)
    meta: dict = {"title": None, "url": None, "date": None, "publisher": None}
    if path.suffix.lower() in (".html", ".htm"):
        text, meta = _html(text, path)
    elif text.startswith("---\n"):
        raise SourceError("this file already has front matter", path=path, line=1,
                          hint="copy it into sources/articles/ directly, or remove the front matter")
    text = text.replace("\r\n", "\n").strip("\n") + "\n"
    if not text.strip():
        raise SourceError("no text in the article", path=path, hint="add the article text")
    why = not_prose(text)
    if why:
        raise SourceError(f"this is not an article's text: {why}", path=path,
                          hint="kg add takes news articles: paragraphs of prose (.txt, .md or .html)")
    if not is_english(text):
        raise SourceError("the article does not look like English", path=path,
                          hint="the extraction pipeline reads English; translate the article first")
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise SourceError(f"invalid --date {date!r}", hint="write it as YYYY-MM-DD") from None
    fields = {"title": title or meta.get("title"), "publisher": publisher or meta.get("publisher"),
              "url": url or meta.get("url"), "date": date or meta.get("date")}
    cut = trailer_start(text)
    body = text[:cut] if cut else text
    existing = {normalised_body(a.body): a.id for a in read_articles(sources)} if (sources / "articles").is_dir() \
        and any((sources / "articles").glob("*.txt")) else {}
    key = normalised_body(body)
    if key in existing:
        return Added(None, None, skipped=f"already in sources/ as {existing[key]}"), None
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    article_id = f"{slug(fields['title'] or path.stem)[:48].strip('-')}_{digest}"
    lines = ["---", f"id: {article_id}"] + [f"{k}: {_yaml_value(fields[k])}" for k in ("title", "publisher", "url", "date")]
    lines.append("language: en")
    if cut:
        marker = text[cut:cut + 40].split("\n\n")[0] if text[cut:cut + 40].strip() else text[cut:cut + 40]
        lines.append(f"body_ends_before: {json.dumps(text[cut:cut + max(12, len(marker))], ensure_ascii=False)}")
    lines.append("---")
    content = "\n".join(lines) + "\n" + text
    with tempfile.TemporaryDirectory() as check_dir:
        check = Path(check_dir) / f"{article_id}.txt"
        check.write_text(content, encoding="utf-8")
        read_article(check)
    return Added(article_id, sources / "articles" / f"{article_id}.txt"), content


def write_article(added: Added, content: str) -> None:
    folder = added.path.parent  # type: ignore[union-attr]
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".add.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, added.path)  # type: ignore[arg-type]
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def add_paths(target: Path, sources: Path, **fields: str | None) -> list[Added]:
    """Add a file, or every supported file of a folder (sorted), all checked before any is kept."""
    if not target.exists():
        raise SourceError("no such file or folder", path=target)
    files = sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES) \
        if target.is_dir() else [target]
    if target.is_dir() and not files:
        raise SourceError("no .txt, .md or .html files in this folder", path=target)
    prepared = [prepare_article(path, sources, **fields) for path in files]
    seen: set[str] = set()
    results = []
    for added, content in prepared:
        if content is not None and added.article_id not in seen:
            write_article(added, content)
            seen.add(added.article_id)  # type: ignore[arg-type]
        elif content is not None:
            added = Added(None, None, skipped=f"the same text as another file given ({added.article_id})")
        results.append(added)
    return results
