"""Validating only what changed: the focus nodes an edit can affect, against a report of the
graph before the edit.

A constraint of relgraph's shapes reads its focus node's own triples and walks at most
three edges out from it (``rg:statedIn/oa:hasSelector/oa:exact`` in rgsh:Sourced, the
classes of values in sh:class). So a changed triple can change the verdict only for its
subject and object and for the nodes that reach them in up to ``hops`` edges (default 3).
Those nodes are validated again with pyshacl on the part of the graph their constraints can
see (``hops`` edges out, plus the ontology), keeping only their results (the other nodes of
that part lack some of their own surroundings); every other result of the previous report is
kept as it was. pyshacl's own ``focus_nodes`` option is not used: in pyshacl 0.40 it also
filters the values that sh:or / sh:node shapes are evaluated on, so those constraints pass.

Blank-node focus nodes cannot be named to pyshacl: an edit touching one validates the
whole graph instead (relgraph's data has none).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..terms import short
from .reference import ValidationReport, validate

DEFAULT_HOPS = 3


@dataclass(frozen=True)
class IncrementalValidation:
    """The new report, and what it took to make it."""

    report: ValidationReport
    changed_triples: int
    focus_nodes: int
    """Nodes validated again (0 when nothing changed)."""
    seconds: float
    full: bool
    """True if the whole graph was validated (a blank node was touched)."""


def affected_nodes(before: Graph, after: Graph, *, hops: int = DEFAULT_HOPS) -> tuple[set[Node], int]:
    """The nodes whose validation an edit from ``before`` to ``after`` can change, and the
    number of changed triples."""
    changed = (set(before) - set(after)) | (set(after) - set(before))
    frontier = {t for s, _p, o in changed for t in (s, o) if not isinstance(t, Literal)}
    affected = set(frontier)
    for _ in range(hops):
        reached = set()
        for graph in (before, after):
            for node in frontier:
                reached.update(graph.subjects(None, node))
        frontier = reached - affected
        affected |= reached
        if not frontier:
            break
    return affected, len(changed)


def neighbourhood(graph: Graph, nodes: set[Node], *, hops: int = DEFAULT_HOPS) -> Graph:
    """Every triple of ``graph`` whose subject is within ``hops`` edges out of ``nodes``."""
    result = Graph()
    frontier, seen = set(nodes), set(nodes)
    for _ in range(hops + 1):
        reached = set()
        for node in frontier:
            for triple in graph.triples((node, None, None)):
                result.add(triple)
                if not isinstance(triple[2], Literal) and triple[2] not in seen:
                    reached.add(triple[2])
        seen |= reached
        frontier = reached
    return result


def validate_changes(
    *,
    before: Graph,
    after: Graph,
    previous: ValidationReport,
    ontology: Graph,
    shapes: Graph,
    stated_in_file: Mapping[Node, tuple[Path, ...]] | None = None,
    hops: int = DEFAULT_HOPS,
) -> IncrementalValidation:
    """The report of ``after``, from ``previous`` (the report of ``before``), validating
    again only the focus nodes the edit can affect. The same report as
    ``validate(data=after, …)`` gives (tests/test_incremental_validation.py)."""
    started = time.perf_counter()
    affected, changed = affected_nodes(before, after, hops=hops)
    if not changed:
        return IncrementalValidation(previous, 0, 0, time.perf_counter() - started, False)
    if any(isinstance(node, BNode) for node in affected):
        report = validate(data=after, ontology=ontology, shapes=shapes, stated_in_file=stated_in_file)
        return IncrementalValidation(report, changed, len(affected), time.perf_counter() - started, True)
    focus = sorted(node for node in affected if isinstance(node, URIRef))
    part = neighbourhood(after, set(focus), hops=hops)
    kept = [v for v in previous.violations if v.focus not in affected]
    fresh_report = None
    if len(part):
        fresh_report = validate(data=part, ontology=ontology, shapes=shapes, stated_in_file=stated_in_file)
    fresh = [v for v in fresh_report.violations if v.focus in affected] if fresh_report is not None else []
    violations = sorted(
        kept + fresh,
        key=lambda v: (tuple(map(str, v.files)), short(v.focus), short(v.path), v.message, short(v.value)),
    )
    conforms = not any(v.severity == "Violation" for v in violations)
    results = _merged_results(previous.results_graph, fresh_report.results_graph if fresh_report else Graph(), affected, conforms)
    report = ValidationReport(conforms=conforms, violations=tuple(violations), results_graph=results)
    return IncrementalValidation(report, changed, len(focus), time.perf_counter() - started, False)


def _merged_results(previous: Graph, fresh: Graph, affected: set[Node], conforms: bool) -> Graph:
    """The SHACL report graph: ``previous``'s results outside ``affected``, then ``fresh``'s."""
    merged = Graph()
    report = BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    merged.add((report, SH.conforms, Literal(conforms)))
    for graph, keep in ((previous, lambda f: f not in affected), (fresh, lambda f: f in affected)):
        for result in graph.subjects(RDF.type, SH.ValidationResult):
            if keep(graph.value(result, SH.focusNode)):
                merged.add((report, SH.result, result))
                _copy_tree(graph, result, merged)
    return merged


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """``node``'s triples and those of the blank nodes under it (a result's details)."""
    for s, p, o in source.triples((node, None, None)):
        target.add((s, p, o))
        if isinstance(o, BNode):
            _copy_tree(source, o, target)
