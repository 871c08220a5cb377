"""The ``sparql:URL`` store: any SPARQL 1.1 store, over HTTP.

Loads replace whole graphs through the Graph Store Protocol (``PUT ?graph=``), or, for a
store without one, through SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA`` in
chunks; blank nodes are then not shared between chunks or graphs). Queries go through the
SPARQL protocol with the three graphs as ``default-graph-uri``, so their union is the
default graph.

Queries and updates are sent by SPARQLWrapper (POST, form-encoded, the media types asked by
``Accept`` only); the Graph Store Protocol's PUT, which SPARQLWrapper does not make, by urllib.
Both follow redirects as urllib does (a POST answered 301/302/303 is repeated as a GET without
its body, a 307/308 to a POST or a PUT is an error), and both stop after the store's timeout.
The answers are parsed here (pyoxigraph for terms and triples), not by SPARQLWrapper's
``convert()``, which would hand back rdflib terms of its own and lose Virtuoso's quirks below.

Parameters are sent as a VALUES block at the start of the query's WHERE group (and a copy at
the start of each group nested in it that it reaches, :func:`relgraph.sparql_text.reached_groups`), built from
parsed RDF terms in N-Triples form, never as user text (:func:`relgraph.stores.base.bind_values`).
Joined there, it restricts the whole top-level group as rdflib's ``initBindings`` do, and
the store's optimizer can start from it (a trailing VALUES clause is joined only with the
finished answer, after every pattern was matched for every value). They still differ for a
parameter used only inside a subquery, EXISTS or MINUS, which see no outer binding: relgraph's
stored queries bind every parameter in the top-level group (tests/test_stores.py runs them all
against Oxigraph server).
"""

from __future__ import annotations

import ast
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

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

_ACCEPT = {
    # by the query's form: an engine that may answer any form as a table (Virtuoso does, for a
    # CONSTRUCT asked with results first) is asked only for what the form produces
    "SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples, text/turtle;q=0.8", "DESCRIBE": "application/n-triples, text/turtle;q=0.8",
}
_PROLOGUE = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in sorted(PREFIXES.items()))
_UPDATE_CHUNK = 5_000
_UPDATE_FORMS = frozenset({"INSERT", "DROP"})
"""The updates relgraph sends (``DROP SILENT GRAPH``, ``INSERT DATA``), by SPARQLWrapper's names."""
_STATUS = {QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414, EndPointInternalError: 500}
"""The HTTP status behind each of SPARQLWrapper's exceptions (it raises urllib's for the others)."""
_AGENT = "relgraph (SPARQLWrapper)"


class SparqlStore(Store):
    """A remote SPARQL 1.1 store at ``spec.location`` (query endpoint)."""

    def __init__(self, spec: StoreSpec, *, timeout: float = 300.0) -> None:
        self._spec = spec
        self.spec = f"sparql:{spec.location}"
        self.timeout = timeout

    # -- HTTP --------------------------------------------------------------------------------

    def _request(self, url: str, *, method: str, data=None, headers: Mapping[str, str]) -> tuple[str, bytes]:
        """A plain HTTP request: the Graph Store Protocol's PUT, which SPARQLWrapper does not make."""
        request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            raise self._http_error(url, method, error.code, error.read()) from None
        except (urllib.error.URLError, OSError) as error:
            raise self._unreachable(url, error) from None

    def _http_error(self, url: str, method: str, code: int, body: bytes | None) -> StoreError:
        lines = (body or b"").decode("utf-8", "replace").strip().splitlines()
        detail = f": {lines[0][:300]}" if lines else ""
        # 400 to a query: the server read it and refused it (the query's fault, not the store's)
        kind = StoreQueryError if code == 400 and url == self._spec.location else StoreError
        return kind(f"store {self.spec}: {method} {url} gave HTTP {code}{detail}")

    def _unreachable(self, url: str, error: OSError) -> StoreError:
        return StoreError(f"store {self.spec}: cannot reach {url}: {getattr(error, 'reason', error)}")

    def _sparql(self, text: str, *, form: str, graphs: tuple[URIRef, ...] = (), named: tuple[URIRef, ...] = ()) -> tuple[str, bytes]:
        """POST ``text`` (a query, or an update if ``form`` is one) through SPARQLWrapper, form-encoded,
        to the query or the update endpoint; (media type, body) of the answer."""
        update = form in _UPDATE_FORMS
        url = self._spec.update if update else self._spec.location
        client = SPARQLWrapper(self._spec.location, updateEndpoint=url, agent=_AGENT)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)  # no format=/output=/results= parameters: the Accept header says it
        client.timeout = self.timeout  # not setTimeout(), which truncates to whole seconds (0.5 would be none)
        for name in graphs:
            client.addParameter("default-graph-uri", str(name))
        for name in named:
            client.addParameter("named-graph-uri", str(name))
        # The text and relgraph's own reading of its form, set as the wrapper's documented
        # attributes rather than by setQuery(): that guesses the form with regular expressions
        # over the whole text (190 ms for one 5,000-line INSERT DATA chunk, 0.4 ms for a stored
        # query), and the form decides the endpoint (a query must never go to the update one).
        client.queryString = text
        client.queryType = form
        if not update:
            client.addCustomHttpHeader("Accept", _ACCEPT[form])
        try:
            with client.query().response as response:
                return response.headers.get("Content-Type", ""), response.read()
        except SPARQLWrapperException as error:  # SPARQLWrapper's classes for 400, 401, 404, 414 and 500
            raise self._http_error(url, "POST", _STATUS[type(error)], _response_body(error)) from None
        except urllib.error.HTTPError as error:  # any other status, raised as urllib's
            raise self._http_error(url, "POST", error.code, error.read()) from None
        except (urllib.error.URLError, OSError) as error:
            raise self._unreachable(url, error) from None

    def _post_query(self, text: str, *, union: bool, graphs: tuple[URIRef, ...] = GRAPHS,
                    kind: str | None = None) -> tuple[str, bytes]:
        # union: the named graphs too, so that GRAPH ?g sees relgraph's graphs, never the store's bookkeeping
        return self._sparql(_PROLOGUE + text, form=kind or query_form(text),
                            graphs=graphs if union else (), named=GRAPHS if union else ())

    def _update(self, text: str, *, form: str) -> None:
        if self._spec.update is None:
            raise StoreError(f"store {self.spec}: no update endpoint; add ?update=URL to the store")
        self._sparql(text, form=form)

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
        self._update(f"DROP SILENT GRAPH <{name}>", form="DROP")
        lines = ntriples.decode("utf-8").splitlines(keepends=True)
        for start in range(0, len(lines), _UPDATE_CHUNK):
            body = "".join(lines[start : start + _UPDATE_CHUNK])
            self._update(f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}", form="INSERT")

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
        return _parse_answer(*self._post_query(bind_values(text, bindings), union=True, graphs=graphs, kind=kind), kind=kind)

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


def _response_body(error: SPARQLWrapperException) -> bytes:
    """The server's answer that SPARQLWrapper 2 keeps only inside its exception's message
    (``"QueryBadFormed: ... \\n\\nResponse:\\nb'...'"``); empty if it is not there."""
    _, found, shown = str(error).partition("\n\nResponse:\n")
    try:
        body = ast.literal_eval(shown) if found else b""
    except (ValueError, SyntaxError):
        return b""
    return body if isinstance(body, bytes) else b""


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
        if kind == "ASK" and variables == ("__ASK_RETVAL",):  # Virtuoso answers ASK as a one-cell table
            bindings = document["results"]["bindings"]
            return QueryResult(kind="ASK", boolean=bool(bindings) and bindings[0]["__ASK_RETVAL"]["value"] not in ("0", "false"))
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
