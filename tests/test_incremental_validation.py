"""Validation for large graphs: in the store (SHACL translated to SPARQL) and incrementally
(only the focus nodes an edit can affect). Both must give pyshacl's answer.

In-store validation is checked against every fixture of tests/fixtures/shapes, whose
headers state exactly what pyshacl reports (tests/test_shapes.py holds pyshacl to them),
and directly against pyshacl on the project's data and a few fixtures.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, SH

from relgraph.validation.incremental import affected_nodes, validate_changes
from relgraph.project import Project
from relgraph.validation.in_store import UnsupportedShapes, compile_shapes, validate_in_store
from relgraph.stores import open_store
from relgraph.validation.reference import validate
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, OA, RG, RGD

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
CONTEXT = FIXTURES / "_context.ttl"
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.ttl") if p != CONTEXT)
RGSH = Namespace("https://w3id.org/relgraph/shapes#")
CURIES = {"rgsh": RGSH, "sh": SH}


def _curie(text: str):
    prefix, _, local = text.strip().partition(":")
    return CURIES[prefix][local]


def _expected(path: Path) -> set[tuple]:
    expect = dict(re.findall(r"^# expect-([a-z]+): (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE))
    if expect.get("conforms") == "true":
        return set()
    return {(_curie(expect["shape"]), _curie(expect["component"]), expect["message"])}


def _reported(report) -> set[tuple]:
    return {(v.source_shape, v.component, v.message) for v in report.violations}


def _full(report) -> set[tuple]:
    return {(v.focus, v.source_shape, v.component, v.path, v.value, v.message, v.severity) for v in report.violations}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "relgraph.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def context() -> Graph:
    return Graph().parse(CONTEXT, format="turtle")


@pytest.fixture(scope="module")
def store(tmp_path_factory, ontology):
    opened = open_store(f"oxigraph:{tmp_path_factory.mktemp('validation') / 'store'}")
    opened.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: Graph(), GRAPH_INFERRED: Graph()})
    yield opened
    opened.close()


_CHECKS: dict[int, tuple] = {}


def _in_store(store, data: Graph, shapes: Graph):
    store.replace({GRAPH_ASSERTED: data})
    checks = _CHECKS.setdefault(id(shapes), compile_shapes(shapes))
    return validate_in_store(store, shapes=shapes, checks=checks)


# In the store.


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_in_store_validation_reports_what_pyshacl_does_on_every_fixture(store, context, shapes, path):
    data = Graph()
    data += context
    data.parse(path, format="turtle")
    assert _reported(_in_store(store, data, shapes)) == _expected(path)


@pytest.mark.parametrize(
    "name",
    ["Dated-date--two-dates", "Sourced-quotedSentence--no-sentence", "Labelled-oneLabelPerLanguage--two-english-labels"],
)
def test_in_store_results_equal_pyshacl_results_in_every_field(store, context, ontology, shapes, name):
    path = FIXTURES / f"{name}.ttl"
    if not path.is_file():
        pytest.skip(f"no fixture {name}")
    data = Graph()
    data += context
    data.parse(path, format="turtle")
    assert _full(_in_store(store, data, shapes)) == _full(validate(data=data, ontology=ontology, shapes=shapes))


def test_the_project_data_conforms_in_the_store(store, shapes):
    data = Project.discover(ROOT).load().asserted
    report = _in_store(store, data, shapes)
    assert report.conforms and report.violations == ()


def test_unsupported_shapes_are_named():
    shapes = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:x:> .\n"
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .",
        format="turtle",
    )
    with pytest.raises(UnsupportedShapes, match="sh:closed"):
        compile_shapes(shapes)


# Incrementally.

EDITS = ["Dated-date--two-dates", "Visit-fromState--missing", "DiplomaticMission-seat--state", "Sourced-quotedSentence--no-sentence"]


@pytest.mark.parametrize("name", EDITS)
def test_validating_an_addition_and_its_removal_gives_the_full_answer(context, ontology, shapes, name):
    path = FIXTURES / f"{name}.ttl"
    if not path.is_file():
        pytest.skip(f"no fixture {name}")
    before = Graph()
    before += context
    previous = validate(data=before, ontology=ontology, shapes=shapes)
    after = Graph()
    after += before
    after.parse(path, format="turtle")
    added = validate_changes(before=before, after=after, previous=previous, ontology=ontology, shapes=shapes)
    assert _full(added.report) == _full(validate(data=after, ontology=ontology, shapes=shapes)) != set()
    assert 0 < added.focus_nodes < len(set(after.subjects())) or added.focus_nodes == len(set(after.subjects()))
    removed = validate_changes(before=after, after=before, previous=added.report, ontology=ontology, shapes=shapes)
    assert removed.report.conforms and removed.report.violations == ()


def test_an_edit_three_edges_away_is_seen(context, ontology, shapes):
    """Dropping a selector's quote breaks rgsh:Sourced for facts that cite its sentence."""
    previous = validate(data=context, ontology=ontology, shapes=shapes)
    selector = next(context.subjects(RDF.type, OA.TextQuoteSelector))
    after = Graph()
    for triple in context:
        if triple[0] != selector or triple[1] != OA.exact:
            after.add(triple)
    result = validate_changes(before=context, after=after, previous=previous, ontology=ontology, shapes=shapes)
    assert _full(result.report) == _full(validate(data=after, ontology=ontology, shapes=shapes)) != set()


def test_nothing_changed_means_nothing_validated(context, ontology, shapes):
    previous = validate(data=context, ontology=ontology, shapes=shapes)
    result = validate_changes(before=context, after=context, previous=previous, ontology=ontology, shapes=shapes)
    assert (result.report, result.focus_nodes, result.changed_triples) == (previous, 0, 0)


def test_affected_nodes_reach_back_along_edges():
    before = Graph()
    before.add((RGD.fact, RG.statedIn, RGD.sentence))
    before.add((RGD.sentence, OA.hasSelector, RGD.selector))
    after = Graph()
    after += before
    after.add((RGD.selector, OA.exact, Literal("quote")))
    affected, changed = affected_nodes(before, after, hops=2)
    assert changed == 1 and affected == {RGD.selector, RGD.sentence, RGD.fact}


def test_an_or_constraint_on_a_changed_node_fires(context, ontology, shapes):
    """Regression: pyshacl's focus_nodes option lets sh:or pass; a single ill-formed date must not."""
    previous = validate(data=context, ontology=ontology, shapes=shapes)
    visit = FIXTURES / "Dated-date--month-13.ttl"
    after = Graph()
    after += context
    after.parse(visit, format="turtle")
    result = validate_changes(before=context, after=after, previous=previous, ontology=ontology, shapes=shapes)
    assert _full(result.report) == _full(validate(data=after, ontology=ontology, shapes=shapes)) != set()
