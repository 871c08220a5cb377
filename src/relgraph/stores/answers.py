"""A stored query answered straight from an Oxigraph store: the query path without rdflib.

``relgraph query`` runs here when the project's store is Oxigraph: the engine parses the query
(relgraph's prefixes predeclared), parameters go in as pyoxigraph terms through its own
``substitutions`` where it takes them (the variables a SELECT projects, any variable of an ASK),
the others in a VALUES block at the start of the WHERE group (copied into its nested groups),
in N-Triples form, as ``base.bind_values`` writes it; the rows are written by ``result_writers``, the writers every
store's answers go through, so the bytes are those of :meth:`relgraph.stores.base.Store.query`
and ``results.serialize_result``. What this path does not take (a CONSTRUCT, a query naming
SERVICE or FROM, one the engine does not parse) returns None: the caller then takes the
general path, which checks and reports it as every store does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ..prefixes import NAMESPACES, XSD_IRI
from ..queries import StoredQuery, Value, bind_terms
from ..result_writers import WRITERS, XSD_DECIMAL, Term, canonical_decimal_text, sorted_rows
from ..sparql_text import bind_values_text, outline

GRAPHS = (
    "https://w3id.org/relgraph/graph/ontology",
    "https://w3id.org/relgraph/graph/asserted",
    "https://w3id.org/relgraph/graph/inferred",
)
"""``stores.base.GRAPHS`` as strings (a test keeps them equal)."""

_UNION = [ox.NamedNode(name) for name in GRAPHS]
_XSD_STRING = XSD_IRI + "string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_AS_WRITTEN = {
    XSD_IRI + name: re.compile(pattern)
    for name, pattern in (
        ("integer", r"-?[1-9][0-9]*|0"),
        ("boolean", r"true|false"),
        ("date", r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}"),
        ("gYear", r"-?[0-9]{4,}"),
        ("gYearMonth", r"-?[0-9]{4,}-[0-9]{2}"),
    )
}
"""Canonical lexical forms, which rdflib keeps as they are; a decimal is put in rdflib's form
here, any other literal by rdflib itself, as ``convert.to_rdflib`` does."""


def oxigraph_term(value: Value):
    """A parameter's :class:`relgraph.queries.Value` as a pyoxigraph term."""
    if value.iri is not None:
        return ox.NamedNode(value.iri)
    if value.datatype is None:
        return ox.Literal(value.lexical)
    return ox.Literal(value.lexical, datatype=ox.NamedNode(value.datatype))


def plain(term) -> Term | None:
    """A pyoxigraph term as the writers' Term, in the form the rdflib route gives it."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if term.language:
        return Term("literal", term.value, None, term.language)
    datatype = term.datatype.value
    if datatype == _XSD_STRING:
        return Term("literal", term.value)
    if datatype == XSD_DECIMAL:
        return Term("literal", canonical_decimal_text(term.value), datatype)
    pattern = _AS_WRITTEN.get(datatype)
    if pattern is not None and pattern.fullmatch(term.value):
        return Term("literal", term.value, datatype)
    return Term("literal", _rdflib_form(term.value, datatype), datatype)


def _rdflib_form(lexical: str, datatype: str) -> str:
    """rdflib's form of a literal: the canonical one of a well-formed value, an ill-formed one
    as written. rdflib's warning for an ill-formed one (a traceback on stderr) is held back
    while it is read here: validation reports the literal, naming its file."""
    import logging

    from rdflib import Literal, URIRef

    log = logging.getLogger("rdflib.term")
    held, log.disabled = log.disabled, True
    try:
        return str(Literal(lexical, datatype=URIRef(datatype)))
    finally:
        log.disabled = held


@dataclass(frozen=True)
class Solutions:
    """A SELECT's rows (sorted unless the query orders them) or an ASK's answer, as the writers
    take them: ``WRITERS[format](form, variables, rows, boolean)``."""

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None

    def write(self, format: str) -> bytes:
        """The answer in the result format ``format`` (a key of ``result_writers.WRITERS``)."""
        return WRITERS[format](self.form, self.variables, self.rows, self.boolean)


def solutions(store: ox.Store, query: StoredQuery, params: Mapping[str, str]) -> Solutions | None:
    """``query`` with ``params`` over the union of relgraph's graphs in ``store``; None where
    the general path must answer (module docstring). ParameterError for a bad parameter."""
    form, ordered, projected, named = outline(query.text)
    if named or form not in ("SELECT", "ASK"):
        return None
    terms = {name: oxigraph_term(value) for name, value in bind_terms(query, params).items()}
    substituted = {k: t for k, t in terms.items() if form == "ASK" or projected is None or k in projected}
    try:
        answer = _run(store, query.text, terms, substituted)
    except RuntimeError as error:
        if "projection" not in str(error):
            return None
        try:  # the projection was not read right: every value in the VALUES block
            answer = _run(store, query.text, terms, {})
        except (RuntimeError, SyntaxError):
            return None
    except SyntaxError:
        return None
    if isinstance(answer, ox.QueryBoolean):
        return Solutions("ASK", boolean=bool(answer))
    variables = tuple(v.value for v in answer.variables)
    count = len(variables)
    converted: dict = {None: None}  # an answer repeats its terms: each is converted once

    def value(term):
        if term not in converted:
            converted[term] = plain(term)
        return converted[term]

    rows = [tuple(value(solution[i]) for i in range(count)) for solution in answer]
    return Solutions("SELECT", variables, tuple(rows if ordered else sorted_rows(rows)))


def answer(store: ox.Store, query: StoredQuery, params: Mapping[str, str], *, format: str) -> bytes | None:
    """``query`` with ``params`` over the union of relgraph's graphs in ``store``, written in
    the result format ``format``; None where the general path must answer (module docstring).
    ParameterError for a bad parameter."""
    if format not in WRITERS:
        return None
    found = solutions(store, query, params)
    return None if found is None else found.write(format)


def _run(store: ox.Store, text: str, terms: Mapping, substituted: Mapping):
    joined = {k: str(t) for k, t in terms.items() if k not in substituted}
    return store.query(
        bind_values_text(text, joined),
        prefixes=NAMESPACES,
        substitutions={ox.Variable(k): t for k, t in substituted.items()} or None,
        **union_of_graphs(store),
    )


_OURS = frozenset(GRAPHS)


def union_of_graphs(store: ox.Store) -> dict:
    """The query arguments that make the default graph the union of relgraph's graphs (and
    ``GRAPH ?g`` range over them): Oxigraph's own union default graph where the store holds
    nothing else (the stored queries take a third less time so: bench/union note in
    stores/README.md), else the three graphs named."""
    if all(graph.value in _OURS for graph in store.named_graphs()) and next(
        iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None
    ) is None:
        return {"use_default_graph_as_union": True}
    return {"default_graph": _UNION, "named_graphs": _UNION}


def answer_from(path, query: StoredQuery, params: Mapping[str, str], *, format: str) -> bytes | None:
    """As :func:`answer`, from the Oxigraph store in the folder ``path``, opened read-only
    (OSError if it cannot be read)."""
    try:
        store = ox.Store.read_only(str(path))
    except RuntimeError as error:  # pyoxigraph's word for a damaged store
        raise OSError(f"cannot read the store in {path}: {error}") from None
    return answer(store, query, params, format=format)
