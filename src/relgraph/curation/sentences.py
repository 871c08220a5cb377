"""The sentence nodes of a document, generated from its text: never written by hand.

A document's node lives in ``data/SLUG/document.ttl`` with ``rg:localCopy "source.txt"``.
When the project is loaded (:meth:`relgraph.project.Project.load`, and the store loads of
:mod:`relgraph.build`), every document stated in a ``document.ttl`` gets one ``rg:Sentence``
per unit that :func:`relgraph.sources.split_text` cuts from its local copy:

    <doc>/sentence/s07 a rg:Sentence ;
        oa:hasSource <doc> ;
        oa:hasSelector <doc>/sentence/s07-selector ;
        rg:position 7 ;
        rg:section "History > Interwar period" .
    <doc>/sentence/s07-selector a oa:TextQuoteSelector ; oa:exact "…the sentence…" .

The text is the one source of the sentences, so they cannot drift from it; what a curator
says about a sentence (``rg:noFactReason``) goes in facts.ttl, on the sentence's IRI.

>>> from rdflib import URIRef
>>> doc = URIRef("https://w3id.org/relgraph/id/d")
>>> str(sentence_iri(doc, 7))
'https://w3id.org/relgraph/id/d/sentence/s07'
>>> len(sentence_graph(doc, "= T =\\n== A ==\\nOne. Two."))
14
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ..errors import InputError
from ..sources import TextUnit, split_text
from ..vocab import OA, RG, bind_prefixes

DOCUMENT_FILE = "document.ttl"
"""The file of a document folder that holds its rg:SourceDocument node."""


def sentence_iri(document: URIRef, position: int) -> URIRef:
    """The IRI of the sentence at ``position`` (1-based) of ``document``."""
    return URIRef(f"{document}/sentence/s{position:02d}")


def selector_iri(sentence: URIRef) -> URIRef:
    """The IRI of the text-quote selector of ``sentence``."""
    return URIRef(f"{sentence}-selector")


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path``; InputError naming the file and the byte offset if it is not UTF-8."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"not UTF-8 text: byte {error.start} (0x{data[error.start]:02x}) on line {line}", path=path) from None


def sentence_triples(document: URIRef, units: Iterable[TextUnit]) -> Graph:
    """The rg:Sentence nodes of ``document`` for ``units``."""
    graph = Graph()
    bind_prefixes(graph)
    for unit in units:
        sentence = sentence_iri(document, unit.position)
        selector = selector_iri(sentence)
        graph.add((sentence, RDF.type, RG.Sentence))
        graph.add((sentence, OA.hasSource, document))
        graph.add((sentence, OA.hasSelector, selector))
        graph.add((sentence, RG.position, Literal(unit.position)))
        graph.add((sentence, RG.section, Literal(unit.section)))
        graph.add((selector, RDF.type, OA.TextQuoteSelector))
        graph.add((selector, OA.exact, Literal(unit.text)))
    return graph


def sentence_graph(document: URIRef, text: str) -> Graph:
    """The rg:Sentence nodes of ``document`` whose text is ``text``."""
    return sentence_triples(document, split_text(text))


@dataclass(frozen=True)
class DocumentText:
    """A document stated in a ``document.ttl``, and its local copy."""

    document: URIRef
    document_file: Path
    local_copy: Path


def document_texts(document_file: Path, graph: Graph) -> tuple[DocumentText, ...]:
    """Each document with an rg:localCopy in ``graph`` (parsed from ``document_file``)."""
    return tuple(
        DocumentText(document, Path(document_file), Path(document_file).parent / str(copy))
        for document, copy in sorted(graph.subject_objects(RG.localCopy))
        if isinstance(document, URIRef)
    )


def generated_sentences(texts: Iterable[DocumentText]) -> dict[Path, Graph]:
    """For each local copy, the sentence nodes generated from it."""
    return {
        text.local_copy: sentence_graph(text.document, read_text(text.local_copy))
        for text in texts
        if text.local_copy.is_file()
    }


def is_document_file(path: Path) -> bool:
    """True for the files whose documents get generated sentences."""
    return Path(path).name == DOCUMENT_FILE
