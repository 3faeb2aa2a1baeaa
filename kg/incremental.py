"""The build as a delta: apply the changed articles to the persistent state (see `state.py`).

`incremental_build` returns None whenever it cannot promise the dataset a full build would make
(no state, or one that belongs to another build, code or registry; files other than articles
and their facts changed; too many articles changed; entity merging across articles changed; a
fragment missing from the cache), and `build.build` then builds in full and records the state.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from contextlib import nullcontext
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from .assemble import (Block, agents_block, article_block, conflict_block, count_block, entity_block,
                       fact_blocks, term_block)
from .conflicts import across_bucket, across_by_bucket, within_fact
from .fragments import MissingFragment
from .merge import fact_key, merge_with_members
from .state import (MAX_CHANGED_SHARE, State, articles_with_dates, brief_of, changed_articles, fact_counters,
                    inputs_of, manifest_stamp, salt, statement_counters, stub)
from .store import DIGEST_CHARS, previous_lines
from .stream import Kept, cached_render
from .types import Fact

if TYPE_CHECKING:
    from .building import BuildResult, NlpExtractor
    from .offload import Ahead
    from .registry import Registry

last_fallback: str | None = None
"""Why the last `incremental_build` answered None (shown by `kg build`)."""


def _full(reason: str) -> None:
    global last_fallback
    last_fallback = reason


def with_evidence(conflicts: list, state: State, latest: dict[str, Fact] | None = None) -> list:
    """Conflicts found among fact stubs (`state.stub`), their claims given the whole facts back:
    a claim shows every quote that states its value."""
    from .conflicts import Claim, Conflict

    keys = {fact_key(c.fact) for conflict in conflicts for c in conflict.claims}
    full = {k: r[0] for k, r in state.facts(keys - set(latest or {})).items()}
    full.update({k: f for k, f in (latest or {}).items() if k in keys})
    return [Conflict(conflict.relation, conflict.role,
                     tuple(Claim(full[fact_key(c.fact)], c.value, full[fact_key(c.fact)].evidence)
                           for c in conflict.claims)) for conflict in conflicts]


def statement_rows(curated: list[Fact], parsed: list[Fact]) -> list[tuple[int, int, str, Fact]]:
    """An article's statements as stored: curated first (rank 0), then parsed, each in order —
    the order a full build merges them in."""
    return [(0, seq, fact_key(f), f) for seq, f in enumerate(curated)] + \
        [(1, seq, fact_key(f), f) for seq, f in enumerate(parsed)]


def incremental_build(sources: Path, ontology: Path, out: Path, extractor: "NlpExtractor | None",
                      check_shapes: bool, formats) -> "BuildResult | None":  # noqa: ANN001
    from .nlp.pipeline import prepare_parse
    from .offload import Ahead
    from .registry import load_registry
    from .state import STATE

    _full("")
    old_inputs = inputs_of(out)
    if old_inputs is None or not (out / STATE).is_file():
        return _full("no earlier build state")
    registry = load_registry(sources / "entities.yaml")
    # spaCy, the model and the registry's patterns are loaded in a process of their own from now
    # on (`offload.Ahead`), while this one finds what changed and reads the state; the changed
    # articles are parsed there. pySHACL and the shapes are loaded in another, which checks the
    # sample while this one writes the build (importing and warming pySHACL, then checking, was
    # 0.6 s of this process's 4 s at 10k synthetic articles). Only with `--jobs` 2 or more:
    # `--jobs 1` asks for one process.
    from .ontology import warm_up

    apart = extractor is not None and extractor.jobs > 1
    with Ahead(partial(prepare_parse, registry)) if apart else nullcontext() as ahead, \
            Ahead(partial(warm_up, ontology)) if apart and check_shapes else nullcontext() as checker:
        return _incremental(sources, ontology, out, extractor, check_shapes, formats, old_inputs, registry, ahead,
                            checker)


def _incremental(sources: Path, ontology: Path, out: Path, extractor: "NlpExtractor | None", check_shapes: bool,
                 formats, old_inputs: dict, registry: "Registry", ahead: "Ahead | None",
                 checker: "Ahead | None") -> "BuildResult | None":  # noqa: ANN001, C901, PLR0912, PLR0915
    """`incremental_build` once the registry is read, the parse is being prepared and, with
    `checker`, pySHACL too."""
    from . import __version__
    from .building import FRAGMENT_CACHE, BuildResult, Inputs, ShaclSample
    from .curation import load_curated
    from .errors import OntologyError
    from .fragments import FILES, FORMATS, FragmentCache
    from .generations import INPUTS_CACHE, fingerprint_inputs
    from .nlp.pipeline import registry_fingerprint, remap, resolve_new_entities
    from .offload import at_once, sample_check
    from .ontology import warm_up
    from .sources import read_article
    from .stream import write_streamed
    from .timeline import attested_on, validities

    input_digests = fingerprint_inputs(sources, ontology, out / INPUTS_CACHE)
    new_inputs = input_digests.digests
    changed = changed_articles(old_inputs, new_inputs)
    if changed is None:
        return _full("the registry, the ontology or another shared input changed")
    present = sorted(name.split("/")[-1][:-4] for name in new_inputs
                     if name.split("/")[-2:-1] == ["articles"] and name.endswith(".txt"))
    if not present or len(changed) > max(1, MAX_CHANGED_SHARE * len(present)):
        return _full(f"{len(changed)} of {len(present)} articles changed")
    state_salt = salt(registry_fingerprint(registry), extractor is not None)
    with State(out) as state:
        if not state.matches(out, state_salt):
            return _full("the state belongs to another build, code version or registry")
        stored_articles = state.article_rows()
        live = [i for i in sorted(changed) if i in set(present)]
        gone = [i for i in sorted(changed) if i not in set(present)]
        for i in gone:
            if (sources / "facts" / f"{i}.yaml").is_file():  # facts for no article: the error a full build gives
                load_curated(sources / "facts" / f"{i}.yaml", {}, registry, sources)
        articles = {i: read_article(sources / "articles" / f"{i}.txt") for i in live}
        curated = {}
        for i in live:
            path = sources / "facts" / f"{i}.yaml"
            curated[i] = load_curated(path, articles, registry, sources) if path.is_file() else []
        # The changed articles are parsed in the process ahead (loading spaCy is most of it) while
        # this one reads what it needs of the state whatever they say
        parses = (ahead.run if ahead is not None else at_once)(
            partial(extractor.parse, [articles[i] for i in live], registry, every=False)) if extractor and live else None
        positions = state.briefs(["Position"])
        within = state.within_conflicts()
        counters = {kind: state.counters(kind) for kind in ("count", "ref", "agent", "software", "cited", "role")}
        fact_keys, fact_sizes = state.fact_runs()
        layout = IndexLayout.of(previous_lines(out), len(stored_articles), fact_sizes)
        if layout is None:
            return _full("the published block index does not match the state")
        previous = layout.tail
        # What does not depend on the parse is done while it runs: the summary's totals, the
        # dates of the unchanged articles, the conflicts within facts the last build published.
        totals = fact_totals(state)
        dates = {i: row[0] for i, row in stored_articles.items() if i not in changed}
        dated = articles_with_dates(dates)
        published_within = {key: [c.id for c in found_within if f"conflict/{c.id}" in previous]
                            for key, found_within in within.items()}
        if check_shapes and parses is not None and checker is None:
            warm_up(ontology)
        raw = dict(zip(live, parses())) if parses is not None else {}
        if ahead is not None:
            ahead.close()  # a removal parses nothing: spaCy's process is not waited for
        per_article = [raw[i][1] if i in raw else stored_articles[i][2] for i in present]
        chosen, mapping = resolve_new_entities(per_article, registry)
        if mapping != (state.meta("mapping") or {}):  # that reaches into unchanged articles
            return _full("name variants of new people merge differently now")
        new_statements = {i: statement_rows(curated[i], [remap(f, mapping) for f in raw.get(i, ([], []))[0]])
                          for i in live}
        new_statements.update({i: [] for i in gone})
        affected = state.keys_of(changed) | {key for rows in new_statements.values() for _, _, key, _ in rows}
        stored = state.statements_of(affected)
        delta: Counter = Counter()
        statement_counters((f for rows in stored.values() for _, a, _, f in rows if a in changed), -1, delta)
        statement_counters((f for rows in new_statements.values() for *_, f in rows), 1, delta)

        def current(kind: str, name: str) -> int:
            return counters[kind].get(name, 0) + delta[(kind, name)]

        for entity_id in sorted({name for kind, name in delta if kind == "role"} | set(counters["role"])):
            if entity_id in chosen and entity_id not in registry and current("role", entity_id) > 0:
                registry.add(chosen[entity_id])

        def type_of(entity_id: str) -> str | None:
            return getattr(registry.get(entity_id), "type", None)

        by_key: dict[str, list[tuple]] = {key: [r for r in rows if r[1] not in changed] for key, rows in stored.items()}
        for article_id, rows in new_statements.items():
            for rank, seq, key, fact in rows:
                by_key.setdefault(key, []).append((rank, article_id, seq, fact))
        old_facts = state.facts(affected)
        new_facts: dict[str, tuple | None] = {}
        fresh_blocks: dict[str, Block] = {}
        for key in sorted(affected):
            rows = sorted(by_key.get(key, []), key=lambda r: r[:3])
            old = old_facts.get(key)
            fact_counters(old[0] if old else None, -1, delta)
            if not rows:
                new_facts[key] = None
                continue
            merged, members = merge_with_members([r[3] for r in rows])
            fact = merged[0]
            fact_counters(fact, 1, delta)
            blocks = fact_blocks(fact, dict(old[1]) if old else None, changed)
            fresh_blocks.update((b.key, b) for b in blocks)
            new_facts[key] = (fact, [(b.key, b.digest) for b in blocks],
                              within_fact(fact, next(iter(members.values())), type_of))
        # What is derived across facts, from the facts that need it: the validity terms from every
        # position; the conflicts across facts only in the groups (`across_bucket`) a changed
        # fact was or is in, as no other group's facts changed.
        reached = {bucket for key in affected
                   for fact in ((old_facts[key][0] if key in old_facts else None),
                                (new_facts[key][0] if new_facts.get(key) is not None else None))  # type: ignore[index]
                   if fact is not None and (bucket := across_bucket(fact)) is not None}
        across = state.bucket_briefs(reached)
        for key, row in new_facts.items():
            for table in (positions, across, within):
                table.pop(key, None)
            if row is not None:
                fact = row[0]
                if fact.relation == "Position":
                    positions[key] = stub(brief_of(fact))
                if across_bucket(fact) is not None:
                    across[key] = stub(brief_of(fact))
                if row[2]:
                    within[key] = row[2]
        latest = {k: r[0] for k, r in new_facts.items() if r is not None}
        by_bucket = across_by_bucket([across[k] for k in sorted(across)])
        between = [c for bucket in sorted(by_bucket) for c in by_bucket[bucket]]
        # A conflict between facts the change did not touch is the block it was: not rebuilt from
        # the whole facts (every quote of every claim), only pointed at; so is every conflict of
        # a group no change reached, known by its id alone.
        untouched = state.across_ids(reached)
        if any(f"conflict/{i}" not in previous for i in untouched):
            return _full("the state lists a conflict the published build lacks")
        kept = {c.id for c in between if f"conflict/{c.id}" in previous
                and not {fact_key(claim.fact) for claim in c.claims} & affected} | set(untouched)
        # so is a conflict within a fact the change did not touch: it is the one the state kept
        # (rendering every one again to learn its digest was 0.13 s at 10k articles)
        kept |= {i for key, ids in published_within.items() if key not in affected for i in ids}
        found = [c for key in sorted(within) for c in within[key]] + [c for c in between if c.id in kept] + \
            with_evidence([c for c in between if c.id not in kept], state, latest)
        anew = {c.id: c for c in found}
        conflict_ids = sorted(set(anew) | kept)
        dates.update(now := {i: day.isoformat() if (day := attested_on(articles[i])) else None for i in live})
        held = validities([positions[k] for k in sorted(positions)], dated + articles_with_dates(now))
        # The block index, in the order a full build writes it: the last one's lines where the
        # change left them (`Kept` runs: articles and facts it did not touch), the rest anew.
        digests = {}  # of the changed articles' blocks, for the state
        index: list[Block | Kept] = []
        at = 0
        for i in sorted(changed):
            start = layout.article_line(i)
            index.append(Kept(at, start))
            at = start + (start < layout.articles_end and layout.lines[start].startswith(f"article/{i}\t"))
            if i in live:
                block = article_block(articles[i])
                fresh_blocks[block.key] = block
                digests[i] = block.digest
                index.append(block)
        index.append(Kept(at, layout.articles_end))
        referenced = sorted(name for name in set(counters["ref"]) | {n for k, n in delta if k == "ref"}
                            if current("ref", name) > 0)
        index += [entity_block(registry.get(e)) for e in referenced if registry.get(e) is not None]  # type: ignore[arg-type]
        agents = sorted((name, current("software", name) > 0)
                        for name in set(counters["agent"]) | {n for k, n in delta if k == "agent"}
                        if current("agent", name) > 0)
        index.append(agents_block(agents))
        at = layout.facts_start
        for key in sorted(new_facts):
            start, end = layout.fact_lines(key, fact_keys, fact_sizes)
            index.append(Kept(at, start))
            row = new_facts[key]
            if row is not None:
                index += [fresh_blocks.get(k) or Block(k, d, cached_render) for k, d in row[1]]
            at = end
        index.append(Kept(at, layout.facts_end))
        index = [item for item in index if not isinstance(item, Kept) or item.end > item.start]
        counted = sorted(name for name in set(counters["count"]) | {n for k, n in delta if k == "count"}
                         if current("count", name) > 0)
        index += [count_block(e, current("count", e)) for e in counted]
        index += [term_block(i, v) for i, v in sorted(held.items())]
        index += [Block(f"conflict/{i}", previous[f"conflict/{i}"], cached_render) if i in kept
                  else conflict_block(anew[i]) for i in conflict_ids]
        # Unchanged blocks are not looked up: a store-only build never reads them, and an export
        # that finds one missing raises MissingFragment, which means a full build (below).
        with FragmentCache(out / FRAGMENT_CACHE) as cache:
            known = cache.known(b.digest for b in index if isinstance(b, Block)
                                and not getattr(b.render, "placeholder", False))
        # SHACL on the facts not built before, as a full build checks them: in the checker's
        # process while this one writes the build, which is published only if they conform.
        validation = None
        verdict = None
        news = any(d not in known for r in new_facts.values() if r is not None for _, d in r[1])
        if check_shapes and news:  # nothing new, nothing to check
            touched = {id(r[0]): r[0] for k, r in new_facts.items()
                       if r is not None and any(d not in known for _, d in r[1])}
            sample = ShaclSample(set(changed), lambda i: getattr(registry.get(i), "type", None))
            for fact in touched.values():
                sample.offer(fact)
            verdict = (checker.run if checker is not None else at_once)(sample_check(
                sample.facts, lambda i: articles.get(i) or read_article(sources / "articles" / f"{i}.txt"),
                registry, ontology))

        def conforms() -> None:
            nonlocal validation
            if verdict is None:
                return
            validation = verdict()
            if not validation.conforms:
                raise OntologyError(f"the built graph does not conform to the SHACL shapes "
                                    f"({validation.results} problems); nothing was written\n{validation.text}",
                                    path=ontology / "shapes.ttl",
                                    hint="fix the curated facts, or run `kg validate` for the full report")
        final = {kind: {**values} for kind, values in counters.items()}
        changes = {}
        for (kind, name), n in delta.items():
            if n:
                final.setdefault(kind, {})[name] = final.get(kind, {}).get(name, 0) + n
                changes[(kind, name)] = final[kind][name]
        summary_state = _Summary(totals, new_facts, final, present, old_facts)
        summary = summary_state.summary(type_of)
        summary["conflicts"] = len(conflict_ids)
        manifest = {"kg_version": __version__, "inputs": new_inputs, "summary": summary,
                    "outputs": sorted(FILES[f] for f in FORMATS)}
        try:
            report = write_streamed(out, index, manifest, formats=formats, cache=out / FRAGMENT_CACHE,
                                    before_publish=conforms, cached=known)
        except MissingFragment:
            return _full("the fragment cache lost blocks of the last build")
        if extractor is not None:
            extractor.forget(gone)
        state.commit(meta={"salt": state_salt, "stamp": manifest_stamp(out), "new": chosen, "mapping": mapping},
                     articles={**{i: None for i in gone},
                               **{i: (dates[i], digests[i], raw[i][1] if i in raw else []) for i in live}},
                     statements=new_statements,
                     facts={k: (r[0], r[1], r[2] or None) if r is not None else None for k, r in new_facts.items()},
                     counters=changes, fresh=False,
                     across={bucket: [c.id for c in by_bucket.get(bucket, [])] for bucket in reached})
    input_digests.remember()  # published and recorded: the next build may trust these digests
    inputs = Inputs([articles[i] for i in live], registry, [f for i in live for f in curated[i]])
    result = BuildResult(inputs, [r[0] for r in new_facts.values() if r is not None], Dataset(), validation,
                         conflicts=[anew[i] for i in sorted(anew)])
    result.summary = {**summary, "quads": report.quads}
    result.outputs, result.stream = report.outputs, report
    result.incremental, result.changed_articles = True, sorted(changed)
    return result


class IndexLayout:
    """Where the sections of the last build's block index lie, in the order every build writes
    them: one line per article, then the entities and the agents, then each fact's run of
    lines in fact key order, then the counts, validity terms and conflicts (the tail)."""

    def __init__(self, lines: list[str], articles_end: int, facts_start: int, facts_end: int) -> None:
        self.lines, self.articles_end, self.facts_start, self.facts_end = lines, articles_end, facts_start, facts_end
        self.tail = {line[:-DIGEST_CHARS - 1]: line[-DIGEST_CHARS:] for line in lines[facts_end:]}
        self._offsets: list[int] | None = None

    @classmethod
    def of(cls, lines: list[str] | None, articles: int, fact_sizes: list[int]) -> "IndexLayout | None":
        """The layout of `lines`, given the state's article count and blocks per fact; None when
        the index does not have the sections they say (an older or damaged index)."""
        if lines is None or articles > len(lines):
            return None
        if articles and not lines[articles - 1].startswith("article/"):
            return None
        at = articles
        while at < len(lines) and lines[at].startswith("entity/"):
            at += 1
        if at >= len(lines) or not lines[at].startswith("agents\t"):
            return None
        end = at + 1 + sum(fact_sizes)
        if end > len(lines) or (fact_sizes and not (lines[at + 1].startswith("fact/") and
                                                   lines[end - 1].startswith(("fact/", "cites/", "evidence/")))) or \
                not all(line.startswith(("count/", "term/", "conflict/")) for line in lines[end:]):
            return None
        return cls(lines, articles, at + 1, end)

    def article_line(self, article_id: str) -> int:
        """The line of `article_id` in the articles' section, or where it would go (lines sort as
        their ids: a tab sorts before any character of an id)."""
        return bisect_left(self.lines, f"article/{article_id}\t", 0, self.articles_end)

    def fact_lines(self, key: str, keys: list[str], sizes: list[int]) -> tuple[int, int]:
        """The lines of fact `key`'s blocks (start, end), or (where it would go, the same) for a
        key the last build did not have. `keys`, `sizes`: `State.fact_runs`."""
        if self._offsets is None:
            self._offsets = [0, *accumulate(sizes)]
        at = bisect_left(keys, key)
        start = self.facts_start + self._offsets[at]
        return start, start + (sizes[at] if at < len(keys) and keys[at] == key else 0)


def fact_totals(state: State) -> tuple:
    """What the manifest summary counts over the fact table before the change: facts by
    relation, curated and parsed evidence records, facts, facts cited by two articles or more.
    Read while the changed articles are still being parsed elsewhere."""
    db = state.db
    return (Counter(dict(db.execute("SELECT relation, COUNT(*) FROM fact GROUP BY relation"))),
            *db.execute("SELECT COALESCE(SUM(curated), 0), COALESCE(SUM(parsed), 0), COUNT(*), "
                        "COALESCE(SUM(articles > 1), 0) FROM fact").fetchone())


class _Summary:
    """The manifest summary of the state as it will be once the delta is written."""

    def __init__(self, totals: tuple, new_facts: dict, counters: dict, present: list[str], old: dict) -> None:
        self.totals, self.new_facts, self.counters, self.present, self.old = totals, new_facts, counters, present, old

    def summary(self, type_of) -> dict:  # noqa: ANN001
        relations, curated, parsed, facts, corroborated = self.totals
        relations = Counter(relations)
        old = self.old
        for key, row in self.new_facts.items():
            for fact, sign in ((old[key][0] if key in old else None, -1), (row[0] if row else None, 1)):
                if fact is None:
                    continue
                relations[fact.relation] += sign
                facts += sign
                curated += sign * sum(e.method.value == "curated" for e in fact.evidence)
                parsed += sign * sum(e.method.value == "parsed" for e in fact.evidence)
                corroborated += sign * (len({e.article_id for e in fact.evidence}) > 1)
        methods = {k: v for k, v in (("curated", curated), ("parsed", parsed)) if v}
        referenced = [name for name, n in self.counters.get("ref", {}).items() if n > 0]
        entities = Counter(t for e in referenced if (t := type_of(e)) is not None)
        cited = self.counters.get("cited", {})
        return {
            "articles": len(self.present),
            "entities": dict(sorted(entities.items())),
            "facts": facts,
            "facts_by_relation": {k: v for k, v in sorted(relations.items()) if v},
            "facts_by_article": {i: cited.get(i, 0) for i in self.present},
            "evidence_by_method": dict(sorted(methods.items())),
            "corroborated_facts": corroborated,
            "quads": None,
        }
