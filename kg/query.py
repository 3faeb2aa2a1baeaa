"""Run SPARQL against a build and render the answers in the W3C result formats.

Every query is checked by `sparql_safety.inspect_query` first. With a timeout, the query runs
in a separate process that opens the store read-only and is killed when time runs out, because
pyoxigraph cannot interrupt a running query.
"""

from __future__ import annotations

import io
import multiprocessing as mp
from dataclasses import dataclass
from pathlib import Path

from .errors import QueryError
from .sparql_safety import QueryInfo, inspect_query

TABLE = "table"
SELECT_FORMATS = (TABLE, "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")


@dataclass(frozen=True)
class Answer:
    """A query's answer, already rendered: text to print, and for ASK the boolean; `rows` is
    counted where the rows were read one by one (a table, a limit), None where the library wrote
    the whole answer at once."""

    kind: str
    text: str
    rows: int | None = None
    boolean: bool | None = None

    def encoded(self) -> bytes:
        """As kept in `answers`, read back by `Answer(**json.loads(...))`."""
        import json

        return json.dumps(self.__dict__).encode("utf-8")


def answer_key(fmt: str, limit: int | None, text: str) -> str:
    """The key `kg query` keeps its printed answer under: format, row cap, checked query text."""
    return f"answer\x1f{fmt}\x1f{limit}\x1f{text}"


def _value(term: object) -> str:
    return "" if term is None else term.value  # type: ignore[attr-defined]


def render_table(variables: list[str], rows: list[list[str]], width: int = 60) -> str:
    """A plain aligned table; long cells are cut with an ellipsis so rows stay on one line."""
    def cut(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"
    cells = [[cut(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    line = "  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def render(result: object, kind: str, fmt: str, limit: int | None = None) -> Answer:
    """Turn pyoxigraph results into text in the requested format."""
    import pyoxigraph as ox

    if kind == "ask":
        value = bool(result)
        if fmt in ("json", "xml"):
            rf = ox.QueryResultsFormat.JSON if fmt == "json" else ox.QueryResultsFormat.XML
            return Answer(kind, result.serialize(format=rf).decode("utf-8"), boolean=value)  # type: ignore[attr-defined]
        return Answer(kind, "yes" if value else "no", boolean=value)
    if kind in ("construct", "describe"):
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"{kind.upper()} answers a graph: --format {fmt} does not apply",
                             hint=f"use --format {' | '.join(GRAPH_FORMATS)}")
        triples = list(result)  # type: ignore[call-overload]
        if limit is not None:
            triples = triples[:limit]
        from .vocab import PREFIXES
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                      "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        prefixes = PREFIXES if fmt == "turtle" else None
        data = ox.serialize(triples, format=rdf_format, prefixes=prefixes) if prefixes else \
            ox.serialize(triples, format=rdf_format)
        return Answer(kind, data.decode("utf-8"), rows=len(triples))
    if fmt not in SELECT_FORMATS:
        raise QueryError(f"SELECT answers rows: --format {fmt} does not apply",
                         hint=f"use --format {' | '.join(SELECT_FORMATS)}")
    if limit is None and fmt != "table":  # the library writes the W3C format straight from the results
        rf = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV,
              "xml": ox.QueryResultsFormat.XML}[fmt]
        return Answer(kind, result.serialize(format=rf).decode("utf-8"))  # type: ignore[attr-defined]
    variables = [v.value for v in result.variables]  # type: ignore[attr-defined]
    solutions = list(result)  # type: ignore[call-overload]
    if limit is not None:
        solutions = solutions[:limit]
    if fmt == "table":
        rows = [[_value(s[v]) for v in variables] for s in solutions]
        return Answer(kind, render_table(variables, rows), rows=len(rows))
    if fmt == "tsv":
        # the W3C TSV form: terms in SPARQL/Turtle syntax, written here by the library
        data = _reserialize(result, solutions, ox.QueryResultsFormat.TSV)
    else:
        rf = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON,
              "xml": ox.QueryResultsFormat.XML}[fmt]
        data = _reserialize(result, solutions, rf)
    return Answer(kind, data, rows=len(solutions))


def _reserialize(result: object, solutions: list, fmt: object) -> str:
    """Serialise already-consumed solutions by re-encoding them through a tiny TSV round trip."""
    import pyoxigraph as ox

    variables = result.variables  # type: ignore[attr-defined]
    buffer = io.StringIO()
    buffer.write("\t".join(str(v) for v in variables) + "\n")
    for solution in solutions:
        buffer.write("\t".join("" if solution[v] is None else str(solution[v]) for v in variables) + "\n")
    again = ox.parse_query_results(buffer.getvalue().encode("utf-8"), ox.QueryResultsFormat.TSV)
    return again.serialize(format=fmt).decode("utf-8")  # type: ignore[union-attr]


def execute(store_path: Path, info: QueryInfo, fmt: str, limit: int | None) -> Answer:
    """Open the store and run a checked query in this process; an answer this build already gave
    to the same SELECT or ASK, in the same format, is read from `answers` instead, and one it gave
    in another format is laid out from the W3C JSON results it kept (`kg.warm` keeps those of the
    saved queries when a build is published)."""
    import json

    import pyoxigraph as ox

    from . import answers

    since = answers.stamp(store_path)  # before the store is opened
    generation = answers.generation_of(store_path) if info.kind in ("select", "ask") else None
    key = answer_key(fmt, limit, info.text)
    kept = answers.cached(store_path, generation, key)
    if kept is not None:
        try:
            return Answer(**json.loads(kept))
        except (ValueError, TypeError):
            pass  # a damaged entry is recomputed, never shown
    result = None
    results = answers.cached(store_path, generation, answers.RESULTS + info.text)
    if results is not None:
        try:
            result = ox.parse_query_results(results, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError):
            result = None  # a damaged entry is recomputed, never shown
    try:
        if result is None:
            from .store import open_store

            result = open_store(store_path).query(info.text)
        answer = render(result, info.kind, fmt, limit)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}", hint="check the query near that position") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    if generation is not None:
        answers.keep(store_path, generation, key, answer.encoded(), since)
    return answer


def _worker(conn, build_dir: str, info: QueryInfo, fmt: str, limit: int | None) -> None:  # noqa: ANN001
    try:
        conn.send(("ok", execute(Path(build_dir), info, fmt, limit)))
    except Exception as exc:  # noqa: BLE001 - every failure is reported to the parent
        conn.send(("error", exc))
    finally:
        conn.close()


def run_query(build_dir: Path, query: str, fmt: str = "table", *, limit: int | None = None,
              timeout: float | None = None) -> Answer:
    """Check and run `query` on the build; with `timeout`, in a process killed when it runs over."""
    info = inspect_query(query)
    if timeout is None:
        return execute(build_dir, info, fmt, limit)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(child, str(build_dir), info, fmt, limit), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryError(f"the query ran past the {timeout:g} s timeout and was stopped",
                             hint="add LIMIT, narrow the patterns, or raise --timeout")
        status, payload = parent.recv()
    except EOFError:
        raise QueryError("the query worker stopped without an answer") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "error":
        raise payload
    return payload
