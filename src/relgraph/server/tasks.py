"""The work a query worker does: each task is plain data in, a :class:`Reply` out.

Tasks run in forked worker processes (see ``workers``) so that a time limit can stop them;
they only read the backend the worker was forked with (``backend``: memory or a store).
"""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from pyparsing import ParseException
from rdflib import URIRef
from rdflib.plugins.sparql.parser import parseUpdate

from ..errors import QueryNotFound, QuerySyntaxError, RelgraphError
from ..export import serialize_graph
from ..link.service import answer_status
from ..queries import StoredQuery
from ..stores import StoreError, StoreQueryError
from ..stores.answers import Solutions
from ..results import serialize_result
from . import pages
from .dataset import RequestDataset, query_in
from .headers import representation_headers
from .linked_data import describe, link, path_for_iri, resource_view
from .negotiation import GRAPH_OFFERS, PAGE_OFFERS, RESULT_OFFERS, NotAcceptable, choose, writer
from .replies import HttpError, Reply
from .backend import MemoryBackend, StoreBackend
from .timeline import render_svg, timeline_events, timeline_spec

Backend = MemoryBackend | StoreBackend

REFUSED = {
    "SERVICE is not allowed": "SERVICE is not allowed: this endpoint never queries other servers",
    "FROM / FROM NAMED is not allowed": (
        "FROM / FROM NAMED is not allowed: this endpoint loads nothing from the web; "
        "use GRAPH <name> { … } with the named graphs of the service description"
    ),
}


@dataclass(frozen=True)
class Limits:
    """What a worker enforces besides time."""

    max_rows: int
    """Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a query may answer."""


def media_type(offer_media_type: str) -> str:
    return offer_media_type + ("; charset=utf-8" if offer_media_type.startswith("text/") else "")


def _answer(query: StoredQuery, params: dict[str, str], backend: Backend, limits: Limits, *,
            accept: str | None, format: str | None, adhoc: bool, dataset: RequestDataset | None = None) -> Reply:
    if not adhoc and dataset is None:
        found = backend.solutions(query, params)
        if found is not None:
            return _fast_reply(query, found, limits, accept=accept, format=format)
    try:
        result = backend.query(query, params) if dataset is None else query_in(backend, query, dataset)
    except QuerySyntaxError as error:
        if error.reason in REFUSED:
            raise HttpError(400, REFUSED[error.reason]) from None
        if adhoc and _is_update(query.text):
            raise HttpError(403, "SPARQL Update is not allowed: this endpoint is read-only") from None
        where = "malformed query" if adhoc else f"stored query {query.name!r}"
        raise HttpError(400, f"{where}: {error.reason}") from None
    except StoreQueryError as error:  # what rdflib reads but the store does not (its parser is stricter)
        raise HttpError(400, f"{'malformed query' if adhoc else f'stored query {query.name!r}'}: {error}") from None
    except RelgraphError:
        raise
    except RecursionError:
        raise HttpError(400, "query nested too deeply to evaluate") from None
    except MemoryError:
        raise HttpError(503, "query needed more memory than a worker may use") from None
    except Exception as error:  # rdflib raises assorted errors while evaluating a user's query
        raise HttpError(400, f"query could not be evaluated: {type(error).__name__}: {error}") from None
    size = len(result.rows) if result.graph is None else len(result.graph)
    if size > limits.max_rows:
        unit = "rows" if result.graph is None else "triples"
        raise HttpError(
            422, f"the answer has {size} {unit}, more than this server's limit of {limits.max_rows} "
            "(--max-rows); add a LIMIT or narrow the query"
        )
    offers = RESULT_OFFERS if result.graph is None else GRAPH_OFFERS
    try:
        offer = choose(offers, accept=accept, format=format)
    except NotAcceptable as error:
        raise HttpError(406, f"{error} (for a {result.kind} query)") from None
    body = serialize_result(result, format=(offer.format if result.graph is None else writer(offer)).name)
    return Reply(200, media_type(offer.media_type), body, (("Vary", "Accept"), *representation_headers(offer.media_type)))


def _fast_reply(query: StoredQuery, found: Solutions, limits: Limits, *, accept: str | None, format: str | None) -> Reply:
    """A stored query's answer from the store's fast path (rows already as the writers take
    them); the same limits, negotiation and bytes as the general path."""
    if len(found.rows) > limits.max_rows:
        raise HttpError(
            422, f"the answer has {len(found.rows)} rows, more than this server's limit of {limits.max_rows} "
            "(--max-rows); add a LIMIT or narrow the query"
        )
    try:
        offer = choose(RESULT_OFFERS, accept=accept, format=format)
    except NotAcceptable as error:
        raise HttpError(406, f"{error} (for a {found.form} query)") from None
    return Reply(200, media_type(offer.media_type), found.write(offer.format.name),
                 (("Vary", "Accept"), *representation_headers(offer.media_type)))


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseException, RecursionError, ValueError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class SparqlTask:
    """A query sent to ``/sparql``."""

    text: str
    accept: str | None
    format: str | None
    dataset: RequestDataset | None = None
    """The graphs named by FROM / FROM NAMED or the protocol (taken out of ``text``); None: all."""

    def run(self, backend: Backend, limits: Limits) -> Reply:
        try:
            query = StoredQuery(name="query", path=Path("<request>"), title="", description="", params=(), text=self.text)
        except QuerySyntaxError as error:  # an escape that is no character
            raise HttpError(400, f"malformed query: {error.reason}") from None
        return _answer(query, {}, backend, limits, accept=self.accept, format=self.format, adhoc=True,
                       dataset=self.dataset)


@dataclass(frozen=True)
class ReconcileTask:
    """A request to ``/reconcile``: its parameters (sorted, so that equal requests are one task)."""

    params: tuple[tuple[str, str], ...]
    route: str = ""
    base: str = ""

    def run(self, backend: Backend, limits: Limits) -> Reply:
        status, body, media = answer_status(backend.entity_index(), dict(self.params), route=self.route, base=self.base,
                                           pages=True)
        return Reply(status, media, body.encode("utf-8"))


@dataclass(frozen=True)
class StoredQueryTask:
    """A stored query run by ``/queries/{name}`` with the parameters of the request."""

    name: str
    params: tuple[tuple[str, str], ...]
    accept: str | None
    format: str | None

    def run(self, backend: Backend, limits: Limits) -> Reply:
        query = backend.catalogue.get(self.name)
        return _answer(query, dict(self.params), backend, limits, accept=self.accept, format=self.format, adhoc=False)


@dataclass(frozen=True)
class ResourceTask:
    """The page (``html``) or an RDF description of one resource."""

    iri: str
    offer: str
    """A name from ``negotiation.PAGE_OFFERS``, chosen by the server."""
    lang: str

    def run(self, backend: Backend, limits: Limits) -> Reply:
        iri = URIRef(self.iri)
        graph = backend.resource(iri)
        if graph is None:
            raise HttpError(404, f"nothing is known about <{self.iri}>")
        offer = next(o for o in PAGE_OFFERS if o.name == self.offer)
        path = path_for_iri(iri) or ""
        alternates = [("text/html", path), *((o.media_type, path + o.format.suffix) for o in GRAPH_OFFERS)]
        links = representation_headers(offer.media_type, alternates)
        if offer.format is None:
            view = resource_view(graph, iri, lang=self.lang)
            return Reply(200, "text/html; charset=utf-8", pages.render_resource(view, graph=graph),
                         (("Vary", "Accept, Accept-Language"), ("Content-Language", self.lang), *links))
        body = serialize_graph(describe(graph, iri), format=writer(offer))
        return Reply(200, media_type(offer.media_type), body, (("Vary", "Accept"), *links))


@dataclass(frozen=True)
class TimelineTask:
    """The timeline of the relationship: of one pair of states, or (no pair) of the graph; as
    SVG or (``format="vega-lite"``) as the Vega-Lite specification the page draws."""

    lang: str
    pair: tuple[str, str] | None = None
    """The IRIs of the two states, or None for every dated fact of the graph."""
    format: str = "svg"

    def run(self, backend: Backend, limits: Limits) -> Reply:
        title = "Timeline of the relationship"
        facts = None
        if self.pair is not None:
            a, b = (URIRef(iri) for iri in self.pair)
            facts = backend.pair_facts(a, b)
            labels = backend.labels()
            title += f" of {link(labels.dataset, a, self.lang).label} and {link(labels.dataset, b, self.lang).label}"
        events = timeline_events(backend.dated(), lang=self.lang, facts=facts)
        if self.format == "vega-lite":
            body = json.dumps(timeline_spec(events, title=title), ensure_ascii=False, sort_keys=True, indent=1)
            return Reply(200, "application/json", (body + "\n").encode("utf-8"), (("Content-Language", self.lang),))
        return Reply(200, "image/svg+xml; charset=utf-8", render_svg(events, title=title))


def execute(task, backend: Backend, limits: Limits) -> Reply:
    """Run ``task``; every failure becomes a Reply (a worker never dies of a request)."""
    try:
        return task.run(backend, limits)
    except HttpError as error:
        return error.reply()
    except QueryNotFound as error:
        return Reply.text(404, str(error))
    except StoreError as error:  # the store is being loaded, or cannot be reached: not the client's fault
        return Reply.text(503, str(error), headers=(("Retry-After", "30"),))
    except RelgraphError as error:
        return Reply.text(400, str(error))
    except MemoryError:
        return Reply.text(503, "the request needed more memory than a worker may use")
    except Exception as error:  # the worker's boundary: report, keep serving
        traceback.print_exc(file=sys.stderr)
        return Reply.text(500, f"internal error: {type(error).__name__}: {error}")
