"""The documents of the graph and the pairs of states they are about.

A pair of states is the two ``rg:party`` of an ``rg:DiplomaticRelation``; a document is about the
pairs whose relation it states (``rg:statedIn`` one of its sentences). The facts of a pair are the
facts stated in the documents about it, the relation itself, and every fact tied to the relation
(``rg:relation``). The queries run on any backend: a function ``select(text, bindings)`` that
returns ``(variables, rows)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node

Select = Callable[[str, Mapping[str, Node]], tuple[Sequence[str], Sequence[Sequence[Node | None]]]]

PAIRS = """\
SELECT DISTINCT ?a ?b WHERE {
  ?relation a rg:DiplomaticRelation ; rg:party ?a , ?b .
  FILTER (isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b))
}
ORDER BY ?a ?b
"""

DOCUMENTS = """\
SELECT DISTINCT ?document ?title ?a ?b WHERE {
  ?document a rg:SourceDocument .
  OPTIONAL { ?document dcterms:title ?title }
  OPTIONAL {
    ?sentence oa:hasSource ?document .
    ?relation rg:statedIn ?sentence ; a rg:DiplomaticRelation ; rg:party ?a , ?b .
    FILTER (isIRI(?a) && isIRI(?b) && STR(?a) < STR(?b))
  }
}
ORDER BY ?document ?a ?b
"""

PAIR_FACTS = """\
SELECT DISTINCT ?fact WHERE {
  ?relation a rg:DiplomaticRelation ; rg:party ?a , ?b .
  FILTER (?a != ?b)
  {
    ?relation rg:statedIn ?about .
    ?about oa:hasSource ?document .
    ?sentence oa:hasSource ?document .
    ?fact rg:statedIn ?sentence .
  } UNION {
    ?fact rg:relation ?relation .
  } UNION {
    BIND (?relation AS ?fact)
  }
}
"""


@dataclass(frozen=True)
class Document:
    """A source document: its IRI, title and the pairs of states it is about (sorted)."""

    iri: URIRef
    title: str | None
    pairs: tuple[tuple[URIRef, URIRef], ...]


def pairs(select: Select) -> tuple[tuple[URIRef, URIRef], ...]:
    """Every pair of states with a diplomatic relation, each once, in IRI order."""
    _variables, rows = select(PAIRS, {})
    return tuple((a, b) for a, b in rows)


def documents(select: Select) -> tuple[Document, ...]:
    """Every source document with its title and its pairs, in IRI order."""
    variables, rows = select(DOCUMENTS, {})
    found: dict[URIRef, tuple[str | None, list[tuple[URIRef, URIRef]]]] = {}
    for row in rows:
        values = dict(zip(variables, row))
        title, listed = found.setdefault(values["document"], (None, []))
        if values.get("title") is not None and title is None:
            found[values["document"]] = (str(values["title"]), listed)
        if values.get("a") is not None and (values["a"], values["b"]) not in listed:
            listed.append((values["a"], values["b"]))
    return tuple(Document(iri, title, tuple(sorted(listed))) for iri, (title, listed) in sorted(found.items()))


def pair_facts(select: Select, a: URIRef, b: URIRef) -> frozenset[Node]:
    """The facts of the pair ``a``, ``b`` (in either order)."""
    _variables, rows = select(PAIR_FACTS, {"a": a, "b": b})
    return frozenset(row[0] for row in rows if row[0] is not None)
