"""The Wikidata export as a Wikibase RDF dump: the query idioms WDQS users write, run unchanged on
the seed document's export (answers are the seed's, whatever other documents data/ holds).

P31/P279* to a Wikidata class, p:/ps:/pq:, psv:/pqv: with wikibase:timePrecision, references
(prov:wasDerivedFrom), labels in a language (rdfs:label, skos:prefLabel, schema:name), property
entities (wikibase:directClaim and the rest), the dump header; the label service on the export
is in tests/test_label_service.py.
"""

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
WD = "http://www.wikidata.org/entity/"
RGD = "https://w3id.org/relgraph/id/"


def wd(code: str) -> URIRef:
    return URIRef(WD + code)


@pytest.fixture(scope="module")
def export() -> bytes:
    project = Project.discover(ROOT)
    loaded = project.load(data_files=document_files(project, SEED))
    return export_wikidata(loaded, inferred_for(project, loaded, Catalogue.load(project.queries_dir)), format="turtle")


@pytest.fixture(scope="module")
def dump(export) -> Graph:
    return Graph().parse(data=export.decode("utf-8"), format="turtle")


def rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(t.toPython() if isinstance(t, Literal) else t for t in row) for row in graph.query(PREFIXES + query)]


def test_cities_through_instance_of_subclass_of(dump):
    # Riga and Kobe are port cities (rg:PortCity, a subclass of rg:City, whose Wikidata class is Q515)
    assert rows(dump, """
        SELECT ?city ?name WHERE {
          ?city wdt:P31/wdt:P279* wd:Q515 ; rdfs:label ?name . FILTER (LANG(?name) = "en")
        } ORDER BY ?name""") == [(wd("Q48320"), "Kobe"), (wd("Q35765"), "Osaka"), (wd("Q1773"), "Riga"), (wd("Q1490"), "Tokyo")]


def test_humans_and_international_organizations_are_typed_with_wikidata_classes(dump):
    assert rows(dump, """
        SELECT ?name WHERE {
          ?person wdt:P31 wd:Q5 ; schema:name ?name . FILTER (LANG(?name) = "en" && STRSTARTS(STR(?person), STR(wd:)))
        } ORDER BY ?name""") == [
        ("Aigars Kalvītis",), ("Edgars Rinkēvičs",), ("Ivars Godmanis",), ("Michiko",), ("Māris Kučinskis",),
        ("Naruhito",), ("Shinzo Abe",), ("Valdis Dombrovskis",),
    ]
    assert rows(dump, "SELECT ?org WHERE { ?org wdt:P31 wd:Q484652 } ORDER BY ?org") == [(wd("Q41550"),), (wd("Q458"),), (wd("Q7184"),)]
    assert rows(dump, "SELECT ?office WHERE { ?office wdt:P31 wd:Q48352 } ORDER BY ?office") == [(wd("Q208233"),), (wd("Q218014"),)]


def test_unmapped_classes_are_named_in_the_leading_comment(export, dump):
    comment = [line for line in export.decode("utf-8").splitlines() if line.startswith("#")]
    listed = {line.strip("# ") for line in comment[2:]}
    assert "https://w3id.org/relgraph/ontology#Meeting" in listed
    assert "https://w3id.org/relgraph/ontology#Person" not in listed  # Q5
    # what the comment lists is exactly the relgraph classes used as P31 values
    used = {str(c) for (c,) in dump.query(PREFIXES + "SELECT DISTINCT ?c { ?s wdt:P31 ?c FILTER (STRSTARTS(STR(?c), STR(rg:))) }")}
    assert listed == used
    assert comment[1].startswith(f"# {len(used)} classes have no checked Wikidata class")


def test_position_held_with_start_time_precision_and_reference(dump):
    assert rows(dump, """
        SELECT ?holder ?office ?start ?precision ?quote WHERE {
          ?holder p:P39 ?statement .
          ?statement ps:P39 ?office ; pq:P580 ?start ;
                     pqv:P580 [ wikibase:timePrecision ?precision ; wikibase:timeCalendarModel wd:Q1985727 ] ;
                     prov:wasDerivedFrom/pr:P1683 ?quote .
        }""") == [(
        URIRef(RGD + "first-resident-japanese-ambassador-to-latvia"), URIRef(RGD + "ambassador-of-japan-to-latvia"),
        datetime.datetime(2009, 1, 1, tzinfo=datetime.timezone.utc), 9,
        "In June 1992, the Japanese Embassy in Sweden began to accredit Latvia, and as exchanges deepened, "
        "the first permanent Japanese ambassador to Latvia took up his post in 2009.",
    )]


def test_statements_that_rest_on_context_are_marked(dump):
    # the prime ministers of Latvia are listed under a heading; Shigeru Ishiba's office follows from context
    assert rows(dump, """
        SELECT ?holder ?basis WHERE {
          ?holder p:P39 [ ps:P39 ?office ; rg:basis ?basis ] . ?office wdt:P31 wd:Q2285706 .
        } ORDER BY ?holder""") == [
        (wd("Q210715"), URIRef("https://w3id.org/relgraph/ontology#ImpliedByHeading")),
        (wd("Q210822"), URIRef("https://w3id.org/relgraph/ontology#ImpliedByHeading")),
        (wd("Q57630"), URIRef("https://w3id.org/relgraph/ontology#ImpliedByHeading")),
        (wd("Q6112509"), URIRef("https://w3id.org/relgraph/ontology#ImpliedByHeading")),
        (URIRef(RGD + "shigeru-ishiba"), URIRef("https://w3id.org/relgraph/ontology#ImpliedByContext")),
    ]


def test_labels_in_a_language_in_the_three_forms_of_the_dump(dump):
    for predicate in ("rdfs:label", "skos:prefLabel", "schema:name"):
        assert rows(dump, f'SELECT ?label WHERE {{ wd:Q211 {predicate} ?label FILTER (LANG(?label) = "lv") }}') == [("Latvija",)]
    assert rows(dump, 'SELECT ?label WHERE { wd:Q217096 wdt:P39 ?office . ?office rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "ja")) }') == [("天皇",)]
    assert rows(dump, 'SELECT ?description WHERE { wd:Q5 schema:description ?description FILTER (LANG(?description) = "en") }') == [
        ("A human being, named or (where the source does not name them) described.",),
    ]


def test_property_entities_name_every_form_of_their_property(dump):
    assert rows(dump, """
        SELECT ?property ?type ?claim ?statement ?value ?qualifier ?reference WHERE {
          ?property wikibase:directClaim wdt:P530 ; wikibase:propertyType ?type ; wikibase:claim ?claim ;
                    wikibase:statementProperty ?statement ; wikibase:statementValue ?value ;
                    wikibase:qualifier ?qualifier ; wikibase:reference ?reference ; a wikibase:Property .
        }""") == [(
        wd("P530"), URIRef("http://wikiba.se/ontology#WikibaseItem"), URIRef("http://www.wikidata.org/prop/P530"),
        URIRef("http://www.wikidata.org/prop/statement/P530"), URIRef("http://www.wikidata.org/prop/statement/value/P530"),
        URIRef("http://www.wikidata.org/prop/qualifier/P530"), URIRef("http://www.wikidata.org/prop/reference/P530"),
    )]
    assert rows(dump, "SELECT ?type { wd:P580 wikibase:propertyType ?type }") == [(URIRef("http://wikiba.se/ontology#Time"),)]
    # the WDQS idiom: from a direct claim to its property entity's label-free form, for every property used
    assert not dump.query(PREFIXES + """
        ASK { ?s ?wdt ?o . FILTER (STRSTARTS(STR(?wdt), STR(wdt:))) FILTER NOT EXISTS { ?property wikibase:directClaim ?wdt } }
    """).askAnswer


def test_the_dump_header(dump):
    assert rows(dump, """
        SELECT ?version ?modified ?ontology WHERE {
          wikibase:Dump a schema:Dataset , owl:Ontology ; schema:softwareVersion ?version ;
                        schema:dateModified ?modified ; owl:imports ?ontology .
        }""") == [("1.0.0", datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc), URIRef("http://wikiba.se/ontology-1.0.owl"))]


def test_date_modified_comes_from_source_date_epoch_and_bad_values_are_refused(sample_project):
    args = ["--project", str(sample_project), "export", "--profile", "wikidata", "--format", "nt"]
    first = CliRunner(env={"SOURCE_DATE_EPOCH": "1764633600"}).invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert ('<http://wikiba.se/ontology#Dump> <http://schema.org/dateModified> '
            '"2025-12-02T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .') in first.stdout.splitlines()
    again = CliRunner(env={"SOURCE_DATE_EPOCH": "1764633600"}).invoke(cli, args)
    assert again.stdout == first.stdout
    bad = CliRunner(env={"SOURCE_DATE_EPOCH": "yesterday"}).invoke(cli, args)
    assert bad.exit_code == 2
    assert bad.stderr == "relgraph: error: parameter 'SOURCE_DATE_EPOCH': expected a whole number of seconds since 1970, got 'yesterday'\n"
    assert bad.stdout == ""


def test_every_wikidata_class_of_the_export_is_a_checked_identifier():
    """rg:wikidataClass (export only) names only items of data/wikidata-ids.md, as rg:wikidata does."""
    import re

    from rdflib.namespace import RDF

    from relgraph.vocab import RG

    checked = set(re.findall(r"\|\s*(Q[1-9][0-9]*)\s*\|", (ROOT / "data" / "wikidata-ids.md").read_text(encoding="utf-8")))
    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        if path.name != "shapes.ttl":
            ontology.parse(path)
    classes = {str(o).rsplit("/", 1)[-1] for o in ontology.objects(None, RG.wikidataClass)}
    assert classes == {"Q5", "Q515", "Q484652", "Q48352", "Q2285706"}
    assert classes <= checked
    assert (RG.wikidataClass, RDF.type, URIRef("http://www.w3.org/2002/07/owl#AnnotationProperty")) in ontology
