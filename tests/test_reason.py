import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import XSD

from relgraph import Catalogue, Project, QuerySyntaxError, StoredQuery, reason, reason_project
from relgraph.reasoning.reference import is_trivial
from relgraph.vocab import RG, RGD


def _graph(turtle: str) -> Graph:
    prefixes = (
        "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgd: <https://w3id.org/relgraph/id/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    )
    return Graph().parse(data=prefixes + turtle, format="turtle")


def _reasoned(root):
    project = Project.discover(root)
    loaded = project.load()
    return loaded, reason_project(loaded, Catalogue.load(project.queries_dir))


def test_good_project_is_consistent_and_gets_owl_and_rule_consequences(good):
    loaded, result = _reasoned(good)
    assert result.consistent and result.problems == ()
    assert set(result.inferred) == {
        (RGD.abe, RDF.type, RG.Person),  # range of rg:visitor
        (RGD["visit-2018"], RDF.type, RG.Fact),  # subclass
        (RGD.abe, RG.visited, RGD.latvia),  # derive-visited.rq
    }
    assert result.asserted_count == len(loaded.ontology) + len(loaded.asserted)


def test_rule_output_gets_its_owl_consequences(tmp_path):
    ontology = _graph("rg:visited rdfs:range rg:Place .")
    asserted = _graph("rgd:v a rg:Visit ; rg:visitor rgd:abe ; rg:destination rgd:riga .")
    rule = tmp_path / "derive-visited.rq"
    rule.write_text("CONSTRUCT { ?p rg:visited ?s } WHERE { ?v rg:visitor ?p ; rg:destination ?s }\n")
    from relgraph import load_query

    result = reason(ontology=ontology, asserted=asserted, rules=[load_query(rule)])
    assert (RGD.riga, RDF.type, RG.Place) in result.inferred
    assert result.rounds == 2


def test_inputs_are_not_modified_and_no_asserted_triple_is_inferred(good):
    loaded, _ = _reasoned(good)
    before = (set(loaded.ontology), set(loaded.asserted))
    result = reason(ontology=loaded.ontology, asserted=loaded.asserted)
    assert (set(loaded.ontology), set(loaded.asserted)) == before
    assert not set(result.inferred) & (before[0] | before[1])


def test_trivial_triples_are_dropped(good):
    _, result = _reasoned(good)
    for s, p, o in result.inferred:
        assert not isinstance(s, Literal)
        assert o not in (OWL.Thing, RDFS.Resource)
        assert not (s == o and p == OWL.sameAs)
        assert not str(s).startswith(str(XSD))


@pytest.mark.parametrize(
    "triple, trivial",
    [
        ((Literal("x"), OWL.sameAs, Literal("x")), True),
        ((RGD.a, OWL.sameAs, RGD.a), True),
        ((RG.A, RDFS.subClassOf, RG.A), True),
        ((RGD.a, RDF.type, OWL.Thing), True),
        ((RG.A, RDFS.subClassOf, OWL.Thing), True),
        ((XSD.gYear, RDF.type, RDFS.Datatype), True),
        ((OWL.Nothing, RDFS.subClassOf, RG.A), True),
        ((RGD.a, RDF.type, RG.Person), False),
        ((RGD.a, OWL.sameAs, RGD.b), False),
    ],
)
def test_is_trivial(triple, trivial):
    assert is_trivial(triple) is trivial


def test_disjoint_classes_sharing_a_member_are_inconsistent(make_project):
    _, result = _reasoned(make_project("inconsistent"))
    assert not result.consistent
    assert result.problems == (
        "Disjoint classes https://w3id.org/relgraph/ontology#Person and "
        "https://w3id.org/relgraph/ontology#State have a common individual https://w3id.org/relgraph/id/abe",
    )


def test_member_of_owl_nothing_is_inconsistent():
    result = reason(ontology=_graph("rg:Impossible owl:equivalentClass owl:Nothing ."), asserted=_graph("rgd:x a rg:Impossible ."))
    assert "https://w3id.org/relgraph/id/x is a member of owl:Nothing" in result.problems


def test_inferred_same_as_between_two_iris_is_reported():
    ontology = _graph("rg:member a owl:FunctionalProperty .")
    asserted = _graph("rgd:m rg:member rgd:a, rgd:b .")
    result = reason(ontology=ontology, asserted=asserted)
    assert (RGD.a, OWL.sameAs, RGD.b) in result.inferred
    assert result.problems == (
        "https://w3id.org/relgraph/id/a owl:sameAs https://w3id.org/relgraph/id/b was inferred",
    )


def test_asserted_same_as_and_its_chains_are_not_reported():
    result = reason(ontology=Graph(), asserted=_graph("rgd:a owl:sameAs rgd:b . rgd:b owl:sameAs rgd:c ."))
    assert (RGD.a, OWL.sameAs, RGD.c) in result.inferred
    assert result.consistent


def test_a_rule_that_is_not_construct_is_refused(tmp_path):
    path = tmp_path / "derive-bad.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }\n")
    rule = StoredQuery("derive-bad", path, "bad", "", (), path.read_text())
    with pytest.raises(QuerySyntaxError, match="must be a CONSTRUCT"):
        reason(ontology=Graph(), asserted=Graph(), rules=[rule])
