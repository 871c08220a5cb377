"""The ``sparql:URL`` store: any SPARQL 1.1 store, over HTTP.

Loads replace whole graphs through the Graph Store Protocol (``PUT ?graph=``), or, for a
store without one, through SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA`` in
chunks; blank nodes are then not shared between chunks or graphs). Queries go through the
SPARQL protocol with the three graphs as ``default-graph-uri``, so their union is the
default graph.

Parameters are sent as a VALUES block at the start of the query's WHERE group, built from
parsed RDF terms in N-Triples form, never as user text (:func:`relgraph.stores.base.bind_values`).
Joined there, it restricts the whole top-level group as rdflib's ``initBindings`` do, and
the store's optimizer can start from it (a trailing VALUES clause is joined only with the
finished answer, after every pattern was matched for every value). They still differ for a
parameter used only inside a subquery, EXISTS or MINUS, which see no outer binding: relgraph's
stored queries bind every parameter in the top-level group (tests/test_stores.py runs them all
against Oxigraph server).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..export import write_atomic
from ..formats import rdf_format, rdf_format_for_suffix
from ..progress import SILENT, Progress
from ..results import QueryResult
from ..vocab import PREFIXES, bind_prefixes
from .base import (
    GRAPH_STORE,
    GRAPHS,
    STORE_DIGEST,
    STORE_NODE,
    STORE_STATE,
    GraphSource,
    Store,
    StoreError,
    StoreQueryError,
    StoreSpec,
    bind_values,
    query_form,
)
from .convert import nt_lines, nt_term, to_rdflib
from .oxigraph import OX_FORMATS, rdflib_value

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(PREFIXES.items()))
_UPDATE_CHUNK = 5_000


class SparqlStore(Store):
    """A remote SPARQL 1.1 store at ``spec.location`` (query endpoint)."""

    def __init__(self, spec: StoreSpec, *, timeout: float = 300.0) -> None:
        self._spec = spec
        self.spec = f"sparql:{spec.location}"
        self.timeout = timeout

    # -- HTTP --------------------------------------------------------------------------------

    def _request(self, url: str, *, method: str, data=None, headers: Mapping[str, str]) -> tuple[str, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace").strip().splitlines()
            detail = f": {body[0][:300]}" if body else ""
            # 400 to a query: the server read it and refused it (the query's fault, not the store's)
            kind = StoreQueryError if error.code == 400 and url == self._spec.location else StoreError
            raise kind(f"store {self.spec}: {method} {url} gave HTTP {error.code}{detail}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(f"store {self.spec}: cannot reach {url}: {reason}") from None

    def _post_query(self, text: str, *, union: bool, graphs: tuple[URIRef, ...] = GRAPHS) -> tuple[str, bytes]:
        form = [("query", _PROLOGUE + text)]
        if union:  # the named graphs too: GRAPH ?g sees relgraph's graphs, never the store's bookkeeping
            form += [("default-graph-uri", str(name)) for name in graphs]
            form += [("named-graph-uri", str(name)) for name in GRAPHS]
        return self._request(
            self._spec.location,
            method="POST",
            data=urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
        )

    def _update(self, text: str) -> None:
        if self._spec.update is None:
            raise StoreError(f"store {self.spec}: no update endpoint; add ?update=URL to the store")
        self._request(
            self._spec.update,
            method="POST",
            data=urlencode([("update", text)]).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _put_graph(self, name: URIRef, data, media_type: str, length: int | None = None) -> None:
        headers = {"Content-Type": media_type}
        if length is not None:
            headers["Content-Length"] = str(length)
        self._request(f"{self._spec.gsp}?graph={quote(str(name), safe='')}", method="PUT", data=data, headers=headers)

    # -- state -----------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        text = f"SELECT ?p ?o WHERE {{ GRAPH <{GRAPH_STORE}> {{ <{STORE_NODE}> ?p ?o }} }}"
        result = _parse_answer(*self._post_query(text, union=False), kind="SELECT")
        return {str(p): str(o) for p, o in result.rows}

    def _set_meta(self, *, state: str, digest: str | None) -> None:
        lines = [f"<{STORE_NODE}> <{STORE_STATE}> {nt_term_str(state)} .\n"]
        if digest is not None:
            lines.append(f"<{STORE_NODE}> <{STORE_DIGEST}> {nt_term_str(digest)} .\n")
        self._replace_graph(GRAPH_STORE, "".join(lines).encode("utf-8"))

    @property
    def complete(self) -> bool:
        return self._meta().get(str(STORE_STATE), "complete") == "complete"

    @property
    def digest(self) -> str | None:
        meta = self._meta()
        return meta.get(str(STORE_DIGEST)) if meta.get(str(STORE_STATE)) == "complete" else None

    # -- loading -----------------------------------------------------------------------------

    def _replace_graph(self, name: URIRef, ntriples: bytes) -> None:
        if self._spec.gsp is not None:
            self._put_graph(name, ntriples, "application/n-triples")
            return
        self._update(f"DROP SILENT GRAPH <{name}>")
        lines = ntriples.decode("utf-8").splitlines(keepends=True)
        for start in range(0, len(lines), _UPDATE_CHUNK):
            body = "".join(lines[start : start + _UPDATE_CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}")

    def replace(
        self,
        graphs: Mapping[URIRef, GraphSource],
        *,
        digest: str | None = None,
        progress: Progress = SILENT,
    ) -> None:
        if self._spec.gsp is None and self._spec.update is None:
            raise StoreError(f"store {self.spec}: no endpoint to load through; add ?gsp=URL or ?update=URL")
        self._check_replace(graphs)
        self._set_meta(state="loading", digest=None)
        with progress.task(f"load {self.spec}", total=len(graphs)) as task:
            for name in GRAPHS:
                if name not in graphs:
                    continue
                source = graphs[name]
                if isinstance(source, Graph):
                    self._replace_graph(name, "".join(nt_lines(source)).encode("utf-8"))
                elif self._spec.gsp is not None:
                    fmt = rdf_format_for_suffix(Path(source).suffix)
                    with open(source, "rb") as stream:
                        self._put_graph(name, stream, fmt.media_type, Path(source).stat().st_size)
                else:
                    fmt = OX_FORMATS[rdf_format_for_suffix(Path(source).suffix).name]
                    triples = ox.parse(path=str(source), format=fmt)
                    self._replace_graph(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
                task.advance()
        self._set_meta(state="complete", digest=digest)

    # -- reading -----------------------------------------------------------------------------

    def _execute(
        self, text: str, bindings: Mapping[str, Node], *, projected: frozenset[str] | None, graphs: tuple[URIRef, ...]
    ) -> QueryResult:
        self.check_complete()
        kind = query_form(text)
        return _parse_answer(*self._post_query(bind_values(text, bindings), union=True, graphs=graphs), kind=kind)

    def graph(self, name: URIRef) -> Graph:
        self.check_complete()
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        result = _parse_answer(*self._post_query(text, union=False), kind="CONSTRUCT")
        assert result.graph is not None
        return result.graph

    def count(self, name: URIRef) -> int:
        self.check_complete()
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        return int(_parse_answer(*self._post_query(text, union=False), kind="SELECT").rows[0][0])

    def dump(self, destination: Path, *, format: str = "nquads", graphs: Sequence[URIRef] = GRAPHS) -> None:
        fmt = rdf_format(format)
        if fmt.name not in ("nt", "nquads"):
            write_atomic(Path(destination), self.export(format=format, graphs=graphs))
            return
        lines: list[str] = []
        for name in graphs:
            suffix = f" <{name}> .\n" if fmt.name == "nquads" else " .\n"
            lines.extend(line[:-3] + suffix for line in nt_lines(self.graph(name)))
        write_atomic(Path(destination), "".join(sorted(set(lines))).encode("utf-8"))


def nt_term_str(value: str) -> str:
    """A plain string literal in N-Triples form."""
    return nt_term(Literal(value))


def _parse_answer(content_type: str, body: bytes, *, kind: str) -> QueryResult:
    """A SPARQL protocol response as a QueryResult (JSON results, or N-Triples / Turtle)."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        document = json.loads(body)
        if "boolean" in document:
            return QueryResult(kind="ASK", boolean=bool(document["boolean"]))
        variables = tuple(document["head"].get("vars", ()))
        rows = tuple(
            tuple(_json_term(binding.get(v)) for v in variables) for binding in document["results"]["bindings"]
        )
        return QueryResult(kind="SELECT", variables=variables, rows=rows)
    formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
    if media not in formats:
        raise StoreError(f"unexpected answer of type {media!r} from a SPARQL store")
    return QueryResult(kind=kind, graph=_triples(body, formats[media]))


def _triples(body: bytes, fmt) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for triple in ox.parse(body, format=fmt):
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph


def _json_term(value: Mapping[str, str] | None) -> Node | None:
    """A SPARQL-JSON term object as an rdflib term, through pyoxigraph's term conversion."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        term = ox.Literal(value["value"], language=value["xml:lang"])
    elif "datatype" in value:
        term = ox.Literal(value["value"], datatype=ox.NamedNode(value["datatype"]))
    else:
        term = ox.Literal(value["value"])
    return rdflib_value(term)
