"""How RDF terms are shown to people and in JSON: prefixed names, lexical forms, labels."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

from .prefixes import short_iri


def short(term: Node | None) -> str:
    """An IRI as a prefixed name if a relgraph prefix fits (else ``<iri>``), a literal as its
    lexical form, a blank node as ``_:id``, nothing as "".

    >>> from relgraph.vocab import RGD
    >>> short(RGD.latvia), short(Literal("1921", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")))
    ('rgd:latvia', '1921')
    >>> short(URIRef("http://example.org/x"))
    '<http://example.org/x>'
    """
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, URIRef):
        return short_iri(str(term))
    return term.n3()


def term_json(term: Node | None) -> dict[str, str] | None:
    """A term as a SPARQL-results-JSON term object (``type``, ``value``, ``datatype``/``xml:lang``)."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "unknown", "value": str(term)}


def label(graph: Graph, node: Node, *, language: str = "en") -> str | None:
    """The node's rdfs:label in ``language``, else an untagged one, else any (smallest first)."""
    labels = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)]
    for wanted in (language, None):
        found = sorted(str(o) for o in labels if o.language == wanted)
        if found:
            return found[0]
    return min((str(o) for o in labels), default=None)
