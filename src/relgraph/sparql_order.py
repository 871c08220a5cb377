"""ORDER BY as SPARQL 1.1 defines it, for rdflib's engine (installed once, on import).

rdflib 7 sorts the rows by a key that is ``None`` when an ordering expression has no value (an
error, such as ``STR(?d)`` of an unbound ``?d``), and Python cannot compare ``None`` with
``None``: the query fails with a TypeError. SPARQL 1.1 (15.1) puts an unbound value, or an
expression in error, before every other value. This evaluation replaces rdflib's for the
``OrderBy`` step through rdflib's own extension point (``CUSTOM_EVALS``), and gives such a row
the lowest key; every other key is rdflib's own, so the order of bound values is unchanged.
"""

from __future__ import annotations

from typing import Any

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.evalutils import _val
from rdflib.plugins.sparql.parserutils import value

_NAME = "relgraph-order-by"
_NO_VALUE = (-1,)
"""The key of a row whose ordering expression has no value: lower than every rdflib key (0..3, …)."""


def _key(row: Any, expression: Any) -> tuple:
    key = _val(value(row, expression, variables=True))
    return _NO_VALUE if key is None else key


def _order_by(ctx: Any, part: Any):
    """rdflib's evalOrderBy, with a key for an expression without value; other parts fall through."""
    if part.name != "OrderBy":
        raise NotImplementedError
    rows = evalPart(ctx, part.p)
    for condition in reversed(part.expr):
        descending = bool(condition.order and condition.order == "DESC")
        rows = sorted(rows, key=lambda row, e=condition.expr: _key(row, e), reverse=descending)
    return rows


def install() -> None:
    """Use this ORDER BY in every rdflib query of the process (idempotent)."""
    CUSTOM_EVALS[_NAME] = _order_by


install()
