"""The pages for people and the Linked Data routes: ``/``, ``/id/…``, ``/ontology…``, ``/search``,
``/timeline.svg``, ``/documents/{slug}/review``."""

from __future__ import annotations

import asyncio
import json
import sys

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..errors import InputError, ParameterError, QueryNotFound
from ..ontology_docs import cached_page
from ..project import Project
from ..queries import Param, parse_value
from . import pages
from .linked_data import iri_for_path
from .negotiation import GRAPH_OFFERS, HTML_OFFER, PAGE_OFFERS, NotAcceptable, Offer, choose
from .protocol import to_response
from .replies import HttpError, Reply
from .inputs import accept_header, only, pick_language, query_params
from .tasks import ResourceTask, TimelineTask

JSON_OFFER = Offer("json", ("application/json",), None, ("json",))


def _choose(offers, *, accept, format=None) -> Offer:
    try:
        return choose(offers, accept=accept, format=format)
    except NotAcceptable as error:
        raise HttpError(406, str(error)) from None
    except ParameterError as error:
        raise HttpError(400, str(error)) from None


def _pair(values: dict[str, str], *, where: str) -> tuple[str, str] | None:
    """The pair of states of ``stateA`` and ``stateB`` (IRIs, or names under rgd:), or None."""
    given = [name for name in ("stateA", "stateB") if name in values]
    if not given:
        return None
    if len(given) == 1:
        missing = "stateB" if given == ["stateA"] else "stateA"
        raise HttpError(400, f"parameter {missing!r} of {where}: give both states of the pair, stateA and stateB")
    try:
        a, b = (parse_value(Param(name, "iri", None, ""), values[name]) for name in ("stateA", "stateB"))
    except ParameterError as error:
        raise HttpError(400, str(error)) from None
    if a == b:
        raise HttpError(400, f"parameters 'stateA' and 'stateB' of {where}: two different states")
    return str(a), str(b)


async def index(request: Request) -> Response:
    """``GET /``: the editor, the stored queries, the documents and pairs of states, and the
    timeline (``?stateA=…&stateB=…``: of that pair).

    A share link opens the page on a query, which the page runs: ``?query=TEXT``, or
    ``?stored=NAME`` with that query's parameters by name (``&stateA=rgd:japan…``).
    """
    server = request.app.state.relgraph
    given = query_params(request)
    allowed = ("stateA", "stateB", "query", "stored")
    stored = next((value for name, value in given if name == "stored"), None)
    if stored is not None:
        try:
            query = server.backend.catalogue.get(stored)
        except QueryNotFound as error:
            raise HttpError(404, f"parameter 'stored' of /: {error}") from None
        allowed += tuple(p.name for p in query.params if p.name not in allowed)
    values = only(given, allowed, where="/")
    if "query" in values and stored is not None:
        raise HttpError(400, "parameters 'query' and 'stored' of /: give one of them, not both")
    states = {name: values[name] for name in ("stateA", "stateB") if name in values}
    pair = _pair(states, where="/") if stored is None or len(states) == 2 else None
    reply = server.cache.get(("index", pair))
    if reply is None:
        backend = server.backend
        body = pages.render_index(
            backend.catalogue.list(), languages=backend.languages, documents=backend.documents(),
            pairs=backend.pairs(), labels=backend.labels(), pair=pair,
        )
        reply = Reply(200, "text/html; charset=utf-8", body)
        server.cache.put(("index", pair), reply)
    return to_response(reply)


async def resource(request: Request) -> Response:
    """``GET /id/{path}``, ``/ontology``, ``/ontology/{term}``: HTML or RDF by Accept or suffix."""
    server = request.app.state.relgraph
    path = request.scope["path"]
    values = only(query_params(request), ("lang", "format"), where=path)
    accept = accept_header(request)
    offer = None
    for candidate in GRAPH_OFFERS:
        suffix = candidate.format.suffix
        if path.endswith(suffix) and iri_for_path(path[: -len(suffix)]) is not None:
            offer, path = candidate, path[: -len(suffix)]
            break
    iri = iri_for_path(path)
    if iri is None:
        raise HttpError(404, f"no resource at {path}")
    if offer is None:
        offer = _choose(PAGE_OFFERS, accept=accept, format=values.get("format"))
    lang = pick_language(request, values.get("lang"), server.backend.languages)
    reply = await server.answer(ResourceTask(str(iri), offer.name, lang))
    if reply.status == 404 and offer is HTML_OFFER:
        return Response(pages.render_error(404, reply.body.decode("utf-8").strip()), status_code=404,
                        media_type="text/html; charset=utf-8")
    return to_response(reply)


async def ontology(request: Request) -> Response:
    """``GET /ontology``: for a browser, the ontology documented by pyLODE, with each class's
    SHACL shapes and the diagram (made once per change of the ontology, in a child process, see
    :mod:`relgraph.ontology_docs`); RDF by Accept or ``?format=``, as every resource."""
    server = request.app.state.relgraph
    values = only(query_params(request), ("lang", "format"), where="/ontology")
    offer = _choose(PAGE_OFFERS, accept=accept_header(request), format=values.get("format"))
    if offer is not HTML_OFFER:
        return await resource(request)
    reply = server.cache.get(("ontology-docs",))
    if reply is None:
        page = cached_page(server.config.project)
        body = page.html if page is not None else await _make_ontology_page(request.app.state, server.config.project)
        reply = Reply(200, "text/html; charset=utf-8", body, (("Vary", "Accept"),))
        server.cache.put(("ontology-docs",), reply)
    return to_response(reply)


ONTOLOGY_DOCS_TIMEOUT = 300.0
"""Seconds pyLODE may take to make the /ontology page (it takes a few; once per change)."""


async def _make_ontology_page(state, root) -> bytes:
    """The /ontology page made by ``python -m relgraph.ontology_docs`` in a child process (it
    keeps it in the cache); requests that come meanwhile wait for the same child."""
    running = getattr(state, "ontology_docs", None)
    if running is None or (running.done() and (running.cancelled() or running.exception() is not None)):
        running = asyncio.ensure_future(_run_ontology_docs(root))
        state.ontology_docs = running
    return await asyncio.shield(running)


async def _run_ontology_docs(root) -> bytes:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "relgraph.ontology_docs", str(root),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(child.communicate(), ONTOLOGY_DOCS_TIMEOUT)
    except asyncio.TimeoutError:
        child.kill()
        await child.wait()
        raise HttpError(503, f"the ontology's documentation took longer than {ONTOLOGY_DOCS_TIMEOUT:.0f} s to make") from None
    if child.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise HttpError(500, "could not document the ontology: " + (message[-1] if message else f"exit {child.returncode}"))
    return out


async def search(request: Request) -> Response:
    """``GET /search?q=…``: resources by label, as a page or (Accept: application/json) JSON."""
    server = request.app.state.relgraph
    values = only(query_params(request), ("q", "lang", "format"), where="/search")
    offer = _choose((HTML_OFFER, JSON_OFFER), accept=accept_header(request), format=values.get("format"))
    lang = pick_language(request, values.get("lang"), server.backend.languages)
    text = values.get("q", "")
    hits, error = (), None
    if text or offer is JSON_OFFER:
        try:
            hits = server.search_index.search(server.backend.labels(), text, lang=lang)
        except ValueError as problem:
            if offer is JSON_OFFER:
                raise HttpError(400, str(problem)) from None
            error = str(problem)
    if offer is JSON_OFFER:
        body = json.dumps(
            {"q": text, "hits": [{"iri": h.iri, "label": h.label, "lang": h.lang, "matched": h.matched,
                                  "matchedLang": h.matched_lang, "page": h.href} for h in hits]},
            ensure_ascii=False, indent=2,
        )
        return Response(body + "\n", media_type="application/json")
    page = pages.render_search(text, hits, error=error, lang=lang, languages=server.backend.languages)
    return Response(page, status_code=400 if error else 200, media_type="text/html; charset=utf-8")


async def timeline(request: Request) -> Response:
    """``GET /timeline.svg``: the timeline picture, drawn from the graph; with ``stateA`` and
    ``stateB``, of the facts of that pair of states only."""
    server = request.app.state.relgraph
    values = only(query_params(request), ("lang", "stateA", "stateB"), where="/timeline.svg")
    pair = _pair(values, where="/timeline.svg")
    lang = pick_language(request, values.get("lang"), server.backend.languages)
    return to_response(await server.answer(TimelineTask(lang, pair)))


async def timeline_spec(request: Request) -> Response:
    """``GET /timeline.json``: the timeline as a Vega-Lite specification (its data from the graph),
    which the page draws; with ``stateA`` and ``stateB``, of that pair of states only."""
    server = request.app.state.relgraph
    values = only(query_params(request), ("lang", "stateA", "stateB"), where="/timeline.json")
    pair = _pair(values, where="/timeline.json")
    lang = pick_language(request, values.get("lang"), server.backend.languages)
    return to_response(await server.answer(TimelineTask(lang, pair, "vega-lite")))


def _review_data(root, slug: str) -> dict:
    from ..curation.review import review, to_json

    return to_json(review(Project.discover(root).load(), slug))


async def document_review(request: Request) -> Response:
    """``GET /documents/{slug}/review``: the document sentence by sentence with its draft's
    candidates and what is curated, as ``relgraph review`` shows it. Read from the project's
    files at each request (the draft changes as a curator accepts and rejects)."""
    server = request.app.state.relgraph
    slug = request.path_params["slug"]
    where = f"/documents/{slug}/review"
    values = only(query_params(request), ("format",), where=where)
    offer = _choose((HTML_OFFER, JSON_OFFER), accept=accept_header(request), format=values.get("format"))
    try:
        data = await run_in_threadpool(_review_data, server.config.project, slug)
    except ParameterError as error:
        status, message = 404, str(error)
    except InputError as error:
        status, message = 400, str(error)
    else:
        if offer is JSON_OFFER:
            return Response(json.dumps(data, ensure_ascii=False, indent=2) + "\n", media_type="application/json")
        return Response(pages.render_review(data), media_type="text/html; charset=utf-8")
    if offer is JSON_OFFER:
        raise HttpError(status, message)
    return Response(pages.render_error(status, message), status_code=status, media_type="text/html; charset=utf-8")
