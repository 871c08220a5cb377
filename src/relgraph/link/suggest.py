"""The rest of the Reconciliation Service API (v0.2) beside matching: suggest, preview and
data extension, as OpenRefine uses them.

* suggest (``/suggest/entity|type|property?prefix=Ri``): autocomplete while a user types; a
  name matches when one of its words starts with the prefix (case and diacritics ignored);
* preview (``/preview?id=riga``): the hover card, a small HTML page;
* data extension (``/extend/propose?type=City``, then ``extend={"ids": […], "properties":
  [{"id": "country"}]}``): the properties an entity of a type has, and their values, so that
  OpenRefine adds a column from the graph.

https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import ParameterError
from .names import fold

DEFAULT_SUGGESTIONS = 10
MAX_SUGGESTIONS = 50
MAX_EXTEND_IDS = 1000
MAX_EXTEND_PROPERTIES = 50


def _starts_a_word(prefix: str, names) -> bool:
    wanted = fold(prefix)
    if not wanted:
        return True
    return any(word.startswith(wanted) or name.startswith(wanted) for name in map(fold, names) for word in name.split())


@dataclass(frozen=True)
class Dialect:
    """Where the versions of the API differ in suggest: the name of the parameter that skips
    suggestions, and whether an empty prefix asks for all of them (the 1.0 draft allows it)."""

    skip: str = "cursor"
    empty_prefix: bool = False


V02 = Dialect()
V1 = Dialect(skip="offset", empty_prefix=True)


def _limit(params: Mapping[str, str], dialect: Dialect = V02) -> tuple[int, int]:
    def number(name: str, default: int, top: int) -> int:
        text = params.get(name, str(default))
        if not text.isdigit() or not 0 <= int(text) <= top:
            raise ParameterError(name, f"expected an integer from 0 to {top}")
        return int(text)

    return number("limit", DEFAULT_SUGGESTIONS, MAX_SUGGESTIONS), number(dialect.skip, 0, 1_000_000)


def _prefix(params: Mapping[str, str], dialect: Dialect = V02) -> str:
    if dialect.empty_prefix and "prefix" not in params:
        raise ParameterError("prefix", "required (it may be empty, for all suggestions)")
    prefix = params.get("prefix", "")
    if len(prefix) > 200 or not (prefix.strip() or dialect.empty_prefix):
        raise ParameterError("prefix", "expected the first letters of a name (1 to 200 characters)")
    return prefix


def suggest_entities(index, params: Mapping[str, str], *, dialect: Dialect = V02) -> dict:
    """Entities whose names start with ``prefix`` (optionally of ``type``), best first."""
    prefix, (limit, cursor) = _prefix(params, dialect), _limit(params, dialect)
    wanted_type = params.get("type")
    found = [
        e for e in index.entities
        # an entity's id finds it too (the 1.0 draft: "supplying an entity identifier as prefix MUST return this entity")
        if _starts_a_word(prefix, (*e.record.names, e.id)) and (not wanted_type or wanted_type in e.record.types)
    ]
    found.sort(key=lambda e: (not fold(e.record.label()).startswith(fold(prefix)), fold(e.record.label()), e.id))
    return {"result": [
        {"id": e.id, "name": e.record.label(), "description": ", ".join(n for _, n in e.types),
         "notable": [{"id": i, "name": n} for i, n in e.types]}
        for e in found[cursor:cursor + limit]
    ]}


def suggest_types(index, params: Mapping[str, str], *, dialect: Dialect = V02) -> dict:
    prefix, (limit, cursor) = _prefix(params, dialect), _limit(params, dialect)
    found = [(i, n) for i, n in index.all_types if _starts_a_word(prefix, (n, i))]
    return {"result": [{"id": i, "name": n} for i, n in found[cursor:cursor + limit]]}


def suggest_properties(index, params: Mapping[str, str], *, dialect: Dialect = V02) -> dict:
    prefix, (limit, cursor) = _prefix(params, dialect), _limit(params, dialect)
    found = [(i, n) for i, n in index.properties if _starts_a_word(prefix, (n, i))]
    return {"result": [{"id": i, "name": n} for i, n in found[cursor:cursor + limit]]}


def preview(index, params: Mapping[str, str], *, base: str) -> str:
    """The hover card of ``id``: its name, types and a few values, with a link to its page."""
    entity = index.by_id.get(params.get("id", ""))
    if entity is None:
        raise ParameterError("id", f"no entity {params.get('id', '')!r} in this service")
    rows = []
    for prop, cells in list(entity.values.items())[:8]:
        shown = ", ".join(c.get("name") or str(next(iter(c.values()))) for c in cells[:3])
        rows.append(f"<tr><th>{html.escape(prop)}</th><td>{html.escape(shown)}</td></tr>")
    types = ", ".join(n for _, n in entity.types)
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        f"{html.escape(entity.record.label())}</title></head><body style=\"font: 13px sans-serif; margin: 6px\">"
        f"<a href=\"{html.escape(base)}/id/{html.escape(entity.id)}\" target=\"_blank\"><b>{html.escape(entity.record.label())}</b></a>"
        f" <span>({html.escape(types)})</span><table>{''.join(rows)}</table></body></html>"
    )


def propose_properties(index, params: Mapping[str, str]) -> dict:
    """The properties entities of ``type`` have values of (all properties without a type)."""
    wanted = params.get("type", "")
    limit = _limit(params)[0] if "limit" in params else MAX_SUGGESTIONS
    used = {p for e in index.entities if not wanted or wanted in e.record.types for p in e.values}
    proposed = [{"id": i, "name": n} for i, n in index.properties if i in used][:limit]
    return {"type": wanted, "properties": proposed, "limit": limit} if wanted else {"properties": proposed, "limit": limit}


def extend(index, query: object) -> dict:
    """The values of ``properties`` for each of ``ids``, as data extension cells."""
    if not isinstance(query, Mapping) or not isinstance(query.get("ids"), list) or not isinstance(query.get("properties"), list):
        raise ParameterError("extend", 'expected {"ids": [...], "properties": [{"id": ...}]}')
    ids, properties = query["ids"], query["properties"]
    if len(ids) > MAX_EXTEND_IDS or len(properties) > MAX_EXTEND_PROPERTIES:
        raise ParameterError("extend", f"at most {MAX_EXTEND_IDS} ids and {MAX_EXTEND_PROPERTIES} properties")
    if not all(isinstance(i, str) for i in ids) or not all(isinstance(p, Mapping) and isinstance(p.get("id"), str) for p in properties):
        raise ParameterError("extend", "ids are strings, properties objects with a string id")
    names = dict(index.properties)
    wanted = [p["id"] for p in properties]
    rows = {}
    for entity_id in ids:
        entity = index.by_id.get(entity_id)
        rows[entity_id] = {p: list(entity.values.get(p, ())) if entity else [] for p in wanted}
    return {"meta": [{"id": p, "name": names.get(p, p)} for p in wanted], "rows": rows}
