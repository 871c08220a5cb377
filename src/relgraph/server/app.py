"""The Starlette application: routes over the library, nothing else.

>>> from relgraph.server.app import ROUTE_MAP
>>> ROUTE_MAP["/sparql"]
'SPARQL 1.1 Protocol: GET, POST form, POST application/sparql-query; bare GET: service description'
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..link.service import reconciliation_routes
from .admission import ClientLimit
from .endpoint import favicon, jsonld_context, named_graph
from .headers import SecurityHeaders
from .linked_data import BaseIri, PublicBase
from .protocol import list_queries, run_stored, sparql
from .replies import HttpError, Reply
from .runtime import Server, ServerConfig
from .tasks import ReconcileTask
from .backend import open_backend
from .web import document_review, index, ontology, resource, search, timeline, timeline_spec

ROUTE_MAP = {
    "/": "the web page: SPARQL editor, stored queries, results, downloads, timeline",
    "/sparql": "SPARQL 1.1 Protocol: GET, POST form, POST application/sparql-query; bare GET: service description",
    "/queries": "the stored queries (JSON)",
    "/queries/{name}": "run a stored query; its parameters as ?name=value",
    "/id/{path}": "https://w3id.org/relgraph/id/{path}: HTML, or RDF by Accept or by suffix .ttl .jsonld .nt .rdf",
    "/ontology": "https://w3id.org/relgraph/ontology: the ontology, documented by pyLODE for a browser (suffixes as above)",
    "/ontology/{term}": "https://w3id.org/relgraph/ontology#{term}",
    "/graph/{name}": "https://w3id.org/relgraph/graph/{name}: a named graph, whole, as RDF (Accept, format= or suffix)",
    "/context.jsonld": "the JSON-LD context every JSON-LD answer uses",
    "/favicon.ico": "the icon",
    "/search": "find resources by label (?q=), any language, diacritics ignored",
    "/timeline.svg": "the timeline of the relationship (SVG)",
    "/timeline.json": "the timeline of the relationship as a Vega-Lite specification (what the page draws)",
    "/reconcile": "the Reconciliation Service API: manifest, matching, suggest, preview, data extension",
    "/reconcile/1.0-draft": "the same service in the API's 1.0 draft (JSON POST to /match and /extend below it)",
    "/documents/{slug}/review": "a document sentence by sentence with its draft's candidates and what is curated",
    "/static/…": "the page's assets, YASGUI included (no CDN)",
}


async def _http_error(request: Request, error: HttpError) -> Response:
    reply: Reply = error.reply()
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type)


async def _client_gone(request: Request, error: ClientDisconnect) -> Response:
    """The client went away while sending its request: nobody to answer, nothing to log."""
    return Response(b"", status_code=400)


async def _internal_error(request: Request, error: Exception) -> Response:
    traceback.print_exception(error, file=sys.stderr)
    return Response(f"internal error: {type(error).__name__}\n", status_code=500, media_type="text/plain; charset=utf-8")


def create_app(config: ServerConfig, *, extra_routes: Sequence[BaseRoute] = (), base_iri: BaseIri | None = None) -> Starlette:
    """The app serving ``config.project`` from ``config.store``: the graph is loaded now (into
    the store when the project changed), the workers fork at startup.

    ``extra_routes`` (Starlette routes or mounts, e.g. a reconciliation service) are added after
    relgraph's own. ``base_iri``: the public base the server answers under (see linked_data.BaseIri). RelgraphError if the project does not load.
    """
    server = Server(config, open_backend(config.project, config.store))
    # OpenRefine's Reconciliation Service API over the graph's own entities (see relgraph.link.service),
    # answered by the query workers under their time limit, so that a large batch blocks no one.
    async def reconcile_in_worker(params: dict[str, str], route: str, base: str) -> tuple[int, str, str]:
        reply = await server.answer(ReconcileTask(tuple(sorted(params.items())), route, base))
        return reply.status, reply.body.decode("utf-8"), reply.media_type

    reconciliation = reconciliation_routes(server.backend.entity_index(), max_body=config.max_body,
                                           runner=reconcile_in_worker)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await server.pool.start()
        try:
            yield
        finally:
            await server.pool.close()
            server.backend.close()

    routes: list[BaseRoute] = [
        Route("/", index, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", list_queries, methods=["GET"]),
        Route("/queries/{name}", run_stored, methods=["GET"]),
        Route("/id/{path:path}", resource, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/ontology.{suffix}", resource, methods=["GET"]),
        Route("/ontology/{term:path}", resource, methods=["GET"]),
        Route("/graph/{name}", named_graph, methods=["GET"]),
        Route("/context.jsonld", jsonld_context, methods=["GET"]),
        Route("/favicon.ico", favicon, methods=["GET"]),
        Route("/search", search, methods=["GET"]),
        Route("/timeline.svg", timeline, methods=["GET"]),
        Route("/timeline.json", timeline_spec, methods=["GET"]),
        Route("/documents/{slug}/review", document_review, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("relgraph.server", "static")]), name="static"),
        *reconciliation,
        *extra_routes,
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            *((Middleware(PublicBase, base=base_iri),) if base_iri is not None else ()),
            Middleware(SecurityHeaders),
            Middleware(ClientLimit, limit=config.per_client),
            Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                       allow_headers=["*"], max_age=86400),
        ],
        exception_handlers={HttpError: _http_error, ClientDisconnect: _client_gone, Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.relgraph = server
    app.state.base_iri = base_iri
    return app
