"""Shared by the draft's tests and bench/draft_recall.py: the test articles and their sentence nodes.

Sentence nodes follow CONTRACTS: <document>/sentence/sNN, a rg:Sentence with oa:hasSource,
oa:hasSelector <sentence>-selector (an oa:TextQuoteSelector with oa:exact), rg:position and rg:section.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from relgraph.curation.sentences import sentence_graph, sentence_iri as curated_sentence_iri
from relgraph.vocab import RG, RGD

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
ARTICLE_SLUGS = ("chile-estonia-relations", "norway-portugal-relations", "lithuania-south-korea-relations")
HELD_OUT = ("finland-mexico-relations",)
"""Written after the rules were, and never used to tune them: the bench reports it apart."""
SEED = "japan-latvia-relations"


def sentence_iri(slug: str, position: int) -> URIRef:
    return curated_sentence_iri(RGD[slug], position)


def document_graph(slug: str, text: str) -> Graph:
    """The document node and its sentence nodes, generated from ``text`` as the project does."""
    graph = Graph()
    document = RGD[slug]
    graph.add((document, RDF.type, RG.SourceDocument))
    graph.add((document, RDFS.label, Literal(f"{slug} (test article)", lang="en")))
    graph.add((document, RG.localCopy, Literal("source.txt")))
    graph += sentence_graph(document, text)
    return graph


def gold_graph(slug: str) -> Graph:
    """The hand-curated entities and facts of a test article."""
    graph = Graph()
    for name in ("entities.ttl", "facts.ttl"):
        graph.parse(ARTICLES / slug / name, format="turtle")
    return graph


def seed_data() -> Graph:
    """The project's curated data (every document, with its generated sentences), without drafts."""
    from relgraph.project import Project

    graph = Graph()
    graph += Project.discover(ROOT).load().asserted
    return graph
