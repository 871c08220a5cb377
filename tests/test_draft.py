"""`relgraph draft SLUG`: what it proposes from a text, as a curator sees it in data/SLUG/draft.ttl.

The test articles (tests/fixtures/articles/, written for these tests) are drafted in a copy of
the project with the CLI; the assertions name specific facts: their type, participants and dates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from draft_fixtures import ARTICLE_SLUGS, ARTICLES, HELD_OUT, ROOT, SEED, document_graph, gold_graph, seed_data
from project_copies import copy_real_project
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from relgraph.cli import cli
from relgraph.curation.dates import DateValue, find_dates
from relgraph.curation.registry import RGC
from relgraph.validation.reference import validate
from relgraph.vocab import RG, RGD

DOCUMENT_TTL = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgd: <https://w3id.org/relgraph/id/> .

rgd:{slug} a rg:SourceDocument ;
    dcterms:title "{slug}"@en ;
    rdfs:label "{slug} (test article)"@en ;
    dcterms:source <https://example.org/{slug}> ;
    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
    rg:localCopy "source.txt" .
"""


# Dates ----------------------------------------------------------------------------------


def only_date(text: str, **kwargs) -> tuple:
    mentions = [m for m in find_dates(text, **kwargs)]
    assert len(mentions) == 1, mentions
    m = mentions[0]
    return (m.value and (m.value.value, m.value.datatype), m.end and (m.end.value, m.end.datatype), m.note)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The treaty was signed on 12 June 1955.", ("1955-06-12", "date")),
        ("The treaty was signed on June 12, 1955.", ("1955-06-12", "date")),
        ("12 June 1955 saw the first visit.", ("1955-06-12", "date")),
        ("In April 1998 the embassy opened.", ("1998-04", "gYearMonth")),
        ("On April 2006, he travelled to Japan.", ("2006-04", "gYearMonth")),
        ("The consulate opened in 1962.", ("1962", "gYear")),
    ],
)
def test_a_date_keeps_the_precision_of_the_text(text, expected):
    assert only_date(text) == (expected, None, None)


def test_a_day_range_is_a_start_and_an_end():
    assert only_date("On 3–5 October 2011 the king visited.") == (("2011-10-03", "date"), ("2011-10-05", "date"), None)
    assert only_date("He visited on October 3-5, 2011.") == (("2011-10-03", "date"), ("2011-10-05", "date"), None)


@pytest.mark.parametrize(
    "text, previous, expected",
    [
        ("The following year, the embassy opened.", DateValue("1998-04", "gYearMonth"), ("1999", "gYear")),
        ("Two months later, it closed.", DateValue("1998-04", "gYearMonth"), ("1998-06", "gYearMonth")),
        ("Two months later, it closed.", DateValue("1998-11-20", "date"), ("1999-01", "gYearMonth")),
        ("A year later, it closed.", DateValue("2001-05-02", "date"), ("2002", "gYear")),
    ],
)
def test_a_relative_date_counts_from_the_date_before_it(text, previous, expected):
    assert only_date(text, previous=previous) == (expected, None, None)


def test_a_relative_date_counts_from_an_earlier_date_of_the_same_sentence():
    mentions = find_dates("Relations ended in 1940, and were restored the following year.")
    assert [(m.value.value, m.relative) for m in mentions] == [("1940", False), ("1941", True)]


@pytest.mark.parametrize(
    "text, previous",
    [
        ("Two months later, it closed.", DateValue("1998", "gYear")),  # no month to count from
        ("Two months later, it closed.", None),  # nothing to count from
        ("The visit took place on 31 February 2001.", None),  # no such day
        ("Trade grew in the 1990s.", None),  # no year
    ],
)
def test_a_date_it_cannot_pin_down_is_left_out_with_a_note(text, previous):
    value, end, note = only_date(text, previous=previous)
    assert value is None and end is None
    assert note.startswith("date left out")


@pytest.mark.parametrize("text", ["Exports totalled ¥ 7.32 billion.", "Some 1,500 people came.", "It cost €2.50 million."])
def test_amounts_are_not_years(text):
    assert find_dates(text) == []


# Drafting in a copy of the project ------------------------------------------------------


def add_document(project: Path, slug: str, text: str) -> Path:
    folder = project / "data" / slug
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(text, encoding="utf-8")
    (folder / "document.ttl").write_text(DOCUMENT_TTL.format(slug=slug), encoding="utf-8")
    return folder


def run_draft(project: Path, slug: str):
    return CliRunner().invoke(cli, ["--project", str(project), "draft", slug], catch_exceptions=False)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> dict[str, tuple[Graph, str, bytes]]:
    """Each test article drafted with the CLI in one copy of the project: (draft, summary, bytes)."""
    project = copy_real_project(tmp_path_factory.mktemp("project"))
    results = {}
    for slug in ARTICLE_SLUGS:
        folder = add_document(project, slug, (ARTICLES / slug / "source.txt").read_text(encoding="utf-8"))
        result = run_draft(project, slug)
        assert result.exit_code == 0, result.output
        data = (folder / "draft.ttl").read_bytes()
        results[slug] = (Graph().parse(data=data, format="turtle"), result.output, data)
    results["_project"] = project
    return results


def facts(graph: Graph, cls: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, cls) if (s, RGC.kind, Literal("fact")) in graph)


def has(graph: Graph, node, **values) -> bool:
    return all(
        set(graph.objects(node, RG[prop])) == (set(value) if isinstance(value, (set, list, tuple)) else {value})
        for prop, value in values.items()
    )


def one(graph: Graph, cls: URIRef, **values) -> URIRef:
    found = [f for f in facts(graph, cls) if has(graph, f, **values)]
    assert len(found) == 1, f"{cls} with {values}: {found} among {facts(graph, cls)}"
    return found[0]


def d(value: str) -> Literal:
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(value)]
    return Literal(value, datatype=datatype)


def holder_label(graph: Graph, holding: URIRef) -> str:
    return str(graph.value(graph.value(holding, RG.holder), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))


def test_the_short_article(drafted):
    graph = drafted["chile-estonia-relations"][0]
    estonia, chile = RGD.estonia, RGD.chile
    one(graph, RG.DeJureRecognition, recognizedState=estonia, recognizingBody=RGD["allied-supreme-council"], date=d("1921-01-26"))
    one(graph, RG.DeJureRecognition, recognizedState=estonia, recognizingState=chile, date=d("1922-01-27"))
    one(graph, RG.RelationsEstablishment, date=d("1992-03-05"))
    accreditation = one(graph, RG.ConcurrentAccreditation, accreditedTo=chile)
    mission = graph.value(accreditation, RG.mission)
    assert has(graph, mission, sendingState=estonia, hostState=RGD.argentina, seat=RGD["buenos-aires"])
    visit = one(graph, RG.OfficialVisit, fromState=estonia, toState=chile, date=d("2019-03"))
    assert holder_label(graph, graph.value(visit, RG.visitorCapacity)) == "Kersti Kaljulaid"
    meeting = one(graph, RG.Meeting, location=RGD.santiago, duringVisit=visit)
    assert sorted(holder_label(graph, h) for h in graph.objects(meeting, RG.participantCapacity)) == ["Kersti Kaljulaid", "Sebastián Piñera"]
    # A cue types a new entity: "an honorary consulate in Tallinn".
    consulate = next(graph.subjects(RDF.type, RG.HonoraryConsulate))
    assert has(graph, consulate, sendingState=chile, hostState=estonia, seat=RGD.tallinn)


def test_the_article_with_consulates_and_agreements(drafted):
    graph = drafted["norway-portugal-relations"][0]
    norway, portugal = RGD.norway, RGD.portugal
    one(graph, RG.Recognition, recognizingState=portugal, recognizedState=norway, date=d("1905-11-09"))
    one(graph, RG.RelationsEnd, date=d("1940"))
    one(graph, RG.RelationsReestablishment, date=d("1941"))  # "the following year"
    move = one(graph, RG.MissionRelocation, fromSeat=RGD.stockholm, toSeat=RGD.oslo, date=d("1980"))
    assert has(graph, graph.value(move, RG.mission), sendingState=portugal, hostState=norway)
    envoy = one(graph, RG.OfficeHolding, resident=Literal(False), residence=RGD.stockholm)
    assert has(graph, graph.value(envoy, RG.office), officeOf=portugal, accreditedTo=norway)
    charge = one(graph, RG.OfficeHolding, ordinal=Literal(1), startDate=d("1955-03"))
    assert (graph.value(charge, RG.office), RDF.type, RG.ChargeDAffairesOffice) in graph
    assert holder_label(graph, charge) == "Jorge Mendes"
    opened = one(graph, RG.MissionOpening, date=d("1921"))
    assert (graph.value(opened, RG.mission), RDF.type, RG.Consulate) in graph
    closed = one(graph, RG.MissionClosure, date=d("2003"))
    assert graph.value(closed, RG.mission) == graph.value(opened, RG.mission)
    signing = one(graph, RG.AgreementSigning, party={norway, portugal}, date=d("1998-04"))
    assert graph.value(graph.value(signing, RG.agreement), RG.agreementSubject) == Literal("social security", lang="en")
    one(graph, RG.AgreementSigning, party={norway, portugal}, location=RGD.oslo, date=d("1964-06-12"))
    visit = one(graph, RG.Visit, fromState=norway, toState=portugal, startDate=d("2011-10-03"), endDate=d("2011-10-05"))
    assert not list(graph.objects(visit, RG.date))


def test_the_article_with_trade_and_visits(drafted):
    graph = drafted["lithuania-south-korea-relations"][0]
    lithuania, korea = RGD.lithuania, RGD["south-korea"]
    exports = one(graph, RG.TradeFlow, exporter=lithuania, importer=korea, date=d("2021"))
    assert graph.value(exports, RG.amount).toPython() == 180_000_000 and has(graph, exports, currency=Literal("EUR"))
    products = set(graph.objects(exports, RG.principalProduct))
    assert RGD.furniture in products  # the seed's product, reused (no candidate for it)
    assert {str(graph.value(p, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) for p in products - {RGD.furniture}} == {"dairy products", "lasers"}
    imports = one(graph, RG.TradeFlow, exporter=korea, importer=lithuania, date=d("2021"))
    assert graph.value(imports, RG.amount).toPython() == 310_000_000
    call = one(graph, RG.PortCall, fromState=korea, toState=lithuania, date=d("2014-09"))
    assert (call, RDF.type, RG.MilitaryVisit) in graph
    assert has(graph, graph.value(call, RG.vessel), flagState=korea)
    one(graph, RG.Visit, fromState=lithuania, toState=korea, destination=RGD.seoul, date=d("2012-01"))  # "two months later"
    one(graph, RG.Visit, fromState=lithuania, toState=korea, startDate=d("2012-05-21"), endDate=d("2012-05-23"))
    one(graph, RG.SisterCityPartnership, partner={RGD.kaunas, RGD.daegu}, startDate=d("2009"))
    one(graph, RG.Membership, member=lithuania, organization=RGD["european-union"], startDate=d("2004"))


def test_the_draft_reports_what_it_proposed(drafted):
    graph, summary, _ = drafted["chile-estonia-relations"]
    assert "sentences: 8\n" in summary
    assert "fact DeJureRecognition: 2\n" in summary
    assert "sentences with no candidate: 0 (none)" in summary
    ids = [str(o) for o in graph.objects(None, RGC.candidate)]
    assert len(ids) == len(set(ids)) == len(set(graph.subjects(RGC.candidate, None)))
    for node in graph.subjects(RGC.candidate, None):
        assert str(graph.value(node, RGC.kind)) in ("entity", "fact")
        assert graph.value(node, RGC.rule) is not None
        assert 0 <= graph.value(node, RGC.confidence).toPython() <= 1
        if str(graph.value(node, RGC.kind)) == "fact":
            assert str(graph.value(node, RG.statedIn)).startswith(str(RGD["chile-estonia-relations"]) + "/sentence/s")


def test_the_draft_is_deterministic_turtle(drafted):
    project = drafted["_project"]
    first = drafted["norway-portugal-relations"][2]
    assert run_draft(project, "norway-portugal-relations").exit_code == 0
    assert (project / "data" / "norway-portugal-relations" / "draft.ttl").read_bytes() == first


def test_the_draft_is_the_same_bytes_in_another_process(drafted):
    project = drafted["_project"]
    path = project / "data" / "chile-estonia-relations" / "draft.ttl"
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=str(ROOT / "src"))
    subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(project), "draft", "chile-estonia-relations"],
                   check=True, capture_output=True, env=env)
    assert path.read_bytes() == drafted["chile-estonia-relations"][2]


def without_marks(graph: Graph) -> Graph:
    kept = Graph()
    for triple in graph:
        if not str(triple[1]).startswith(str(RGC)):
            kept.add(triple)
    return kept


def ontology_and_shapes() -> tuple[Graph, Graph]:
    ontology = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        if path.name != "shapes.ttl":
            ontology.parse(path, format="turtle")
    return ontology, Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


def results(report) -> list[str]:
    graph = report.results_graph
    return sorted(f"{graph.value(r, SH.focusNode)}: {graph.value(r, SH.resultMessage)}" for r in graph.subjects(RDF.type, SH.ValidationResult))


@pytest.mark.parametrize("slug", ARTICLE_SLUGS)
def test_accepted_candidates_conform(drafted, slug):
    ontology, shapes = ontology_and_shapes()
    text = (ARTICLES / slug / "source.txt").read_text(encoding="utf-8")
    data = seed_data() + document_graph(slug, text) + without_marks(drafted[slug][0])
    assert results(validate(data=data, ontology=ontology, shapes=shapes)) == []


@pytest.mark.parametrize("slug", ARTICLE_SLUGS + HELD_OUT)
def test_the_gold_of_each_article_conforms(slug):
    ontology, shapes = ontology_and_shapes()
    text = (ARTICLES / slug / "source.txt").read_text(encoding="utf-8")
    data = seed_data() + document_graph(slug, text) + gold_graph(slug)
    assert results(validate(data=data, ontology=ontology, shapes=shapes)) == []


# Reuse of the graph's entities, and dates the text does not give -----------------------


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_real_project(tmp_path)


def draft_of(project: Path, slug: str, text: str) -> Graph:
    folder = add_document(project, slug, text)
    result = run_draft(project, slug)
    assert result.exit_code == 0, result.output
    return Graph().parse(folder / "draft.ttl", format="turtle")


def test_entities_are_reused_by_label_without_diacritics(project):
    text = ("= Japan–Latvia relations =\n\n== Towns ==\nIn 2008, Higashikawa and Rujiena became sister cities. "
            "On 2 May 2018, Prime Minister Maris Kucinskis travelled to Japan.\n")
    graph = draft_of(project, "japan-latvia-towns", text)
    one(graph, RG.SisterCityPartnership, partner={RGD.higashikawa, RGD.rujiena}, startDate=d("2008"))
    visit = one(graph, RG.Visit, fromState=RGD.latvia, toState=RGD.japan, date=d("2018-05-02"))
    assert graph.value(visit, RG.visitorCapacity) == RGD["maris-kucinskis-as-prime-minister-of-latvia"]
    # nothing the graph holds is proposed again
    assert not set(graph.subjects(RGC.kind, Literal("entity"))) & set(seed_data().subjects())


def test_a_day_or_month_is_never_invented(project):
    text = ("= Chile–Estonia relations =\n\nIn 1998 Chile opened an embassy in Tallinn. "
            "Two months later, Estonia opened an embassy in Santiago.\n")
    graph = draft_of(project, "chile-estonia-missions", text)
    first = one(graph, RG.MissionOpening, date=d("1998"))
    assert "Chile" in str(graph.value(graph.value(first, RG.mission), URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    [second] = [f for f in facts(graph, RG.MissionOpening) if f != first]
    assert list(graph.objects(second, RG.date)) == []
    assert any("left out" in str(note) for note in graph.objects(second, RGC.note))


def test_a_folder_with_only_a_source_and_its_document_node_is_drafted(project):
    folder = project / "data" / "only-text"
    folder.mkdir()
    (folder / "source.txt").write_text("= Chile–Estonia relations =\n\nThe two countries established diplomatic relations on 5 March 1992.\n", encoding="utf-8")
    result = run_draft(project, "only-text")
    assert result.exit_code == 0, result.output
    graph = Graph().parse(folder / "draft.ttl", format="turtle")
    one(graph, RG.RelationsEstablishment, date=d("1992-03-05"))


def test_a_missing_document_is_bad_input(project):
    result = CliRunner().invoke(cli, ["--project", str(project), "draft", "no-such-document"])
    assert result.exit_code == 2
    assert "no-such-document" in result.output and "source.txt" in result.output
    assert not (project / "data" / "no-such-document").exists()


def test_the_seed_draft_reuses_the_seed_entities(project):
    result = run_draft(project, SEED)
    assert result.exit_code == 0, result.output
    graph = Graph().parse(project / "data" / SEED / "draft.ttl", format="turtle")
    one(graph, RG.DeFactoRecognition, recognizingState=RGD.japan, recognizedState=RGD.latvia, renewed=Literal(True), date=d("1991-09-06"))
    one(graph, RG.RelationsReestablishment, relation=RGD["japan-latvia-diplomatic-relations"], date=d("1991-10-10"))
    one(graph, RG.ConcurrentAccreditation, mission=RGD["embassy-of-japan-in-sweden"], accreditedTo=RGD.latvia, startDate=d("1992-06"))
    one(graph, RG.SisterCityPartnership, partner={RGD.kobe, RGD.riga}, startDate=d("1974"))
