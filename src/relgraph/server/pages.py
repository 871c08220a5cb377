"""HTML pages, rendered from Jinja templates shipped in the package (escaped, deterministic)."""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import URIRef

from .. import __version__
from ..formats import RDF_FORMATS
from ..queries import StoredQuery
from ..vocab import PREFIXES, RG, RGD
from ..pairs import Document
from .linked_data import ResourceView, link, path_for_iri
from .negotiation import GRAPH_OFFERS, RESULT_OFFERS
from .search import Hit
from .served import ServedGraph


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment (one per process; templates are read once)."""
    return Environment(
        loader=PackageLoader("relgraph.server", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(template: str, **context) -> bytes:
    return environment().get_template(template).render(version=__version__, **context).encode("utf-8")


def _rdf_links(path: str) -> tuple[tuple[str, str, str], ...]:
    """(label, href, media type) of each RDF rendering of the resource at ``path``."""
    names = {o.name for o in GRAPH_OFFERS}
    return tuple((f.name, path + f.suffix, f.media_type) for f in RDF_FORMATS if f.name in names)


def render_resource(view: ResourceView, *, graph: ServedGraph) -> bytes:
    """The page of one resource."""
    path = path_for_iri(URIRef(view.resource.iri)) or "/"
    return _render(
        "resource.html",
        view=view,
        path=path,
        rdf_links=_rdf_links(path),
        languages=graph.languages,
    )


def render_search(text: str, hits: tuple[Hit, ...], *, error: str | None = None, lang: str, languages) -> bytes:
    """The search page, with the hits for ``text`` (if any)."""
    return _render("search.html", text=text, hits=hits, error=error, lang=lang, languages=languages)


def _param(iri: URIRef) -> str:
    """A state as a parameter value: its name under rgd: (``japan``), else the whole IRI."""
    name = str(iri)[len(str(RGD)):] if str(iri).startswith(str(RGD)) else ""
    return name if name and "/" not in name else str(iri)


def _pair_view(labels: ServedGraph, pair: tuple[URIRef, URIRef]) -> dict:
    """A pair of states for the page: both states as links, and the page and timeline of the pair."""
    a, b = (link(labels.dataset, URIRef(state), "en") for state in pair)
    query = urlencode({"stateA": _param(pair[0]), "stateB": _param(pair[1])})
    return {"a": a, "b": b, "page": f"/?{query}", "timeline": f"/timeline.svg?{query}",
            "spec": f"/timeline.json?{query}", "key": (str(pair[0]), str(pair[1]))}


def render_index(
    queries: tuple[StoredQuery, ...],
    *,
    languages,
    documents: tuple[Document, ...] = (),
    pairs: tuple[tuple[URIRef, URIRef], ...] = (),
    labels: ServedGraph | None = None,
    pair: tuple[str, str] | None = None,
) -> bytes:
    """The home page: the SPARQL editor, the stored queries, the documents and the pairs of
    states they are about, the timeline (of ``pair``, if given), search."""
    config = {
        "namespaces": {"/id/": str(RGD), "/ontology/": str(RG)},
        "prefixes": {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())},
        "formats": {
            "results": [[o.name, o.media_type, o.format.suffix] for o in RESULT_OFFERS],
            "graph": [[o.name, o.media_type, o.format.suffix] for o in GRAPH_OFFERS],
        },
    }
    shown = [_pair_view(labels, p) for p in pairs] if labels is not None else []
    listed = [
        {
            "link": link(labels.dataset, d.iri, "en") if labels is not None else None,
            "title": d.title,
            "pairs": [_pair_view(labels, p) for p in d.pairs] if labels is not None else [],
        }
        for d in documents
    ]
    current = _pair_view(labels, (URIRef(pair[0]), URIRef(pair[1]))) if pair is not None and labels is not None else None
    return _render(
        "index.html",
        queries=[q for q in queries if not q.is_rule] + [q for q in queries if q.is_rule],
        config=json.dumps(config, sort_keys=True),
        languages=languages,
        documents=listed,
        pairs=shown,
        pair=current,
    )


def render_review(data: dict) -> bytes:
    """The review page of a document (``data`` is :func:`relgraph.curation.review.to_json`)."""
    for sentence in data["sentences"]:
        for thing in sentence["curated"]:
            thing["href"] = path_for_iri(URIRef(thing["node"]))
    counts = {
        "sentences": len(data["sentences"]),
        "curated": sum(1 for s in data["sentences"] if s["curated"] or s["noFactReason"] is not None),
        "with_candidates": sum(1 for s in data["sentences"] if s["candidates"]),
        "candidates": len({c["id"] for s in data["sentences"] for c in s["candidates"]} | {c["id"] for c in data["elsewhere"]}),
    }
    return _render("review.html", review=data, counts=counts, document_href=path_for_iri(URIRef(data["document"])))


def render_error(status: int, message: str) -> bytes:
    """A page for an error met while browsing (404 for an unknown resource, say)."""
    return _render("error.html", status=status, message=message)
