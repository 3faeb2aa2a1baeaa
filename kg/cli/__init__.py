"""The `kg` command: a thin skin over the library. Each command group lives in its own module."""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from ..errors import KGError


class KGGroup(click.Group):
    """Turns the library's errors into one clear message and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            if ctx.meta.get("kg.debug"):
                traceback.print_exc()
            click.secho(f"Error: {exc.format()}", fg="red", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alliance-kg")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """alliance-kg: build and explore a knowledge graph of alliance news, with provenance.

    Every fact in the graph carries the article, the character offsets and the verbatim quote
    it came from.

    \b
    Example:
        kg build
        kg stats
    """
    ctx.meta["kg.debug"] = debug


def _register() -> None:
    """Attach every command group; one explicit place, no import-time decorator magic."""
    from . import build as build_commands
    from . import entities as entity_commands
    from . import network as network_commands
    from . import nlp as nlp_commands
    from . import push as push_commands
    from . import query as query_commands
    from . import serve as serve_commands

    for module in (build_commands, entity_commands, nlp_commands, query_commands, network_commands, push_commands, serve_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


def run() -> None:
    """The `kg` program (console script and `python -m kg`): `main` in a process that ends with
    the command, which a command may rely on (`options.process_ends_with_command`)."""
    from .options import PROCESS_ENDS

    try:
        main(obj={PROCESS_ENDS: True})
    except SystemExit as done:
        _end(done)
        raise


def _end(done: SystemExit) -> None:
    """End the process once the command is done, without tearing down its heap: Python's own
    exit frees every object and module one by one, which was 0.15-0.2 s of adding one article to
    10k (a 460 MB heap). The exit handlers still run (multiprocessing ends its children there)
    and the output is flushed; only when no other thread is left and the exit code is a number
    (a message to print takes Python's own way out)."""
    import atexit
    import os
    import threading

    code = done.code
    if (code is not None and not isinstance(code, int)) or \
            any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        return
    atexit._run_exitfuncs()  # noqa: SLF001 - what Python's exit runs first, then nothing else
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: Python's own exit reports it
        return
    os._exit(code or 0)
