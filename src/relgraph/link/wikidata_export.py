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

Labels are written three times, as the dump writes them: ``rdfs:label``, ``skos:prefLabel`` and
``schema:name``; ``schema:description`` where the graph has a description (an entity's
``schema:description`` or ``dcterms:description``, a class's ``skos:definition``). Every
property the export uses is a ``wikibase:Property`` entity (``wd:P190``) with its
``wikibase:propertyType`` and the predicates of each of its forms (``wikibase:directClaim``
``wdt:``, ``wikibase:claim`` ``p:``, ``wikibase:statementProperty`` ``ps:``,
``wikibase:statementValue`` ``psv:``, ``wikibase:qualifier`` ``pq:``, ``wikibase:qualifierValue``
``pqv:``, ``wikibase:reference`` ``pr:``, ``wikibase:referenceValue`` ``prv:``,
``wikibase:novalue`` ``wdno:``), so the WDQS idiom ``?property wikibase:directClaim ?wdt`` works.
The dump header is the ``wikibase:Dump`` node (``schema:Dataset``, ``owl:Ontology``,
``schema:softwareVersion`` the RDF format version "1.0.0", ``owl:imports`` the Wikibase
ontology), with ``schema:dateModified`` taken from ``SOURCE_DATE_EPOCH`` where it is set (the
reproducible-builds convention) and the Unix epoch otherwise — never the clock, so the same
graph gives the same bytes — and ``schema:identifier``, the SHA-256 of the rest of the export.

``P31`` is the Wikidata class where the relgraph class (or, through ``P279``, a superclass)
carries a checked ``rg:wikidata`` link, else the relgraph class itself; the Turtle and
N-Triples both start with a comment naming the classes that stay unmapped
(:func:`unmapped_classes`).

See https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format for the model.
"""

from __future__ import annotations

import datetime
import hashlib
import os

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from ..export import canonical_triples
from ..formats import RdfFormat, rdf_format
from ..errors import ParameterError
from ..vocab import RG, RGD, SCHEMA, WD, WDT
from .claims import Claim, Reference, TimeValue, WikidataView
from .mapping import qid

WIKIBASE = Namespace("http://wikiba.se/ontology#")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PSV = Namespace("http://www.wikidata.org/prop/statement/value/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
PRV = Namespace("http://www.wikidata.org/prop/reference/value/")
WDNO = Namespace("http://www.wikidata.org/prop/novalue/")
CC = Namespace("http://creativecommons.org/ns#")
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
    "prv": PRV,
    "wdno": WDNO,
    "wikibase": WIKIBASE,
    "schema": SCHEMA,
    "owl": OWL,
    "cc": CC,
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
DUMP_FORMAT_VERSION = "1.0.0"
"""The version of the Wikibase RDF format the export follows (``schema:softwareVersion``)."""
WIKIBASE_ONTOLOGY = URIRef("http://wikiba.se/ontology-1.0.owl")
REFERENCE_PIDS = {"P854": WIKIBASE.Url, "P1683": WIKIBASE.Monolingualtext}
"""The properties of relgraph's references and their Wikibase types."""
_FORMS = (
    (WIKIBASE.directClaim, WDT),
    (WIKIBASE.claim, P),
    (WIKIBASE.statementProperty, PS),
    (WIKIBASE.statementValue, PSV),
    (WIKIBASE.qualifier, PQ),
    (WIKIBASE.qualifierValue, PQV),
    (WIKIBASE.reference, PR),
    (WIKIBASE.referenceValue, PRV),
    (WIKIBASE.novalue, WDNO),
)
"""The predicates of a property entity, each naming one of the property's forms."""


def wikidata_graph(view: WikidataView) -> Graph:
    """The items, property entities and claims of ``view`` as a graph in Wikidata's RDF model
    (without the dump header: see :func:`serialize_wikidata`)."""
    graph = Graph()
    for item in view.items:
        graph.add((item.iri, RDF.type, WIKIBASE.Item))
        for language, text in item.labels:
            for predicate in (RDFS.label, SKOS.prefLabel, SCHEMA.name):
                graph.add((item.iri, predicate, Literal(text, lang=language)))
        for language, text in item.aliases:
            graph.add((item.iri, SKOS.altLabel, Literal(text, lang=language)))
        for language, text in item.descriptions:
            graph.add((item.iri, SCHEMA.description, Literal(text, lang=language)))
    for claim in view.claims:
        _add_claim(graph, claim)
    for code, kind in sorted(_property_types(view).items()):
        _add_property(graph, code, kind)
    return graph


def _property_types(view: WikidataView) -> dict[str, URIRef]:
    """Each PID the export uses -> its Wikibase property type."""
    types: dict[str, URIRef] = {}

    def note(code: str, value) -> None:
        types.setdefault(code, WIKIBASE.Time if isinstance(value, TimeValue) else WIKIBASE.WikibaseItem)

    for claim in view.claims:
        note(claim.pid, claim.value)
        for code, value in claim.qualifiers:
            note(code, value)
        for reference in claim.references:
            if reference.url:
                types["P854"] = REFERENCE_PIDS["P854"]
            if reference.quotation:
                types["P1683"] = REFERENCE_PIDS["P1683"]
    return types


def _add_property(graph: Graph, code: str, kind: URIRef) -> None:
    entity = WD[code]
    graph.add((entity, RDF.type, WIKIBASE.Property))
    graph.add((entity, WIKIBASE.propertyType, kind))
    for predicate, namespace in _FORMS:
        graph.add((entity, predicate, namespace[code]))


def unmapped_classes(view: WikidataView) -> tuple[URIRef, ...]:
    """The relgraph classes the export's items are instances of (``P31``) that have no checked
    Wikidata class, sorted: their members' ``wdt:P31`` is the relgraph class."""
    return tuple(sorted({c.value for c in view.claims if c.pid == "P31" and isinstance(c.value, URIRef) and qid(c.value) is None}))


def date_modified() -> str:
    """The dump's ``schema:dateModified``: ``SOURCE_DATE_EPOCH`` (seconds) where it is set, else
    the Unix epoch; ParameterError for a value that is not a whole number of seconds."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "0").strip() or "0"
    if not raw.isdigit():
        raise ParameterError("SOURCE_DATE_EPOCH", f"expected a whole number of seconds since 1970, got {raw!r}")
    moment = datetime.datetime.fromtimestamp(int(raw), tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _add_header(graph: Graph, digest: str) -> None:
    dump = WIKIBASE.Dump
    graph.add((dump, RDF.type, SCHEMA.Dataset))
    graph.add((dump, RDF.type, OWL.Ontology))
    graph.add((dump, SCHEMA.softwareVersion, Literal(DUMP_FORMAT_VERSION)))
    graph.add((dump, SCHEMA.dateModified, Literal(date_modified(), datatype=XSD.dateTime, normalize=False)))
    graph.add((dump, SCHEMA.identifier, Literal(f"sha256:{digest}")))
    graph.add((dump, OWL.imports, WIKIBASE_ONTOLOGY))


def _comment(view: WikidataView) -> str:
    classes = unmapped_classes(view)
    lines = [
        "# relgraph's graph in the Wikibase RDF dump format (https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format).",
        f"# {len(classes)} classes have no checked Wikidata class: their members' wdt:P31 is the relgraph class:",
    ]
    lines += [f"#   {c}" for c in classes]
    return "".join(line + "\n" for line in lines)


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
    """``view`` in Wikidata's RDF model as Turtle or N-Triples, with the dump header and a
    leading comment naming the unmapped classes; the same view gives the same bytes."""
    fmt = format if isinstance(format, RdfFormat) else rdf_format(format)
    if fmt.name not in EXPORT_FORMATS:
        raise ParameterError("format", f"the wikidata profile is written as {' or '.join(EXPORT_FORMATS)}, not {fmt.name}")
    name = URIRef("urn:x-relgraph:wikidata")
    body = canonical_triples({name: wikidata_graph(view)})[name]
    out = Graph()
    for prefix, namespace in WIKIDATA_PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in body:
        out.add(triple)
    digest = hashlib.sha256(_sorted_nt(out).encode("utf-8")).hexdigest()
    _add_header(out, digest)
    if fmt.name == "nt":
        data = _sorted_nt(out)
    else:
        data = out.serialize(format=fmt.rdflib_name, encoding="utf-8").decode("utf-8")
    return (_comment(view) + data).encode("utf-8")


def _sorted_nt(graph: Graph) -> str:
    lines = sorted(line for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines() if line.strip())
    return "".join(line + "\n" for line in lines)


__all__ = ["DUMP_FORMAT_VERSION", "EXPORT_FORMATS", "WIKIDATA_PREFIXES", "date_modified", "serialize_wikidata", "unmapped_classes", "wikidata_graph"]
