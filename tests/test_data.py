"""The curated data against its source: quotes, sentences, dates, defects, Wikidata links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from relgraph.project import Project
from relgraph.sources import split_file
from relgraph.vocab import OA, RG, RGD

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
WIKIDATA_IDS = ROOT.parent / "shared" / "reference" / "wikidata-ids.md"


@pytest.fixture(scope="module")
def data() -> Graph:
    """The asserted data as the project loads it (with the sentences generated from the texts)."""
    return Project.discover(ROOT).load().asserted


def documents(graph: Graph):
    """Each source document with the path of its text, resolved against its own folder."""
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        local = Graph()
        for path in sorted(folder.glob("*.ttl")):
            if path.name != "draft.ttl":
                local.parse(path)
        for doc in sorted(local.subjects(RDF.type, RG.SourceDocument)):
            copies = list(local.objects(doc, RG.localCopy))
            assert len(copies) == 1, f"{doc} needs exactly one rg:localCopy"
            path = folder / str(copies[0])
            assert path.is_file(), f"{doc}: its local copy {path} is missing"
            yield doc, path


def test_every_quote_occurs_verbatim_in_its_source(data):
    checked = 0
    for doc, path in documents(data):
        text = path.read_text(encoding="utf-8")
        for sentence in data.subjects(OA.hasSource, doc):
            for quote in data.objects(sentence, OA.hasSelector / OA.exact):
                assert str(quote) in text, f"{sentence}: quote not in {path.name}: {quote!r}"
                checked += 1
    assert checked >= 44


def test_sentence_nodes_are_exactly_the_units_of_the_source(data):
    for doc, path in documents(data):
        units = {(u.position, u.section, u.text) for u in split_file(path)}
        nodes = set()
        for sentence in data.subjects(OA.hasSource, doc):
            nodes.add(
                (
                    int(data.value(sentence, RG.position)),
                    str(data.value(sentence, RG.section)),
                    str(data.value(sentence, OA.hasSelector / OA.exact)),
                )
            )
        assert nodes == units


def test_every_fact_node_names_a_sentence(data):
    fact_classes = {
        RG.Visit, RG.OfficialVisit, RG.Meeting, RG.Membership, RG.OfficeHolding, RG.TradeFlow,
        RG.Grant, RG.SisterCityPartnership, RG.MissionOpening, RG.MissionClosure,
        RG.RelationsEstablishment, RG.RelationsEnd, RG.RelationsReestablishment,
        RG.DeFactoRecognition, RG.Recognition, RG.ConcurrentAccreditation, RG.Assessment,
        RG.SourceDefect, RG.AssistanceProgram, RG.CulturalGrantAid, RG.TechnicalCooperation,
    }
    nodes = {s for cls in fact_classes for s in data.subjects(RDF.type, cls)}
    assert len(nodes) > 60
    missing = sorted(n for n in nodes if (n, RG.statedIn, None) not in data)
    assert missing == []


def test_sentences_without_facts_say_why(data):
    stated = set(data.objects(None, RG.statedIn))
    silent = {
        int(data.value(s, RG.position))
        for s in data.subjects(RDF.type, RG.Sentence)
        if s not in stated
    }
    reasoned = {
        int(data.value(s, RG.position)) for s in data.subjects(RG.noFactReason, None)
    }
    # Infobox, the map caption, and the two See-also links.
    assert silent == reasoned == {1, 2, 43, 44}


@pytest.mark.parametrize(
    ("node", "prop", "value"),
    [
        ("japan-re-recognizes-latvia-1991", RG.date, Literal("1991-09-06", datatype=XSD.date)),
        ("japan-latvia-relations-reestablished-1991", RG.date, Literal("1991-10-10", datatype=XSD.date)),
        ("visit-2006-04-kalvitis-to-japan", RG.date, Literal("2006-04", datatype=XSD.gYearMonth)),
        ("embassy-of-latvia-in-tokyo-opened-2006", RG.date, Literal("2006", datatype=XSD.gYear)),
        ("embassy-of-japan-in-sweden-accredited-to-latvia", RG.startDate, Literal("1992-06", datatype=XSD.gYearMonth)),
        ("kobe-riga-sister-cities", RG.startDate, Literal("1974", datatype=XSD.gYear)),
        ("meeting-2018-01-13-abe-kucinskis", RG.date, Literal("2018-01-13", datatype=XSD.date)),
    ],
)
def test_dates_keep_the_precision_of_the_text(data, node, prop, value):
    values = list(data.objects(RGD[node], prop))
    assert values == [value]
    assert values[0].datatype == value.datatype


@pytest.mark.parametrize(
    ("entity", "label", "source_spelling"),
    [("rujiena", "Rūjiena", "Rujena"), ("peteris-vaivars", "Pēteris Vaivars", "Peteris Vaivars")],
)
def test_misspelled_names_keep_the_correct_label_and_the_source_spelling(
    data, entity, label, source_spelling
):
    node = RGD[entity]
    assert Literal(label, lang="en") in set(data.objects(node, RDFS.label))
    assert Literal(source_spelling, lang="en") in set(data.objects(node, SKOS.altLabel))
    defects = set(data.subjects(RG.concerns, node))
    assert len(defects) == 1
    (defect,) = defects
    assert data.value(defect, RG.defectKind) == RG.MissingDiacritics
    assert str(data.value(defect, RG.sourceText)) == source_spelling
    assert str(data.value(defect, RG.correction)) == label


def test_blank_name_and_duplicate_listing_are_recorded(data):
    kinds = {
        data.value(d, RG.defectKind): data.value(d, RG.concerns)
        for d in data.subjects(RDF.type, RG.SourceDefect)
    }
    assert kinds[RG.BlankName] == RGD["first-latvian-ambassador-to-japan"]
    assert kinds[RG.DuplicateListing] == RGD["kansai-japan-latvia-association"]
    # One association is recorded, not two.
    associations = [
        a for a in data.subjects(RDF.type, RG.FriendshipAssociation)
        if "Kansai" in str(data.value(a, RDFS.label))
    ]
    assert associations == [RGD["kansai-japan-latvia-association"]]


def checked_qids() -> dict[str, str]:
    """QID -> entity name, from the table of items in shared/reference/wikidata-ids.md."""
    table = {}
    for line in WIKIDATA_IDS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*([^|]+?)\s*\|\s*(Q\d+)\s*\|", line)
        if match:
            table[match.group(2)] = match.group(1)
    return table


def test_wikidata_links_use_only_checked_identifiers(data):
    checked = checked_qids()
    assert len(checked) == 29
    linked = {
        str(item).rsplit("/", 1)[1]
        for item in data.objects(None, RG.wikidata)
    }
    ontology = Graph().parse(ROOT / "ontology" / "relgraph.ttl")
    linked |= {str(item).rsplit("/", 1)[1] for item in ontology.objects(None, RG.wikidata)}
    assert linked <= set(checked), f"unchecked QIDs: {sorted(linked - set(checked))}"
    # The Russian Empire is in the list, but the source never names it (only the Russian Revolution).
    assert {checked[q] for q in set(checked) - linked} == {"Russian Empire"}


def test_wikidata_links_are_not_owl_same_as(data):
    assert not list(data.triples((None, URIRef("http://www.w3.org/2002/07/owl#sameAs"), None)))


def test_well_known_names_have_japanese_and_latvian_labels(data):
    for entity in ("japan", "latvia", "riga", "tokyo", "european-union", "nato", "oecd"):
        langs = {label.language for label in data.objects(RGD[entity], RDFS.label)}
        assert {"en", "ja", "lv"} <= langs, entity
