"""alliance-kg: news about international alliances as an RDF knowledge graph with provenance."""

__version__ = "0.1.0"


def open(build_dir="build", in_memory=False):  # noqa: A001, ANN001, ANN201 - the documented entry point
    """Open a build for querying: `kg.open("build").query("SELECT ...", df=True)`."""
    from .api import open as _open

    return _open(build_dir, in_memory)
