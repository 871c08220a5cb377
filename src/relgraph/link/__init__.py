"""Linking the graph to Wikidata-style datasets: alignment, a Wikidata-shaped export,
QuickStatements proposals, reconciliation against a dataset, and a reconciliation service.

The functions here take a loaded project and its inferred graph (``relgraph.inferred_for``);
the modules below hold the parts:

* ``mapping``: the alignment, read from the ontology (``ontology/wikidata-mapping.ttl``);
* ``claims``: the graph as items and claims;
* ``wikidata_export``, ``quickstatements``: the two renderings;
* ``sources``, ``names``, ``reconcile``: ``relgraph link``;
* ``service``: the Reconciliation Service API over the graph's own entities;
* ``lacks``: what a Wikidata-style dataset lacks of the graph's claims (``relgraph link --claims``).
"""

from __future__ import annotations

from datetime import date

from rdflib import Graph

from ..project import LoadedProject
from .claims import Claim, Item, Reference, TimeValue, WikidataView, wikidata_view
from .lacks import CONFLICTING, MISSING, PRESENT, ClaimCheck, ClaimsReport, check_claims, render_claims_csv, render_claims_summary, single_valued
from .mapping import StatementMapping, WikidataMapping
from .quickstatements import Proposal, quickstatements
from .reconcile import (
    DEFAULT_MARGIN,
    DEFAULT_THRESHOLD,
    Candidate,
    EntityProfile,
    EntityResult,
    Feature,
    LinkReport,
    entity_profiles,
    link,
    render_links_turtle,
    render_review_csv,
    render_summary,
)
from .sources import GraphSource, ItemRecord, ItemSource, SparqlSource, open_source
from .wikidata_export import serialize_wikidata, wikidata_graph

PROFILES = ("relgraph", "wikidata", "quickstatements")
"""The export profiles: relgraph's own model, Wikidata's RDF model, QuickStatements commands."""


def _data(loaded: LoadedProject, inferred: Graph) -> Graph:
    data = Graph()
    for graph in (loaded.asserted, inferred):
        for triple in graph:
            data.add(triple)
    return data


def project_view(loaded: LoadedProject, inferred: Graph) -> WikidataView:
    """The items and claims of a project (asserted and inferred triples)."""
    return wikidata_view(ontology=loaded.ontology, data=_data(loaded, inferred))


def export_wikidata(loaded: LoadedProject, inferred: Graph, *, format: str = "turtle") -> bytes:
    """The project in Wikidata's RDF model (``turtle`` or ``nt``), deterministic."""
    return serialize_wikidata(project_view(loaded, inferred), format=format)


def export_quickstatements(loaded: LoadedProject, inferred: Graph, *, version: str, with_implied: bool = False) -> bytes:
    """The QuickStatements proposal of the project, header included, as UTF-8 (the statements
    that rest on context too, each flagged, ``with_implied``)."""
    return quickstatements(project_view(loaded, inferred), with_implied=with_implied).render(version=version).encode("utf-8")


def link_project(
    loaded: LoadedProject,
    inferred: Graph,
    *,
    against: str | ItemSource,
    threshold: int = DEFAULT_THRESHOLD,
    margin: int = DEFAULT_MARGIN,
    today: date,
    method: str,
) -> LinkReport:
    """Reconcile the project's entities against a dataset: :func:`link_graph` over the
    project's ontology and its asserted and inferred triples."""
    return link_graph(
        loaded.ontology, _data(loaded, inferred), against=against, threshold=threshold, margin=margin,
        today=today, method=method,
    )


def link_graph(
    ontology: Graph,
    data: Graph,
    *,
    against: str | ItemSource,
    threshold: int = DEFAULT_THRESHOLD,
    margin: int = DEFAULT_MARGIN,
    today: date,
    method: str,
) -> LinkReport:
    """Reconcile the entities of ``data`` (asserted and inferred triples, as read from a store)
    under ``ontology``'s alignment against a dataset."""
    source = open_source(against) if isinstance(against, str) else against
    view = wikidata_view(ontology=ontology, data=data)
    profiles = entity_profiles(view, WikidataMapping.from_ontology(ontology), data)
    return link(profiles, source, threshold=threshold, margin=margin, today=today, method=method)


def claims_against(ontology: Graph, data: Graph, *, against: str | ItemSource) -> tuple[WikidataView, ClaimsReport]:
    """The items and claims of ``data`` under ``ontology``'s alignment, and each comparable claim
    sorted against the dataset ``against`` into present, missing or conflicting (``lacks``)."""
    source = open_source(against) if isinstance(against, str) else against
    view = wikidata_view(ontology=ontology, data=data)
    return view, check_claims(view, source, single=single_valued(ontology))


__all__ = [
    "CONFLICTING",
    "MISSING",
    "PRESENT",
    "ClaimCheck",
    "ClaimsReport",
    "check_claims",
    "claims_against",
    "render_claims_csv",
    "render_claims_summary",
    "DEFAULT_MARGIN",
    "DEFAULT_THRESHOLD",
    "PROFILES",
    "Candidate",
    "Claim",
    "EntityProfile",
    "EntityResult",
    "Feature",
    "GraphSource",
    "Item",
    "ItemRecord",
    "ItemSource",
    "LinkReport",
    "Proposal",
    "Reference",
    "SparqlSource",
    "StatementMapping",
    "TimeValue",
    "WikidataMapping",
    "WikidataView",
    "entity_profiles",
    "export_quickstatements",
    "export_wikidata",
    "link",
    "link_graph",
    "link_project",
    "open_source",
    "project_view",
    "quickstatements",
    "render_links_turtle",
    "render_review_csv",
    "render_summary",
    "serialize_wikidata",
    "wikidata_graph",
    "wikidata_view",
]
