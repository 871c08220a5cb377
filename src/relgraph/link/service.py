"""The Reconciliation Service API over the graph's own entities, for spreadsheet users.

Speaks the protocol OpenRefine speaks (Reconciliation Service API v0.2, W3C Entity
Reconciliation Community Group: https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/):
a GET without parameters answers the service manifest; a ``queries`` parameter (GET or
form-encoded POST) holding a JSON batch ``{"q0": {"query": "Rujena", "type": "Town",
"limit": 3, "properties": [{"pid": "country", "v": "latvia"}]}}`` answers
``{"q0": {"result": [{"id", "name", "type", "score", "match", "features"}]}}``. A ``callback``
parameter wraps the answer as JSONP. Candidates are found and scored as ``relgraph link``
does it (``reconcile.score_candidate``): names case- and diacritic-insensitive, type filter,
features for the properties asked about.

Identifiers are the entities' local names under ``https://w3id.org/relgraph/id/`` (``latvia``),
types the classes' local names under ``https://w3id.org/relgraph/ontology#`` (``State``),
properties the local names of relgraph properties (``country``).

The 1.0 draft of the API is spoken below ``/reconcile/1.0-draft`` (``service_v1.py``), over the
same index: a client picks the version by the root endpoint it is given.

>>> index = EntityIndex(())
>>> index.manifest()["identifierSpace"]
'https://w3id.org/relgraph/id/'
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ..errors import ParameterError
from ..vocab import RG, RGD
from .claims import wikidata_view
from .mapping import WikidataMapping
from .names import fold, matches_keys, search_keys
from .reconcile import DEFAULT_MARGIN, DEFAULT_THRESHOLD, EntityProfile, score_candidate
from .sources import ItemRecord

DEFAULT_LIMIT = 3
MAX_LIMIT = 50
MAX_QUERIES = 100
"""Queries in one batch (OpenRefine sends 10 by default)."""
MAX_QUERY_LENGTH = 1_000
"""Characters of one query's text (a spreadsheet cell)."""
MAX_PROPERTIES = 20
"""Property constraints on one query."""
MAX_DEPTH = 8
"""Nesting of the JSON batch: a batch, a query, its properties, a value and an object in it
need five; anything deeper is refused before it is parsed (a deep one would exhaust Python's
stack in the JSON parser)."""
_CALLBACK = re.compile(r"[A-Za-z_$][\w$.]{0,63}")


def _local(iri: URIRef) -> str:
    for base in (str(RGD), str(RG)):
        if str(iri).startswith(base):
            return str(iri)[len(base):]
    return str(iri)


@dataclass(frozen=True)
class ServiceEntity:
    """An entity as the service offers it."""

    id: str
    record: ItemRecord
    """Names; ``types`` are class ids (with superclasses); ``claims`` property id -> folded values."""
    types: tuple[tuple[str, str], ...]
    """(class id, class label) of its most specific classes."""
    values: Mapping[str, tuple[dict, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Property id -> its values as data extension cells ({"id", "name"}, {"str"}, {"int"}, …)."""


class EntityIndex:
    """The graph's reconcilable entities, searchable by name; immutable once built."""

    def __init__(self, entities: Sequence[ServiceEntity], *, default_types: Sequence[tuple[str, str]] = (),
                 all_types: Sequence[tuple[str, str]] = (), properties: Sequence[tuple[str, str]] = ()) -> None:
        self.entities = tuple(sorted(entities, key=lambda e: e.id))
        self.default_types = tuple(default_types)
        self.all_types = tuple(sorted(all_types or default_types))
        """(id, label) of every reconcilable class."""
        self.properties = tuple(sorted(properties))
        """(id, label) of the properties the entities have values of."""
        self.by_id = MappingProxyType({e.id: e for e in self.entities})

    @classmethod
    def from_graphs(cls, *, ontology: Graph, data: Graph) -> EntityIndex:
        """The index of the reconcilable entities of ``data`` (asserted, plus inferred if wanted)."""
        mapping = WikidataMapping.from_ontology(ontology)
        view = wikidata_view(ontology=ontology, data=data)
        class_label = {c: _label(ontology, c) for c in mapping.reconcilable}
        property_label: dict[str, str] = {}
        entities = []
        for item in view.items:
            classes = {c for c in data.objects(item.node, RDF.type) if c in mapping.reconcilable}
            if not classes:
                continue
            specific = sorted(c for c in classes if not any(c != o and c in mapping.superclasses.get(o, ()) for o in classes))
            type_ids = {_local(s) for c in classes for s in mapping.superclasses.get(c, {c}) if str(s).startswith(str(RG))}
            claims: dict[str, set[str]] = {}
            cells: dict[str, set[str]] = {}
            for prop, obj in data.predicate_objects(item.node):
                if str(prop).startswith(str(RG)) and prop not in (RG.statedIn, RG.wikidata):
                    claims.setdefault(_local(prop), set()).update(_values(data, obj))
                    cells.setdefault(_local(prop), set()).add(json.dumps(_cell(data, obj), ensure_ascii=False, sort_keys=True))
                    property_label.setdefault(_local(prop), _label(ontology, prop))
            entities.append(
                ServiceEntity(
                    id=_local(item.node),
                    record=ItemRecord(
                        iri=item.node,
                        labels=item.labels,
                        aliases=item.aliases,
                        types=frozenset(type_ids),
                        claims=MappingProxyType({p: frozenset(v) for p, v in sorted(claims.items())}),
                    ),
                    types=tuple((_local(c), class_label[c]) for c in specific),
                    values=MappingProxyType({p: tuple(json.loads(c) for c in sorted(v)) for p, v in sorted(cells.items())}),
                )
            )
        top = sorted(c for c in mapping.reconcilable if not (mapping.superclasses.get(c, frozenset()) - {c}) & mapping.reconcilable)
        return cls(entities, default_types=[(_local(c), class_label[c]) for c in top],
                   all_types=[(_local(c), class_label[c]) for c in mapping.reconcilable],
                   properties=sorted(property_label.items()))

    def manifest(self, *, base: str | None = None, path: str = "/reconcile", pages: bool = False) -> dict:
        """The service manifest (v0.2). ``base`` is the URL of the server that serves it:
        suggest, preview and data extension are offered there, and, if it serves the entities'
        ``pages`` too (relgraph's server does), its ``/id/{{id}}`` is the view; without a base,
        the manifest names the entities' IRIs and offers matching only."""
        manifest = {
            "versions": ["0.2"],
            "name": "relgraph entities",
            "identifierSpace": str(RGD),
            "schemaSpace": str(RG),
            "defaultTypes": [{"id": i, "name": n} for i, n in self.default_types],
            "view": {"url": f"{RGD}{{{{id}}}}"},
        }
        if base is None:
            return manifest
        service = base.rstrip("/") + path
        return {
            **manifest,
            "view": {"url": f"{base.rstrip('/')}/id/{{{{id}}}}"} if pages else manifest["view"],
            "preview": {"url": f"{service}/preview?id={{{{id}}}}", "width": 400, "height": 120},
            "suggest": {kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
                        for kind in ("entity", "type", "property")},
            "extend": {"propose_properties": {"service_url": service, "service_path": "/extend/propose"},
                       "property_settings": []},
        }

    def reconcile(self, queries: object) -> dict:
        """Answer a batch of reconciliation queries; ParameterError names what is malformed."""
        if not isinstance(queries, Mapping):
            raise ParameterError("queries", "expected a JSON object of query objects")
        if len(queries) > MAX_QUERIES:
            raise ParameterError("queries", f"{len(queries)} queries; at most {MAX_QUERIES} in one batch")
        return {key: {"result": self.match(key, query)} for key, query in queries.items()}

    def match(self, key: str, query: object) -> list[dict]:
        """The results of one query object, best first."""
        if isinstance(query, str):
            query = {"query": query}
        if not isinstance(query, Mapping) or not isinstance(query.get("query"), str) or not query["query"].strip():
            raise ParameterError(f"queries.{key}", "needs a non-empty string 'query'")
        if len(query["query"]) > MAX_QUERY_LENGTH:
            raise ParameterError(f"queries.{key}.query", f"{len(query['query'])} characters; at most {MAX_QUERY_LENGTH}")
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
            raise ParameterError(f"queries.{key}.limit", f"expected an integer from 1 to {MAX_LIMIT}")
        types = query.get("type") or []
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise ParameterError(f"queries.{key}.type", "expected a type id or a list of them")
        profile = EntityProfile(
            entity=RGD[key],
            label=query["query"],
            names=(query["query"],),
            types=frozenset(types),
            claims=_query_properties(key, query.get("properties") or []),
            linked=None,
        )
        keys = search_keys(profile.names)
        scored = [
            (score_candidate(profile, e.record), e)
            for e in self.entities
            if any(matches_keys(name, keys) for name in e.record.names)
        ]
        scored = [(c, e) for c, e in scored if c.outcome("type") != "mismatch"]
        scored.sort(key=lambda pair: (-pair[0].score, pair[1].id))
        results = []
        for rank, (candidate, entity) in enumerate(scored[:limit]):
            runner_up = scored[1][0].score if len(scored) > 1 else None
            clear = runner_up is None or candidate.score - runner_up >= DEFAULT_MARGIN
            results.append(
                {
                    "id": entity.id,
                    "name": entity.record.label(),
                    "type": [{"id": i, "name": n} for i, n in entity.types],
                    "score": candidate.score,
                    "match": rank == 0 and candidate.score >= DEFAULT_THRESHOLD and clear,
                    "features": _features(candidate),
                }
            )
        return results


_OUTCOME = {"match": True, "mismatch": False}


def _features(candidate) -> list[dict]:
    """The candidate's features as the schemas want them: a number, or a boolean for a match
    or a mismatch; an unknown outcome (the graph says nothing of it) is left out."""
    features = []
    for feature in candidate.features:
        outcome = feature.outcome
        if outcome.isdigit():
            features.append({"id": feature.name, "value": int(outcome)})
        elif outcome in _OUTCOME:
            features.append({"id": feature.name, "value": _OUTCOME[outcome]})
    return features


def _cell(data: Graph, obj) -> dict:
    """A value as a data extension cell: an entity by id and name, a number, a date, a string."""
    if isinstance(obj, URIRef):
        labels = sorted(str(o) for o in data.objects(obj, RDFS.label) if isinstance(o, Literal) and o.language in (None, "en"))
        return {"id": _local(obj), "name": labels[0] if labels else _local(obj)}
    if isinstance(obj, Literal):
        value = obj.toPython()
        if isinstance(value, bool):
            return {"str": str(obj)}
        if isinstance(value, int):
            return {"int": value}
        if isinstance(value, (float, Decimal)):
            return {"float": float(value)}
        if isinstance(value, date) and not isinstance(value, datetime):
            return {"date": f"{value.isoformat()}T00:00:00Z"}
    return {"str": str(obj)}


def _label(graph: Graph, node: URIRef) -> str:
    labels = sorted(str(o) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == "en")
    return labels[0] if labels else _local(node)


def _values(data: Graph, obj) -> set[str]:
    """How a value can be named in a query: its id and its names (for an entity), or its text."""
    if isinstance(obj, URIRef):
        return {fold(_local(obj))} | {fold(str(o)) for o in data.objects(obj, RDFS.label) if isinstance(o, Literal)}
    return {fold(str(obj))}


def _query_properties(key: str, properties: object) -> tuple[tuple[str, frozenset], ...]:
    if not isinstance(properties, list):
        raise ParameterError(f"queries.{key}.properties", "expected a list of {pid, v} objects")
    if len(properties) > MAX_PROPERTIES:
        raise ParameterError(f"queries.{key}.properties", f"{len(properties)} properties; at most {MAX_PROPERTIES}")
    claims: dict[str, set[str]] = {}
    for prop in properties:
        if not isinstance(prop, Mapping) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise ParameterError(f"queries.{key}.properties", "each property needs a string 'pid' and a 'v'")
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        for value in values:
            if isinstance(value, Mapping):  # {"id": "latvia", "name": "Latvia"} as OpenRefine sends a reconciled cell
                value = value.get("id", value.get("name", ""))
            claims.setdefault(prop["pid"], set()).add(fold(str(value)))
    return tuple(sorted((p, frozenset(v)) for p, v in claims.items()))


ROUTES = ("", "/match", "/suggest/entity", "/suggest/type", "/suggest/property", "/preview", "/extend/propose")
"""The service's paths below its own (``/reconcile``), for 0.2; the 1.0 draft's are below
``/reconcile/1.0-draft`` (``service_v1.ROUTES``)."""


def _json_param(params: Mapping[str, str], name: str):
    check_depth(params[name], MAX_DEPTH, name=name)
    try:
        return json.loads(params[name])
    except json.JSONDecodeError as error:
        raise ParameterError(name, f"not JSON: {error.msg} at character {error.pos}") from None


def answer(index: EntityIndex, params: Mapping[str, str], *, route: str = "", base: str | None = None,
           pages: bool = False) -> tuple[str, str]:
    """(body, media type) for the request parameters at ``route`` (one of :data:`ROUTES`):
    the manifest, the answers to ``queries``, the values asked by ``extend``, suggestions, a
    preview; JSONP if ``callback`` is given. ParameterError for a malformed request."""
    from . import service_v1, suggest

    if route == service_v1.PATH or route.startswith(service_v1.PATH + "/"):
        return service_v1.answer(index, params, route=route[len(service_v1.PATH):], base=base or "", pages=pages)
    callback = params.get("callback")
    if callback is not None and not _CALLBACK.fullmatch(callback):
        raise ParameterError("callback", "not a JavaScript function name")
    if route == "/preview":
        return suggest.preview(index, params, base=base or ""), "text/html; charset=utf-8"
    handlers = {"/suggest/entity": suggest.suggest_entities, "/suggest/type": suggest.suggest_types,
                "/suggest/property": suggest.suggest_properties, "/extend/propose": suggest.propose_properties}
    if route in handlers:
        payload = handlers[route](index, params)
    elif "queries" in params:
        payload = index.reconcile(_json_param(params, "queries"))
    elif "extend" in params:
        payload = suggest.extend(index, _json_param(params, "extend"))
    else:
        payload = index.manifest(base=base, pages=pages)
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    if callback:
        return f"{callback}({body});", "application/javascript"
    return body, "application/json"


def check_depth(text: str, limit: int, *, name: str) -> None:
    """ParameterError if the JSON ``text`` nests arrays and objects deeper than ``limit``
    (counted outside strings, without parsing it).

    >>> check_depth('{"q0": {"query": "[[[[", "properties": [{"v": 1}]}}', 4, name="queries")
    >>> check_depth("[" * 5 + "]" * 5, 4, name="queries")
    Traceback (most recent call last):
    ...
    relgraph.errors.ParameterError: parameter 'queries': JSON nested deeper than 4 levels
    """
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise ParameterError(name, f"JSON nested deeper than {limit} levels")
        elif char in "]}":
            depth -= 1


Runner = Callable[[dict[str, str], str, str], Awaitable[tuple[int, str, str]]]
"""Answers (parameters, route, base URL) with (status, body, media type); the server's runs in
its query workers, under their time limit."""


async def _inline(index: EntityIndex, params: dict[str, str], route: str, base: str) -> tuple[int, str, str]:
    return answer_status(index, params, route=route, base=base)


def answer_status(index: EntityIndex, params: Mapping[str, str], *, route: str = "",
                  base: str | None = None, pages: bool = False) -> tuple[int, str, str]:
    """(status, body, media type): :func:`answer`, or 400 with the error as JSON."""
    try:
        body, media_type = answer(index, params, route=route, base=base, pages=pages)
    except ParameterError as error:
        return 400, json.dumps({"error": str(error)}, ensure_ascii=False), "application/json"
    return 200, body, media_type


def reconciliation_routes(index: EntityIndex, *, path: str = "/reconcile", max_body: int = 1_000_000,
                          runner: Runner | None = None, base: str | None = None) -> list:
    """Starlette routes serving ``index`` at ``path`` and below it (:data:`ROUTES`: matching,
    suggest, preview, data extension), GET and POST. Mount them in any Starlette app.

    A body longer than ``max_body`` bytes is refused with 413 before it is read whole.
    ``runner`` answers the parameters (by default here, on the event loop; relgraph's server
    passes one that runs them in its query workers, under their time limit). ``base`` is the
    server's public URL, which the manifest's URLs start with (default: the address the request
    reached, never its Host header)."""
    from starlette.routing import Route

    from . import service_v1

    handler = _Endpoint(index, max_body=max_body, runner=runner or functools.partial(_inline, index), path=path, base=base)
    root = path.rstrip("/")
    draft = [
        Route(root + service_v1.PATH + route, handler.handle, name=f"reconcile{service_v1.PATH}{route}",
              methods=["POST", "OPTIONS"] if route in service_v1.POSTED else ["GET", "OPTIONS"])
        for route in service_v1.ROUTES
    ]
    return [Route(root + route, handler.handle, methods=["GET", "POST"], name=f"reconcile{route}")
            for route in ROUTES] + draft


def _form(content_type: str, body: bytes) -> dict[str, str]:
    """The fields of a form-encoded body (what OpenRefine posts); without python-multipart."""
    if content_type.split(";", 1)[0].strip().lower() != "application/x-www-form-urlencoded":
        raise ParameterError("content-type", "POST the queries as application/x-www-form-urlencoded")
    try:
        return dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise ParameterError("queries", "the form is not UTF-8") from None


def _json_body(content_type: str, body: bytes) -> str:
    """The text of a JSON body (what the 1.0 draft posts to ``/match`` and ``/extend``)."""
    if content_type.split(";", 1)[0].strip().lower() != "application/json":
        raise ParameterError("content-type", "POST the request as application/json (Reconciliation API 1.0-draft)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ParameterError("body", "not UTF-8") from None


class _Endpoint:
    """The ASGI-level request handling: read parameters, run them, send the answer."""

    def __init__(self, index: EntityIndex, *, max_body: int, runner: Runner, path: str, base: str | None) -> None:
        self.index = index
        self.max_body = max_body
        self.runner = runner
        self.path = path.rstrip("/")
        self.base = base

    async def handle(self, request):
        from starlette.responses import JSONResponse, Response

        from . import service_v1

        cors = {"Access-Control-Allow-Origin": "*"}
        route = request.url.path[len(self.path):]
        if request.method == "OPTIONS":  # the preflight a browser sends before a JSON POST
            return Response(b"", status_code=204, headers={
                **cors, "Access-Control-Allow-Methods": "GET, POST", "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "86400"})
        params = dict(request.query_params)
        try:
            if request.method == "POST" and route.startswith(service_v1.PATH):
                body = await _read_body(request, self.max_body)
                if body is None:
                    return JSONResponse({"error": f"request body larger than this server's limit of {self.max_body} bytes"},
                                        status_code=413, headers=cors)
                params = {"body": _json_body(request.headers.get("content-type", ""), body)}
            elif request.method == "POST":
                body = await _read_body(request, self.max_body)
                if body is None:
                    return JSONResponse({"error": f"request body larger than this server's limit of {self.max_body} bytes"},
                                        status_code=413, headers=cors)
                params.update(_form(request.headers.get("content-type", ""), body))
        except ParameterError as error:
            return JSONResponse({"error": str(error)}, status_code=400, headers=cors)
        status, text, media_type = await self.runner(params, route, self.base or _own_base(request))
        return Response(text, status_code=status, media_type=media_type, headers=cors)


def _own_base(request) -> str:
    """The server's URL from the address the request reached (a Host header is the client's word)."""
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    host = f"[{host}]" if ":" in host else host
    return f"{request.url.scheme}://{host}:{port}{request.scope.get('root_path', '')}"


async def _read_body(request, max_bytes: int) -> bytes | None:
    """The body, or None as soon as it is longer than ``max_bytes`` (it is never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


__all__ = ["EntityIndex", "ServiceEntity", "answer", "answer_status", "check_depth", "reconciliation_routes"]
