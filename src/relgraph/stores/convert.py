"""Terms between rdflib and pyoxigraph, and graphs as N-Triples text.

rdflib is the currency of relgraph's public API; pyoxigraph's terms never leave
``relgraph.stores``. A plain literal and an ``xsd:string`` literal are the same term in
RDF 1.1: both become rdflib's plain ``Literal(value)``, the form rdflib's parsers give.
Oxigraph keeps an xsd:decimal as a value and writes it back in XSD 1.1's canonical form
("7320000000"); it comes back in XSD 1.0's ("7320000000.0"), the form relgraph's data,
rdflib answers and golden files use (:func:`relgraph.results.canonical_decimal`).
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..results import canonical_decimal

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Oxigraph's escapes, so a line written here equals the line Oxigraph dumps for the triple.
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F]},
        "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\",
    }
)


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
"""Characters an IRI in N-Triples or SPARQL may not hold."""


def nt_term(term: Node) -> str:
    """``term`` in N-Triples form (one line, full IRIs).

    >>> nt_term(Literal("a\\nb", lang="en"))
    '"a\\\\nb"@en'
    >>> nt_term(URIRef("http://example.org/x"))
    '<http://example.org/x>'
    >>> nt_term(URIRef("http://example.org/x> } DROP ALL"))
    Traceback (most recent call last):
    ValueError: not an IRI: 'http://example.org/x> } DROP ALL'
    """
    if isinstance(term, URIRef):
        if _NOT_IN_IRI.search(term):  # the last step before query text: never let one end the IRI
            raise ValueError(f"not an IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        quoted = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return f"{quoted}^^<{term.datatype}>"
        return quoted
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[str]:
    """One N-Triples line (with its newline) per triple."""
    for s, p, o in triples:
        yield f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n"


def graph_ntriples(graph: Graph) -> bytes:
    """The triples of ``graph`` as N-Triples bytes, in the graph's order (fast, not canonical)."""
    return "".join(nt_lines(graph)).encode("utf-8")


def to_rdflib(term) -> Node:
    """The rdflib term for a pyoxigraph term (plain literals for ``xsd:string``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value)
        if datatype == XSD_DECIMAL:
            return canonical_decimal(Literal(term.value, datatype=URIRef(datatype)))
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"not an RDF term: {term!r}")


def to_oxigraph(term: Node):
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")
