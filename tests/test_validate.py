import json

from rdflib import Graph
from rdflib.namespace import SH

from relgraph import Project, validate
from relgraph.validation.reference import render_json, render_text, render_turtle
from relgraph.vocab import RG, RGD


def _validate(root):
    project = Project.discover(root)
    loaded = project.load()
    return validate(
        data=loaded.asserted, ontology=loaded.ontology, shapes=project.load_shapes(), stated_in_file=loaded.stated_in_file
    )


def test_good_data_conforms(good):
    report = _validate(good)
    assert report.conforms and report.violations == ()
    assert render_text(report) == "conforms\n"


def test_a_missing_visitor_is_a_violation_naming_focus_path_message_and_file(make_project):
    root = make_project("nonconforming")
    report = _validate(root)
    assert not report.conforms
    (violation,) = report.violations
    assert violation.focus == RGD["visit-unknown"]
    assert violation.focus_label == "A visit by nobody"
    assert violation.path == RG.visitor
    assert violation.message == "a visit needs a visitor"
    assert violation.severity == "Violation"
    assert violation.component == SH.MinCountConstraintComponent
    assert violation.shape_name == "rg:VisitShape"
    assert violation.files == (root / "data" / "visits" / "extra.ttl",)
    assert render_text(report) == (
        f'{root}/data/visits/extra.ttl: Violation: rgd:visit-unknown "A visit by nobody": rg:visitor: '
        "a visit needs a visitor (shape: rg:VisitShape)\n"
        "does not conform: 1 violation\n"
    )


def test_shacl_sparql_constraints_run(make_project):
    report = _validate(make_project("unsourced-visit"))
    (violation,) = report.violations
    assert violation.focus == RGD["visit-unsourced"]
    assert violation.message == "a visit is stated in a sentence"
    assert violation.component == SH.SPARQLConstraintComponent


def test_json_report(make_project):
    root = make_project("nonconforming")
    document = json.loads(render_json(_validate(root)))
    assert document["conforms"] is False
    (violation,) = document["violations"]
    assert violation["focus"] == {"type": "uri", "value": str(RGD["visit-unknown"])}
    assert violation["path"] == {"type": "uri", "value": str(RG.visitor)}
    assert violation["value"] is None
    assert violation["files"] == [f"{root}/data/visits/extra.ttl"]


def test_turtle_report_is_the_shacl_results_graph(make_project):
    graph = Graph().parse(data=render_turtle(_validate(make_project("nonconforming"))), format="turtle")
    assert (None, SH.conforms, None) in graph
    assert len(list(graph.subjects(SH.focusNode, RGD["visit-unknown"]))) == 1
