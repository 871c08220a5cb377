"""Small rdflib views of a store's graphs, fetched by SPARQL: what a page, a search or a
reconciliation needs, without reading a world-sized graph into the process.

Each function answers with the triples that the matching in-memory code would read from the
whole graph, so that code runs unchanged on the view (``tests/test_serve_store.py`` compares
both on the project's graph):

* :func:`resource_graphs`: a resource's page and its RDF description (``relgraph.server``);
* :func:`dated_graph`: the timeline;
* :func:`label_graph`: the labels (search, languages);
* :func:`entity_graph`: the reconcilable entities (``relgraph link``, the reconciliation service).

Parameters are bound as values (``Store.sparql(bindings=…)``), never pasted into the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import Graph, URIRef

from .stores import GRAPHS, Store
from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes

_OWN = """
CONSTRUCT { ?s ?p ?o }
WHERE {
  { ?node ?p ?o . BIND (?node AS ?s) }
  UNION { ?s ?p ?node . BIND (?node AS ?o) }
  UNION { ?node ?link ?s . FILTER (isBlank(?s) || ?link = oa:hasSelector) ?s ?p ?o }
  UNION { ?node ?link ?b . FILTER isBlank(?b) ?b ?link2 ?s . FILTER isBlank(?s) ?s ?p ?o }
}
"""
"""The triples of one named graph about ``?node``: both ways, and the blank nodes (two levels:
a restriction, a list) and quote selectors it reaches, as ``linked_data.describe`` follows them."""

_CONTEXT = """
CONSTRUCT { ?s ?p ?o }
WHERE {
  { ?node ?x ?neighbour } UNION { ?neighbour ?x ?node } UNION { ?node ?neighbour ?x } UNION { ?x ?neighbour ?node }
  UNION { ?node rg:statedIn ?neighbour } UNION { ?x rg:statedIn ?neighbour . ?x ?y ?node }
  UNION { ?node oa:hasSelector ?neighbour } UNION { ?node oa:hasSelector ?x . ?x ?y ?neighbour }
  UNION { ?node ?x ?b . FILTER isBlank(?b) ?b ?y ?neighbour }
  UNION { ?node ?x ?b . FILTER isBlank(?b) ?b ?y ?b2 . FILTER isBlank(?b2) ?b2 ?z ?neighbour }
  FILTER (!isLiteral(?neighbour))
  {
    VALUES ?p { rdfs:label rg:statedIn oa:hasSelector oa:exact oa:hasSource rg:section rg:position }
    ?neighbour ?p ?o . BIND (?neighbour AS ?s)
  } UNION {
    ?neighbour oa:hasSource ?s . VALUES ?p { rdfs:label } ?s ?p ?o
  } UNION {
    ?neighbour oa:hasSelector ?s . VALUES ?p { oa:exact } ?s ?p ?o
  }
}
"""
"""What a page shows of ``?node``'s neighbours (the resources it links to, directly or through
the blank nodes and selectors it reaches; its predicates; its sentences): their labels, their
sentences, and each sentence's quote, document and place."""

_DATED = """
CONSTRUCT { ?fact ?when ?date . ?fact a ?type . ?fact rdfs:label ?label }
WHERE {
  VALUES ?when { rg:date rg:startDate rg:endDate }
  ?fact ?when ?date . FILTER isLiteral(?date)
  OPTIONAL { ?fact a ?type }
  OPTIONAL { ?fact rdfs:label ?label }
}
"""

_LABELS = """
CONSTRUCT { ?s ?p ?o }
WHERE { VALUES ?p { rdfs:label skos:prefLabel skos:altLabel } ?s ?p ?o . FILTER (isIRI(?s) && isLiteral(?o)) }
"""

_ENTITIES = """
CONSTRUCT { ?entity ?p ?o . ?o ?q ?v }
WHERE {
  ?entity a ?class .
  ?entity ?p ?o .
  OPTIONAL { VALUES ?q { rdfs:label rdf:type } ?o ?q ?v }
}
"""
"""Every triple of an entity of a reconcilable class, and the labels and types of what it links to."""


def _graph() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph


def _construct(store: Store, text: str, *, graphs: Sequence[URIRef] = GRAPHS, **bindings) -> Graph:
    result = store.sparql(text, bindings=bindings, graphs=graphs)
    assert result.graph is not None, "a CONSTRUCT answers with a graph"
    return result.graph


def resource_graphs(store: Store, iri: URIRef) -> tuple[dict[URIRef, Graph], Graph]:
    """The triples about ``iri`` in each named graph (so a page can tell inferred ones), and
    the context its page shows of its neighbours (from all graphs)."""
    own = {name: _construct(store, _OWN, graphs=(name,), node=iri) for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED)}
    return own, _construct(store, _CONTEXT, node=iri)


def is_known(store: Store, iri: URIRef) -> bool:
    """True if the store says anything with ``iri`` as subject or object."""
    result = store.sparql("ASK { { ?node ?p ?o } UNION { ?s ?p ?node } }", bindings={"node": iri})
    return bool(result.boolean)


def dated_graph(store: Store) -> Graph:
    """The facts with a literal ``rg:date``, ``rg:startDate`` or ``rg:endDate``: those dates, types and labels."""
    return _construct(store, _DATED)


def label_graph(store: Store) -> Graph:
    """Every IRI's rdfs:label, skos:prefLabel and skos:altLabel."""
    return _construct(store, _LABELS)


def entity_graph(store: Store, classes: Iterable[URIRef], *, graphs: Sequence[URIRef] = GRAPHS) -> Graph:
    """The entities of ``classes`` (all their triples) with the labels and types of their objects."""
    out = _graph()
    for cls in sorted(classes):
        out += _construct(store, _ENTITIES, graphs=graphs, **{"class": cls})
    return out


def union(graphs: Iterable[Graph]) -> Graph:
    """One graph holding the triples of ``graphs``."""
    out = _graph()
    for graph in graphs:
        out += graph
    return out


__all__ = ["dated_graph", "entity_graph", "is_known", "label_graph", "resource_graphs", "union"]
