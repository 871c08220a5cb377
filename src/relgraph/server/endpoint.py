"""Small documents the endpoint serves beside ``/sparql``: the favicon, the JSON-LD context, and
the named graphs themselves (``https://w3id.org/relgraph/graph/{name}`` -> ``/graph/{name}``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from rdflib import URIRef
from starlette.requests import Request
from starlette.responses import Response

from ..errors import ParameterError
from ..export import context_document, serialize_dataset, serialize_graph
from ..stores import GRAPHS
from .headers import representation_headers
from .inputs import accept_header, only, query_params
from .linked_data import GRAPH_PATHS, graph_for_path
from .negotiation import GRAPH_OFFERS, NotAcceptable, choose, writer
from .replies import HttpError, Reply

FAVICON = resources.files("relgraph.server").joinpath("static/favicon.ico").read_bytes()
ONE_DAY = "public, max-age=86400"


async def favicon(request: Request) -> Response:
    """``GET /favicon.ico``: relgraph's icon (three linked nodes), so a browser's request is no 404."""
    return Response(FAVICON, media_type="image/vnd.microsoft.icon", headers={"Cache-Control": ONE_DAY})


async def jsonld_context(request: Request) -> Response:
    """``GET /context.jsonld``: the JSON-LD context every JSON-LD answer uses (and names in its Link header)."""
    return Response(context_document(), media_type="application/ld+json", headers={"Cache-Control": ONE_DAY})


@dataclass(frozen=True)
class GraphTask:
    """One of the server's named graphs, whole, in an RDF format (a name of ``GRAPH_OFFERS``)."""

    name: str
    offer: str

    def run(self, backend, limits) -> Reply:
        iri = URIRef(self.name)
        served = getattr(backend, "graph", None)
        if served is not None:
            graph = dict(zip(GRAPHS, (served.ontology, served.asserted, served.inferred)))[iri]
        else:
            graph = backend._open().graph(iri)
        offer = next(o for o in GRAPH_OFFERS if o.name == self.offer)
        if offer.format.datasets:  # TriG and N-Quads name the graph
            body = serialize_dataset({iri: graph}, format=offer.format)
        else:
            body = serialize_graph(graph, format=writer(offer))
        path = GRAPH_PATHS[iri]
        alternates = [(o.media_type, path + o.format.suffix) for o in GRAPH_OFFERS]
        media = offer.media_type + ("; charset=utf-8" if offer.media_type.startswith("text/") else "")
        return Reply(200, media, body, (("Vary", "Accept"), *representation_headers(offer.media_type, alternates)))


async def named_graph(request: Request) -> Response:
    """``GET /graph/{name}`` (or with a suffix, ``/graph/asserted.nq``): the named graph whose IRI
    this path stands for, in the RDF format of the suffix, ``format=`` or Accept."""
    from .protocol import to_response

    server = request.app.state.relgraph
    path = request.scope["path"]
    values = only(query_params(request), ("format",), where=path)
    offer = None
    for candidate in GRAPH_OFFERS:
        if path.endswith(candidate.format.suffix) and graph_for_path(path[: -len(candidate.format.suffix)]):
            offer, path = candidate, path[: -len(candidate.format.suffix)]
            break
    iri = graph_for_path(path)
    if iri is None:
        names = ", ".join(GRAPH_PATHS.values())
        raise HttpError(404, f"no graph at {path}; the graphs are {names}")
    if offer is None:
        try:
            offer = choose(GRAPH_OFFERS, accept=accept_header(request), format=values.get("format"))
        except NotAcceptable as error:
            raise HttpError(406, str(error)) from None
        except ParameterError as error:
            raise HttpError(400, str(error)) from None
    return to_response(await server.answer(GraphTask(str(iri), offer.name)))
