"""Stated or implied (rg:basis) and heads of state and of government, as a user sees them:
the seed's marks, the resource pages over real HTTP, the Wikidata export and QuickStatements."""

from __future__ import annotations

import html
import re

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from relgraph import Catalogue, Project, inferred_for
from relgraph.cli import cli
from relgraph.link import export_wikidata
from relgraph.link.wikidata_export import WIKIDATA_PREFIXES
from relgraph.vocab import RG, RGD
from wikidata_fixtures import ROOT, make_sample_project

PREFIXES = "".join(f"PREFIX {p}: <{n}>\n" for p, n in WIKIDATA_PREFIXES.items())
SEED = ROOT / "data" / "japan-latvia-relations"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def seed() -> Graph:
    graph = Graph()
    for path in sorted(SEED.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


# The seed: what the check of its data found is marked, and what was wrong is fixed.

IMPLIED_IN_THE_SEED = {
    # the end of relations in 1940: only the embassy closed, relations were later re-established
    "japan-latvia-relations-ended-1940": (RG.ImpliedByContext, ()),
    # Abe's visit to Latvia and its day: from the section heading and the meeting
    "visit-2018-01-13-abe-to-latvia": (RG.ImpliedByHeading, ()),
    # Latvia in the Soviet Union from 1940, the end of the First Republic
    "latvia-in-the-soviet-union": (RG.ImpliedByContext, (RG.startDate,)),
    "first-latvian-republic": (RG.ImpliedByContext, (RG.endDate,)),
    "latvia-loses-independence-1940": (RG.ImpliedByContext, (RG.begins, RG.causedBy, RG.date, RG.ends)),
    # rg:causedBy where the text gives only timing
    "imperial-japanese-embassy-in-riga-closed-1940": (RG.ImpliedByContext, (RG.causedBy,)),
    # the three cultural events placed in Latvia
    "japanese-film-screenings-in-latvia": (RG.ImpliedByContext, (RG.location,)),
    "flower-arranging-classes-in-latvia": (RG.ImpliedByContext, (RG.location,)),
    "japanese-doll-exhibitions-in-latvia": (RG.ImpliedByContext, (RG.location,)),
    # the enthronement in Tokyo
    "enthronement-of-naruhito": (RG.ImpliedByContext, (RG.location, RG.participantCapacity)),
    # Higashikawa as the reporter's hometown
    "newspaper-reporter-from-higashikawa": (RG.ImpliedByContext, (RG.hometown,)),
}


@pytest.mark.parametrize("name", sorted(IMPLIED_IN_THE_SEED))
def test_what_the_check_found_is_marked_implied_with_its_reason(seed, name):
    node = RGD[name]
    basis, properties = IMPLIED_IN_THE_SEED[name]
    assert list(seed.objects(node, RG.basis)) == [basis]
    assert sorted(seed.objects(node, RG.impliedProperty)) == sorted(properties)
    notes = list(seed.objects(node, RG.basisNote))
    assert len(notes) == 1 and notes[0].language == "en" and len(notes[0]) > 40


def test_the_first_latvian_ambassadors_trip_is_within_japan(seed):
    trip = RGD["visit-first-latvian-ambassador-to-higashikawa"]
    assert set(seed.objects(trip, RDF.type)) == {RG.VisitWithinState}
    assert list(seed.objects(trip, RG.fromState)) == [] and list(seed.objects(trip, RG.toState)) == []
    assert list(seed.objects(trip, RG.location)) == [RGD.higashikawa]


def test_the_imperial_embassy_opens_in_1921_by_its_sentence(seed):
    assert list(seed.objects(RGD["imperial-japanese-embassy-in-riga-opened"], RG.date)) == [Literal("1921", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))]


def test_attendance_is_one_way_the_attendees_capacity_on_the_event(seed):
    assert RGD["egils-levits-as-president-of-latvia"] in set(seed.objects(RGD["enthronement-of-naruhito"], RG.participantCapacity))
    assert RGD["edgars-rinkevics-as-president-of-latvia"] in set(seed.objects(RGD["expo-2025"], RG.participantCapacity))


def test_every_purpose_is_verbatim_in_its_sentence():
    text = (SEED / "source.txt").read_text(encoding="utf-8")
    graph = Graph()
    for path in sorted(SEED.glob("*.ttl")):
        graph.parse(path, format="turtle")
    purposes = [str(o) for o in graph.objects(None, RG.purpose)]
    assert purposes and all(p in text for p in purposes)


# Pages: "stated" or "implied: reason", over real HTTP to the real server.


def basis_paragraph(page: str) -> str:
    found = re.findall(r'<p class="basis[^"]*"[^>]*>.*?</p>', page, flags=re.S)
    assert len(found) == 1, found
    return html.unescape(re.sub(r"<[^>]+>", "", found[0]))


def test_a_stated_fact_says_so_on_its_page(server):
    page = httpx.get(server.url + "/id/kobe-riga-sister-cities").text
    assert '<p class="basis" ' in page
    assert basis_paragraph(page) == "stated in the source's own words"


def test_an_implied_fact_shows_its_basis_and_reason_on_its_page(server):
    page = httpx.get(server.url + "/id/visit-2018-01-13-abe-to-latvia").text
    assert '<p class="basis implied" ' in page
    assert basis_paragraph(page) == (
        "implied (implied by a section heading): The sentence states only a meeting of Abe and Kučinskis on "
        "13 January 2018. That Abe visited Latvia rests on the section heading 'High-level visits from Japan to "
        "Latvia', and the visit's day is the meeting's."
    )


def test_an_entity_description_that_rests_on_context_names_the_property(server):
    page = httpx.get(server.url + "/id/newspaper-reporter-from-higashikawa").text
    text = basis_paragraph(page)
    assert text.startswith("implied (implied by context: hometown): The source says 'a newspaper reporter from Hokkaido")
    assert '<a href="/ontology/hometown"' in page


def test_an_entity_without_a_basis_shows_none(server):
    assert 'class="basis' not in httpx.get(server.url + "/id/latvia").text


# The Wikidata export marks implied statements; heads of state and government as P35/P6, P1906/P1313.


@pytest.fixture(scope="module")
def wdqs() -> Graph:
    project = Project.discover(ROOT)
    loaded = project.load()
    data = export_wikidata(loaded, inferred_for(project, loaded, Catalogue.load(project.queries_dir)), format="turtle")
    return Graph().parse(data=data.decode("utf-8"), format="turtle")


def rows(graph: Graph, query: str) -> list[tuple]:
    """The answer's rows as tuples of strings (None where unbound), sorted."""
    found = [tuple(None if t is None else str(t) for t in row) for row in graph.query(PREFIXES + query)]
    return sorted(found, key=lambda row: tuple("" if t is None else t for t in row))


def test_heads_of_government_of_latvia_with_when_and_basis(wdqs):
    assert rows(wdqs, """
        SELECT ?head ?when ?basis WHERE {
          wd:Q211 p:P6 ?statement .
          ?statement ps:P6 ?head ; pqv:P585/wikibase:timeValue ?time .
          BIND (STR(?time) AS ?when)
          OPTIONAL { ?statement rg:basis ?basis }
        }""") == [
        (WD + "Q210715", "2006-04-01T00:00:00+00:00", str(RG.ImpliedByHeading)),
        (WD + "Q210822", "2009-01-01T00:00:00+00:00", str(RG.ImpliedByHeading)),
        (WD + "Q57630", "2013-04-01T00:00:00+00:00", str(RG.ImpliedByHeading)),
        (WD + "Q6112509", "2017-12-01T00:00:00+00:00", str(RG.ImpliedByHeading)),
        (WD + "Q6112509", "2018-01-13T00:00:00+00:00", str(RG.ImpliedByHeading)),
    ]


def test_heads_of_state_of_japan_and_the_offices_of_both_states(wdqs):
    heads = rows(wdqs, "SELECT ?head WHERE { wd:Q17 wdt:P35 ?head }")
    assert heads == [(WD + "Q217096",), (str(RGD.akihito),)]  # Akihito has no checked QID
    assert rows(wdqs, "SELECT ?state ?office WHERE { VALUES ?state { wd:Q17 wd:Q211 } ?state wdt:P1906 ?office }") == [
        (WD + "Q17", WD + "Q208233"), (WD + "Q211", WD + "Q218014")]
    assert rows(wdqs, "SELECT ?state ?office WHERE { VALUES ?state { wd:Q17 wd:Q211 } ?state wdt:P1313 ?office }") == [
        (WD + "Q17", WD + "Q274948"), (WD + "Q211", WD + "Q369500")]


def test_a_head_of_government_keeps_his_position_held(wdqs):
    assert rows(wdqs, "SELECT ?office WHERE { wd:Q132345 wdt:P39 ?office }") == [(WD + "Q274948",)]
    assert rows(wdqs, "SELECT ?head WHERE { wd:Q17 wdt:P6 ?head }") == [(WD + "Q132345",), (str(RGD["shigeru-ishiba"]),)]


def test_a_stated_statement_carries_no_basis(wdqs):
    assert rows(wdqs, "SELECT ?s WHERE { wd:Q211 p:P463 ?s . ?s rg:basis ?b }") == []
    assert len(rows(wdqs, "SELECT ?s WHERE { wd:Q211 p:P463 ?s }")) == 3


def test_an_implied_description_is_marked_on_its_statement(wdqs):
    # Tokyo's country rests on the section heading; Riga's on the context
    assert rows(wdqs, """
        SELECT ?city ?basis WHERE {
          VALUES ?city { wd:Q1490 wd:Q1773 } ?city p:P17 ?s . ?s rg:basis ?basis ; rg:basisNote ?note .
        }""") == [(WD + "Q1490", str(RG.ImpliedByHeading)), (WD + "Q1773", str(RG.ImpliedByContext))]


# QuickStatements leaves implied statements out unless --with-implied asks.

IMPLIED_MEMBERSHIP = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgd: <https://w3id.org/relgraph/id/> .
@prefix s: <https://w3id.org/relgraph/id/sample/sentence/> .
@prefix wd: <http://www.wikidata.org/entity/> .
rgd:european-union rg:wikidata wd:Q458 .
rgd:latvia-eu-membership
    a rg:Membership ;
    rdfs:label "Latvia's membership of the European Union"@en ;
    rg:basis rg:ImpliedByContext ;
    rg:basisNote "Read from the NATO sentence, which does not name the EU."@en ;
    rg:member rgd:latvia ;
    rg:organization rgd:european-union ;
    rg:statedIn s:s2 .
"""
EU_LINE = 'Q211\tP463\tQ458\tS854\t"https://example.org/sample"\tS1683\ten:"Latvia joined NATO in 2004."\n'


@pytest.fixture
def sample(tmp_path):
    project = make_sample_project(tmp_path / "sample")
    (project / "data" / "implied.ttl").write_text(IMPLIED_MEMBERSHIP, encoding="utf-8")
    return project


def test_quickstatements_leaves_implied_statements_out_and_says_so(sample):
    result = CliRunner().invoke(cli, ["--project", str(sample), "export", "--profile", "quickstatements"])
    assert result.exit_code == 0, result.output
    assert "# 3 statements, one command each (its references merged); 1 statements that rest on context left out (--with-implied proposes them).\n" in result.stdout
    assert "Q458" not in result.stdout


def test_quickstatements_with_implied_proposes_them_after_a_line_saying_why(sample):
    result = CliRunner().invoke(cli, ["--project", str(sample), "export", "--profile", "quickstatements", "--with-implied"])
    assert result.exit_code == 0, result.output
    assert "# 4 statements, one command each (its references merged); 1 of them rest on context, each after a # implied line.\n" in result.stdout
    assert "# implied (ImpliedByContext): Read from the NATO sentence, which does not name the EU.\n" + EU_LINE in result.stdout


def test_the_wikidata_profile_marks_the_implied_statement(sample):
    result = CliRunner().invoke(cli, ["--project", str(sample), "export", "--profile", "wikidata", "--format", "nt"])
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="nt")
    assert rows(graph, "SELECT ?org ?basis ?note WHERE { wd:Q211 p:P463 ?s . ?s ps:P463 ?org . OPTIONAL { ?s rg:basis ?basis ; rg:basisNote ?note } }") == [
        (WD + "Q458", str(RG.ImpliedByContext), "Read from the NATO sentence, which does not name the EU."),
        (WD + "Q7184", None, None),
    ]


@pytest.mark.parametrize("profile", ["wikidata", "relgraph"])
def test_with_implied_is_only_for_quickstatements(sample, profile):
    result = CliRunner().invoke(cli, ["--project", str(sample), "export", "--profile", profile, "--with-implied"])
    assert result.exit_code == 2
    assert "with-implied" in result.output and "Traceback" not in result.output
