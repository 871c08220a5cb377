"""SHACL validation of the data against the project's shapes, as a typed report.

pyshacl runs with the ontology as ``ont_graph`` (so class hierarchies are known),
no inference, and ``advanced=True`` (SHACL-SPARQL constraints and rules). Results of
severity sh:Warning or sh:Info are reported but do not break conformance.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from ..duplicates import FACT_CLASSES, Duplicate, find_duplicates
from ..export import serialize_graph
from ..terms import label, short, term_json
from ..vocab import PREFIXES


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with the data file(s) its focus node is stated in."""

    focus: Node
    focus_label: str | None
    path: Node | None
    value: Node | None
    message: str
    severity: str
    """Local name of the severity: Violation, Warning or Info."""
    source_shape: Node | None
    shape_name: str | None
    """The source shape as a prefixed name; for a blank-node property shape, its node shape's."""
    component: Node | None
    files: tuple[Path, ...]


@dataclass(frozen=True)
class ValidationReport:
    """Whether the data conforms, and every result, sorted by file, focus, path, message."""

    conforms: bool
    violations: tuple[Violation, ...]
    results_graph: Graph


def validate(
    *,
    data: Graph,
    ontology: Graph,
    shapes: Graph,
    stated_in_file: Mapping[Node, tuple[Path, ...]] | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes``; ``stated_in_file`` maps subjects to their files."""
    from pyshacl import validate as pyshacl_validate  # imported when used: it is slow to import

    _conforms, results, _text = pyshacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    files = stated_in_file or {}
    labels = data + ontology
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=focus,
                focus_label=label(labels, focus),
                path=results.value(result, SH.resultPath),
                value=results.value(result, SH.value),
                message=" ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage))),
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                source_shape=results.value(result, SH.sourceShape),
                shape_name=_shape_name(shapes, results.value(result, SH.sourceShape)),
                component=results.value(result, SH.sourceConstraintComponent),
                files=files.get(focus, ()),
            )
        )
    report = ValidationReport(conforms=True, violations=(), results_graph=results)
    facts = {row[0] for row in _select(ontology, FACT_CLASSES)[1]} if ontology is not None else set()
    duplicates = find_duplicates(lambda text: _select(data, text), files, fact_classes=facts)
    return add_duplicates(report, duplicates, violations=violations)


def _select(graph: Graph, text: str) -> tuple[tuple[str, ...], list[tuple[Node | None, ...]]]:
    answer = graph.query(text, initNs=PREFIXES)
    variables = tuple(str(v) for v in answer.vars)
    return variables, [tuple(row[v] if v in row.labels else None for v in variables) for row in answer]


def add_duplicates(
    report: ValidationReport, duplicates: tuple[Duplicate, ...], *, violations: list[Violation] | None = None
) -> ValidationReport:
    """``report`` (plus ``violations``) with a Violation, and an sh:ValidationResult in its
    results graph, for each duplicate entity; sorted as every report is."""
    results = report.results_graph
    merged = list(report.violations) + list(violations or ())
    for duplicate in duplicates:
        violation = Violation(
            focus=duplicate.first,
            focus_label=None,
            path=None,
            value=duplicate.second,
            message=duplicate.message,
            severity="Violation",
            source_shape=None,
            shape_name=None,
            component=None,
            files=duplicate.files,
        )
        merged.append(violation)
        _add_result(results, violation)
    merged.sort(key=lambda v: (tuple(map(str, v.files)), short(v.focus), short(v.path), v.message, short(v.value)))
    conforms = not any(v.severity == "Violation" for v in merged)
    if not conforms:
        for node in results.subjects(RDF.type, SH.ValidationReport):
            results.set((node, SH.conforms, Literal(False)))
    return ValidationReport(conforms=conforms, violations=tuple(merged), results_graph=results)


def _add_result(results: Graph, violation: Violation) -> None:
    """A duplicate as an sh:ValidationResult of the report graph (SHACL 3.6)."""
    report = results.value(None, RDF.type, SH.ValidationReport)
    if report is None:
        report = BNode()
        results.add((report, RDF.type, SH.ValidationReport))
    node = BNode()
    results.add((report, SH.result, node))
    results.add((node, RDF.type, SH.ValidationResult))
    results.add((node, SH.focusNode, violation.focus))
    results.add((node, SH.value, violation.value))
    results.add((node, SH.resultSeverity, SH.Violation))
    results.add((node, SH.resultMessage, Literal(violation.message)))


def _shape_name(shapes: Graph, shape: Node | None) -> str | None:
    """A stable name for a shape: its IRI, or the IRI of the node shape holding a blank one."""
    seen = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        shape = shapes.value(None, SH.property, shape) or shapes.value(None, SH.node, shape)
    return short(shape) if isinstance(shape, URIRef) else None


def render_text(report: ValidationReport) -> str:
    """One line per result, then a summary line::

        data/x/facts.ttl: Violation: rgd:v1 "A visit": rg:year: <message> (value: 20x1; shape: rg:VisitShape)
    """
    lines = []
    for v in report.violations:
        where = ", ".join(str(f) for f in v.files) or "(no data file)"
        focus = short(v.focus) + (f' "{v.focus_label}"' if v.focus_label else "")
        details = [f"value: {short(v.value)}"] if v.value is not None else []
        if v.shape_name is not None:
            details.append(f"shape: {v.shape_name}")
        path = f" {short(v.path)}:" if v.path is not None else ""
        lines.append(f"{where}: {v.severity}: {focus}:{path} {v.message}" + (f" ({'; '.join(details)})" if details else ""))
    count = sum(1 for v in report.violations if v.severity == "Violation")
    lines.append("conforms" if report.conforms else f"does not conform: {count} violation{'s' * (count != 1)}")
    return "\n".join(lines) + "\n"


def render_json(report: ValidationReport) -> str:
    """The report as JSON: ``conforms`` and ``violations`` (terms as SPARQL-JSON term objects)."""
    return json.dumps(
        {
            "conforms": report.conforms,
            "violations": [
                {
                    "focus": term_json(v.focus),
                    "focusLabel": v.focus_label,
                    "path": term_json(v.path),
                    "value": term_json(v.value),
                    "message": v.message,
                    "severity": v.severity,
                    "sourceShape": term_json(v.source_shape),
                    "shapeName": v.shape_name,
                    "component": term_json(v.component),
                    "files": [str(f) for f in v.files],
                }
                for v in report.violations
            ],
        },
        indent=2,
        ensure_ascii=False,
    ) + "\n"


def render_turtle(report: ValidationReport) -> str:
    """The SHACL validation report graph, as deterministic Turtle."""
    return serialize_graph(report.results_graph, format="turtle").decode("utf-8")
