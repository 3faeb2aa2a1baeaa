"""`kg build`, `kg validate`, `kg stats`."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import click

from ..build import build
from ..fragments import FORMATS
from ..stats import format_summary, summary_of_build
from .options import build_dir_option, ontology_option, process_ends_with_command, sources_option


def _parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = [] if value.strip() == "none" else [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}, or 'none'")
    return tuple(f for f in FORMATS if f in chosen)


@click.command("build")
@sources_option
@ontology_option
@click.option("--out", type=click.Path(path_type=Path), default=Path("build"), show_default=True,
              help="Where to write the dataset.")
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster on large corpora).")
@click.option("--no-parse", is_flag=True, help="Curated facts only: do not run the NLP pipeline.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Parse articles in N processes [default: one per CPU core, at most 8].")
@click.option("--formats", default=",".join(FORMATS), show_default=True, callback=_parse_formats,
              help="Which exports to write, comma-separated, from nq, trig, ttl, jsonld, or 'none' "
                   "(the SPARQL store is always made; exports left out are removed).")
@click.option("--answer/--no-answer", default=True, show_default=True,
              help="Once published, answer the saved queries in a background process, so that "
                   "`kg query NAME` reads its first answer instead of computing it.")
def build_command(sources: Path, ontology: Path, out: Path, no_validate: bool, no_parse: bool, jobs: int | None,
                  formats: tuple[str, ...], answer: bool) -> None:
    """Build the knowledge graph from SOURCES into OUT.

    Reads the articles, the entity registry and the curated facts, places every evidence quote,
    assembles the RDF dataset with provenance, checks it with the SHACL shapes and writes TriG,
    N-Quads, Turtle and JSON-LD. Nothing is written unless everything succeeded.

    \b
    Example:
        kg build
        kg build --sources my-sources --out my-build
        kg build --no-parse            # curated facts only
        kg build --jobs 1              # parse in this process only (default: one per core)
        kg build --formats nq          # only N-Quads beside the store (fast daily updates)
        kg build --no-answer           # leave the saved queries to be computed when asked
    """
    from ..build import default_extractor
    from ..warm import answer_later

    if process_ends_with_command():
        # Python's cyclic collector stays off to the end: a build makes almost no cycles
        # (`kg/gcpause.py`), and turned back on it walked the heap the build left once more
        # before the process exited (0.13 s of a one-article build at 10k articles)
        gc.disable()
    extractor = None if no_parse else default_extractor(jobs, progress=True, cache=out / "cache" / "parsed")
    result = build(sources, ontology, out, extractor=extractor, check_shapes=not no_validate, formats=formats)
    if answer:
        answer_later(out)
    click.echo(format_summary(result.summary))
    if result.stream is not None:
        copied = f", {result.stream.copied} copied from the last build's exports" if result.stream.copied else ""
        click.echo(f"Blocks: {result.stream.blocks} ({result.stream.rendered} rendered anew{copied}); "
                   f"store {result.stream.store}.")
    if result.incremental:
        click.echo(f"Incremental: {len(result.changed_articles)} changed article(s) applied to the last build's "
                   f"state ({out / 'cache' / 'state.sqlite'}).")
    elif result.full_reason and result.full_reason != "no earlier build state":
        click.echo(f"Full build: {result.full_reason}.")
    if result.validation is not None:
        click.echo("SHACL: conforms")
    click.echo(f"Wrote {len(result.outputs)} files to {out}/:")
    for path in result.outputs:
        click.echo(f"  {path}")


@click.command("validate")
@sources_option
@ontology_option
@click.option("--no-parse", is_flag=True, help="Check the curated facts only.")
def validate_command(sources: Path, ontology: Path, no_parse: bool) -> None:
    """Check the sources and the graph they build against the SHACL shapes.

    Prints a human-readable report and exits non-zero when the graph does not conform.

    \b
    Example:
        kg validate
    """
    from ..ontology import validate

    from ..build import default_extractor

    result = build(sources, ontology, None, extractor=None if no_parse else default_extractor(), check_shapes=False)
    report = validate(result.dataset, ontology)
    if report.conforms:
        click.echo(f"Conforms: {len(result.inputs.articles)} articles, {len(result.facts)} facts checked "
                   f"against {ontology / 'shapes.ttl'}.")
        return
    click.echo(report.text)
    raise click.exceptions.Exit(1)


@click.command("stats")
@build_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--network", is_flag=True, help="Also centrality, communities and the most corroborated relations.")
def stats_command(build_dir: Path, as_json: bool, network: bool) -> None:
    """Summarise a build: entities by type, facts by relation, facts per article.

    \b
    Example:
        kg stats
        kg stats --json
        kg stats --network
    """
    summary = summary_of_build(build_dir)
    if network:
        from dataclasses import asdict

        from ..network.analytics import format_stats, network_stats
        from ..network.project import entity_view, load_facts
        from ..store import open_store

        stats = network_stats(entity_view(load_facts(open_store(build_dir))))
        if as_json:
            summary["network"] = asdict(stats)
        else:
            click.echo(format_summary(summary, every_article=True))
            click.echo(format_stats(stats))
            return
    click.echo(json.dumps(summary, indent=1, sort_keys=True) if as_json else format_summary(summary, every_article=True))


COMMANDS = [build_command, validate_command, stats_command]
