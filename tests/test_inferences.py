"""Reasoning over the real project: named inferences, consistency, and contradictions exposed."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from relgraph.project import Project
from relgraph.queries import Catalogue
from relgraph.reasoning.reference import reason
from relgraph.vocab import ORG, RG, RGD, SCHEMA

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def loaded():
    return Project.discover(ROOT).load()


@pytest.fixture(scope="module")
def result(loaded):
    return reason(ontology=loaded.ontology, asserted=loaded.asserted, rules=Catalogue.load(ROOT / "queries").rules())


def test_the_project_is_consistent(result):
    assert result.problems == ()
    assert result.consistent


def test_inferred_triples_are_kept_apart_from_asserted_ones(loaded, result):
    assert len(result.inferred) > 1000
    assert not (set(result.inferred) & (set(loaded.asserted) | set(loaded.ontology)))


@pytest.mark.parametrize(
    ("subject", "predicate", "obj", "how"),
    [
        (RGD.kobe, RG.twinnedWith, RGD.riga, "derive-twinned-with.rq"),
        (RGD.riga, RG.twinnedWith, RGD.kobe, "derive-twinned-with.rq (both directions)"),
        (RGD.japan, RG.hasDiplomaticRelationWith, RGD.latvia, "derive-diplomatic-relations.rq"),
        (RGD.latvia, RG.memberOf, RGD.nato, "chain inverse(member) o organization"),
        (RGD.japan, RG.hasMissionIn, RGD.riga, "chain sendsMission o seat"),
        (RGD.latvia, RG.hasMissionIn, RGD.tokyo, "chain sendsMission o seat"),
        (RGD.akihito, RG.positionHeld, RGD["emperor-of-japan"], "chain inverse(holder) o office"),
        (RGD["visit-2007-05-emperor-and-empress-to-latvia"], RG.visitor, RGD.michiko, "chain visitorCapacity o holder"),
        (RGD["meeting-2018-01-13-abe-kucinskis"], RG.participant, RGD["maris-kucinskis"], "chain participantCapacity o holder"),
        (RGD["visit-2019-10-levits-to-japan"], SCHEMA.location, RGD.tokyo, "destination ⊑ location ⊑ schema:location"),
        (RGD["visit-2006-04-kalvitis-to-japan"], RDF.type, RG.Fact, "Visit ⊑ Event ⊑ Fact"),
        (RGD["latvia-nato-membership"], RDF.type, ORG.Membership, "rg:Membership ⊑ org:Membership"),
        (RGD.latvia, RDF.type, ORG.FormalOrganization, "rg:State ⊑ org:FormalOrganization"),
        (RGD.higashikawa, RG.locatedIn, RGD.hokkaido, "asserted, not inferred"),
    ],
)
def test_named_inferences(loaded, result, subject, predicate, obj, how):
    if how == "asserted, not inferred":
        assert (subject, predicate, obj) in loaded.asserted
        assert (subject, predicate, obj) not in result.inferred
    else:
        assert (subject, predicate, obj) in result.inferred, how
        assert (subject, predicate, obj) not in loaded.asserted, how


def test_no_city_is_twinned_with_itself(result):
    assert [(a, b) for a, b in result.inferred.subject_objects(RG.twinnedWith) if a == b] == []


def test_wikidata_items_receive_no_copied_facts(result):
    wikidata = [s for s in result.inferred.subjects() if str(s).startswith("http://www.wikidata.org/entity/")]
    assert wikidata == []


PREFIXES = "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgd: <https://w3id.org/relgraph/id/> . "

# name: (triple removed from the real data or "", triple added, what the reasoner must say)
CONTRADICTIONS = {
    "disjoint classes": (
        "",
        "rgd:kobe a rg:Person .",
        "Disjoint classes https://w3id.org/relgraph/ontology#Person and https://w3id.org/relgraph/ontology#Place"
        " have a common individual https://w3id.org/relgraph/id/kobe",
    ),
    "irreflexive twinning": (
        "",
        "rgd:kobe rg:twinnedWith rgd:kobe .",
        "Irreflexive property used on https://w3id.org/relgraph/id/kobe with https://w3id.org/relgraph/ontology#twinnedWith",
    ),
    "a visit from a state to itself": (
        "rgd:visit-2006-04-kalvitis-to-japan rg:toState rgd:japan .",
        "rgd:visit-2006-04-kalvitis-to-japan rg:toState rgd:latvia .",
        "Erroneous usage of disjoint properties https://w3id.org/relgraph/ontology#fromState and"
        " https://w3id.org/relgraph/ontology#toState on https://w3id.org/relgraph/id/visit-2006-04-kalvitis-to-japan"
        " and https://w3id.org/relgraph/id/latvia",
    ),
    "two holders of one office holding": (
        "",
        "rgd:shinzo-abe-as-prime-minister-of-japan rg:holder rgd:shigeru-ishiba .",
        "https://w3id.org/relgraph/id/shigeru-ishiba owl:sameAs https://w3id.org/relgraph/id/shinzo-abe was inferred",
    ),
    "a trade flow from a state to itself": (
        "rgd:trade-2018-japan-to-latvia rg:importer rgd:latvia .",
        "rgd:trade-2018-japan-to-latvia rg:importer rgd:japan .",
        "Erroneous usage of disjoint properties https://w3id.org/relgraph/ontology#exporter and"
        " https://w3id.org/relgraph/ontology#importer on https://w3id.org/relgraph/id/trade-2018-japan-to-latvia"
        " and https://w3id.org/relgraph/id/japan",
    ),
}


@pytest.mark.parametrize("name", sorted(CONTRADICTIONS))
def test_reasoning_exposes_contradictions(loaded, name):
    removed, added, message = CONTRADICTIONS[name]
    bad = Graph()
    for triple in loaded.asserted:
        bad.add(triple)
    if removed:
        (triple,) = Graph().parse(data=PREFIXES + removed, format="turtle")
        assert triple in bad
        bad.remove(triple)
    bad.parse(data=PREFIXES + added, format="turtle")
    found = reason(ontology=loaded.ontology, asserted=bad)
    assert found.problems == (message,)
