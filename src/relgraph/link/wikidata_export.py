"""The graph in Wikidata's RDF dump model, for queries written for the Wikidata Query Service.

Per item (``wd:Q…`` for checked links, the relgraph IRI otherwise): ``a wikibase:Item``,
``rdfs:label`` and ``skos:altLabel`` in every language; truthy ``wdt:`` claims; full statements
``p:`` → statement node with ``ps:`` (and ``psv:`` for dates), qualifiers ``pq:`` (``pqv:``),
``wikibase:rank`` and ``prov:wasDerivedFrom`` → reference node (``pr:P854`` the source address,
``pr:P1683`` the quotation in its language). Dates are ``xsd:dateTime`` values with a
``wikibase:TimeValue`` node carrying ``wikibase:timePrecision`` 9 (year), 10 (month), 11 (day).
Statement, reference and value nodes live under ``https://w3id.org/relgraph/wikidata/``, not
under Wikidata's namespaces: they are relgraph's, not Wikidata's. Same input, same bytes.

A statement that rests on context rather than on its sentence's words (its fact's ``rg:basis``
is not ``rg:Stated``: a section heading, the rest of the text, general knowledge) keeps its
normal rank and its reference, and is marked on the statement node with relgraph's own
``rg:basis`` (and ``rg:basisNote``, the reason): Wikidata has no checked identifier for such a
qualifier, so none is invented. ``?statement rg:basis ?basis`` finds them; ``FILTER NOT EXISTS
{ ?statement rg:basis ?basis }`` keeps what the sources state.

See https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format for the model.
"""

from __future__ import annotations

import hashlib

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from ..export import canonical_triples
from ..formats import RdfFormat, rdf_format
from ..errors import ParameterError
from ..vocab import RG, RGD, WD, WDT
from .claims import Claim, Reference, TimeValue, WikidataView

WIKIBASE = Namespace("http://wikiba.se/ontology#")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
RGS = Namespace("https://w3id.org/relgraph/wikidata/statement/")
RGREF = Namespace("https://w3id.org/relgraph/wikidata/reference/")
RGV = Namespace("https://w3id.org/relgraph/wikidata/value/")
GREGORIAN = WD.Q1985727
"""Wikidata's proleptic Gregorian calendar model, the calendar of every date relgraph holds."""

WIKIDATA_PREFIXES = {
    "wd": WD,
    "wdt": WDT,
    "p": P,
    "ps": PS,
    "psv": PSV,
    "pq": PQ,
    "pqv": PQV,
    "pr": PR,
    "wikibase": WIKIBASE,
    "prov": PROV,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
    "rg": RG,
    "rgd": RGD,
    "rgs": RGS,
    "rgref": RGREF,
    "rgv": RGV,
}
"""The prefixes of the export: Wikidata's own, and relgraph's for its items and nodes."""

EXPORT_FORMATS = ("turtle", "nt")


def wikidata_graph(view: WikidataView) -> Graph:
    """The items and claims of ``view`` as a graph in Wikidata's RDF model."""
    graph = Graph()
    for item in view.items:
        graph.add((item.iri, RDF.type, WIKIBASE.Item))
        for language, text in item.labels:
            graph.add((item.iri, RDFS.label, Literal(text, lang=language)))
        for language, text in item.aliases:
            graph.add((item.iri, SKOS.altLabel, Literal(text, lang=language)))
    for claim in view.claims:
        _add_claim(graph, claim)
    return graph


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _add_claim(graph: Graph, claim: Claim) -> None:
    statement = RGS[f"{_local(claim.subject)}-{claim.pid}-{claim.key}"]
    graph.add((claim.subject, WDT[claim.pid], _simple(claim.value)))
    graph.add((claim.subject, P[claim.pid], statement))
    graph.add((statement, RDF.type, WIKIBASE.Statement))
    graph.add((statement, RDF.type, WIKIBASE.BestRank))
    graph.add((statement, WIKIBASE.rank, WIKIBASE.NormalRank))
    graph.add((statement, PS[claim.pid], _simple(claim.value)))
    if isinstance(claim.value, TimeValue):
        graph.add((statement, PSV[claim.pid], _time_node(graph, claim.value)))
    for code, value in claim.qualifiers:
        graph.add((statement, PQ[code], _simple(value)))
        if isinstance(value, TimeValue):
            graph.add((statement, PQV[code], _time_node(graph, value)))
    for reference in claim.references:
        graph.add((statement, PROV.wasDerivedFrom, _reference_node(graph, reference)))
    if claim.implied:
        graph.add((statement, RG.basis, claim.basis))
        if claim.basis_note:
            graph.add((statement, RG.basisNote, Literal(claim.basis_note, lang="en")))


def _simple(value) -> URIRef | Literal:
    if isinstance(value, TimeValue):
        return Literal(value.iso, datatype=XSD.dateTime, normalize=False)
    return value


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


def _time_node(graph: Graph, value: TimeValue) -> URIRef:
    node = RGV[_digest(value.iso, str(value.precision))]
    graph.add((node, RDF.type, WIKIBASE.TimeValue))
    graph.add((node, WIKIBASE.timeValue, Literal(value.iso, datatype=XSD.dateTime, normalize=False)))
    graph.add((node, WIKIBASE.timePrecision, Literal(value.precision, datatype=XSD.integer)))
    graph.add((node, WIKIBASE.timeTimezone, Literal(0, datatype=XSD.integer)))
    graph.add((node, WIKIBASE.timeCalendarModel, GREGORIAN))
    return node


def _reference_node(graph: Graph, reference: Reference) -> URIRef:
    node = RGREF[_digest(reference.url or "", reference.quotation or "", reference.language)]
    graph.add((node, RDF.type, WIKIBASE.Reference))
    if reference.url:
        graph.add((node, PR.P854, URIRef(reference.url)))
    if reference.quotation:
        graph.add((node, PR.P1683, Literal(reference.quotation, lang=reference.language)))
    return node


def serialize_wikidata(view: WikidataView, *, format: str | RdfFormat = "turtle") -> bytes:
    """``view`` in Wikidata's RDF model as Turtle or N-Triples; the same view gives the same bytes."""
    fmt = format if isinstance(format, RdfFormat) else rdf_format(format)
    if fmt.name not in EXPORT_FORMATS:
        raise ParameterError("format", f"the wikidata profile is written as {' or '.join(EXPORT_FORMATS)}, not {fmt.name}")
    name = URIRef("urn:x-relgraph:wikidata")
    out = Graph()
    for prefix, namespace in WIKIDATA_PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in canonical_triples({name: wikidata_graph(view)})[name]:
        out.add(triple)
    data = out.serialize(format=fmt.rdflib_name, encoding="utf-8")
    if fmt.name == "nt":
        lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
        return "".join(line + "\n" for line in lines).encode("utf-8")
    return data


__all__ = ["EXPORT_FORMATS", "WIKIDATA_PREFIXES", "serialize_wikidata", "wikidata_graph"]
