"""relgraph's prefixes as plain strings, for the code that runs without rdflib (the query path).

``vocab.PREFIXES`` holds the same table as rdflib namespaces (a test keeps the two equal).

>>> short_iri("https://w3id.org/relgraph/id/latvia"), short_iri("http://example.org/x")
('rgd:latvia', '<http://example.org/x>')
"""

from __future__ import annotations

NAMESPACES: dict[str, str] = {
    "rg": "https://w3id.org/relgraph/ontology#",
    "rgd": "https://w3id.org/relgraph/id/",
    "rgsh": "https://w3id.org/relgraph/shapes#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "http://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
"""Prefix -> namespace IRI, in the order of ``vocab.PREFIXES``."""

RGD_IRI = NAMESPACES["rgd"]
XSD_IRI = NAMESPACES["xsd"]

# Longest namespace first, so the most specific prefix wins.
_BY_LENGTH = sorted(NAMESPACES.items(), key=lambda item: -len(item[1]))


def short_iri(iri: str) -> str:
    """``iri`` as a prefixed name if a relgraph prefix fits, else ``<iri>``."""
    for prefix, base in _BY_LENGTH:
        local = iri[len(base):]
        if iri.startswith(base) and local and _is_local_name(local):
            return f"{prefix}:{local}"
    return f"<{iri}>"


def _is_local_name(local: str) -> bool:
    return all(ch.isalnum() or ch in "_-." for ch in local) and not local.endswith(".")
