"""The graph as a network: NetworkX projections, filters, analytics and pictures.

`load_facts` reads the facts of a build once; `entity_view` and `full_view` project them into
NetworkX graphs; the exporters and drawers take those graphs. Nothing here loads matplotlib
until a picture is asked for.
"""

from .project import FactRecord, entity_view, full_view, load_facts

__all__ = ["FactRecord", "entity_view", "full_view", "load_facts"]
