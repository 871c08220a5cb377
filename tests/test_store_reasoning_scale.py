"""The scalable path (``reasonable`` reasoning inside an Oxigraph store) gives the reference
answer (owlrl's) on a synthetic world, and ``reasonable`` is never given the
``owl:FunctionalProperty`` declarations whose rule (prp-fp) made its memory grow with the
square of each functional property's triple count (see relgraph.reasoning.rules).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, Graph, Literal, URIRef

from relgraph import Catalogue, Project, reason
from relgraph.reasoning.rules import closure, functional_rule, split_functional
from relgraph.reasoning.in_store import reason_in_store
from relgraph.stores import StoreIncomplete, open_store
from relgraph.synth import synthesize
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, RG

ROOT = Path(__file__).resolve().parents[1]
X = "urn:x:"


@pytest.fixture(scope="module")
def world():
    project = Project.discover(ROOT)
    return project.load().ontology, synthesize(states=6, seed=3), Catalogue.load(project.queries_dir).rules()


@pytest.fixture(scope="module")
def reference(world):
    ontology, asserted, rules = world
    return reason(ontology=ontology, asserted=asserted, rules=rules, engine="owlrl")


def test_reasoning_in_an_oxigraph_store_gives_owlrls_answer_on_a_synthetic_world(world, reference, tmp_path):
    ontology, asserted, rules = world
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: asserted, GRAPH_INFERRED: Graph()}, digest="d")
        result = reason_in_store(store, rules=rules, engine="reasonable")
        inferred = set(store.graph(GRAPH_INFERRED))
        assert store.digest == "d"
    expected = set(reference.inferred)
    assert inferred - expected == set()
    assert expected - inferred == set()
    assert result.inferred_count == len(expected) > 5_000
    assert result.consistent and reference.consistent
    assert result.rounds == reference.rounds == 2


def test_the_reasonable_engine_gives_owlrls_answer_on_a_synthetic_world(world, reference):
    ontology, asserted, rules = world
    fast = reason(ontology=ontology, asserted=asserted, rules=rules, engine="reasonable")
    assert set(fast.inferred) ^ set(reference.inferred) == set()


def test_the_synthetic_world_exercises_the_functional_properties(world):
    ontology, asserted, _ = world
    _, functional = split_functional(ontology)
    used = {p for p in functional if any(True for _ in asserted.triples((None, p, None)))}
    assert RG.position in used and len(used) >= 10


def test_reasonable_is_never_given_a_functional_property_declaration():
    triples = [(URIRef(X + "f"), RDF.type, OWL.FunctionalProperty), (URIRef(X + "a"), URIRef(X + "f"), URIRef(X + "b"))]
    kept, functional = split_functional(triples)
    assert kept == triples[1:]
    assert functional == (URIRef(X + "f"),)
    assert functional_rule(()) is None


def test_prp_fp_still_makes_two_values_the_same_but_never_two_literals():
    f, a, b, c, e = (URIRef(X + n) for n in "fabce")
    base = {
        (f, RDF.type, OWL.FunctionalProperty),
        (a, f, b), (a, f, c), (b, URIRef(X + "q"), URIRef(X + "z")),
        (e, f, Literal("1")), (e, f, Literal("2")),
    }
    everything, _ = closure(base)
    assert (b, OWL.sameAs, c) in everything and (c, OWL.sameAs, b) in everything
    assert (c, URIRef(X + "q"), URIRef(X + "z")) in everything  # eq-rep-s ran on the rule's sameAs
    assert not any(isinstance(s, Literal) and p == OWL.sameAs for s, p, _ in everything)
    assert not reason(ontology=Graph(), asserted=_graph(base), engine="reasonable").consistent


def _graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


PREFIXES = """
@prefix rgd: <https://w3id.org/relgraph/id/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix : <urn:x:> .
"""


@pytest.mark.parametrize(
    "turtle, expected",
    [
        pytest.param(":A owl:disjointWith :B . rgd:x a :A , :B .", "disjoint classes", id="disjointWith"),
        pytest.param("[] a owl:AllDisjointClasses ; owl:members ( :A :B :C ) . rgd:x a :C , :A .", "disjoint classes", id="AllDisjointClasses"),
        pytest.param(":p a owl:IrreflexiveProperty . rgd:x :p rgd:x .", "irreflexive", id="irreflexive"),
        pytest.param(":p a owl:AsymmetricProperty . rgd:x :p rgd:y . rgd:y :p rgd:x .", "asymmetric", id="asymmetric"),
        pytest.param(":p owl:propertyDisjointWith :q . rgd:x :p rgd:y ; :q rgd:y .", "properties are disjoint", id="propertyDisjointWith"),
        pytest.param("rgd:x owl:sameAs rgd:y ; owl:differentFrom rgd:y .", "differentFrom", id="sameAs-differentFrom"),
        pytest.param("rgd:x owl:differentFrom rgd:x .", "differentFrom", id="differentFrom-itself"),
        pytest.param(":f a owl:FunctionalProperty . rgd:x :f rgd:y , rgd:z .", "was inferred", id="functional-makes-sameAs"),
        pytest.param(":A owl:disjointWith :B . :C rdfs:subClassOf :B . rgd:x a :A , :C .", "disjoint classes", id="disjoint-via-subclass"),
        pytest.param(":A rdfs:subClassOf owl:Nothing . rgd:x a :A .", "owl:Nothing", id="Nothing"),
    ],
)
def test_each_kind_of_inconsistency_is_caught_in_the_store_as_in_memory(turtle, expected, tmp_path):
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    in_memory = reason(ontology=Graph(), asserted=graph, engine="reasonable")
    assert not reason(ontology=Graph(), asserted=graph, engine="owlrl").consistent
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: Graph(), GRAPH_ASSERTED: graph, GRAPH_INFERRED: Graph()})
        result = reason_in_store(store, engine="reasonable")
    assert any(expected in problem for problem in result.problems), result.problems
    assert [p for p in result.problems if "_:" not in p] == [p for p in in_memory.problems if "_:" not in p]


def test_asserted_sameAs_is_no_problem_in_the_store(tmp_path):
    graph = Graph().parse(data=PREFIXES + "rgd:x owl:sameAs rgd:y . rgd:y owl:sameAs rgd:z . :p a owl:IrreflexiveProperty . rgd:x :p rgd:w .", format="turtle")
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: Graph(), GRAPH_ASSERTED: graph, GRAPH_INFERRED: Graph()})
        result = reason_in_store(store, engine="reasonable")
        assert (URIRef("https://w3id.org/relgraph/id/x"), OWL.sameAs, URIRef("https://w3id.org/relgraph/id/z")) in store.graph(GRAPH_INFERRED)
    assert result.consistent, result.problems


def test_reasoning_cut_short_leaves_a_store_the_next_command_loads_again(world, tmp_path, monkeypatch):
    import reasonable

    ontology, asserted, rules = world
    real = reasonable.PyReasoner

    class Stopping:
        """reasonable, killed when round 2 hands it the rules' results (as out of memory would)."""

        def __init__(self):
            self.reasoner, self.files = real(), 0

        def load_file(self, path):
            self.files += 1
            if self.files == 2:
                raise MemoryError("killed in round 2")
            return self.reasoner.load_file(path)

        def reason(self):
            return self.reasoner.reason()

    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: asserted, GRAPH_INFERRED: Graph()}, digest="d")
        monkeypatch.setattr(reasonable, "PyReasoner", Stopping)
        with pytest.raises(MemoryError):
            reason_in_store(store, rules=rules, engine="reasonable", digest="d")
        inferred = store.native.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(GRAPH_INFERRED)))
        assert next(iter(inferred), None) is not None  # round 1 is in the store...
        assert store.digest != "d" and not store.complete  # ...but it is marked loading, not finished
        with pytest.raises(StoreIncomplete):  # and no reader takes it for a finished store
            store.graph(GRAPH_INFERRED)
