"""`kg entities`: the entities to review - those the parser found, and registry entries with no
Wikidata QID."""

from __future__ import annotations

from pathlib import Path

import click

from .options import build_dir_option, sources_option


@click.command("entities")
@build_dir_option
@sources_option
@click.option("--new", "new", is_flag=True, help="Entities the parser found that sources/entities.yaml lacks.")
@click.option("--missing-qid", is_flag=True, help="Registry entities without a Wikidata QID.")
@click.option("--yaml", "as_yaml", is_flag=True, help="With --new: print entries in entities.yaml form.")
def entities_command(build_dir: Path, sources: Path, new: bool, missing_qid: bool, as_yaml: bool) -> None:
    """Entities to review before they are curated.

    With --new, every entity the last build's parse added, with its type, how sure the parser
    is of that type, and in how many articles it is named; --yaml prints them as entries to
    review and paste into sources/entities.yaml (a curated entry then wins over any parse).

    \b
    Example:
        kg entities --new
        kg entities --new --yaml >> review.yaml
        kg entities --missing-qid
    """
    from ..registry import load_registry
    from ..review import missing_qid as without_qid
    from ..review import new_entities, registry_yaml

    if missing_qid:
        for entity in without_qid(load_registry(sources / "entities.yaml")):
            click.echo(f"{entity.id}\t{entity.type}\t{entity.label}")
        return
    if not new:
        raise click.UsageError("say which entities: --new or --missing-qid")
    found = new_entities(build_dir)
    if as_yaml:
        click.echo(registry_yaml(found), nl=False)
        return
    click.echo(f"{'id':36} {'type':18} {'conf':>5} {'articles':>8}  label")
    for entity in found:
        click.echo(f"{entity.id[:36]:36} {entity.type:18} {entity.confidence:5.2f} {entity.articles:8d}  {entity.label}")


COMMANDS = [entities_command]
