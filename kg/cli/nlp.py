"""`kg add`, `kg extract`, `kg eval`: new articles, parsed candidates, and how good the parser is."""

from __future__ import annotations

from pathlib import Path

import click

from .options import sources_option


@click.command("add")
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The article's title (default: from the page, else unknown).")
@click.option("--date", default=None, help="Publication date, YYYY-MM-DD.")
@click.option("--url", default=None, help="Where the article was published.")
@click.option("--publisher", default=None, help="Who published it.")
@sources_option
def add_command(target: Path, title: str | None, date: str | None, url: str | None, publisher: str | None,
                sources: Path) -> None:
    """Add articles (.txt, .md, .html; a file or a folder) to sources/.

    HTML pages are reduced to their main text. Duplicates (same text) are skipped; comment
    widgets and subscription blurbs at the end are kept out of the body. Run `kg build` next.

    \b
    Example:
        kg add article.html --date 2024-04-10
        kg add ~/news/ --publisher "Yonhap"
    """
    from ..ingest import add_paths

    for added in add_paths(target, sources, title=title, date=date, url=url, publisher=publisher):
        if added.skipped:
            click.echo(f"Skipped: {added.skipped}")
        else:
            click.echo(f"Added {added.article_id} -> {added.path}")


@click.command("extract")
@click.argument("article")
@sources_option
def extract_command(article: str, sources: Path) -> None:
    """Print the parsed candidate facts of ARTICLE (an id or path) in the curated-file format.

    \b
    Example:
        kg extract 002_198e07666666ebd1
        kg extract 002_198e07666666ebd1 > candidates.yaml
    """
    from ..candidates import candidates_yaml

    click.echo(candidates_yaml(sources, article), nl=False)


@click.command("eval")
@sources_option
@click.option("--registry", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Give the parser this registry instead of the sources' own (match entities by name).")
@click.option("--quiet", is_flag=True, help="Scores only, without the misses and false positives.")
@click.option("--split", default=None,
              help="Score only the articles of this split in sources/splits.yaml (e.g. heldout, dev).")
@click.option("--write-calibration", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write each rule's measured precision as its confidence (kg/data/rule_confidence.yaml).")
def eval_command(sources: Path, registry: Path | None, quiet: bool, split: str | None,
                 write_calibration: Path | None) -> None:
    """Precision, recall and F1 of the parsed facts and entities against the curated ones.

    Facts per relation, per article and overall; entities per type (resolved and typed
    right), with the type confusions; the calibration of the parser's confidence; and every
    miss and false positive with its quote. Only articles with a curated facts file count.

    \b
    Example:
        kg eval
        kg eval --split heldout --registry tests/fixtures/base_registry.yaml
        kg eval --sources tests/fixtures/corpus --registry sources/entities.yaml
    """
    from ..evaluate import evaluate, format_evaluation, write_rule_confidences

    result = evaluate(sources, registry, split)
    click.echo(format_evaluation(result, show_errors=not quiet))
    if write_calibration is not None:
        write_rule_confidences(result, write_calibration)
        click.echo(f"Wrote the confidence of {len(result.by_rule)} rules to {write_calibration}")


COMMANDS = [add_command, extract_command, eval_command]
