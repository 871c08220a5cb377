"""The Wikidata alignment kept as data: ontology/wikidata-mapping.ttl and rg:wikidataProperty."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from relgraph import parse_turtle, reason
from relgraph.link import WikidataMapping
from relgraph.vocab import RG, WD
from wikidata_fixtures import ROOT

MAPPING_FILE = ROOT / "ontology" / "wikidata-mapping.ttl"
ONTOLOGY_FILE = ROOT / "ontology" / "relgraph.ttl"
IDS = (ROOT / "data" / "wikidata-ids.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ONTOLOGY_FILE) + parse_turtle(MAPPING_FILE)


def test_each_n_ary_fact_class_maps_to_one_statement(ontology):
    mapping = WikidataMapping.from_ontology(ontology)
    assert [
        (m.fact_class, m.subject_property, m.pid, m.value_property, m.qualifiers, m.symmetric) for m in mapping.statements
    ] == [
        (RG.DiplomaticRelation, RG.party, "P530", RG.party, (RG.endDate, RG.startDate), True),
        (RG.HeadOfGovernmentHolding, RG.headedState, "P6", RG.holder, (RG.attestedAt, RG.endDate, RG.startDate), False),
        (RG.HeadOfStateHolding, RG.headedState, "P35", RG.holder, (RG.attestedAt, RG.endDate, RG.startDate), False),
        (RG.Membership, RG.member, "P463", RG.organization, (RG.endDate, RG.startDate), False),
        (RG.MissionClosure, RG.mission, "P576", RG.date, (), False),
        (RG.MissionOpening, RG.mission, "P571", RG.date, (), False),
        (RG.OfficeHolding, RG.holder, "P39", RG.office, (RG.attestedAt, RG.endDate, RG.startDate), False),
        (RG.SisterCityPartnership, RG.partner, "P190", RG.partner, (RG.endDate, RG.startDate), True),
    ]


def test_property_alignment(ontology):
    mapping = WikidataMapping.from_ontology(ontology)
    assert {str(p)[len(str(RG)):]: code for p, code in mapping.properties.items()} == {
        "attestedAt": "P585", "country": "P17", "date": "P585", "endDate": "P582", "hasDiplomaticRelationWith": "P530",
        "hostState": "P17", "locatedIn": "P131", "memberOf": "P463", "officeOf": "P1001", "participant": "P710",
        "positionHeld": "P39", "seat": "P131", "sendingState": "P137", "startDate": "P580", "twinnedWith": "P190",
        "officeOfHeadOfGovernment": "P1313", "officeOfHeadOfState": "P1906",
    }
    assert mapping.qualifier_only == frozenset({RG.attestedAt})
    assert mapping.classes == {RG.State: WD.Q3624078, RG.Embassy: WD.Q3917681, RG.Ambassadorship: WD.Q121998}


def test_a_statement_mapping_agrees_with_its_class_annotation(ontology):
    for mapping in WikidataMapping.from_ontology(ontology).statements:
        stated = {str(o).rsplit("/", 1)[1] for o in ontology.objects(mapping.fact_class, RG.wikidataProperty)}
        assert stated <= {mapping.pid}, mapping.fact_class


def test_every_identifier_used_is_a_checked_one(ontology):
    text = MAPPING_FILE.read_text(encoding="utf-8") + ONTOLOGY_FILE.read_text(encoding="utf-8")
    checked_pids = set(re.findall(r"\b(P\d+)\b", IDS))
    assert set(re.findall(r"wdt:(P\d+)", text)) <= checked_pids
    assert set(re.findall(r"wd:(Q\d+)", text)) <= set(re.findall(r"\| (Q\d+) \|", IDS))


def test_every_term_of_the_mapping_vocabulary_has_a_label_and_a_definition():
    graph = parse_turtle(MAPPING_FILE)
    terms = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | set(graph.subjects(RDF.type, OWL.Class))
    terms |= set(graph.subjects(RDF.type, RG.StatementMapping))
    assert len(terms) == 17
    for term in terms:
        assert any(isinstance(l, Literal) and l.language == "en" for l in graph.objects(term, RDFS.label)), term
        assert any(isinstance(d, Literal) and d.language == "en" for d in graph.objects(term, SKOS.definition)), term


def test_the_mapping_file_changes_nothing_owl_rl_infers():
    without = reason(ontology=parse_turtle(ONTOLOGY_FILE), asserted=Graph(), rules=())
    with_mapping = reason(ontology=parse_turtle(ONTOLOGY_FILE) + parse_turtle(MAPPING_FILE), asserted=Graph(), rules=())
    assert with_mapping.consistent
    new = {t for t in with_mapping.inferred if t not in without.inferred}
    assert not {t for t in new if not isinstance(t[0], URIRef) or not str(t[0]).startswith("https://w3id.org/relgraph/ontology/wikidata-mapping#")}
