"""The one table of formats: names, file suffixes, media types and rdflib plugin names.

Loading, exporting, the CLI's ``--format`` choices and (later) HTTP content
negotiation all read these two tables; nothing else spells a media type.

>>> rdf_format("jsonld").media_type
'application/ld+json'
>>> rdf_format_for_suffix(".ttl").name
'turtle'
>>> result_format_for_media_type("application/sparql-results+json; charset=utf-8").name
'json'
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ParameterError


@dataclass(frozen=True)
class RdfFormat:
    """A serialization of RDF graphs or datasets."""

    name: str
    suffix: str
    media_type: str
    rdflib_name: str
    datasets: bool
    """True if the format keeps named graphs (TriG, N-Quads)."""
    w3c: str = ""
    """The format's IRI in http://www.w3.org/ns/formats/ (used in a SPARQL service description)."""
    aliases: tuple[str, ...] = ()
    """Other names and media types clients use for it (SPARQLWrapper's ``format=`` values, say)."""


@dataclass(frozen=True)
class ResultFormat:
    """A serialization of SPARQL SELECT/ASK results (``table`` is text for people)."""

    name: str
    suffix: str
    media_type: str
    rdflib_name: str | None
    """rdflib's result serializer name; None where relgraph writes it itself (table, tsv)."""
    w3c: str = ""
    """The format's IRI in http://www.w3.org/ns/formats/ ("" if it has none)."""
    aliases: tuple[str, ...] = ()
    """Other names and media types clients use for it."""


_W3C = "http://www.w3.org/ns/formats/"

RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", ".ttl", "text/turtle", "turtle", False, _W3C + "Turtle",
              ("ttl", "n3", "application/x-turtle", "application/turtle", "text/n3", "text/rdf+n3")),
    RdfFormat("nt", ".nt", "application/n-triples", "nt", False, _W3C + "N-Triples",
              ("ntriples", "n-triples", "text/plain")),
    RdfFormat("jsonld", ".jsonld", "application/ld+json", "json-ld", False, _W3C + "JSON-LD",
              ("json-ld", "json", "application/x-json+ld", "application/json")),
    RdfFormat("trig", ".trig", "application/trig", "trig", True, _W3C + "TriG", ("application/x-trig",)),
    RdfFormat("nquads", ".nq", "application/n-quads", "nquads", True, _W3C + "N-Quads",
              ("nq", "n-quads", "text/x-nquads", "text/nquads")),
    RdfFormat("xml", ".rdf", "application/rdf+xml", "xml", False, _W3C + "RDF_XML",
              ("rdf", "rdf+xml", "rdfxml", "application/xml", "text/xml")),
)
"""The aliases are the media types Oxigraph server reads as each format (text/n3 is served as
Turtle, which is N3; text/plain as N-Triples) and the ``format=`` names Fuseki and SPARQLWrapper send."""

RESULT_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("table", ".txt", "text/plain", None, "", ("text",)),
    ResultFormat("json", ".srj", "application/sparql-results+json", "json", _W3C + "SPARQL_Results_JSON",
                 ("srj", "application/json", "text/json")),
    ResultFormat("xml", ".srx", "application/sparql-results+xml", "xml", _W3C + "SPARQL_Results_XML",
                 ("srx", "application/xml", "text/xml")),
    ResultFormat("csv", ".csv", "text/csv", "csv", _W3C + "SPARQL_Results_CSV"),
    ResultFormat("tsv", ".tsv", "text/tab-separated-values", None, _W3C + "SPARQL_Results_TSV", ("text/tsv",)),
)
"""As for RDF_FORMATS, the aliases are those of Oxigraph server and Fuseki (``format=text`` is a table)."""


def _media(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _pick(table, key, value, what: str):
    for entry in table:
        if key(entry) == value:
            return entry
    choices = ", ".join(sorted({key(e) for e in table}))
    raise ParameterError(what, f"unknown value {value!r}; expected one of: {choices}")


def rdf_format(name: str) -> RdfFormat:
    """The RDF format called ``name``; ParameterError names the choices otherwise."""
    return _pick(RDF_FORMATS, lambda f: f.name, name, "format")


def rdf_format_for_suffix(suffix: str) -> RdfFormat:
    """The RDF format whose files end in ``suffix`` (with or without the dot)."""
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    return _pick(RDF_FORMATS, lambda f: f.suffix, suffix, "suffix")


def rdf_format_for_media_type(media_type: str) -> RdfFormat:
    """The RDF format served as ``media_type`` (parameters such as charset are ignored)."""
    return _pick(RDF_FORMATS, lambda f: f.media_type, _media(media_type), "media type")


def result_format(name: str) -> ResultFormat:
    """The SPARQL result format called ``name``."""
    return _pick(RESULT_FORMATS, lambda f: f.name, name, "format")


def result_format_for_media_type(media_type: str) -> ResultFormat:
    """The SPARQL result format served as ``media_type``."""
    return _pick(RESULT_FORMATS, lambda f: f.media_type, _media(media_type), "media type")


def rdf_format_names(*, datasets: bool | None = None) -> tuple[str, ...]:
    """Names of the RDF formats, in table order; only dataset formats if ``datasets``."""
    return tuple(f.name for f in RDF_FORMATS if datasets is None or f.datasets == datasets)


def result_format_names() -> tuple[str, ...]:
    """Names of the SPARQL result formats, in table order."""
    return tuple(f.name for f in RESULT_FORMATS)
