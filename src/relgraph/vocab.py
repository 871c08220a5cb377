"""Namespaces and named-graph IRIs shared by every module.

The ontology's own terms live under ``RG``; the things the data talks about
(states, people, events, sentences of a source) under ``RGD``.
"""

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS, XSD

RG = Namespace("https://w3id.org/relgraph/ontology#")
RGD = Namespace("https://w3id.org/relgraph/id/")
RGSH = Namespace("https://w3id.org/relgraph/shapes#")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
# schema.org's own files use the http form; rdflib's built-in SDO is https (a known trap).
SCHEMA = Namespace("http://schema.org/")
TIME = Namespace("http://www.w3.org/2006/time#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

GRAPH_ONTOLOGY = URIRef("https://w3id.org/relgraph/graph/ontology")
GRAPH_ASSERTED = URIRef("https://w3id.org/relgraph/graph/asserted")
GRAPH_INFERRED = URIRef("https://w3id.org/relgraph/graph/inferred")

PREFIXES = {
    "rg": RG,
    "rgd": RGD,
    "rgsh": RGSH,
    "oa": OA,
    "org": ORG,
    "schema": SCHEMA,
    "time": TIME,
    "dcterms": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "wd": WD,
    "wdt": WDT,
}
"""Prefixes bound in every graph relgraph writes and every query it runs."""


def bind_prefixes(graph) -> None:
    """Bind relgraph's prefixes on ``graph`` (a Graph or Dataset), replacing rdflib's defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
