"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path

import click

sources_option = click.option("--sources", type=click.Path(path_type=Path), default=Path("sources"),
                              show_default=True, help="Folder with articles/, facts/ and entities.yaml.")
ontology_option = click.option("--ontology", type=click.Path(path_type=Path), default=Path("ontology"),
                               show_default=True, help="Folder with alliance.ttl and shapes.ttl.")
build_dir_option = click.option("--build", "build_dir", type=click.Path(path_type=Path), default=Path("build"),
                                show_default=True, help="Folder the build is written to and read from.")


PROCESS_ENDS = "kg.process_ends_with_command"
"""Set in the context object by `kg.cli.run` (the `kg` program), never by a Python caller of `main`."""


def process_ends_with_command() -> bool:
    """Whether this process ends when the command does (the `kg` program, not `main` called
    from Python or a test): then what is built need not be tidied for later."""
    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    return isinstance(getattr(root, "obj", None), dict) and bool(root.obj.get(PROCESS_ENDS))
