"""SHACL validation inside a store: the shapes translated to SPARQL, run where the data is.

pyshacl walks an rdflib graph focus node by focus node, which does not scale to millions
of triples. Here each constraint of each shape becomes one SPARQL SELECT that returns the
focus nodes (and values) violating it, run over the store's ontology and asserted graphs
(no inferred triples, as pyshacl runs with ``inference="none"``).

Supported, from SHACL Core (https://www.w3.org/TR/shacl/), which is all relgraph's shapes use:

* targets (2.1.3): ``sh:targetClass`` (instances of subclasses included), ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``;
* property paths (2.3.1): a predicate, ``sh:inversePath`` of one, or a sequence of those;
* value type (4.1): ``sh:class``, ``sh:datatype`` (a literal that is ill-formed for
  xsd:date, dateTime, gYear, gYearMonth, integer, decimal, double, boolean fails it, as
  in pyshacl: this uses Oxigraph's casts to those types);
* cardinality (4.2): ``sh:minCount``, ``sh:maxCount``;
* value range (4.3): ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``,
  ``sh:maxExclusive``;
* string (4.4): ``sh:pattern`` (with ``sh:flags``), ``sh:languageIn``, ``sh:uniqueLang``;
* property pair (4.5): ``sh:disjoint``; logical (4.6): ``sh:or`` of value shapes;
  shape-based (4.7): ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount``; other (4.8): ``sh:in``;
* SHACL-SPARQL (5): ``sh:sparql`` SELECT constraints with ``$this`` and ``sh:prefixes``.

A *value shape* (in ``sh:or`` or ``sh:qualifiedValueShape``) may use sh:datatype,
sh:pattern, sh:languageIn, sh:in, sh:class and the value-range parameters. Anything else
(sh:node, sh:not, sh:and, sh:xone, sh:equals, sh:lessThan, sh:nodeKind, sh:hasValue,
sh:closed, SPARQL-based constraint components, complex paths, ...) raises
:class:`UnsupportedShapes` naming it, so a caller can fall back to pyshacl.
tests/test_incremental_validation.py checks that the report
equals pyshacl's on every fixture of tests/fixtures/shapes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from ..errors import RelgraphError
from ..results import QueryResult
from ..stores.base import Store
from ..stores.convert import nt_term
from ..terms import label, short
from ..duplicates import FACT_CLASSES, find_duplicates
from .reference import ValidationReport, Violation, _shape_name, add_duplicates
from ..vocab import GRAPH_ASSERTED, GRAPH_ONTOLOGY

_WELL_FORMED = frozenset({XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.integer, XSD.decimal, XSD.double, XSD.boolean})
_TARGET = {
    SH.targetClass: "{{ ?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {0} }}",
    SH.targetSubjectsOf: "{{ ?this {0} ?target_ }}",
    SH.targetObjectsOf: "{{ ?target_ {0} ?this }}",
    SH.targetNode: "{{ BIND ({0} AS ?this) }}",
}
_SHAPE_KEYS = frozenset({
    SH.path, SH.message, SH.name, SH.description, SH.property, SH.sparql, SH.severity, SH.deactivated,
    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.minCount, SH.maxCount,
    SH["class"], SH.datatype, SH.pattern, SH.flags, SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH.languageIn, SH.uniqueLang, SH.disjoint, SH["or"], SH["in"], SH.qualifiedValueShape,
    SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.order, SH.group, SH.declare, RDF.type,
}) | {RDFS.comment, RDFS.label, SKOS.definition, OWL.deprecated}
_VALUE_SHAPE_KEYS = frozenset({
    SH.datatype, SH.pattern, SH.flags, SH.languageIn, SH["in"], SH["class"], SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive, SH.message, SH.name, SH.description, RDF.type,
}) | {RDFS.comment, RDFS.label, SKOS.definition, OWL.deprecated}
_VALUE_PARAMETERS = frozenset({
    SH.datatype, SH.pattern, SH.languageIn, SH["in"], SH["class"], SH.minInclusive, SH.maxInclusive,
    SH.minExclusive, SH.maxExclusive,
})
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}


class UnsupportedShapes(RelgraphError):
    """The shapes use SHACL features that in-store validation does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SPARQL query returning ``?this`` (and ``?value``)."""

    shape: Node
    """The shape reported as sh:sourceShape (the node shape, for a SPARQL constraint)."""
    component: URIRef
    path: Node | None
    message: str
    severity: str
    query: str
    targets: tuple[tuple[URIRef, Node], ...] = ()
    """(target parameter, value) pairs: the check can fire only if one of them has nodes."""
    constraint: Node | None = None
    """The sh:SPARQLConstraint, for a SHACL-SPARQL check."""


def _iri(term: Node) -> str:
    return nt_term(term)


def _path(shapes: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return _iri(path)
    inverse = shapes.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return "^" + _iri(inverse)
    if shapes.value(path, RDF.first) is not None:
        return "/".join(_path(shapes, step) for step in Collection(shapes, path))
    raise UnsupportedShapes(f"property path {path} (only predicates, sh:inversePath and sequences)")


def value_condition(shapes: Graph, shape: Node, var: str) -> str:
    """A SPARQL expression true when ``var`` conforms to the value shape ``shape``."""
    unknown = set(shapes.predicates(shape)) - _VALUE_SHAPE_KEYS
    if unknown:
        raise UnsupportedShapes(f"value shape {short(shape)} uses {', '.join(sorted(short(k) for k in unknown))}")
    return " && ".join(_conditions(shapes, shape, var)) or "true"


def _conditions(shapes: Graph, shape: Node, var: str) -> list[str]:
    """Expressions (each true when ``var`` passes one parameter of ``shape``)."""
    parts = []
    for datatype in shapes.objects(shape, SH.datatype):
        parts.append(_datatype_ok(datatype, var))
    for pattern in shapes.objects(shape, SH.pattern):
        flags = shapes.value(shape, SH.flags)
        flag_arg = f", {nt_term(Literal(str(flags)))}" if flags is not None else ""
        parts.append(f"(!isBlank({var}) && REGEX(STR({var}), {nt_term(Literal(str(pattern)))}{flag_arg}))")
    for languages in shapes.objects(shape, SH.languageIn):
        tests = " || ".join(f"langMatches(LANG({var}), {nt_term(Literal(str(t)))})" for t in Collection(shapes, languages))
        parts.append(f"(isLiteral({var}) && ({tests or 'false'}))")
    for members in shapes.objects(shape, SH["in"]):
        parts.append(f"({var} IN ({', '.join(nt_term(m) for m in Collection(shapes, members))}))")
    for cls in shapes.objects(shape, SH["class"]):
        parts.append(f"EXISTS {{ {var} a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {_iri(cls)} }}")
    for parameter, operator in _COMPARISONS.items():
        for bound in shapes.objects(shape, parameter):
            parts.append(f"COALESCE({var} {operator} {nt_term(bound)}, false)")
    return parts


def _datatype_ok(datatype: Node, var: str) -> str:
    test = f"(isLiteral({var}) && DATATYPE({var}) = {_iri(datatype)}"
    if datatype in _WELL_FORMED:
        test += f" && COALESCE(sameTerm({_iri(datatype)}(STR({var})), {var}) || {_iri(datatype)}(STR({var})) = {var}, false)"
    return test + ")"


def _target_pairs(shapes: Graph, node_shapes: list[Node]) -> tuple[tuple[URIRef, Node], ...]:
    return tuple((kind, target) for node_shape in node_shapes for kind in _TARGET for target in sorted(shapes.objects(node_shape, kind)))


def _targets(shapes: Graph, node_shapes: list[Node]) -> str | None:
    parts = [_TARGET[kind].format(_iri(target)) for kind, target in _target_pairs(shapes, node_shapes)]
    if not parts:
        return None
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def compile_shapes(shapes: Graph) -> tuple[Check, ...]:
    """Every constraint of ``shapes`` as a :class:`Check`; UnsupportedShapes if one cannot be."""
    checks: list[Check] = []
    node_shapes = sorted(
        {s for s in shapes.subjects(RDF.type, SH.NodeShape)} | {s for k in _TARGET for s in shapes.subjects(k, None)},
        key=str,
    )
    owners: dict[Node, list[Node]] = {}
    for node_shape in node_shapes:
        if shapes.value(node_shape, SH.deactivated) == Literal(True):
            continue
        unknown = set(shapes.predicates(node_shape)) - _SHAPE_KEYS - {SH.path}
        if unknown:
            raise UnsupportedShapes(f"shape {short(node_shape)} uses {', '.join(sorted(short(k) for k in unknown))}")
        for prop in shapes.objects(node_shape, SH.property):
            owners.setdefault(prop, []).append(node_shape)
        targets = _targets(shapes, [node_shape])
        if targets is None:
            continue
        pairs = _target_pairs(shapes, [node_shape])
        for constraint in sorted(shapes.objects(node_shape, SH.sparql), key=str):
            checks.append(replace(_sparql_check(shapes, node_shape, constraint, targets), targets=pairs))
        direct = set(shapes.predicates(node_shape)) & _VALUE_PARAMETERS
        if direct:
            checks.extend(replace(c, targets=pairs) for c in _property_checks(shapes, node_shape, targets, path=None))
    for prop, owned_by in sorted(owners.items(), key=lambda item: str(item[0])):
        if shapes.value(prop, SH.deactivated) == Literal(True):
            continue
        unknown = set(shapes.predicates(prop)) - _SHAPE_KEYS
        if unknown:
            raise UnsupportedShapes(f"shape {short(prop)} uses {', '.join(sorted(short(k) for k in unknown))}")
        targets = _targets(shapes, owned_by)
        if targets is not None:
            pairs = _target_pairs(shapes, owned_by)
            checks.extend(replace(c, targets=pairs) for c in _property_checks(shapes, prop, targets, path=shapes.value(prop, SH.path)))
    return tuple(checks)


def _message(shapes: Graph, node: Node, default: str) -> str:
    messages = sorted(str(m) for m in shapes.objects(node, SH.message))
    return " ".join(messages) if messages else default


def _severity(shapes: Graph, node: Node) -> str:
    severity = shapes.value(node, SH.severity)
    return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"


def _property_checks(shapes: Graph, shape: Node, targets: str, *, path: Node | None) -> list[Check]:
    """The checks of the parameters of ``shape`` (a property shape, or a node shape with
    value parameters when ``path`` is None: the focus node is then its own value)."""
    step = _path(shapes, path) if path is not None else None
    values = f"?this {step} ?value ." if step else "BIND (?this AS ?value)"
    checks = []

    def add(component: URIRef, where: str, default: str, *, with_value: bool = True) -> None:
        select = "SELECT DISTINCT ?this ?value" if with_value else "SELECT DISTINCT ?this"
        checks.append(
            Check(
                shape=shape,
                component=component,
                path=path,
                message=_message(shapes, shape, default),
                severity=_severity(shapes, shape),
                query=f"{select} WHERE {{ {targets} {where} }}",
            )
        )

    count = f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {targets} OPTIONAL {{ {values} }} }} GROUP BY ?this }}"
    for minimum in shapes.objects(shape, SH.minCount):
        add(SH.MinCountConstraintComponent, f"{count} FILTER (?count < {int(minimum)})", f"fewer than {minimum} values", with_value=False)
    for maximum in shapes.objects(shape, SH.maxCount):
        add(SH.MaxCountConstraintComponent, f"{count} FILTER (?count > {int(maximum)})", f"more than {maximum} values", with_value=False)
    for parameter, component in (
        (SH["class"], SH.ClassConstraintComponent),
        (SH.datatype, SH.DatatypeConstraintComponent),
        (SH.pattern, SH.PatternConstraintComponent),
        (SH.languageIn, SH.LanguageInConstraintComponent),
        (SH["in"], SH.InConstraintComponent),
        (SH.minInclusive, SH.MinInclusiveConstraintComponent),
        (SH.maxInclusive, SH.MaxInclusiveConstraintComponent),
        (SH.minExclusive, SH.MinExclusiveConstraintComponent),
        (SH.maxExclusive, SH.MaxExclusiveConstraintComponent),
    ):
        for value in shapes.objects(shape, parameter):
            single = Graph()
            single.add((BNode("v"), parameter, value))
            for extra in (SH.flags,) if parameter == SH.pattern else ():
                for flag in shapes.objects(shape, extra):
                    single.add((BNode("v"), extra, flag))
            for triple in shapes.triples((None, None, None)) if parameter in (SH.languageIn, SH["in"]) else ():
                single.add(triple)  # the RDF list the parameter points to
            condition = " && ".join(_conditions(single, BNode("v"), "?value"))
            add(component, f"{values} FILTER (!({condition}))", f"value does not satisfy {short(parameter)}")
    for other in shapes.objects(shape, SH.disjoint):
        add(SH.DisjointConstraintComponent, f"{values} ?this {_iri(other)} ?value .", f"value also a value of {short(other)}")
    for alternatives in shapes.objects(shape, SH["or"]):
        options = [f"COALESCE({value_condition(shapes, s, '?value')}, false)" for s in Collection(shapes, alternatives)]
        add(SH.OrConstraintComponent, f"{values} FILTER (!({' || '.join(options) or 'false'}))", "value conforms to none of sh:or")
    if shapes.value(shape, SH.uniqueLang) == Literal(True):
        where = f"?this {step} ?value , ?other . FILTER (LANG(?value) != \"\" && LANG(?value) = LANG(?other) && ?value != ?other)"
        add(SH.UniqueLangConstraintComponent, where, "more than one value per language", with_value=False)
    qualified = shapes.value(shape, SH.qualifiedValueShape)
    if qualified is not None:
        condition = value_condition(shapes, qualified, "?value")
        conforming = (
            f"{{ SELECT ?this (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {targets} "
            f"OPTIONAL {{ {values} FILTER (COALESCE({condition}, false)) }} }} GROUP BY ?this }}"
        )
        for minimum in shapes.objects(shape, SH.qualifiedMinCount):
            add(SH.QualifiedMinCountConstraintComponent, f"{conforming} FILTER (?count < {int(minimum)})", "too few conforming values", with_value=False)
        for maximum in shapes.objects(shape, SH.qualifiedMaxCount):
            add(SH.QualifiedMaxCountConstraintComponent, f"{conforming} FILTER (?count > {int(maximum)})", "too many conforming values", with_value=False)
    return checks


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_NOT_EXISTS_ONLY = re.compile(
    r"^\s*SELECT\s+\$this\s+WHERE\s*\{\s*FILTER\s+NOT\s+EXISTS\s*\{(?P<pattern>[^{}]*)\}\s*\}\s*$",
    re.IGNORECASE,
)


def _sparql_check(shapes: Graph, node_shape: Node, constraint: Node, targets: str) -> Check:
    select = shapes.value(constraint, SH.select)
    if select is None:
        raise UnsupportedShapes(f"SPARQL constraint {short(constraint)} without sh:select")
    prologue = ""
    for declared in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declared, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            prologue += f"PREFIX {prefix}: <{namespace}>\n"
    text = str(select)
    simple = _NOT_EXISTS_ONLY.match(text)
    if simple and "$this" in simple["pattern"]:
        # SELECT $this WHERE { FILTER NOT EXISTS { P } }, P a basic pattern binding $this:
        # MINUS gives the same answer here (the only variable the two sides share is
        # ?this, bound on both), and Oxigraph 0.5 plans it far better (5 ms against 10 s
        # for rgsh:Sourced on a 10k-triple world).
        text = f"SELECT $this WHERE {{ MINUS {{ {simple['pattern']} }} }}"
    text = text.replace("$this", "?this")
    match = _WHERE.search(text)
    if match is None:
        raise UnsupportedShapes(f"SPARQL constraint {short(constraint)}: no WHERE {{ … }}")
    # The targets come first in the WHERE, so ?this is bound wherever the query uses it
    # (as pre-binding does in SHACL-SPARQL, 5.3.1), FILTER NOT EXISTS included.
    text = text[: match.end()] + f" {targets} " + text[match.end() :]
    return Check(
        shape=node_shape,
        component=SH.SPARQLConstraintComponent,
        path=None,
        message=_message(shapes, constraint, "SPARQL constraint"),
        severity=_severity(shapes, constraint),
        query=prologue + text,
        constraint=constraint,
    )


def _select(store: Store, text: str, graphs: tuple[URIRef, ...]) -> QueryResult:
    """``text`` over the union of ``graphs``, read so that validation can run while reasoning
    writes the inferred graph beside, where the store allows it (:meth:`Store.select_snapshot`;
    validation reads the ontology and asserted graphs only)."""
    return store.select_snapshot(text, graphs=graphs)


def _present(store: Store):
    """A test of whether a target (class, predicate or node) has any node in the store's
    asserted data: two DISTINCT queries, so checks with nothing to target are not run."""
    graphs = (GRAPH_ONTOLOGY, GRAPH_ASSERTED)
    # Over the union of ontology and asserted graphs (a remote store may expose no named
    # graphs once default-graph-uri is given); the ontology's own terms only add checks.
    # the classes of the nodes and their superclasses; the types are found first, so the path
    # starts from those only (``?sub rdfs:subClassOf* ?sup`` unbound matches every node itself)
    classes = {row[0] for row in _select(
        store, "SELECT DISTINCT ?class WHERE { { SELECT DISTINCT ?t WHERE { ?x a ?t } } ?t rdfs:subClassOf* ?class }", graphs,
    ).rows}
    predicates = {row[0] for row in _select(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }", graphs).rows}

    def present(kind: URIRef, target: Node) -> bool:
        if kind == SH.targetClass:
            return target in classes
        if kind in (SH.targetSubjectsOf, SH.targetObjectsOf):
            return target in predicates
        return True

    return present


def validate_in_store(
    store: Store,
    *,
    shapes: Graph,
    stated_in_file: Mapping[Node, tuple[Path, ...]] | None = None,
    with_labels: bool = True,
    checks: tuple[Check, ...] | None = None,
    check_complete: bool = True,
) -> ValidationReport:
    """Validate the store's asserted graph (with its ontology) against ``shapes``.

    The same report as :func:`relgraph.validation.reference.validate` gives for shapes within the
    supported subset; UnsupportedShapes otherwise. ``with_labels`` looks up each focus
    node's label (one query per violation; turn off for huge reports). ``checks`` are
    :func:`compile_shapes` of ``shapes``, when the caller keeps them between runs.
    ``check_complete=False`` is for a build that checked the store itself and validates
    while its reasoning writes the inferred graph (which validation does not read).
    """
    if check_complete:
        store.check_complete()
    files = stated_in_file or {}
    checks = checks if checks is not None else compile_shapes(shapes)
    violations: list[Violation] = []
    results = Graph()
    present = _present(store)
    for check in checks:
        if not any(present(kind, target) for kind, target in check.targets):
            continue  # no node is targeted: the check cannot fire
        answer = _select(store, check.query, (GRAPH_ONTOLOGY, GRAPH_ASSERTED))
        for row in answer.rows:
            found = dict(zip(answer.variables, row))
            focus = found.get("this")
            value = found.get("value")
            if value is None and check.constraint is not None:
                value = focus  # SHACL-SPARQL 5.3.2: without ?value, the focus node is the value
            violations.append(
                Violation(
                    focus=focus,
                    focus_label=_label(store, focus) if with_labels else None,
                    path=check.path if check.path is not None else found.get("path"),
                    value=value,
                    message=check.message,
                    severity=check.severity,
                    source_shape=check.shape,
                    shape_name=_shape_name(shapes, check.shape),
                    component=check.component,
                    files=files.get(focus, ()),
                )
            )
            _add_result(results, violations[-1], check, shapes)
    violations.sort(key=lambda v: (tuple(map(str, v.files)), short(v.focus), short(v.path), v.message, short(v.value)))
    conforms = not any(v.severity == "Violation" for v in violations)
    if not results:  # a report without results is still a report (SHACL 3.6.1), as pyshacl writes it
        results.add((BNode(), RDF.type, SH.ValidationReport))
    results.add((results.value(None, RDF.type, SH.ValidationReport), SH.conforms, Literal(conforms)))
    report = ValidationReport(conforms=conforms, violations=tuple(violations), results_graph=results)

    def select(text: str):
        answer = _select(store, text, (GRAPH_ASSERTED,))
        return answer.variables, answer.rows

    facts = {row[0] for row in _select(store, FACT_CLASSES, (GRAPH_ONTOLOGY,)).rows}
    return add_duplicates(report, find_duplicates(select, files, fact_classes=facts))


def label_violations(store: Store, report: ValidationReport) -> ValidationReport:
    """``report`` with the label of each violation's focus node looked up in ``store`` (for
    a report made ``with_labels=False``)."""
    labelled = tuple(replace(v, focus_label=_label(store, v.focus)) for v in report.violations)
    return replace(report, violations=labelled)


def _label(store: Store, node: Node | None) -> str | None:
    if not isinstance(node, (URIRef, BNode)) or isinstance(node, BNode):
        return None
    answer = store.sparql("SELECT ?node ?label WHERE { ?node rdfs:label ?label }", bindings={"node": node})
    graph = Graph()
    for _node, value in answer.rows:
        graph.add((node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), value))
    return label(graph, node)


def _add_result(results: Graph, violation: Violation, check: Check, shapes: Graph) -> None:
    """The violation as an sh:ValidationResult in the report graph (SHACL 3.6); its messages
    are the shape's own sh:message literals, language and all, as pyshacl reports them."""
    if not results:
        results.add((BNode(), RDF.type, SH.ValidationReport))
    report = results.value(None, RDF.type, SH.ValidationReport)
    node = BNode()
    results.add((report, SH.result, node))
    results.add((node, RDF.type, SH.ValidationResult))
    results.add((node, SH.focusNode, violation.focus))
    results.add((node, SH.resultSeverity, SH[violation.severity]))
    messages = sorted(shapes.objects(check.constraint if check.constraint is not None else check.shape, SH.message))
    for message in messages or [Literal(violation.message)]:
        results.add((node, SH.resultMessage, message))
    results.add((node, SH.sourceShape, check.shape))
    results.add((node, SH.sourceConstraintComponent, check.component))
    if check.constraint is not None:
        results.add((node, SH.sourceConstraint, check.constraint))
    if violation.path is not None:
        results.add((node, SH.resultPath, violation.path))
    if violation.value is not None:
        results.add((node, SH.value, violation.value))
