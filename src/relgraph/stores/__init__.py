"""Where the graphs live: ``memory`` (rdflib), ``oxigraph:PATH`` (embedded), ``sparql:URL`` (remote).

>>> from relgraph.vocab import GRAPH_ASSERTED, RGD, RG
>>> from rdflib import Graph, Literal
>>> g = Graph(); _ = g.add((RGD.latvia, RG.name, Literal("Latvia")))
>>> with open_store("memory") as store:
...     store.replace({GRAPH_ASSERTED: g})
...     store.sparql("SELECT ?n WHERE { rgd:latvia rg:name ?n }").rows
((rdflib.term.Literal('Latvia'),),)

See ``README.md`` in this folder for which store to pick and how to point relgraph at a
SPARQL store you already run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Store, StoreSpec

_FROM_BASE = ("GRAPH_STORE", "GRAPHS", "GraphSource", "Store", "StoreError", "StoreIncomplete", "StoreQueryError",
              "StoreSpec", "parse_spec")


def __getattr__(name: str):
    # the base (and rdflib with it) is imported when first used: stores.answers runs without it
    if name in _FROM_BASE:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_store(spec: str | StoreSpec, *, read_only: bool = False) -> Store:
    """Open the store ``spec`` names (see :func:`parse_spec`); StoreError if it cannot.

    ``read_only`` opens an ``oxigraph:`` store without taking its lock, so that many processes
    (the server's query workers) read it at once; the other stores are opened as usual.
    """
    from .base import parse_spec

    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    if parsed.kind == "memory":
        from .memory import MemoryStore

        return MemoryStore()
    if parsed.kind == "oxigraph":
        from .oxigraph import OxigraphStore

        return OxigraphStore(parsed.location, read_only=read_only)
    from .sparql import SparqlStore

    return SparqlStore(parsed)


__all__ = [
    "GRAPHS",
    "GRAPH_STORE",
    "GraphSource",
    "Store",
    "StoreError",
    "StoreIncomplete",
    "StoreQueryError",
    "StoreSpec",
    "open_store",
    "parse_spec",
]
