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
