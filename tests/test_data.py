"""The curated data against its source: quotes, sentences, dates, defects, Wikidata links."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from relgraph.link.names import fold
from relgraph.project import Project
from relgraph.sources import split_file
from relgraph.vocab import OA, RG, RGD

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
WIKIDATA_IDS = DATA / "wikidata-ids.md"


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
        RG.VisitWithinState,
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
    """QID -> entity name, from the table of items in data/wikidata-ids.md."""
    return {qid: name for qid, (name, _) in checked_rows().items()}


def checked_rows() -> dict[str, tuple[str, str]]:
    """QID -> (entity name, status), from the table of items in data/wikidata-ids.md."""
    table: dict[str, tuple[str, str]] = {}
    for line in WIKIDATA_IDS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*([^|]+?)\s*\|\s*(Q\d+)\s*\|\s*([^|]*?)\s*\|", line)
        if match:
            assert match.group(2) not in table, f"{match.group(2)} is listed twice in {WIKIDATA_IDS}"
            table[match.group(2)] = (match.group(1), match.group(3))
    return table


def linked_entities() -> dict[str, list[URIRef]]:
    """QID -> the nodes of data/ and ontology/ that rg:wikidata links to it."""
    graph = Graph()
    for path in sorted(DATA.rglob("*.ttl")) + sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path)
    linked: dict[str, list[URIRef]] = {}
    for node, item in graph.subject_objects(RG.wikidata):
        linked.setdefault(str(item).rsplit("/", 1)[1], []).append(node)
    return linked


def test_the_checked_identifiers_live_in_the_project_with_their_evidence():
    rows = checked_rows()
    assert rows, f"no identifiers in {WIKIDATA_IDS}"
    for qid, (name, status) in rows.items():
        assert name and status, f"{qid} needs an entity and a status (its evidence) in {WIKIDATA_IDS}"
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "wikidata-ids.md" in readme and "relgraph link" in readme
    # data/README.md points only inside the repository
    assert "shared/" not in readme and "../" not in readme


def test_wikidata_links_use_only_checked_identifiers():
    rows = checked_rows()
    linked = linked_entities()
    assert linked, "the data links no entity to Wikidata"
    assert set(linked) <= set(rows), f"unchecked QIDs (add them to {WIKIDATA_IDS} with evidence): {sorted(set(linked) - set(rows))}"
    graph = Graph()
    for path in sorted(DATA.rglob("*.ttl")) + sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path)
    for qid, nodes in linked.items():
        # the row names the entity: one of its words is a word of one of the node's labels
        words = set(fold(re.sub(r"\s*\(.*\)$", "", rows[qid][0])).split())
        for node in nodes:
            labels = {
                word
                for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel)
                for label in graph.objects(node, prop)
                for word in fold(str(label)).split()
            }
            assert words & labels, f"{qid} is listed for {rows[qid][0]!r}, but linked from <{node}>"


def test_wikidata_links_are_not_owl_same_as(data):
    assert not list(data.triples((None, URIRef("http://www.w3.org/2002/07/owl#sameAs"), None)))


def test_well_known_names_have_japanese_and_latvian_labels(data):
    for entity in ("japan", "latvia", "riga", "tokyo", "european-union", "nato", "oecd"):
        langs = {label.language for label in data.objects(RGD[entity], RDFS.label)}
        assert {"en", "ja", "lv"} <= langs, entity


NOTES = (RDFS.comment, SKOS.note, SKOS.editorialNote)
NOT_ENTITIES = (RG.SourceDocument, RG.Sentence, URIRef("http://www.w3.org/ns/oa#TextQuoteSelector"))


def notes_without_their_document(root: Path) -> list[str]:
    """The notes on entities of ``root``'s data/ that do not begin with their document's title.

    The convention of data/README.md: an entity may be shared by several documents, so each
    rdfs:comment / skos:note / skos:editorialNote written on it in data/SLUG/ starts with the
    dcterms:title of SLUG's document and a colon. Facts, source defects, sentences and documents are exempt
    (each comes from the sentences it is rg:statedIn).
    """
    ontology = Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        ontology.parse(path)
    facts = set(ontology.transitive_subjects(RDFS.subClassOf, RG.Fact))
    facts |= set(ontology.transitive_subjects(RDFS.subClassOf, RG.SourceDefect))
    everything = Graph()
    for path in sorted((root / "data").rglob("*.ttl")):
        everything.parse(path)
    wrong = []
    for folder in sorted(p for p in (root / "data").iterdir() if p.is_dir() and p.name != "reference"):
        # data/reference/ is no document: general knowledge every document shares (data/README.md)
        graphs = {path: Graph().parse(path) for path in sorted(folder.glob("*.ttl"))}
        titles = {
            str(title)
            for graph in graphs.values()
            for document in graph.subjects(RDF.type, RG.SourceDocument)
            for title in graph.objects(document, URIRef("http://purl.org/dc/terms/title"))
        }
        assert len(titles) == 1, f"{folder}: one document with one dcterms:title expected, found {sorted(titles)}"
        (title,) = titles
        for path, graph in graphs.items():
            for prop in NOTES:
                for node, note in graph.subject_objects(prop):
                    types = set(everything.objects(node, RDF.type))
                    if types & facts or types & set(NOT_ENTITIES):
                        continue
                    if not str(note).startswith(f"{title}: "):
                        wrong.append(f"{path.relative_to(root)}: <{node}> {str(note)[:60]!r}")
    return wrong


def test_a_note_on_an_entity_names_its_document():
    assert notes_without_their_document(ROOT) == []


def test_a_note_without_its_document_is_found(tmp_path):
    for part in ("ontology", "data"):
        shutil.copytree(ROOT / part, tmp_path / part)
    folder = next(p for p in sorted((tmp_path / "data").iterdir()) if p.is_dir())
    (folder / "extra.ttl").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/relgraph/id/a-shared-city> rdfs:comment \"Its country rests on context.\"@en .\n",
        encoding="utf-8",
    )
    assert notes_without_their_document(tmp_path) == [
        f"data/{folder.name}/extra.ttl: <https://w3id.org/relgraph/id/a-shared-city> 'Its country rests on context.'"
    ]
