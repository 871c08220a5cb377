"""The SPARQL 1.1 Service Description answered by a bare ``GET /sparql``.

See https://www.w3.org/TR/sparql11-service-description/.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from ..formats import RDF_FORMATS, RESULT_FORMATS
from ..vocab import DCTERMS, GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes
from .negotiation import GRAPH_OFFERS, RESULT_OFFERS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def service_description(endpoint: str, total: int, sizes: Mapping[URIRef, int]) -> Graph:
    """What the endpoint at ``endpoint`` offers: query language, result formats, its dataset of
    ``total`` triples (the union) in the named graphs of ``sizes`` (name -> triples)."""
    out = Graph()
    bind_prefixes(out)
    out.bind("sd", SD)
    out.bind("void", VOID)
    service = URIRef(endpoint)
    out.add((service, RDF.type, SD.Service))
    out.add((service, SD.endpoint, service))
    out.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    out.add((service, SD.feature, SD.UnionDefaultGraph))
    out.add((service, DCTERMS.title, Literal("relgraph SPARQL endpoint (read-only)", lang="en")))
    served = {o.name for o in RESULT_OFFERS} | {o.name for o in GRAPH_OFFERS}
    for entry in (*RESULT_FORMATS, *RDF_FORMATS):
        if entry.w3c and entry.name in served:
            out.add((service, SD.resultFormat, URIRef(entry.w3c)))
    dataset = BNode("dataset")
    out.add((service, SD.defaultDataset, dataset))
    out.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    out.add((dataset, SD.defaultGraph, default))
    out.add((default, RDF.type, SD.Graph))
    out.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    for name in (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED):
        named = BNode(f"graph-{str(name).rsplit('/', 1)[-1]}")
        description = BNode(f"graph-{str(name).rsplit('/', 1)[-1]}-description")
        out.add((dataset, SD.namedGraph, named))
        out.add((named, RDF.type, SD.NamedGraph))
        out.add((named, SD.name, name))
        out.add((named, SD.graph, description))
        out.add((description, RDF.type, SD.Graph))
        out.add((description, VOID.triples, Literal(sizes[name], datatype=XSD.integer)))
    return out
