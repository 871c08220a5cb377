"""Running a stored query over a dataset, and writing its results in the formats of the table.

Rows of a query without ORDER BY are sorted (by the N-Triples form of each value),
so every output is the same from run to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .export import serialize_graph
from .formats import rdf_format, result_format
from . import sparql_order  # noqa: F401  (ORDER BY with unbound values, as SPARQL says)
from .queries import StoredQuery, bind, is_ordered, prepare
from .result_writers import WRITERS, Term, canonical_decimal_text
from .vocab import PREFIXES, bind_prefixes

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

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
    text = canonical_decimal_text(str(term))
    return term if text == str(term) else Literal(text, datatype=_XSD_DECIMAL)


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


def run_query(query: StoredQuery, graph: Graph, *, params: Mapping[str, str] | None = None,
              prepared: Query | None = None) -> QueryResult:
    """Run ``query`` over ``graph`` (a Graph, or a Dataset whose default graph is the union).

    ``params`` are the user's values by parameter name, bound with initBindings;
    defaults fill the others. ``prepared``: ``queries.prepare(query)`` made before (a server
    parses its stored queries once). ParameterError / QuerySyntaxError for bad input.
    """
    if prepared is None:
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
    rows = [tuple(plain_term(t) for t in row) for row in result.rows]
    return WRITERS[fmt.name](result.kind, result.variables, rows, result.boolean)


def plain_term(term: Node | None) -> Term | None:
    """An rdflib term as the writers' :class:`relgraph.result_writers.Term`."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return Term("literal", str(term), None if term.datatype is None else str(term.datatype), term.language)
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    if isinstance(term, URIRef):
        return Term("uri", str(term))
    raise ValueError(f"not an RDF term: {term!r}")


def render_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: a ``?var`` header, then terms in N-Triples form (rdflib has no TSV writer).

    An ASK result is written as one column ``?boolean`` holding ``true`` or ``false``.
    """
    return serialize_result(result, format="tsv").decode("utf-8")


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
    return serialize_result(result, format="table").decode("utf-8")
