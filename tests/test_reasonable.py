"""The ``reasonable`` engine gives owlrl's answer: the same inferred triples and the same
verdict on consistency.

On the project's graph the two agree exactly once ``reasonable`` is completed by the property
chains and schema rules it lacks (relgraph.reasoning.rules); the difference sets are asserted
empty, so any drift of either engine shows here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from relgraph import Catalogue, ParameterError, Project, reason
from relgraph.reasoning.rules import SCHEMA_RULES, chain_rules
from relgraph.vocab import RG, RGD

ROOT = Path(__file__).resolve().parents[1]
PREFIXES = """
@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgd: <https://w3id.org/relgraph/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _both(root: Path):
    project = Project.discover(root)
    loaded = project.load()
    rules = Catalogue.load(project.queries_dir).rules()
    return tuple(
        reason(ontology=loaded.ontology, asserted=loaded.asserted, rules=rules, engine=engine)
        for engine in ("owlrl", "reasonable")
    )


@pytest.fixture(scope="module")
def project_results():
    return _both(ROOT)


def test_both_engines_infer_exactly_the_same_triples_on_the_project(project_results):
    owlrl, fast = project_results
    assert set(owlrl.inferred) - set(fast.inferred) == set()
    assert set(fast.inferred) - set(owlrl.inferred) == set()
    assert owlrl.inferred_count == fast.inferred_count > 1000
    assert owlrl.consistent and fast.consistent
    assert owlrl.rounds == fast.rounds == 2


def test_the_fast_engine_gets_the_chains_and_rules_it_lacks(project_results):
    _, fast = project_results
    inferred = set(fast.inferred)
    assert (RGD.japan, RG.memberOf, RGD.oecd) in inferred  # chain with an inverse step
    assert (RGD.kobe, RG.twinnedWith, RGD.riga) in inferred  # derive-twinned-with.rq
    assert (RGD.japan, RG.hasDiplomaticRelationWith, RGD.latvia) in inferred  # derive-diplomatic-relations.rq


def test_both_engines_agree_on_the_good_fixture(good):
    owlrl, fast = _both(good)
    assert set(owlrl.inferred) == set(fast.inferred) and owlrl.consistent and fast.consistent


def test_the_inconsistent_fixture_is_caught_by_both_engines(make_project):
    owlrl, fast = _both(make_project("inconsistent"))
    assert not owlrl.consistent and not fast.consistent
    assert any("abe" in problem for problem in fast.problems)


@pytest.mark.parametrize(
    "turtle",
    [
        pytest.param(":A owl:disjointWith :B . rgd:x a :A , :B .", id="disjointWith"),
        pytest.param("[] a owl:AllDisjointClasses ; owl:members ( :A :B :C ) . rgd:x a :C , :A .", id="AllDisjointClasses"),
        pytest.param(":p a owl:IrreflexiveProperty . rgd:x :p rgd:x .", id="irreflexive"),
        pytest.param(":p a owl:AsymmetricProperty . rgd:x :p rgd:y . rgd:y :p rgd:x .", id="asymmetric"),
        pytest.param(":p owl:propertyDisjointWith :q . rgd:x :p rgd:y ; :q rgd:y .", id="propertyDisjointWith"),
        pytest.param("rgd:x owl:sameAs rgd:y ; owl:differentFrom rgd:y .", id="sameAs-differentFrom"),
        pytest.param(":f a owl:FunctionalProperty . rgd:x :f rgd:y , rgd:z .", id="functional-makes-sameAs"),
        pytest.param(":A owl:disjointWith :B . :C rdfs:subClassOf :B . rgd:x a :A , :C .", id="disjoint-via-subclass"),
    ],
)
def test_each_kind_of_inconsistency_is_caught_by_both_engines(turtle):
    graph = Graph().parse(data=PREFIXES + "@prefix : <urn:x:> .\n" + turtle, format="turtle")
    verdicts = {engine: reason(ontology=Graph(), asserted=graph, engine=engine).consistent for engine in ("owlrl", "reasonable")}
    assert verdicts == {"owlrl": False, "reasonable": False}


def test_a_consistent_graph_stays_consistent_for_both():
    graph = Graph().parse(data=PREFIXES + "@prefix : <urn:x:> .\n:p a owl:IrreflexiveProperty . rgd:x :p rgd:y .", format="turtle")
    assert all(reason(ontology=Graph(), asserted=graph, engine=e).consistent for e in ("owlrl", "reasonable"))


def test_chain_rules_cover_every_chain_of_the_ontology():
    ontology = Project.discover(ROOT).load().ontology
    rules = chain_rules(ontology)
    assert len(rules) == 5 and all(rule.startswith("CONSTRUCT") for rule in rules)
    assert len(SCHEMA_RULES) == 3


def test_an_unknown_engine_is_refused():
    with pytest.raises(ParameterError, match="engine"):
        reason(ontology=Graph(), asserted=Graph(), engine="hermit")


def test_reasoning_in_an_oxigraph_store_writes_owlrls_answer_back(project_results, tmp_path):
    from relgraph.reasoning.in_store import reason_in_store
    from relgraph.stores import open_store
    from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    owlrl, _ = project_results
    project = Project.discover(ROOT)
    loaded = project.load()
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: Graph()}, digest="d")
        result = reason_in_store(store, rules=Catalogue.load(project.queries_dir).rules())
        assert result.consistent and result.inferred_count == owlrl.inferred_count
        assert set(store.graph(GRAPH_INFERRED)) == set(owlrl.inferred)
        assert store.digest == "d"


def test_reasoning_in_a_store_catches_the_inconsistent_fixture(make_project, tmp_path):
    from relgraph.reasoning.in_store import reason_in_store
    from relgraph.stores import open_store
    from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    loaded = Project.discover(make_project("inconsistent")).load()
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: Graph()})
        assert not reason_in_store(store).consistent
