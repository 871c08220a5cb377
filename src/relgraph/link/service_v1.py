"""The Reconciliation Service API 1.0 draft, beside 0.2 (``service.py``), over the same index.

https://reconciliation-api.github.io/specs/1.0-draft/ (W3C Entity Reconciliation Community
Group). What the draft changes, and so what this module does differently from 0.2:

* every sub-service sits at a fixed route below the root endpoint (``/match``, ``/suggest/…``,
  ``/preview``, ``/extend``, ``/extend/propose``), so the manifest says only *whether* it offers
  them (``"suggest": {"entity": true, …}``, ``"extend": {"proposeProperties": true}``), and the
  view is an RFC 6570 template (``{id}``, not ``{{id}}``);
* matching is a JSON POST to ``/match`` of ``{"queries": [{"conditions": [{"matchType": "name",
  "propertyValue": "Rujena"}, {"matchType": "property", "propertyId": "country",
  "propertyValue": "latvia", "required": true}], "type": "Town", "limit": 3}]}``, answered by
  ``{"results": [{"candidates": [{"id", "name", "type", "score", "match", "features"}]}]}`` in
  the order of the queries; a feature has a ``name`` too; one ``type`` only, no ``type_strict``;
* data extension is a JSON POST to ``/extend``; its rows are a list (``{"id", "properties":
  [{"id", "values"}]}``), not an object keyed by id;
* suggest skips with ``offset`` (0.2: ``cursor``) and an empty ``prefix`` lists everything;
* no JSONP.

The client picks the version by the endpoint it is given: ``/reconcile`` speaks 0.2 (what
OpenRefine 3.x speaks), ``/reconcile/1.0-draft`` the draft. The draft's own way to negotiate a
version on one endpoint (an ``Accept`` media type) was added to it and reverted the same day, and
the two manifests cannot be one document (0.2 wants ``suggest.entity`` an object, the draft a
boolean), so each version has its root.

>>> from relgraph.link.service import EntityIndex
>>> manifest(EntityIndex(()))["suggest"]
{'entity': True, 'type': True, 'property': True}
>>> match(EntityIndex(()), {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "Riga"}]}]})
{'results': [{'candidates': []}]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ParameterError
from ..vocab import RGD
from . import suggest
from .names import best_similarity, fold, matches_keys, search_keys
from .reconcile import DEFAULT_MARGIN, DEFAULT_THRESHOLD, NAME_WEIGHT, UNKNOWN, Feature
from .service import DEFAULT_LIMIT, MAX_DEPTH, MAX_LIMIT, MAX_PROPERTIES, MAX_QUERIES, MAX_QUERY_LENGTH, check_depth

VERSION = "1.0-draft"
PATH = "/" + VERSION
"""The draft's root, below the 0.2 service's (``/reconcile/1.0-draft``)."""
ROUTES = ("", "/match", "/suggest/entity", "/suggest/type", "/suggest/property", "/preview", "/extend",
          "/extend/propose")
POSTED = ("/match", "/extend")
"""The routes that take a JSON body (POST, ``application/json``)."""

_QUERY_KEYS = frozenset({"conditions", "type", "limit", "lang", "dir"})
_MATCH_TYPES = ("name", "id", "property")
_QUANTIFIERS = ("any", "all", "none")


def manifest(index, *, base: str | None = None, pages: bool = False) -> dict:
    """The draft's service manifest; ``view`` is the server's ``/id/{id}`` if it serves the
    entities' ``pages`` at ``base``, else their IRIs."""
    view = f"{base.rstrip('/')}/id/{{id}}" if base and pages else f"{RGD}{{id}}"
    return {
        "versions": [VERSION],
        "name": "relgraph entities",
        "lang": "en",
        "view": {"url": view},
        "defaultTypes": [{"id": i, "name": n} for i, n in index.default_types],
        "preview": {"width": 400, "height": 120},
        "suggest": {"entity": True, "type": True, "property": True},
        "extend": {"proposeProperties": True, "propertySettings": []},
        "batchSize": MAX_QUERIES,
        "standardizedScore": True,
    }


def answer(index, params: Mapping[str, str], *, route: str, base: str, pages: bool) -> tuple[str, str]:
    """(body, media type) at ``route`` (one of :data:`ROUTES`); a JSON body is ``params["body"]``."""
    if route == "/preview":
        return suggest.preview(index, params, base=base), "text/html; charset=utf-8"
    if route in POSTED:
        text = params.get("body", "")
        check_depth(text, MAX_DEPTH, name="body")
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParameterError("body", f"not JSON: {error.msg} at character {error.pos}") from None
        payload = match(index, document) if route == "/match" else extend(index, document)
    elif route == "/extend/propose":
        payload = propose_properties(index, params)
    elif route.startswith("/suggest/"):
        handler = {"/suggest/entity": suggest.suggest_entities, "/suggest/type": suggest.suggest_types,
                   "/suggest/property": suggest.suggest_properties}[route]
        payload = handler(index, params, dialect=suggest.V1)
    else:
        payload = manifest(index, base=base, pages=pages)
    return json.dumps(payload, ensure_ascii=False, sort_keys=True), "application/json"


def match(index, batch: object) -> dict:
    """``{"results": [{"candidates": [...]}]}`` for ``{"queries": [...]}``, in order."""
    if not isinstance(batch, Mapping) or not isinstance(batch.get("queries"), list):
        raise ParameterError("queries", 'expected {"queries": [query objects]}')
    queries = batch["queries"]
    if len(queries) > MAX_QUERIES:
        raise ParameterError("queries", f"{len(queries)} queries; at most {MAX_QUERIES} in one batch")
    return {"results": [{"candidates": _candidates(index, f"queries[{n}]", q)} for n, q in enumerate(queries)]}


@dataclass(frozen=True)
class Condition:
    """One condition of a draft query, checked."""

    kind: str
    """``name``, ``id`` or ``property`` (the condition's ``matchType``)."""
    values: tuple[str, ...]
    """``propertyValue`` as text (a reconciled entity by its id)."""
    property: str | None = None
    required: bool = False
    quantifier: str = "any"


def _candidates(index, where: str, query: object) -> list[dict]:
    if not isinstance(query, Mapping):
        raise ParameterError(where, "expected a query object")
    unknown = sorted(set(query) - _QUERY_KEYS)
    if unknown:  # a 0.2 query ("query", "properties", "type_strict") sent to the draft's endpoint
        raise ParameterError(f"{where}.{unknown[0]}", f"not a field of a 1.0-draft query (fields: {', '.join(sorted(_QUERY_KEYS))})")
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise ParameterError(f"{where}.limit", f"expected an integer from 1 to {MAX_LIMIT}")
    wanted_type = query.get("type")
    if wanted_type is not None and not isinstance(wanted_type, str):
        raise ParameterError(f"{where}.type", "expected one type id (a string)")
    conditions = query.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        raise ParameterError(f"{where}.conditions", "expected a non-empty list of conditions")
    if len(conditions) > MAX_PROPERTIES:
        raise ParameterError(f"{where}.conditions", f"{len(conditions)} conditions; at most {MAX_PROPERTIES}")
    checked = [_condition(f"{where}.conditions[{n}]", c) for n, c in enumerate(conditions)]
    names = [v for c in checked if c.kind == "name" for v in c.values]
    ids = list(dict.fromkeys(v for c in checked if c.kind == "id" for v in c.values))
    if ids:  # an id names its entity, whatever the names say
        pool = [index.by_id[i] for i in ids if i in index.by_id]
    elif names:
        keys = search_keys(names)
        pool = [e for e in index.entities if any(matches_keys(name, keys) for name in e.record.names)]
    else:
        pool = list(index.entities)
    scored = []
    for entity in pool:
        features = _features(entity, names=names, ids=ids, wanted_type=wanted_type,
                             properties=[c for c in checked if c.kind == "property"])
        if features is not None:
            total = sum(f.weight for f in features)
            scored.append((int(100 * sum(f.weight * f.value for f in features) / total + 0.5), entity, features))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    labels = {**dict(index.properties), "name": "name similarity", "id": "identifier", "type": "type"}
    results = []
    for rank, (score, entity, features) in enumerate(scored[:limit]):
        clear = len(scored) < 2 or score - scored[1][0] >= DEFAULT_MARGIN
        results.append({
            "id": entity.id,
            "name": entity.record.label(),
            "type": [{"id": i, "name": n} for i, n in entity.types],
            "score": score,
            "match": rank == 0 and score >= DEFAULT_THRESHOLD and clear,
            "features": [{"id": f.name, "name": labels.get(f.name, f.name), "value": _shown(f)}
                         for f in features if f.outcome != "unknown"],
        })
    return results


def _condition(where: str, condition: object) -> Condition:
    if not isinstance(condition, Mapping):
        raise ParameterError(where, "expected a condition object")
    kind = condition.get("matchType")
    if kind not in _MATCH_TYPES:
        raise ParameterError(f"{where}.matchType", f"expected one of {', '.join(_MATCH_TYPES)}")
    pid = condition.get("propertyId")
    if kind == "property" and (not isinstance(pid, str) or not pid):
        raise ParameterError(f"{where}.propertyId", "required (a property id) when matchType is 'property'")
    if "propertyValue" not in condition:
        raise ParameterError(f"{where}.propertyValue", "required")
    raw = condition["propertyValue"]
    values = []
    for value in raw if isinstance(raw, list) else [raw]:
        if isinstance(value, Mapping):  # a value reconciled before: {"id": "latvia", "name": "Latvia"}
            value = value.get("id")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ParameterError(f"{where}.propertyValue", "expected strings, numbers, booleans or {\"id\": ...} objects")
        text = str(value)
        if len(text) > MAX_QUERY_LENGTH:
            raise ParameterError(f"{where}.propertyValue", f"{len(text)} characters; at most {MAX_QUERY_LENGTH}")
        values.append(text)
    if not values or (kind != "property" and not any(v.strip() for v in values)):
        raise ParameterError(f"{where}.propertyValue", "expected a non-empty value")
    required = condition.get("required", False)
    if not isinstance(required, bool):
        raise ParameterError(f"{where}.required", "expected true or false")
    quantifier = condition.get("matchQuantifier", "any")
    if quantifier not in _QUANTIFIERS:
        raise ParameterError(f"{where}.matchQuantifier", f"expected one of {', '.join(_QUANTIFIERS)}")
    if "matchQualifier" in condition:  # none is offered (the property suggest names none)
        raise ParameterError(f"{where}.matchQualifier", "this service offers no match qualifiers")
    if kind != "property" and (required or quantifier != "any"):
        raise ParameterError(f"{where}.matchType", "'required' and 'matchQuantifier' apply to property conditions only")
    return Condition(kind=kind, values=tuple(values), property=pid if kind == "property" else None,
                     required=required, quantifier=quantifier)


def _features(entity, *, names, ids, wanted_type, properties) -> list[Feature] | None:
    """The evidence about ``entity``, weighted as ``reconcile.score_candidate`` weighs it; None
    if a hard constraint fails (a type mismatch, as in 0.2, or a required condition that does
    not hold)."""
    features = []
    if names:
        similarity = best_similarity(names, entity.record.names)[0]
        features.append(Feature("name", str(int(100 * similarity + 0.5)), similarity, NAME_WEIGHT))
    if ids:
        features.append(Feature("id", "match", 1.0, NAME_WEIGHT))
    if wanted_type:
        if wanted_type in entity.record.types:
            features.append(Feature("type", "match", 1.0, 1))
        elif entity.record.types:
            return None
        else:
            features.append(Feature("type", "unknown", UNKNOWN, 1))
    for condition in properties:
        wanted = frozenset(fold(v) for v in condition.values)
        theirs = entity.record.claims.get(condition.property, frozenset())
        if condition.quantifier == "all":
            holds = wanted <= theirs
        elif condition.quantifier == "none":
            holds = not wanted & theirs
        else:
            holds = bool(wanted & theirs)
        known = bool(theirs) or condition.quantifier == "none"
        if condition.required and not (holds and known):
            return None
        if not known:
            features.append(Feature(condition.property, "unknown", UNKNOWN, 1))
        else:
            features.append(Feature(condition.property, "match" if holds else "mismatch", float(holds), 1))
    return features


def _shown(feature: Feature) -> int | bool:
    """A feature's value as the answer gives it: the name similarity 0-100, else whether it holds."""
    return int(feature.outcome) if feature.outcome.isdigit() else feature.outcome == "match"


def propose_properties(index, params: Mapping[str, str]) -> dict:
    """The properties entities of ``type`` have values of; the draft requires ``type``."""
    wanted = params.get("type", "")
    if not wanted:
        raise ParameterError("type", "required: the type to propose properties for")
    if wanted not in dict(index.all_types):
        raise ParameterError("type", f"no type {wanted!r} in this service")
    return suggest.propose_properties(index, params)


def extend(index, query: object) -> dict:
    """The values of ``properties`` for each of ``ids``: ``{"meta": [...], "rows": [{"id",
    "properties": [{"id", "values"}]}]}``."""
    if not isinstance(query, Mapping) or not isinstance(query.get("ids"), list) or not isinstance(query.get("properties"), list):
        raise ParameterError("body", 'expected {"ids": [...], "properties": [{"id": ...}]}')
    names = dict(index.properties)
    for n, prop in enumerate(query["properties"]):
        if not isinstance(prop, Mapping) or not isinstance(prop.get("id"), str):
            raise ParameterError(f"properties[{n}]", "expected {\"id\": a property id}")
        if prop["id"] not in names:
            raise ParameterError(f"properties[{n}].id", f"no property {prop['id']!r} in this service")
        if prop.get("settings"):
            raise ParameterError(f"properties[{n}].settings", "this service offers no property settings")
    for n, entity_id in enumerate(query["ids"]):
        if not isinstance(entity_id, str):
            raise ParameterError(f"ids[{n}]", "expected an entity id (a string)")
    old = suggest.extend(index, {"ids": query["ids"], "properties": [{"id": p["id"]} for p in query["properties"]]})
    wanted = [p["id"] for p in query["properties"]]
    return {
        "meta": old["meta"],
        "rows": [{"id": i, "properties": [{"id": p, "values": old["rows"][i][p]} for p in wanted]} for i in query["ids"]],
    }
