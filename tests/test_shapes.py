"""The SHACL shapes (ontology/shapes.ttl): the project's data conforms, and every constraint fires.

Each fixture in tests/fixtures/shapes/ (all but ``_context.ttl``) is validated together with
``_context.ttl``, a set of valid nodes the fixtures point to. Its header comment says what
the validation must report, and nothing else may be reported::

    # expect-shape: rgsh:Visit-fromState                # sh:sourceShape
    # expect-component: sh:MinCountConstraintComponent  # sh:sourceConstraintComponent
    # expect-constraint: rgsh:Period-attestedWithin      # sh:sourceConstraint (SPARQL only)
    # expect-message: A visit has exactly one ...        # sh:resultMessage

or, for a fixture that must conform, ``# expect-conforms: true``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from relgraph.project import Project
from relgraph.validation.reference import validate

ROOT = Path(__file__).resolve().parent.parent
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "relgraph.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
CONTEXT_FILE = FIXTURES / "_context.ttl"
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.ttl") if p != CONTEXT_FILE)

RG = Namespace("https://w3id.org/relgraph/ontology#")
RGSH = Namespace("https://w3id.org/relgraph/shapes#")
CURIE_NAMESPACES = {"rgsh": RGSH, "sh": SH}

# Parameter of a property shape -> the constraint component it belongs to.
COMPONENT_OF_PARAMETER = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.qualifiedMinCount: SH.QualifiedMinCountConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
}
# Parameters that only configure another one.
AUXILIARY_PARAMETERS = {SH.qualifiedValueShape}


class Result(NamedTuple):
    """What identifies a validation result: the constraint that fired, and its message."""

    shape: Node
    component: Node
    constraint: Node | None
    message: str


def validation_results(data: Graph, *, ontology: Graph, shapes: Graph) -> set[tuple[Node, Result]]:
    """Validate ``data`` as the project does; its results (of every severity), with their focus nodes."""
    report = validate(data=data, ontology=ontology, shapes=shapes)
    results = report.results_graph
    found = {
        (
            results.value(result, SH.focusNode),
            Result(
                shape=results.value(result, SH.sourceShape),
                component=results.value(result, SH.sourceConstraintComponent),
                constraint=results.value(result, SH.sourceConstraint),
                message=" ".join(sorted(str(m) for m in results.objects(result, SH.resultMessage))),
            ),
        )
        for result in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert report.conforms == (not found), "conforms disagrees with the results"
    return found


def curie(text: str) -> URIRef:
    prefix, _, local = text.strip().partition(":")
    return CURIE_NAMESPACES[prefix][local]


def expectations(path: Path) -> dict[str, str]:
    """The ``# expect-<key>: <value>`` lines of a fixture's header."""
    header = re.findall(r"^# expect-([a-z]+): (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(header)


def expected_result(path: Path) -> Result | None:
    """The one result a fixture expects, or None if it must conform."""
    expect = expectations(path)
    if expect.get("conforms") == "true":
        return None
    return Result(
        shape=curie(expect["shape"]),
        component=curie(expect["component"]),
        constraint=curie(expect["constraint"]) if "constraint" in expect else None,
        message=expect["message"],
    )


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(CONTEXT_FILE, format="turtle")


@pytest.fixture(scope="module")
def project_data() -> Graph:
    return Project.discover(ROOT).load().asserted


@pytest.fixture(scope="module")
def project_results(project_data, ontology, shapes) -> set[tuple[Node, Result]]:
    return validation_results(project_data, ontology=ontology, shapes=shapes)


def property_shapes(shapes: Graph) -> set[Node]:
    return set(shapes.objects(None, SH.property))


def sparql_constraints(shapes: Graph) -> set[tuple[Node, Node]]:
    """(node shape, SPARQL constraint) pairs."""
    return set(shapes.subject_objects(SH.sparql))


def declared_constraints(shapes: Graph) -> set[tuple[Node, Node, Node | None]]:
    """Every (shape, component, SPARQL constraint or None) that shapes.ttl can report."""
    declared = set()
    for shape in property_shapes(shapes):
        for parameter in set(shapes.predicates(shape)):
            if parameter in COMPONENT_OF_PARAMETER:
                declared.add((shape, COMPONENT_OF_PARAMETER[parameter], None))
    for shape, constraint in sparql_constraints(shapes):
        declared.add((shape, SH.SPARQLConstraintComponent, constraint))
    return declared


# The project's data.


def test_project_data_conforms(project_results):
    assert project_results == set()


def test_context_of_the_fixtures_conforms(context, ontology, shapes):
    assert validation_results(context, ontology=ontology, shapes=shapes) == set()


# Every fixture reports exactly what it expects.


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_reports_exactly_its_expected_result(path, context, ontology, shapes):
    data = Graph()
    data += context
    data.parse(path, format="turtle")
    expected = expected_result(path)
    reported = {result for _focus, result in validation_results(data, ontology=ontology, shapes=shapes)}
    assert reported == (set() if expected is None else {expected})


def test_fixture_headers_are_complete():
    for path in FIXTURE_FILES:
        expect = expectations(path)
        if expect.get("conforms") == "true":
            assert set(expect) == {"conforms"}, path.name
        else:
            assert {"shape", "component", "message"} <= set(expect) <= {"shape", "component", "constraint", "message"}, path.name


def test_expected_messages_are_those_of_the_shapes(shapes):
    for path in FIXTURE_FILES:
        expected = expected_result(path)
        if expected is not None:
            source = expected.constraint if expected.constraint is not None else expected.shape
            assert expected.message == str(shapes.value(source, SH.message)), path.name


# Meta-tests: the shapes cover the data, and the fixtures cover the shapes.


def test_every_constraint_fires_in_some_fixture(shapes):
    covered = {
        (result.shape, result.component, result.constraint)
        for result in map(expected_result, FIXTURE_FILES)
        if result is not None
    }
    missing = declared_constraints(shapes) - covered
    assert not missing, "constraints without a fixture: " + ", ".join(sorted(f"{s.n3()} {c.n3()}" for s, c, _ in missing))


def test_every_rg_class_used_in_data_has_a_node_shape(project_data, shapes):
    used = {cls for cls in project_data.objects(None, RDF.type) if isinstance(cls, URIRef) and cls.startswith(RG)}
    targeted = set(shapes.objects(None, SH.targetClass))
    assert used, "no rg: class found in data/"
    assert sorted(used - targeted) == []


def test_every_target_class_is_a_class_of_the_ontology(shapes, ontology):
    for cls in shapes.objects(None, SH.targetClass):
        assert (cls, RDF.type, OWL.Class) in ontology, cls


def test_every_constraint_has_an_english_message(shapes):
    for constraint in property_shapes(shapes) | {c for _, c in sparql_constraints(shapes)}:
        messages = list(shapes.objects(constraint, SH.message))
        assert len(messages) == 1, constraint
        assert isinstance(messages[0], Literal) and messages[0].language == "en", constraint


def test_every_shape_and_constraint_has_an_iri(shapes):
    shapes_and_constraints = (
        set(shapes.subjects(RDF.type, SH.NodeShape))
        | set(shapes.subjects(RDF.type, SH.PropertyShape))
        | set(shapes.subjects(SH.path, None))
        | property_shapes(shapes)
        | {c for _, c in sparql_constraints(shapes)}
        | set(shapes.objects(None, SH.qualifiedValueShape))
    )
    for item in shapes_and_constraints:
        assert isinstance(item, URIRef) and item.startswith(RGSH), item
    for shape in property_shapes(shapes):
        assert (shape, RDF.type, SH.PropertyShape) in shapes, shape
        assert set(shapes.predicates(shape)) - {RDF.type, RDFS.comment, SH.path, SH.message} - AUXILIARY_PARAMETERS <= set(
            COMPONENT_OF_PARAMETER
        ), f"{shape}: a parameter the coverage test does not know"


# Dates: ill-formed g-dates and other datatypes are caught.

BAD_DATES = [
    Literal("2006-13", datatype=XSD.gYearMonth),
    Literal("2006-00", datatype=XSD.gYearMonth),
    Literal("2006-4", datatype=XSD.gYearMonth),
    Literal("06", datatype=XSD.gYear),
    Literal("2006-04", datatype=XSD.gYear),
    Literal("2006-04-31", datatype=XSD.date),
    Literal("2006-02-29", datatype=XSD.date),
    Literal("2006-4-1", datatype=XSD.date),
    Literal("2006-04-13T10:00:00", datatype=XSD.dateTime),
    Literal("2006", datatype=XSD.integer),
    Literal("2006"),
    Literal("2006", lang="en"),
]
GOOD_DATES = [
    Literal("2006", datatype=XSD.gYear),
    Literal("2006-12", datatype=XSD.gYearMonth),
    Literal("2006-04-30", datatype=XSD.date),
    Literal("2004-02-29", datatype=XSD.date),
]


def dated_nodes(values: list[Literal]) -> tuple[Graph, dict[URIRef, Literal]]:
    """One untyped node per value, each with that value as its rg:date (one validation for all)."""
    graph = Graph()
    nodes = {URIRef(f"https://w3id.org/relgraph/id/dated-node-{i}"): value for i, value in enumerate(values)}
    for node, value in nodes.items():
        graph.add((node, RG.date, value))
    return graph, nodes


def test_ill_formed_or_mistyped_dates_are_caught(ontology, shapes):
    data, nodes = dated_nodes(BAD_DATES)
    message = str(shapes.value(RGSH["Dated-date"], SH.message))
    expected = {(node, Result(RGSH["Dated-date"], SH.OrConstraintComponent, None, message)) for node in nodes}
    reported = validation_results(data, ontology=ontology, shapes=shapes)
    missed = [nodes[node].n3() for node in nodes if all(focus != node for focus, _ in reported)]
    assert missed == []
    assert reported == expected


def test_well_formed_dates_pass(ontology, shapes):
    data, _nodes = dated_nodes(GOOD_DATES)
    assert validation_results(data, ontology=ontology, shapes=shapes) == set()


def test_no_blank_node_shapes_in_lists(shapes):
    # sh:or members and other list items are shapes too: they must be named.
    for members in shapes.objects(None, SH["or"]):
        for item in shapes.items(members):
            assert not isinstance(item, BNode), item
