"""Content negotiation over the one format table: Accept headers with q-values, ``format=`` names.

>>> choose(RESULT_OFFERS, accept="text/csv;q=0.5, application/sparql-results+json").name
'json'
>>> choose(GRAPH_OFFERS, accept="application/*;q=0.9, text/turtle;q=0.1").name
'jsonld'
>>> choose(GRAPH_OFFERS, accept=None, format="ttl").name
'turtle'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
GRAPH_OFFERS = _offers(RDF_FORMATS, ("turtle", "jsonld", "nt", "xml"))
"""CONSTRUCT and DESCRIBE results, and resource descriptions."""
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


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_RANGE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*((?:;\s*{_TOKEN}\s*=\s*(?:{_TOKEN}|\"[^\"]*\")\s*)*)$")
_Q = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 for no match."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == kind and self.subtype == "*":
            return 1
        if self.type == kind and self.subtype == sub:
            return 2
        return -1


def parse_accept(header: str) -> tuple[MediaRange, ...]:
    """The media ranges of an Accept header (RFC 9110 §12.5.1); BadAccept names a bad part.

    >>> parse_accept("text/*;q=0.3, text/turtle")
    (MediaRange(type='text', subtype='*', q=0.3), MediaRange(type='text', subtype='turtle', q=1.0))
    """
    if len(header) > MAX_ACCEPT_LENGTH:
        raise BadAccept(f"Accept header longer than {MAX_ACCEPT_LENGTH} characters")
    ranges = []
    for part in header.split(","):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if match is None:
            raise BadAccept(f"Accept header: cannot parse {part.strip()!r} (expected type/subtype[;q=0.5])")
        kind, sub, params = match[1].lower(), match[2].lower(), match[3]
        if kind == "*" and sub != "*":
            raise BadAccept(f"Accept header: {part.strip()!r} is not a media range")
        q = 1.0
        for param in filter(None, (p.strip() for p in params.split(";"))):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                value = value.strip()
                if not _Q.match(value):
                    raise BadAccept(f"Accept header: q={value!r} in {part.strip()!r} is not a number from 0 to 1")
                q = float(value)
        ranges.append(MediaRange(kind, sub, q))
    return tuple(ranges)


def _quality(offer: Offer, ranges: tuple[MediaRange, ...]) -> float:
    """The q of the most specific range matching the offer's media type; an alias counts only
    when named exactly (``application/*`` must not pick Turtle through application/x-turtle)."""
    best = 0.0
    for index, media_type in enumerate(offer.media_types):
        matching = [(r.specificity(media_type), r.q) for r in ranges if r.specificity(media_type) >= (0 if index == 0 else 2)]
        if matching:
            best = max(best, max(matching)[1])
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

