"""The RDF dataset of a request: ``FROM`` / ``FROM NAMED`` and ``default-graph-uri`` / ``named-graph-uri``.

A query may name its dataset (SPARQL 1.1 Query §13.2) and the protocol may override it
(SPARQL 1.1 Protocol §2.1.4). This endpoint loads nothing from the web, so a dataset may only
be made of the server's own named graphs (``stores.GRAPHS``, also spelled under a configured
base IRI): any other IRI is refused with a 400 naming it, before anything runs, and is never
fetched. The clauses are taken out of the query text here; the text that runs has none (so the
outbound check of ``queries.prepare`` still refuses any FROM left) and the dataset is handed to
the engine (an rdflib Dataset of copies for the memory backend, Oxigraph's own dataset
arguments for an Oxigraph store, ``default-graph-uri`` for a remote store).

>>> text, clauses = split_clauses("SELECT * FROM <https://w3id.org/relgraph/graph/asserted> "
...                               "FROM NAMED rgg:inferred WHERE { ?s ?p ?o }")
>>> [(named, str(iri)) for named, iri in clauses]
[(False, 'https://w3id.org/relgraph/graph/asserted'), (True, 'https://w3id.org/relgraph/graph/inferred')]
>>> " ".join(text.split())
'SELECT * WHERE { ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Dataset, URIRef

from ..queries import StoredQuery, is_ordered
from ..results import QueryResult
from ..sparql_text import _TOKEN, expand_escapes, outline
from ..stores import GRAPHS
from ..vocab import PREFIXES
from .replies import HttpError

_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\"{}|^`\\\x00-\x20]*)>", re.IGNORECASE)
_PREFIXES = {**{p: str(ns) for p, ns in PREFIXES.items()}, "rgg": str(GRAPHS[0]).rsplit("/", 1)[0] + "/"}
"""relgraph's prefixes, and ``rgg:`` for its graphs (only for the doctest's brevity: the query's
own PREFIX declarations come first)."""


@dataclass(frozen=True)
class RequestDataset:
    """The graphs a query runs over: the merge of ``default`` as its default graph, ``named`` as
    its named graphs (either may be empty, as the specification says)."""

    default: tuple[URIRef, ...]
    named: tuple[URIRef, ...]

    @property
    def is_whole(self) -> bool:
        """True if this is the server's own dataset (every graph, both ways): nothing to restrict."""
        return set(self.default) == set(GRAPHS) and set(self.named) == set(GRAPHS)


def _iri(token: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    prefix, colon, local = token.partition(":")
    if colon and prefix in prefixes:
        return prefixes[prefix] + local
    return None


def split_clauses(text: str) -> tuple[str, list[tuple[bool, URIRef]]]:
    """``text`` (escapes expanded) without its FROM / FROM NAMED clauses, and those clauses as
    (named, IRI) in order. HttpError 400 for a clause that names no IRI this reading understands."""
    text = expand_escapes(text)
    prefixes = dict(_PREFIXES)
    prefixes.update({m[1] or "": m[2] for m in _PREFIX_DECL.finditer(text)})
    clauses: list[tuple[bool, URIRef]] = []
    cut: list[tuple[int, int]] = []
    depth = 0
    tokens = [m for m in _TOKEN.finditer(text) if not m[0].startswith("#")]
    index = 0
    while index < len(tokens):
        match = tokens[index]
        kind = match.lastgroup
        if depth == 0 and kind == "word" and match[0].upper() == "FROM":
            start, named, index = match.start(), False, index + 1
            if index < len(tokens) and tokens[index].lastgroup == "word" and tokens[index][0].upper() == "NAMED":
                named, index = True, index + 1
            target = tokens[index] if index < len(tokens) else None
            iri = None if target is None or target.lastgroup != "skip" else _iri(target[0], prefixes)
            if iri is None:
                shown = "(nothing)" if target is None else target[0]
                raise HttpError(400, f"FROM{' NAMED' * named} must name an IRI; found {shown}")
            clauses.append((named, URIRef(iri)))
            cut.append((start, target.end()))
        depth += (kind == "open") - (kind == "close")
        index += 1
    for start, end in reversed(cut):
        text = text[:start] + " " * (end - start) + text[end:]
    return text, clauses


def own_graph(iri: str, aliases: dict[str, URIRef], *, where: str) -> URIRef:
    """The server's graph called ``iri`` (its name, or its name under the configured base IRI);
    HttpError 400 naming ``iri`` and ``where`` it was given otherwise."""
    if iri in aliases:
        return aliases[iri]
    names = ", ".join(f"<{g}>" for g in GRAPHS)
    raise HttpError(
        400, f"FROM / FROM NAMED is not allowed for <{iri}> ({where}): this endpoint loads nothing from the web; "
        f"a dataset may name only this server's graphs: {names}"
    )


def request_dataset(text: str, default_uris: Iterable[str], named_uris: Iterable[str],
                    aliases: dict[str, URIRef]) -> tuple[str, RequestDataset | None]:
    """The query text to run and its dataset (None: the server's own, the union default graph).

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` override the query's clauses;
    ``aliases`` maps each accepted spelling of a graph's IRI to the graph.
    """
    default_uris, named_uris = list(default_uris), list(named_uris)
    if "FROM" in outline(expand_escapes(text))[3]:
        text, clauses = split_clauses(text)
    else:
        clauses = []
    where = {False: "FROM", True: "FROM NAMED"}
    if default_uris or named_uris:
        clauses = [(False, URIRef(u)) for u in default_uris] + [(True, URIRef(u)) for u in named_uris]
        where = {False: "parameter 'default-graph-uri'", True: "parameter 'named-graph-uri'"}
    if not clauses:
        return text, None
    default = tuple(dict.fromkeys(own_graph(str(i), aliases, where=where[False]) for named, i in clauses if not named))
    named = tuple(dict.fromkeys(own_graph(str(i), aliases, where=where[True]) for named, i in clauses if named))
    dataset = RequestDataset(default, named)
    return text, None if dataset.is_whole else dataset


def rdflib_dataset(parts: dict[URIRef, object], dataset: RequestDataset) -> Dataset:
    """An rdflib Dataset of copies: the merge of ``dataset.default`` as its default graph, and
    ``dataset.named``; ``parts`` are the server's graphs by name."""
    out = Dataset(default_union=False)
    default = out.default_graph
    for name in dataset.default:
        for triple in parts[name]:
            default.add(triple)
    for name in dataset.named:
        graph = out.graph(name)
        for triple in parts[name]:
            graph.add(triple)
    return out


_COPIES: dict[RequestDataset, Dataset] = {}
"""The datasets of copies a worker made (the served graph does not change while it runs)."""


def query_in(backend, query: StoredQuery, dataset: RequestDataset) -> QueryResult:
    """``query`` (no FROM left in it) over ``dataset`` of ``backend``'s graphs.

    The query is checked first as every query is (``queries.prepare``: SERVICE and FROM
    refused, rdflib's parse), whichever engine then runs it. StoreQueryError where the store
    cannot restrict the named graphs of a query that reads them.
    """
    from ..queries import prepare
    from ..results import run_query

    prepared = prepare(query)
    served = getattr(backend, "graph", None)
    if served is not None:  # the memory backend: copies of its graphs
        if dataset not in _COPIES:
            parts = dict(zip(GRAPHS, (served.ontology, served.asserted, served.inferred)))
            _COPIES.clear()
            _COPIES[dataset] = rdflib_dataset(parts, dataset)
        return run_query(query, _COPIES[dataset])
    from ..stores import StoreQueryError
    from ..stores.base import sort_rows

    store = backend._open()
    ordered = is_ordered(prepared)
    if store.supports_dataset_arguments:
        return sort_rows(store.sparql_dataset(query.text, default=dataset.default, named=dataset.named), ordered=ordered)
    reads_named = re.search(r"\bGRAPH\b", query.text, re.IGNORECASE) is not None
    if reads_named and (set(dataset.named) != set(GRAPHS) or not dataset.default):
        raise StoreQueryError(
            f"store {store.spec} cannot restrict the named graphs (FROM NAMED / named-graph-uri) of a query "
            "with GRAPH; run it without them, or on --store memory or oxigraph:"
        )
    if not dataset.default:  # an empty default graph, and no GRAPH: no solution but the empty one
        return run_query(query, Dataset(default_union=False))
    return store.sparql(query.text, graphs=dataset.default)
