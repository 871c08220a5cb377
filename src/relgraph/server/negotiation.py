"""Content negotiation over the one format table: Accept headers with q-values, ``format=`` names.

>>> choose(RESULT_OFFERS, accept="text/csv;q=0.5, application/sparql-results+json").name
'json'
>>> choose(GRAPH_OFFERS, accept="application/*;q=0.9, text/turtle;q=0.1").name
'jsonld'
>>> choose(GRAPH_OFFERS, accept=None, format="ttl").name
'turtle'

A browser's Accept gets SPARQL XML results for a SELECT, as from Oxigraph server:

>>> choose(RESULT_OFFERS, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").media_type
'application/sparql-results+xml'
>>> choose(GRAPH_OFFERS, accept="application/json").media_type
'application/ld+json'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mimeparse

from ..errors import ParameterError
from ..formats import RDF_FORMATS, RESULT_FORMATS, RdfFormat, ResultFormat

MAX_ACCEPT_LENGTH = 4096


@dataclass(frozen=True)
class Offer:
    """A representation the server can send: a name for ``format=``, its media types, its table entry."""

    name: str
    media_types: tuple[str, ...]
    """The media type sent, then the aliases it also answers to."""
    format: RdfFormat | ResultFormat | None = None
    names: tuple[str, ...] = ()
    """The name and the other names ``format=`` accepts."""

    @property
    def media_type(self) -> str:
        return self.media_types[0]


def _offer(entry: RdfFormat | ResultFormat) -> Offer:
    media = tuple(a for a in entry.aliases if "/" in a)
    names = tuple(a for a in entry.aliases if "/" not in a)
    return Offer(entry.name, (entry.media_type, *media), entry, (entry.name, *names))


def _offers(table, order: tuple[str, ...]) -> tuple[Offer, ...]:
    by_name = {entry.name: entry for entry in table}
    return tuple(_offer(by_name[name]) for name in order)


RESULT_OFFERS = _offers(RESULT_FORMATS, ("json", "xml", "csv", "tsv", "table"))
"""SELECT and ASK results, in the server's order of preference (the first one for ``*/*``)."""
GRAPH_OFFERS = _offers(RDF_FORMATS, ("turtle", "jsonld", "nt", "xml", "trig", "nquads"))
"""CONSTRUCT and DESCRIBE results, and resource descriptions (every RDF format Oxigraph server sends)."""
TRIPLES_AS = {"trig": "turtle", "nquads": "nt"}
"""A graph of triples asked for in a dataset format is written in the triples-only format it
extends: a Turtle document is a TriG document of the default graph, N-Triples lines are N-Quads."""


def writer(offer: Offer) -> RdfFormat:
    """The RDF format that writes a graph of triples for ``offer`` (see :data:`TRIPLES_AS`)."""
    by_name = {entry.name: entry for entry in RDF_FORMATS}
    return by_name[TRIPLES_AS.get(offer.name, offer.name)]
HTML_OFFER = Offer("html", ("text/html", "application/xhtml+xml"), None, ("html",))
PAGE_OFFERS = (HTML_OFFER, *GRAPH_OFFERS)
"""A Linked Data resource: a page for people first, then RDF."""


class BadAccept(ValueError):
    """The Accept header does not parse; the message quotes the part that does not."""


class NotAcceptable(Exception):
    """No offer matches the Accept header; ``offers`` says what would."""

    def __init__(self, accept: str, offers: tuple[Offer, ...]) -> None:
        self.offers = offers
        types = ", ".join(o.media_type for o in offers)
        super().__init__(f"cannot answer Accept: {accept!r}; this resource is available as: {types}")


_Q = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

MediaRange = tuple[str, str, dict]
"""A parsed media range as python-mimeparse gives it: type, subtype, parameters (``q`` always there)."""


def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """The media ranges of an Accept header (RFC 9110 §12.5.1), parsed by python-mimeparse;
    BadAccept names a part that is no media range (mimeparse itself reads a bad q as 1: here it is refused).

    >>> parse_accept("text/*;q=0.3, text/turtle")
    (('text', '*', {'q': '0.3'}), ('text', 'turtle', {'q': '1'}))
    """
    if len(header) > MAX_ACCEPT_LENGTH:
        raise BadAccept(f"Accept header longer than {MAX_ACCEPT_LENGTH} characters")
    ranges = []
    for part in header.split(","):
        if not part.strip():
            continue
        problem = f"Accept header: cannot parse {part.strip()!r} (expected type/subtype[;q=0.5])"
        raw_q = None
        for param in part.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                raw_q = value.strip()
        try:
            kind, sub, params = mimeparse.parse_media_range(part)
        except mimeparse.MimeTypeParseException:
            raise BadAccept(problem) from None
        if not (_TOKEN.match(kind) and _TOKEN.match(sub)):
            raise BadAccept(problem)
        if kind == "*" and sub != "*":
            raise BadAccept(f"Accept header: {part.strip()!r} is not a media range")
        if raw_q is not None and not _Q.match(raw_q):
            raise BadAccept(f"Accept header: q={raw_q!r} in {part.strip()!r} is not a number from 0 to 1")
        ranges.append((kind.lower(), sub.lower(), params))
    return tuple(ranges)


_EXACT = 110
"""mimeparse's fitness of a range naming type and subtype (100 + 10; wildcards score less)."""


def _quality(offer: Offer, ranges: tuple[MediaRange, ...]) -> float:
    """The q of the most specific range matching the offer's media type (python-mimeparse's
    rule); an alias counts only when named exactly (``application/*`` must not pick Turtle
    through application/x-turtle, nor ``*/*`` anything through an alias)."""
    best = 0.0
    for index, media_type in enumerate(offer.media_types):
        q, fitness = mimeparse.quality_and_fitness_parsed(media_type, list(ranges))
        if fitness >= (0 if index == 0 else _EXACT):
            best = max(best, q)
    return best


def choose(offers: tuple[Offer, ...], *, accept: str | None, format: str | None = None) -> Offer:
    """The offer to send: the one ``format`` names, else the best for ``accept``.

    Ties go to the earlier offer; no Accept header means the first offer. ParameterError for an
    unknown ``format``, BadAccept for a malformed header, NotAcceptable when nothing matches.
    """
    if format is not None:
        wanted = format.strip().lower()
        for offer in offers:
            if wanted in offer.names or wanted in offer.media_types:
                return offer
        names = ", ".join(o.name for o in offers)
        raise ParameterError("format", f"unknown or unsuitable value {format!r} here; expected one of: {names}")
    if accept is None or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    scored = [(_quality(offer, ranges), -index, offer) for index, offer in enumerate(offers)]
    q, _, offer = max(scored, key=lambda item: item[:2])
    if q <= 0:
        raise NotAcceptable(accept, offers)
    return offer

