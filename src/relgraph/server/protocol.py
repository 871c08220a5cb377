"""The SPARQL 1.1 Protocol at ``/sparql`` and the stored queries at ``/queries``.

https://www.w3.org/TR/sparql11-protocol/ — query by GET, by POST of a form, by POST of
``application/sparql-query``. Update (by any of those routes) is refused with 403.
"""

from __future__ import annotations

import asyncio
import json

from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import Response

from ..errors import ParameterError, QueryNotFound
from ..export import serialize_graph
from ..queries import bind
from ..sparql_text import EscapeError
from ..stores import GRAPHS
from .dataset import request_dataset
from .headers import representation_headers
from .negotiation import GRAPH_OFFERS, HTML_OFFER, NotAcceptable, Offer, choose, writer
from .replies import HttpError, Reply
from .inputs import accept_header, content_type, only, parse_form, query_params, read_body
from .service import render_html, service_description
from .tasks import SparqlTask, StoredQueryTask, media_type

SPARQL_PARAMS = ("query", "timeout")
FORMAT_PARAMS = ("format", "output", "results")
"""``output`` and ``results`` are the other names SPARQLWrapper sends for ``format``; it repeats
them (``format=tsv&format=text/tab-separated-values``, or an empty one), so the first non-empty
value is used."""
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
"""Repeatable: each names one graph of the dataset (SPARQL 1.1 Protocol §2.1.4)."""
UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")
"""Any other parameter is ignored, as Oxigraph server and WDQS do (a client's cache buster, say)."""
JSON_OFFER = Offer("json", ("application/json",), None, ("json",))
QUERY_MEDIA = "application/sparql-query"
FORM_MEDIA = "application/x-www-form-urlencoded"
UPDATE_MEDIA = "application/sparql-update"
READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only"


def to_response(reply: Reply) -> Response:
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=dict(reply.headers))


def _split_format(params: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str | None]:
    chosen = next((value.strip() for name, value in params if name in FORMAT_PARAMS and value.strip()), None)
    return [(name, value) for name, value in params if name not in FORMAT_PARAMS], chosen


def _refuse_updates(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for name, _ in params:
        if name in UPDATE_PARAMS:
            raise HttpError(403, READ_ONLY)
    return params


def _timeout(value: str | None, limit: float) -> float | None:
    """The ``timeout`` parameter in seconds (as Fuseki reads it; a decimal number), when lower
    than the server's own limit; None otherwise. HttpError 400 for what is not a number."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        raise HttpError(400, f"parameter 'timeout': {value!r} is not a number of seconds") from None
    if not seconds > 0 or seconds != seconds:
        raise HttpError(400, f"parameter 'timeout': {value!r} must be a positive number of seconds")
    return seconds if seconds < limit else None


def graph_aliases(request: Request) -> dict[str, URIRef]:
    """Each spelling of a graph's name the dataset parameters accept: its IRI, and its IRI under
    the server's base IRI (``--base-iri``), if one is configured."""
    base = request.app.state.base_iri
    aliases = {str(g): g for g in GRAPHS}
    if base is not None:
        aliases.update({str(base.rewrite(g)): g for g in GRAPHS})
    return aliases


async def sparql(request: Request) -> Response:
    """``GET|POST /sparql``: a query's answer, or the service description for a bare GET."""
    server = request.app.state.relgraph
    accept = accept_header(request)
    params = _refuse_updates(query_params(request))
    if request.method == "POST":
        kind = content_type(request)
        if kind == UPDATE_MEDIA:
            raise HttpError(403, READ_ONLY)
        body = await read_body(request, max_bytes=server.config.max_body)
        if kind == FORM_MEDIA:
            params += _refuse_updates(parse_form(body, where="form body"))
        elif kind == QUERY_MEDIA:
            try:
                params.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError as error:
                raise HttpError(400, f"the query is not valid UTF-8 (byte {error.start})") from None
        else:
            raise HttpError(415, f"unsupported Content-Type {kind or '(none)'!r}; send {QUERY_MEDIA} or {FORM_MEDIA}")
    params, format = _split_format(params)
    graphs = {name: [v.strip() for n, v in params if n == name and v.strip()] for name in DATASET_PARAMS}
    values = only([(n, v) for n, v in params if n in SPARQL_PARAMS], SPARQL_PARAMS, where="/sparql")
    if "query" not in values:
        if request.method == "POST":
            raise HttpError(400, "missing parameter 'query'")
        return _service_description(request, accept, format)
    if not values["query"].strip():
        raise HttpError(400, "parameter 'query' is empty")
    timeout = _timeout(values.get("timeout"), server.config.timeout)
    base = request.app.state.base_iri
    if base is not None:  # the public base's IRIs are the data's (see linked_data.BaseIri)
        values["query"] = base.to_data(values["query"])
        graphs = {name: [base.to_data(v) for v in uris] for name, uris in graphs.items()}
    try:
        text, dataset = request_dataset(values["query"], graphs["default-graph-uri"], graphs["named-graph-uri"],
                                        graph_aliases(request))
    except EscapeError as error:
        raise HttpError(400, f"malformed query: {error}") from None
    answer = server.answer(SparqlTask(text, accept, format, dataset))
    if timeout is None:
        return to_response(await answer)
    try:
        return to_response(await asyncio.wait_for(answer, timeout))
    except TimeoutError:  # the worker is replaced (the pool's cancellation), so the work stops too
        raise HttpError(503, f"query stopped: it ran longer than the {timeout:g} s its timeout parameter allows") from None


SERVICE_OFFERS = (*GRAPH_OFFERS, HTML_OFFER)
"""The service description: RDF (Turtle for ``*/*``, as SPARQL clients expect), or a page for a browser."""


def _service_description(request: Request, accept: str | None, format: str | None) -> Response:
    server = request.app.state.relgraph
    try:
        offer = choose(SERVICE_OFFERS, accept=accept, format=format)
    except NotAcceptable as error:
        raise HttpError(406, str(error)) from None
    except ParameterError as error:
        raise HttpError(400, str(error)) from None
    endpoint = own_endpoint(request)
    key = ("service-description", endpoint, offer.name)
    reply = server.cache.get(key)
    if reply is None:
        alternates = [(o.media_type, f"/sparql?format={o.name}") for o in SERVICE_OFFERS]
        headers = (("Vary", "Accept"), *representation_headers(offer.media_type, alternates))
        if offer is HTML_OFFER:
            body = render_html(endpoint, *server.backend.sizes(), alternates[:-1])
            reply = Reply(200, "text/html; charset=utf-8", body, headers)
        else:
            description = service_description(endpoint, *server.backend.sizes())
            fmt = writer(offer)
            if fmt.name == "jsonld":
                body = serialize_graph(description, format=fmt)
            else:  # rdflib's own writer keeps the sd: and void: prefixes (its blank nodes have fixed ids)
                body = description.serialize(format=fmt.rdflib_name, encoding="utf-8")
            reply = Reply(200, media_type(offer.media_type), body, headers)
        server.cache.put(key, reply)
    return to_response(reply)


def own_endpoint(request: Request) -> str:
    """The endpoint's URL from the address the server listens on, never from the Host header
    (which any client sets: a description must not repeat what a visitor wrote)."""
    base = request.app.state.base_iri
    if base is not None:
        return base.public + "sparql"
    host, port = request.scope.get("server") or ("127.0.0.1", 8000)
    host = f"[{host}]" if ":" in host else host
    return f"{request.url.scheme}://{host}:{port}{request.scope.get('root_path', '')}/sparql"


async def list_queries(request: Request) -> Response:
    """``GET /queries``: the stored queries with their parameters, as JSON."""
    server = request.app.state.relgraph
    only(query_params(request), (), where="/queries")
    try:
        choose((JSON_OFFER,), accept=accept_header(request))
    except NotAcceptable as error:
        raise HttpError(406, str(error)) from None
    listing = {
        "queries": [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "parameters": [
                    {"name": p.name, "type": p.type, "default": p.default, "description": p.description} for p in q.params
                ],
                "rule": q.is_rule,
                "url": f"/queries/{q.name}",
                "query": q.text,
            }
            for q in server.backend.catalogue.list()
        ]
    }
    body = (json.dumps(listing, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return Response(body, media_type="application/json")


async def run_stored(request: Request) -> Response:
    """``GET /queries/{name}?param=value``: a stored query's answer, negotiated like ``/sparql``."""
    server = request.app.state.relgraph
    name = request.path_params["name"]
    accept = accept_header(request)
    try:
        query = server.backend.catalogue.get(name)
    except QueryNotFound as error:
        raise HttpError(404, str(error)) from None
    params = query_params(request)
    values = only(params, ("format", *(p.name for p in query.params)), where=f"query {name!r}")
    format = values.pop("format", None)
    base = request.app.state.base_iri
    if base is not None:
        values = {name: base.to_data(value) for name, value in values.items()}
    try:
        bind(query, values)  # 400 now for a bad value, before a worker is used
    except ParameterError as error:
        raise HttpError(400, str(error)) from None
    task = StoredQueryTask(name, tuple(sorted(values.items())), accept, format)
    return to_response(await server.answer(task))
