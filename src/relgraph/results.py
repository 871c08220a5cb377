"""Running a stored query over a dataset, and writing its results in the formats of the table.

Rows of a query without ORDER BY are sorted (by the N-Triples form of each value),
so every output is the same from run to run.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from .export import serialize_graph
from .formats import rdf_format, result_format
from . import sparql_order  # noqa: F401  (ORDER BY with unbound values, as SPARQL says)
from .queries import StoredQuery, bind, is_ordered, prepare
from .terms import short
from .vocab import PREFIXES, bind_prefixes

GRAPH_KINDS = ("CONSTRUCT", "DESCRIBE")
_XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def canonical_decimal(term: Node | None) -> Node | None:
    """An xsd:decimal literal in its XSD 1.0 canonical form; any other term as it is.

    rdflib keeps a decimal's lexical form as written (and derives a computed one from it),
    Oxigraph writes XSD 1.1's (no ``.0`` on whole numbers): every store's answer is put
    in this one form, which is what relgraph's data and golden answers use.

    >>> str(canonical_decimal(Literal("7320000000", datatype=_XSD_DECIMAL)))
    '7320000000.0'
    >>> str(canonical_decimal(Literal("-001.500", datatype=_XSD_DECIMAL)))
    '-1.5'
    """
    if not isinstance(term, Literal) or term.datatype != _XSD_DECIMAL:
        return term
    try:
        value = Decimal(str(term))
    except InvalidOperation:
        return term  # ill-formed: shown as written
    if not value.is_finite():
        return term
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0") or "0"
    whole = whole.lstrip("-").lstrip("0") or "0"
    sign = "-" if value < 0 else ""
    return Literal(f"{sign}{whole}.{fraction}", datatype=_XSD_DECIMAL)


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


def run_query(query: StoredQuery, graph: Graph, *, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run ``query`` over ``graph`` (a Graph, or a Dataset whose default graph is the union).

    ``params`` are the user's values by parameter name, bound with initBindings;
    defaults fill the others. ParameterError / QuerySyntaxError for bad input.
    """
    prepared = prepare(query)
    bindings = bind(query, params or {})
    answer = graph.query(prepared, initBindings=bindings, initNs=PREFIXES)
    kind = answer.type
    if kind == "ASK":
        return QueryResult(kind=kind, boolean=bool(answer.askAnswer))
    if kind in GRAPH_KINDS:
        result_graph = Graph()
        bind_prefixes(result_graph)
        for triple in answer.graph:
            result_graph.add(triple)
        return QueryResult(kind=kind, graph=result_graph)
    variables = tuple(str(v) for v in answer.vars)
    rows = [tuple(canonical_decimal(row[v]) if v in row.labels else None for v in variables) for row in answer]
    if not is_ordered(prepared):
        rows.sort(key=lambda row: tuple("" if t is None else t.n3() for t in row))
    return QueryResult(kind=kind, variables=variables, rows=tuple(rows))


def serialize_result(result: QueryResult, *, format: str) -> bytes:
    """``result`` in ``format``: a result format (table, json, xml, csv, tsv) for SELECT/ASK,
    an RDF format (turtle, nt, jsonld, xml) for CONSTRUCT/DESCRIBE."""
    if result.graph is not None:
        return serialize_graph(result.graph, format=rdf_format(format))
    fmt = result_format(format)
    if fmt.name == "table":
        return render_table(result).encode("utf-8")
    if fmt.name == "tsv":
        return render_tsv(result).encode("utf-8")
    if fmt.name == "csv" and result.kind == "ASK":  # rdflib's CSV writer refuses ASK; as TSV does
        return f"boolean\r\n{'true' if result.boolean else 'false'}\r\n".encode("utf-8")
    rdflib_result = Result(result.kind)
    if result.kind == "ASK":
        rdflib_result.askAnswer = bool(result.boolean)
    else:
        variables = [Variable(v) for v in result.variables]
        rdflib_result.vars = variables
        rdflib_result.bindings = [
            {var: value for var, value in zip(variables, row) if value is not None} for row in result.rows
        ]
    stream = io.BytesIO()
    rdflib_result.serialize(destination=stream, format=fmt.rdflib_name, encoding="utf-8")
    return stream.getvalue()


def render_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a ``?var`` header, then terms in N-Triples form (rdflib has no TSV writer).

    An ASK result is written as one column ``?boolean`` holding ``true`` or ``false``.
    """
    if result.kind == "ASK":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(_nt_term(t) for t in row))
    return "\n".join(lines) + "\n"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _nt_term(term: Node | None) -> str:
    """A term in N-Triples form, literals on one line; "" for unbound."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        return f"{quoted}^^<{term.datatype}>" if term.datatype else quoted
    return term.n3()


def render_table(result: QueryResult) -> str:
    """A plain-text table: IRIs as prefixed names, literals as their lexical form.

    >>> from rdflib import Literal
    >>> from relgraph.vocab import RGD
    >>> print(render_table(QueryResult("SELECT", ("state", "n"), ((RGD.latvia, Literal(3)),))), end="")
    state       n
    ----------  -
    rgd:latvia  3
    (1 row)
    """
    if result.kind == "ASK":
        return ("yes" if result.boolean else "no") + "\n"
    header = list(result.variables)
    body = [[short(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max(len(c) for c in column) for column in zip(header, *body)] if header else []
    lines = []
    for cells in [header, ["-" * w for w in widths], *body]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
    count = len(result.rows)
    lines.append(f"({count} row{'s' * (count != 1)})")
    return "\n".join(lines) + "\n"
