"""`relgraph export --profile wikidata`: the graph in Wikidata's RDF model, queried the way people
query the Wikidata Query Service (p:/ps:/pq:/pqv:, wdt:, prov:wasDerivedFrom/pr:), exact answers."""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from goldens import document_files
from project_copies import SEED
from relgraph import Catalogue, Project, inferred_for
from relgraph.cli import cli
from relgraph.link import export_wikidata
from relgraph.link.wikidata_export import WIKIDATA_PREFIXES
from wikidata_fixtures import ROOT, sample_project  # noqa: F401 (a fixture)

PREFIXES = "".join(f"PREFIX {p}: <{n}>\n" for p, n in WIKIDATA_PREFIXES.items())
SOURCE = URIRef("https://en.wikipedia.org/wiki/Japan%E2%80%93Latvia_relations")


def utc(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def export() -> bytes:
    """The seed document alone in Wikidata's model: the answers below are the seed's, whatever
    other documents data/ holds (another member of NATO, another relation of Latvia)."""
    project = Project.discover(ROOT)
    loaded = project.load(data_files=document_files(project, SEED))
    return export_wikidata(loaded, inferred_for(project, loaded, Catalogue.load(project.queries_dir)), format="turtle")


@pytest.fixture(scope="module")
def wdqs(export) -> Graph:
    return Graph().parse(data=export.decode("utf-8"), format="turtle")


def rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(t.toPython() if isinstance(t, Literal) else t for t in row) for row in graph.query(PREFIXES + query)]


def test_rigas_twinned_cities_with_their_start_time(wdqs):
    assert rows(wdqs, """
        SELECT ?city ?cityLabel ?start ?precision WHERE {
          wd:Q1773 p:P190 ?statement .
          ?statement ps:P190 ?city ;
                     pq:P580 ?start ;
                     pqv:P580/wikibase:timePrecision ?precision .
          ?city rdfs:label ?cityLabel . FILTER (LANG(?cityLabel) = "en")
        }""") == [(URIRef("http://www.wikidata.org/entity/Q48320"), "Kobe", utc(1974, 1, 1), 9)]


def test_latvias_diplomatic_relations(wdqs):
    assert rows(wdqs, "SELECT ?country WHERE { wd:Q211 wdt:P530 ?country }") == [(URIRef("http://www.wikidata.org/entity/Q17"),)]


def test_who_met_whom_and_when(wdqs):
    assert rows(wdqs, """
        SELECT ?aLabel ?bLabel ?when ?precision WHERE {
          ?meeting wdt:P31 rg:Meeting ;
                   wdt:P710 ?a , ?b ;
                   p:P585/psv:P585 [ wikibase:timeValue ?when ; wikibase:timePrecision ?precision ] .
          ?a rdfs:label ?aLabel . ?b rdfs:label ?bLabel .
          FILTER (LANG(?aLabel) = "en" && LANG(?bLabel) = "en" && STR(?aLabel) < STR(?bLabel))
        } ORDER BY ?when""") == [
        ("Māris Kučinskis", "Shinzo Abe", utc(2018, 1, 13), 11),
        ("Edgars Rinkēvičs", "Shigeru Ishiba", utc(2025, 5, 1), 10),
    ]


def test_members_of_nato_with_their_start_time(wdqs):
    assert rows(wdqs, """
        SELECT ?member ?start WHERE {
          ?member p:P463 [ ps:P463 wd:Q7184 ; pq:P580 ?start ] .
        }""") == [(URIRef("http://www.wikidata.org/entity/Q211"), utc(2004, 1, 1))]


def test_statements_carry_the_source_and_the_quoted_sentence(wdqs):
    assert rows(wdqs, """
        SELECT ?url ?quote WHERE {
          wd:Q48320 p:P190 [ prov:wasDerivedFrom [ pr:P854 ?url ; pr:P1683 ?quote ] ] .
        }""") == [(SOURCE, "In 1974, when Latvia was still in the Soviet Union, Kobe City became a sister city with the port city of Riga.")]
    assert {q.language for q in wdqs.objects(None, URIRef("http://www.wikidata.org/prop/reference/P1683"))} == {"en"}


def test_labels_in_every_language_and_truthy_types(wdqs):
    assert sorted(rows(wdqs, "SELECT ?label (LANG(?label) AS ?lang) WHERE { wd:Q1773 rdfs:label ?label }"), key=lambda r: r[1]) == [
        ("Riga", "en"), ("リガ", "ja"), ("Rīga", "lv"),
    ]
    assert wdqs.query(PREFIXES + "ASK { wd:Q211 wdt:P31 wd:Q3624078 ; a wikibase:Item }").askAnswer
    assert wdqs.query(PREFIXES + "ASK { wd:Q1773 wdt:P31/wdt:P279* rg:Settlement }").askAnswer


def test_entities_without_a_checked_qid_keep_their_relgraph_iri(wdqs):
    assert rows(wdqs, """
        SELECT ?partner ?start WHERE { rgd:rujiena p:P190 [ ps:P190 ?partner ; pq:P580 ?start ] ; wdt:P17 wd:Q211 }
    """) == [(URIRef("https://w3id.org/relgraph/id/higashikawa"), utc(2008, 1, 1))]
    assert not wdqs.query(PREFIXES + "ASK { ?s ?p ?o FILTER (STRSTARTS(STR(?s), 'http://www.wikidata.org/entity/statement/')) }").askAnswer


def test_dates_are_written_as_wikidata_writes_them(export):
    text = export.decode("utf-8")
    assert 'pq:P580 "1974-01-01T00:00:00Z"^^xsd:dateTime' in text
    assert "+00:00" not in text
    assert "wikibase:timeCalendarModel wd:Q1985727" in text


def test_export_is_deterministic_and_n_triples_are_sorted(sample_project):
    args = ["--project", str(sample_project), "export", "--profile", "wikidata"]
    first, second = CliRunner().invoke(cli, [*args, "--format", "nt"]), CliRunner().invoke(cli, [*args, "--format", "nt"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    lines = [line for line in first.stdout.splitlines() if not line.startswith("#")]
    assert lines == sorted(lines)
    turtle = CliRunner().invoke(cli, args)
    assert turtle.exit_code == 0
    assert len(Graph().parse(data=turtle.stdout, format="turtle")) == len(lines)


def test_the_embassy_gets_its_inception_with_month_precision(sample_project):
    result = CliRunner().invoke(cli, ["--project", str(sample_project), "export", "--profile", "wikidata"])
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert rows(graph, """
        SELECT ?time ?precision ?quote WHERE {
          rgd:embassy-of-japan-in-riga p:P571 [ psv:P571 [ wikibase:timeValue ?time ; wikibase:timePrecision ?precision ] ;
                                                 prov:wasDerivedFrom/pr:P1683 ?quote ] ;
                                       wdt:P137 wd:Q17 ; wdt:P17 wd:Q211 ; wdt:P131 rgd:riga .
        }""") == [(utc(2000, 1, 1), 10, 'The "new" Embassy of Japan opened in Riga in January 2000.')]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "wikidata", "--format", "jsonld"], "relgraph: error: parameter 'format': the wikidata profile is written as turtle or nt, not jsonld\n"),
        (["--profile", "quickstatements", "--format", "nt"], "relgraph: error: parameter 'format': the quickstatements profile has its own format; omit --format\n"),
    ],
)
def test_bad_format_for_a_profile_is_a_clean_error(sample_project, args, message):
    result = CliRunner().invoke(cli, ["--project", str(sample_project), "export", *args])
    assert result.exit_code == 2
    assert result.stderr == message
