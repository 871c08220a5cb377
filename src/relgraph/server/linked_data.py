"""Linked Data: which server path serves which IRI, and what the server says about a resource.

The URL mapping (the server stands in for https://w3id.org/relgraph/):

* ``https://w3id.org/relgraph/id/{path}``      -> ``/id/{path}``
* ``https://w3id.org/relgraph/ontology``       -> ``/ontology`` (the whole ontology)
* ``https://w3id.org/relgraph/ontology#{Term}`` -> ``/ontology/{Term}`` (one term's page; the
  ontology page also has an anchor ``#{Term}`` for each term, so the hash IRI works against ``/ontology``)
* ``https://w3id.org/relgraph/graph/{name}``   -> ``/graph/{name}`` (a named graph, whole, as RDF)

Each of these also answers with a suffix naming an RDF format (``/id/latvia.ttl``, ``.jsonld``,
``.nt``, ``.rdf``).

>>> path_for_iri(URIRef("https://w3id.org/relgraph/id/latvia"))
'/id/latvia'
>>> str(iri_for_path("/ontology/Visit"))
'https://w3id.org/relgraph/ontology#Visit'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from ..terms import label as label_of
from ..terms import short
from ..vocab import OA, RG, RGD, WD, bind_prefixes
from ..stores import GRAPHS
from .served import ServedGraph

ONTOLOGY = URIRef(str(RG).rstrip("#"))
_NOT_IN_IRI = re.compile('[\x00-\x20\x7f-\x9f<>"{}|^`\\\\\ufffd\ud800-\udfff\\s]')
"""What no IRI holds (RFC 3987): controls, spaces, delimiters, and the replacement character
that stands for bytes of a path that were not UTF-8 (``/id/%FF%FE``)."""
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"


GRAPH_PATHS = {URIRef(g): "/graph/" + str(g).rsplit("/", 1)[-1] for g in GRAPHS}
"""The named graphs' IRIs (``https://w3id.org/relgraph/graph/asserted``) and their paths (``/graph/asserted``)."""


def graph_for_path(path: str) -> URIRef | None:
    """The named graph a server path stands for, or None.

    >>> str(graph_for_path("/graph/inferred")), graph_for_path("/graph/other")
    ('https://w3id.org/relgraph/graph/inferred', None)
    """
    return next((g for g, p in GRAPH_PATHS.items() if p == path), None)


def path_for_iri(iri: Node) -> str | None:
    """The server path of ``iri``, or None if the server does not stand in for it."""
    if not isinstance(iri, URIRef):
        return None
    text = str(iri)
    if text.startswith(str(RGD)) and len(text) > len(RGD):
        return "/id/" + quote(text[len(RGD):], safe="/-._~")
    if text.startswith(str(RG)) and len(text) > len(RG):
        return "/ontology/" + quote(text[len(RG):], safe="-._~")
    if text == str(ONTOLOGY):
        return "/ontology"
    return None


def iri_for_path(path: str) -> URIRef | None:
    """The IRI a server path stands for (the inverse of :func:`path_for_iri`), or None."""
    path = unquote(path)
    if _NOT_IN_IRI.search(path):
        return None
    if path == "/ontology":
        return ONTOLOGY
    if path.startswith("/ontology/") and len(path) > len("/ontology/") and "/" not in path[len("/ontology/"):]:
        return URIRef(str(RG) + path[len("/ontology/"):])
    if path.startswith("/id/") and len(path) > len("/id/"):
        return URIRef(str(RGD) + path[len("/id/"):])
    return None


def href(term: Node) -> str | None:
    """Where a link to ``term`` points: the server's page (or named graph), a Wikidata page, or the IRI itself."""
    if term in GRAPH_PATHS:
        return GRAPH_PATHS[term]
    local = path_for_iri(term)
    if local is not None:
        return local
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(str(WD)):
            return WIKIDATA_PAGE + text[len(WD):]
        if text.startswith(("http://", "https://")):
            return text
    return None


def is_known(graph: ServedGraph, iri: URIRef) -> bool:
    """True if the graph says anything with ``iri`` as subject or object."""
    if iri == ONTOLOGY:
        return True
    dataset = graph.dataset
    return next(iter(dataset.triples((iri, None, None))), None) is not None or next(
        iter(dataset.triples((None, None, iri))), None
    ) is not None


FOLLOW = (OA.hasSelector,)
"""Links to nodes that are part of the resource (a sentence's quote selector): described with it."""


def describe(graph: ServedGraph, iri: URIRef) -> Graph:
    """The RDF a machine gets for ``iri``: every triple about it in either direction, the blank
    nodes (and FOLLOW links) it reaches, and the labels of what it links to. For the ontology,
    the whole ontology."""
    out = Graph()
    bind_prefixes(out)
    if iri == ONTOLOGY:
        for triple in graph.ontology:
            out.add(triple)
        return out
    dataset = graph.dataset
    neighbours = set()
    pending = [iri]
    seen = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for s, p, o in dataset.triples((node, None, None)):
            out.add((s, p, o))
            if isinstance(o, BNode) or p in FOLLOW:
                pending.append(o)
            else:
                neighbours.add(o)
    for s, p, o in dataset.triples((None, None, iri)):
        out.add((s, p, o))
        neighbours.add(s)
    for node in neighbours:
        if isinstance(node, URIRef):
            for o in dataset.objects(node, RDFS.label):
                out.add((node, RDFS.label, o))
    return out


@dataclass(frozen=True)
class Link:
    """A resource as shown on a page: its label (and that label's language), prefixed name and link."""

    iri: str
    label: str
    lang: str | None
    short: str
    href: str | None


@dataclass(frozen=True)
class Value:
    """An object of a fact: a link, or a literal with its language or datatype."""

    link: Link | None = None
    text: str = ""
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Source:
    """A sentence a fact was taken from, numbered on the page."""

    number: int
    sentence: Link
    quote: str
    section: str
    document: Link | None


@dataclass(frozen=True)
class Fact:
    """One triple, seen from the page's resource: the other end, whether reasoning added it,
    and the numbers of its source sentences."""

    predicate: Link
    value: Value
    inferred: bool
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Basis:
    """What a fact (or a description) rests on: stated in its sentence's words, or implied."""

    basis: Link
    implied: bool
    reason: str
    """Why it is implied (the rg:basisNote in the page's language, else English); empty if stated."""
    properties: tuple[Link, ...]
    """The properties whose values are implied (rg:impliedProperty); empty: the whole node."""


@dataclass(frozen=True)
class ResourceView:
    """What the page of a resource shows."""

    resource: Link
    lang: str
    labels: tuple[Value, ...]
    comments: tuple[Value, ...]
    types: tuple[Link, ...]
    outgoing: tuple[Fact, ...]
    incoming: tuple[Fact, ...]
    sources: tuple[Source, ...]
    wikidata: tuple[Link, ...]
    terms: tuple[Link, ...]
    """For the ontology: its classes and properties."""
    quote: str = ""
    """For a sentence: its exact text."""
    basis: Basis | None = None
    """For a fact (or an entity with one): whether the source states it, or why it is implied."""


def _label(graph: Graph, node: Node, lang: str) -> tuple[str, str | None]:
    for wanted in (lang, "en", None):
        found = sorted(o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal) and o.language == wanted)
        if found:
            return str(found[0]), found[0].language
    text = label_of(graph, node, language=lang)
    if text:
        return text, None
    for namespace in (str(RGD), str(RG)):  # an unlabelled resource of ours: its path reads well
        if isinstance(node, URIRef) and str(node).startswith(namespace) and len(node) > len(namespace):
            return str(node)[len(namespace):], None
    return short(node), None


def link(graph: Graph, node: Node, lang: str) -> Link:
    """``node`` as a link with its label in ``lang`` (else English, else any, else its short name)."""
    text, tag = _label(graph, node, lang)
    return Link(str(node), text, tag, short(node), href(node))


def _value(graph: Graph, node: Node, lang: str) -> Value:
    if isinstance(node, Literal):
        datatype = None if node.language or node.datatype is None else short(node.datatype)
        return Value(text=str(node), lang=node.language, datatype=datatype)
    return Value(link=link(graph, node, lang))


def _sort_key(fact: Fact) -> tuple:
    value = fact.value
    return (fact.predicate.short, value.link.label if value.link else value.text, value.lang or "")


def resource_view(graph: ServedGraph, iri: URIRef, *, lang: str) -> ResourceView:
    """The page of ``iri`` in ``lang``: labels, types, facts both ways, their sentences, Wikidata links."""
    data = graph.dataset
    numbers: dict[Node, int] = {}

    def sources_of(node: Node) -> tuple[int, ...]:
        sentences = sorted(data.objects(node, RG.statedIn), key=_sentence_order(data))
        for sentence in sentences:
            numbers.setdefault(sentence, len(numbers) + 1)
        return tuple(numbers[s] for s in sentences)

    def inferred(triple) -> bool:
        return triple in graph.inferred and triple not in graph.asserted and triple not in graph.ontology

    own_sources = sources_of(iri)
    outgoing = []
    for p, o in sorted(set(data.predicate_objects(iri))):  # sorted: sources are numbered in a fixed order
        if p in (RDFS.label, RDFS.comment, RDF.type):
            continue
        sources = () if p == RG.statedIn else own_sources
        outgoing.append(Fact(link(data, p, lang), _value(data, o, lang), inferred((iri, p, o)), sources))
    incoming = []
    for s, p in sorted(set(data.subject_predicates(iri))):
        incoming.append(Fact(link(data, p, lang), _value(data, s, lang), inferred((s, p, iri)), sources_of(s)))
    sources = []
    for sentence, number in sorted(numbers.items(), key=lambda item: item[1]):
        quote = next((str(q) for sel in data.objects(sentence, OA.hasSelector) for q in data.objects(sel, OA.exact)), "")
        document = next(iter(data.objects(sentence, OA.hasSource)), None)
        sources.append(
            Source(
                number,
                link(data, sentence, lang),
                quote,
                str(next(iter(data.objects(sentence, RG.section)), "")),
                None if document is None else link(data, document, lang),
            )
        )
    labels = tuple(
        _value(data, o, lang)
        for o in sorted(data.objects(iri, RDFS.label), key=lambda o: (o.language != lang, o.language or "", str(o)))
    )
    alt = tuple(_value(data, o, lang) for o in sorted(data.objects(iri, SKOS.altLabel)))
    comments = tuple(_value(data, o, lang) for o in sorted(data.objects(iri, RDFS.comment)))
    types = tuple(sorted({link(data, t, lang) for t in data.objects(iri, RDF.type)}, key=lambda l: l.short))
    wikidata = tuple(
        sorted({Link(str(o), short(o), None, short(o), href(o)) for o in data.objects(iri, RG.wikidata)}, key=lambda l: l.iri)
    )
    terms: tuple[Link, ...] = ()
    if iri == ONTOLOGY:
        members = {s for s in graph.ontology.subjects() if isinstance(s, URIRef) and path_for_iri(s) and s != ONTOLOGY}
        terms = tuple(sorted((link(data, s, lang) for s in members if str(s).startswith(str(RG))), key=lambda l: l.short))
    return ResourceView(
        resource=link(data, iri, lang),
        lang=lang,
        labels=labels + alt,
        comments=comments,
        types=types,
        outgoing=tuple(sorted(outgoing, key=_sort_key)),
        incoming=tuple(sorted(incoming, key=_sort_key)),
        sources=tuple(sources),
        wikidata=wikidata,
        terms=terms,
        quote=next((str(q) for sel in data.objects(iri, OA.hasSelector) for q in data.objects(sel, OA.exact)), ""),
        basis=_basis(data, iri, lang),
    )


def _basis(data: Graph, iri: URIRef, lang: str) -> Basis | None:
    basis = min((b for b in data.objects(iri, RG.basis) if isinstance(b, URIRef)), default=None)
    if basis is None:
        return None
    notes = sorted(
        (n for n in data.objects(iri, RG.basisNote) if isinstance(n, Literal)),
        key=lambda n: (n.language != lang, n.language != "en", str(n)),
    )
    properties = sorted((link(data, p, lang) for p in data.objects(iri, RG.impliedProperty)), key=lambda l: l.short)
    implied = basis != RG.Stated
    return Basis(link(data, basis, lang), implied, str(notes[0]) if notes and implied else "", tuple(properties))


def _sentence_order(data: Graph):
    def key(sentence: Node):
        position = next(iter(data.objects(sentence, RG.position)), None)
        document = next(iter(data.objects(sentence, OA.hasSource)), "")
        return (str(document), int(position) if isinstance(position, Literal) and str(position).isdigit() else 0, str(sentence))

    return key



DEFAULT_BASE = str(RGD)[: -len("id/")]
"""The namespace of every IRI relgraph mints: https://w3id.org/relgraph/."""
_PLAIN_IRI = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?/(?:[A-Za-z0-9._~-]+/)*$")
_REWRITTEN_TYPES = ("text/", "application/sparql-results", "application/ld+json", "application/json",
                    "application/n-triples", "application/n-quads", "application/trig", "application/rdf+xml",
                    "application/xml")
"""The answers whose IRIs are spelled under the public base (pages, results, RDF; not images or scripts)."""


@dataclass(frozen=True)
class BaseIri:
    """The public base IRI of a server (``relgraph serve --base-iri``) standing for DEFAULT_BASE.

    The data keep their IRIs (the graph, the store and a release are the same everywhere); the
    server spells them under its base at its edge: every answer's ``https://w3id.org/relgraph/…``
    is written as ``{base}…``, and a request's ``{base}…`` (in a query, a dataset parameter, a
    stored query's parameter) is read as the default namespace. Request paths are the default
    mapping (``/id/…``, ``/ontology``, ``/graph/…``), below the base's own path if it has one.

    >>> base = BaseIri.parse("https://example.org/relgraph/")
    >>> base.to_public(b"<https://w3id.org/relgraph/id/latvia>")
    b'<https://example.org/relgraph/id/latvia>'
    >>> base.to_data("SELECT * { <https://example.org/relgraph/id/latvia> ?p ?o }")
    'SELECT * { <https://w3id.org/relgraph/id/latvia> ?p ?o }'
    >>> base.path
    '/relgraph'
    """

    public: str

    @classmethod
    def parse(cls, value: str) -> BaseIri:
        """ParameterError unless ``value`` is an http(s) IRI ending in ``/`` of plain characters
        (so that it is written alike in every format: nothing to escape in XML, JSON or Turtle)."""
        from ..errors import ParameterError

        if not _PLAIN_IRI.match(value):
            raise ParameterError("--base-iri", f"{value!r} is not an http(s) IRI ending in '/' made of letters, digits and . _ ~ -")
        return cls(value)

    @property
    def path(self) -> str:
        """The base's path without its last ``/`` ("" for a base at a host's root)."""
        return "/" + self.public.split("://", 1)[1].partition("/")[2].rstrip("/") if self.public.count("/") > 3 else ""

    def to_public(self, body: bytes) -> bytes:
        return body.replace(DEFAULT_BASE.encode("ascii"), self.public.encode("ascii"))

    def to_data(self, text: str) -> str:
        return text.replace(self.public, DEFAULT_BASE)

    def rewrite(self, iri: Node) -> URIRef:
        """``iri`` (in the default namespace) spelled under the public base."""
        return URIRef(self.public + str(iri)[len(DEFAULT_BASE):]) if str(iri).startswith(DEFAULT_BASE) else URIRef(iri)


class PublicBase:
    """ASGI middleware of a server with a :class:`BaseIri`: strips the base's path from request
    paths (whether or not a proxy in front did) and spells IRIs under the base in answers."""

    def __init__(self, app, base: BaseIri) -> None:
        self.app = app
        self.base = base

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.base.public == DEFAULT_BASE:
            await self.app(scope, receive, send)
            return
        prefix = self.base.path
        if prefix and (scope["path"] == prefix or scope["path"].startswith(prefix + "/")):
            scope = {**scope, "path": scope["path"][len(prefix):] or "/", "root_path": scope.get("root_path", "") + prefix}
        start: dict | None = None
        chunks: list[bytes] = []

        async def rewriting(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"").decode("latin-1")
                if kind.startswith(_REWRITTEN_TYPES):
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = self.base.to_public(b"".join(chunks))
            headers = [(n, v) for n, v in start.get("headers", []) if n.lower() != b"content-length"]
            await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode("ascii"))]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewriting)
