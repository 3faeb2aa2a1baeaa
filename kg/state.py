"""Persistent build state: what the last build computed, kept so the next one applies a delta.

A full build reads every article, merges every fact and digests every block: at ten thousand
articles one added article would cost what the corpus costs. The state (SQLite, in
`build/cache/state.sqlite`) keeps, per article, its parse before cross-article resolution and
the statements it contributes; per fact key, the merged fact, its within-fact conflicts and its
blocks (key, digest); and the counters the derived blocks need (facts per entity, entities
referred to, evidence per agent, facts per article). An incremental build then:

1. compares the input hashes of the published manifest with the sources: only articles and
   their facts files may have changed (the registry, the ontology or the code changing means
   a full build);
2. parses the changed articles (the parse cache still applies) and loads their curated facts;
3. resolves new entities across every article from the stored per-article entity lists; if the
   merging of name variants comes out different, a full build follows (that change reaches
   into unchanged articles);
4. re-merges only the fact keys the changed articles touch, updating the counters;
5. recomputes what is derived across facts from the facts that need it: every position for the
   validity terms; for conflicts across facts, only the groups of deals, meetings and visits
   (`conflicts.across_bucket`, kept per fact) a changed fact was or is in, the other groups'
   conflicts kept by id (table `across`);
6. writes the build from the block index, rendering only new blocks (`stream.py`): the last
   build's index is handed on in runs of lines where the change left them (`stream.Kept`; the
   fact table's `nblocks` says where each fact's run lies), so that a build writing only the
   store neither reads nor makes a block of what did not change.

The result is the same dataset a full build makes (tests compare them byte for byte after
adding, editing and removing articles). The state is written in one SQLite transaction after
the build is published and records the manifest it belongs to: a build killed at any moment
leaves either the old build with its state, or a new build whose state does not match it,
which the next build notices and answers with a full build.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from .types import Article, Evidence, Fact, Method

STATE = Path("cache") / "state.sqlite"
VERSION = "5"
MAX_CHANGED_SHARE = 0.25
"""Past this share of articles changed, a full build is as cheap and simpler."""

_TABLES = (
    "meta (name TEXT PRIMARY KEY, value BLOB)",
    "article (id TEXT PRIMARY KEY, date TEXT, digest TEXT, entities TEXT)",
    "entity_value (ref TEXT PRIMARY KEY, blob BLOB)",
    "statement (article TEXT, rank INTEGER, seq INTEGER, key TEXT, blob BLOB, PRIMARY KEY (article, rank, seq))",
    "fact (key TEXT PRIMARY KEY, relation TEXT, blob BLOB, blocks BLOB, within BLOB, articles INTEGER, "
    "curated INTEGER, parsed INTEGER, brief BLOB, bucket TEXT, nblocks INTEGER)",
    "across (bucket TEXT, id TEXT)",
    "counter (kind TEXT, name TEXT, n INTEGER, PRIMARY KEY (kind, name))",
)


def _dump(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _load(blob: bytes) -> object:
    return pickle.loads(blob)  # noqa: S301 - our own cache file, written by this module


def manifest_stamp(out: Path) -> str | None:
    """A digest of the published manifest: the build a state belongs to."""
    try:
        return hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return None


def salt(registry_fingerprint: str, parsing: bool | str) -> str:
    """What a state's contents depend on besides the articles: code, data, registry, options
    (`parsing`: whether the NLP pipeline ran, or "custom" for a Python caller's own extractor,
    whose state no later build may take for the pipeline's)."""
    from . import __version__
    from .assemble import RENDER_SALT
    from .nlp.pipeline import VERSION as PARSER_VERSION, code_salt

    return hashlib.sha256("\x1f".join((VERSION, __version__, RENDER_SALT, PARSER_VERSION, code_salt(),
                                       registry_fingerprint, str(parsing))).encode()).hexdigest()


class State:
    """The SQLite file; every write happens in `commit`'s one transaction."""

    def __init__(self, out: Path) -> None:
        """Open the state of `out` without writing to it (a build that fails leaves every file
        of the previous one as it was); `db` is None when there is none or it is damaged."""
        self.path = out / STATE
        self.db = None  # type: ignore[assignment]
        if not self.path.is_file():
            return
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("SELECT name FROM meta LIMIT 1").fetchall()
        except sqlite3.DatabaseError:  # a damaged state costs a full build, never a wrong one
            self.db = None  # type: ignore[assignment]

    @classmethod
    def create(cls, path: Path) -> "State":
        """A new, empty state file at `path` (one there is removed), to be renamed into place."""
        state = cls.__new__(cls)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-journal")):
            leftover.unlink(missing_ok=True)
        state.path = path
        state.db = sqlite3.connect(path, isolation_level=None)
        state.db.execute("PRAGMA journal_mode=OFF")  # a new file: a crash leaves it unused, never half-read
        state.db.execute("PRAGMA synchronous=OFF")
        for table in _TABLES:
            state.db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
        state.db.execute("CREATE INDEX IF NOT EXISTS statement_key ON statement (key)")
        state.db.execute("CREATE INDEX IF NOT EXISTS fact_bucket ON fact (bucket)")
        state.db.execute("CREATE INDEX IF NOT EXISTS across_bucket ON across (bucket)")
        return state

    def __enter__(self) -> "State":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()

    def meta(self, name: str) -> object:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return _load(row[0]) if row else None

    def matches(self, out: Path, state_salt: str) -> bool:
        return self.db is not None and self.meta("salt") == state_salt and \
            self.meta("stamp") is not None and self.meta("stamp") == manifest_stamp(out)

    # -- reading ---------------------------------------------------------------------------
    def article_ids(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT id FROM article ORDER BY id")]

    def statements_of(self, key_list: Iterable[str]) -> dict[str, list[tuple]]:
        """Statements by fact key, each (rank, article, seq, fact), in build order."""
        found: dict[str, list[tuple]] = {}
        keys = list(key_list)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for rank, article, seq, key, blob in self.db.execute(
                    f"SELECT rank, article, seq, key, blob FROM statement WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk):
                found.setdefault(key, []).append((rank, article, seq, _load(blob)))
        for rows in found.values():
            rows.sort(key=lambda r: r[:3])
        return found

    def keys_of(self, articles: Iterable[str]) -> set[str]:
        ids = list(articles)
        keys: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            keys.update(row[0] for row in self.db.execute(
                f"SELECT DISTINCT key FROM statement WHERE article IN ({','.join('?' * len(chunk))})", chunk))
        return keys

    def facts(self, keys: Iterable[str]) -> dict[str, tuple]:
        """key -> (fact, blocks, within conflicts) for the keys that have a fact."""
        found = {}
        wanted = list(keys)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            for key, blob, blocks, within in self.db.execute(
                    f"SELECT key, blob, blocks, within FROM fact WHERE key IN ({','.join('?' * len(chunk))})", chunk):
                found[key] = (_load(blob), _load(blocks), _load(within) if within is not None else [])
        return found

    def briefs(self, relations: Sequence[str]) -> dict[str, Fact]:
        """key -> the fact as `stub` rebuilds it from its brief, for these relations."""
        rows = self.db.execute(f"SELECT key, brief FROM fact WHERE relation IN ({','.join('?' * len(relations))})",
                               tuple(relations))
        return {key: stub(_load(brief)) for key, brief in rows}  # type: ignore[arg-type]

    def bucket_briefs(self, buckets: Iterable[str]) -> dict[str, Fact]:
        """key -> the fact as `stub` rebuilds it, for the facts in these groups of
        `conflicts.across_bucket`."""
        wanted = sorted(buckets)
        found: dict[str, Fact] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            found.update((key, stub(_load(brief))) for key, brief in self.db.execute(  # type: ignore[arg-type]
                f"SELECT key, brief FROM fact WHERE bucket IN ({','.join('?' * len(chunk))})", chunk))
        return found

    def across_ids(self, leaving_out: set[str]) -> list[str]:
        """The ids of the conflicts across facts the last build found, but in these groups."""
        return [i for bucket, i in self.db.execute("SELECT bucket, id FROM across") if bucket not in leaving_out]

    def all_facts(self) -> list[Fact]:
        return [_load(blob) for (blob,) in self.db.execute("SELECT blob FROM fact ORDER BY key")]  # type: ignore[misc]

    def within_conflicts(self) -> dict[str, list]:
        return {key: _load(blob) for key, blob in  # type: ignore[misc]
                self.db.execute("SELECT key, within FROM fact WHERE within IS NOT NULL ORDER BY key")}

    def fact_runs(self) -> tuple[list[str], list[int]]:
        """Every fact key in key order, and how many blocks each has: where each fact's run of
        lines lies in the last build's block index (see `incremental._splice`)."""
        rows = self.db.execute("SELECT key, nblocks FROM fact ORDER BY key").fetchall()
        return [key for key, _ in rows], [n for _, n in rows]

    def article_rows(self) -> dict[str, tuple]:
        """id -> (date, block digest, new entities) of every article. The entities are kept once
        each (`entity_refs`): ten thousand articles name the same few hundred, and unpickling
        each article's own copies was 0.25 s of a one-article build."""
        values = {ref: _load(blob) for ref, blob in self.db.execute("SELECT ref, blob FROM entity_value")}
        return {i: (d, g, [values[r] for r in e.split(_REF_SEP)] if e else [])
                for i, d, g, e in self.db.execute("SELECT id, date, digest, entities FROM article")}

    def counters(self, kind: str) -> dict[str, int]:
        return dict(self.db.execute("SELECT name, n FROM counter WHERE kind = ?", (kind,)).fetchall())

    # -- writing ---------------------------------------------------------------------------
    def commit(self, *, meta: dict[str, object], articles: dict[str, tuple | None],
               statements: dict[str, list[tuple[int, int, str, Fact]]], facts: dict[str, tuple | None],
               counters: dict[tuple[str, str], int], fresh: bool, across: dict[str, list[str]] | None = None) -> None:
        """Write a delta (or, with `fresh`, everything) in one transaction. `across`: the ids of
        the conflicts across facts of each group found anew (the group's rows are replaced)."""
        db = self.db
        db.execute("BEGIN")
        try:
            if fresh:
                for table in ("meta", "article", "statement", "fact", "counter", "across", "entity_value"):
                    db.execute(f"DELETE FROM {table}")
            for name, value in meta.items():
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, _dump(value)))
            for article_id, row in articles.items():
                db.execute("DELETE FROM article WHERE id = ?", (article_id,))
                if row is not None:
                    date, digest, new_entities = row
                    db.execute("INSERT INTO article VALUES (?, ?, ?, ?)",
                               (article_id, date, digest, entity_refs(db, new_entities, {})))
            for article_id, rows in statements.items():
                db.execute("DELETE FROM statement WHERE article = ?", (article_id,))
                db.executemany("INSERT INTO statement VALUES (?, ?, ?, ?, ?)",
                               ((article_id, rank, seq, key, _dump(fact)) for rank, seq, key, fact in rows))
            for key, row in facts.items():
                db.execute("DELETE FROM fact WHERE key = ?", (key,))
                if row is not None:
                    fact, blocks, within = row
                    relation, brief, curated, parsed, articles_n, bucket = fact_columns(fact)
                    db.execute("INSERT INTO fact VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (key, relation, _dump(fact), _dump(blocks), _dump(within) if within else None,
                                articles_n, curated, parsed, brief, bucket, len(blocks)))
            for bucket, ids in (across or {}).items():
                db.execute("DELETE FROM across WHERE bucket = ?", (bucket,))
                db.executemany("INSERT INTO across VALUES (?, ?)", ((bucket, i) for i in ids))
            for (kind, name), n in counters.items():
                if n:
                    db.execute("INSERT OR REPLACE INTO counter VALUES (?, ?, ?)", (kind, name, n))
                else:
                    db.execute("DELETE FROM counter WHERE kind = ? AND name = ?", (kind, name))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


_REF_SEP = " "


def entity_refs(db: sqlite3.Connection, entities: Sequence[object], seen: dict) -> str:
    """An article's new entities as the state keeps them: each value stored once in
    `entity_value` under a digest of its pickle, the article holding the digests. `seen`: the
    refs of values already stored, by value (a full build passes one dict for every article)."""
    refs = []
    for entity in entities:
        ref = seen.get(entity)
        if ref is None:
            blob = _dump(entity)
            ref = seen[entity] = hashlib.sha256(blob).hexdigest()[:24]
            db.execute("INSERT OR IGNORE INTO entity_value VALUES (?, ?)", (ref, blob))
        refs.append(ref)
    return _REF_SEP.join(refs)


def brief_of(fact: Fact) -> tuple:
    """What the facts derived across facts read of a fact: its relation, roles and articles.
    A position cited by thousands of articles is read this way without its evidence records."""
    return fact.relation, fact.roles, tuple(sorted({e.article_id for e in fact.evidence}))


def fact_columns(fact: Fact) -> tuple[str, bytes, int, int, int, str | None]:
    """What the fact table keeps of a merged fact beside the fact itself: its relation, its brief
    (pickled), its curated and parsed evidence records, the articles citing it and the group it
    is compared with across facts (`conflicts.across_bucket`)."""
    from .conflicts import across_bucket

    curated = sum(e.method is Method.CURATED for e in fact.evidence)
    return (fact.relation, _dump(brief_of(fact)), curated, len(fact.evidence) - curated,
            len({e.article_id for e in fact.evidence}), across_bucket(fact))


def stub(brief: tuple) -> Fact:
    """A fact with its roles and one placeholder evidence record per citing article: enough for
    `timeline.validities` and for grouping in `conflicts.across_facts`, never for rendering."""
    relation, roles, articles = brief
    return Fact(relation, roles, tuple(_placeholder_evidence(a) for a in articles))


@lru_cache(maxsize=65536)
def _placeholder_evidence(article_id: str) -> Evidence:
    """One shared (frozen) placeholder per article: stubs of ten thousand positions cite the same few."""
    from decimal import Decimal

    from .types import Span

    return Evidence(article_id, Span(0, 0), "", "", "", Method.PARSED, Decimal(0), "")


def fact_counters(fact: Fact | None, sign: int, into: Counter) -> None:
    """Add (or, with sign -1, take away) what one merged fact contributes to the counters."""
    if fact is None:
        return
    from .assemble import referenced_entities

    for entity_id in fact.entity_ids():
        into[("count", entity_id)] += sign
    for entity_id in referenced_entities([fact]):
        into[("ref", entity_id)] += sign
    for ev in fact.evidence:
        into[("agent", ev.agent)] += sign
        if ev.method is Method.PARSED:
            into[("software", ev.agent)] += sign
    for article_id in {e.article_id for e in fact.evidence}:
        into[("cited", article_id)] += sign


def statement_counters(statements: Iterable[Fact], sign: int, into: Counter) -> None:
    """Entities a statement's roles use: a parsed new entity joins the registry when some does."""
    for fact in statements:
        for entity_id in fact.entity_ids():
            into[("role", entity_id)] += sign


def changed_articles(old_inputs: dict[str, str], new_inputs: dict[str, str]) -> set[str] | None:
    """Article ids whose article or facts file changed, or None when anything else changed."""
    changed: set[str] = set()
    for name in set(old_inputs) | set(new_inputs):
        if old_inputs.get(name) == new_inputs.get(name):
            continue
        parts = name.split("/")
        if len(parts) >= 2 and parts[-2] == "articles" and parts[-1].endswith(".txt"):
            changed.add(parts[-1][:-4])
        elif len(parts) >= 2 and parts[-2] == "facts" and parts[-1].endswith(".yaml"):
            changed.add(parts[-1][:-5])
        else:
            return None  # the registry, the ontology, a .yml facts file: a full build
    return changed


def inputs_of(out: Path) -> dict[str, str] | None:
    try:
        return dict(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def articles_with_dates(dates: dict[str, str | None]) -> list[Article]:
    """Stand-ins carrying only what `timeline.validities` reads of an article: its id and date."""
    import datetime as dt

    return [Article(i, None, None, None, dt.date.fromisoformat(d) if d else None, None, "", 0, 0)
            for i, d in sorted(dates.items())]
