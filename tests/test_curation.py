"""Adding a document with the tools: ``new``, generated sentences, ``review``, ``accept``, ``reject``,
and drafts that nothing loads. Real CLI runs on real files in temporary copies of the projects."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from project_copies import copy_real_project
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from relgraph.cli import cli
from relgraph.curation import accept as accept_module
from relgraph.curation.accept import accept
from relgraph.curation.sentences import sentence_graph
from relgraph.errors import OutputError
from relgraph.export import serialize_graph
from relgraph.project import Project
from relgraph.vocab import OA, RG, RGD

FIXTURES = Path(__file__).parent / "fixtures" / "curation"
ARTICLE = FIXTURES / "article.txt"
DRAFT = FIXTURES / "draft.ttl"
SLUG = "estonia-portugal-relations"
DOC = RGD[SLUG]
RGC = "https://w3id.org/relgraph/curation#"


def run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def new(root, slug=SLUG, text=ARTICLE, *extra):
    return run(root, "new", slug, "--text", str(text), "--title", "Estonia–Portugal relations",
               "--url", "https://example.org/estonia-portugal", *extra)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def drafted(good) -> Path:
    """The good project with the fixture article added by `new` and the hand-written draft beside it."""
    assert new(good).exit_code == 0
    shutil.copy(DRAFT, good / "data" / SLUG / "draft.ttl")
    return good


# --- new -----------------------------------------------------------------------------------------

def test_new_creates_the_document_folder(good):
    result = new(good, SLUG, ARTICLE, "--license", "https://creativecommons.org/licenses/by/4.0/", "--retrieved", "2026-11-30")
    assert result.exit_code == 0, result.output
    folder = good / "data" / SLUG
    assert result.stderr == f"created {folder}: ATTRIBUTION.md, document.ttl, source.txt; 3 sentences\n"
    assert sorted(p.name for p in folder.iterdir()) == ["ATTRIBUTION.md", "document.ttl", "source.txt"]
    assert (folder / "source.txt").read_bytes() == ARTICLE.read_bytes()
    document = Graph().parse(folder / "document.ttl")
    assert set(document) == {
        (DOC, RDF.type, RG.SourceDocument),
        (DOC, URIRef("http://purl.org/dc/terms/title"), Literal("Estonia–Portugal relations", lang="en")),
        (DOC, RDFS.label, Literal("Estonia–Portugal relations", lang="en")),
        (DOC, URIRef("http://purl.org/dc/terms/source"), URIRef("https://example.org/estonia-portugal")),
        (DOC, URIRef("http://purl.org/dc/terms/license"), URIRef("https://creativecommons.org/licenses/by/4.0/")),
        (DOC, RG.localCopy, Literal("source.txt")),
    }
    attribution = (folder / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for line in ("- Address: <https://example.org/estonia-portugal>",
                 "- License: <https://creativecommons.org/licenses/by/4.0/>", "- Retrieved: 2026-11-30"):
        assert line in attribution.splitlines()
    assert [p.name for p in (good / "data").iterdir() if p.name.startswith(".")] == []


def test_new_keeps_the_text_byte_for_byte(good, tmp_path):
    text = tmp_path / "crlf.txt"
    text.write_bytes("= T =\r\n== A ==\r\nRūjiena and Tōkyō met.\u00a0 Twice.\r\n\r\nNo final newline".encode("utf-8"))
    assert new(good, "crlf-text", text).exit_code == 0
    assert (good / "data" / "crlf-text" / "source.txt").read_bytes() == text.read_bytes()


def test_the_sentences_of_a_new_document_are_generated_at_load(good):
    assert new(good).exit_code == 0
    result = run(good, "coverage", SLUG)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:4] == [
        "  [MISSING] 1 line 3: Estonia–Portugal relations are the relations between Estonia and Portugal, written for relgraph's tests in our own words.",
        f"      <{DOC}/sentence/s01> has no facts and no rg:noFactReason",
        "  [MISSING] 2 line 6 [Missions]: Portugal keeps an embassy in Tallinn.",
    ]
    assert result.stdout.endswith("  0/3 units accounted for, 0 stale\ncoverage incomplete\n")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("new", "Bad_Slug", "--text", str(ARTICLE), "--title", "T", "--url", "https://e.org/"), "'Bad_Slug' is not a slug"),
        (("new", "-x", "--text", str(ARTICLE), "--title", "T", "--url", "https://e.org/"), "No such option"),
        (("new", "a-b", "--text", str(ARTICLE), "--url", "https://e.org/"), "Missing option '--title'"),
        (("new", "a-b", "--title", "T", "--url", "https://e.org/"), "Missing option '--text'"),
        (("new", "a-b", "--text", str(ARTICLE), "--title", "T"), "Missing option '--url'"),
        (("new", "a-b", "--text", str(ARTICLE), "--title", "T", "--url", "not a url"), "'not a url' is not an absolute IRI"),
        (("new", "a-b", "--text", str(ARTICLE), "--title", "T", "--url", "https://e.org/", "--license", "cc by"), "parameter '--license'"),
        (("new", "a-b", "--text", "/nonexistent/text.txt", "--title", "T", "--url", "https://e.org/"), "/nonexistent/text.txt: no such file"),
        (("new", "visits", "--text", str(ARTICLE), "--title", "T", "--url", "https://e.org/"), "document 'visits' exists already"),
    ],
)
def test_new_refuses_bad_input_with_exit_2_and_writes_nothing(good, args, words):
    before = snapshot(good / "data")
    result = run(good, *args)
    assert result.exit_code == 2, result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert snapshot(good / "data") == before


def test_new_names_the_byte_that_is_not_utf8(good, tmp_path):
    text = tmp_path / "latin1.txt"
    text.write_bytes("= T =\nGood line.\nRūjiena in Latin-1: R".encode("utf-8") + b"\xfbjiena.\n")
    before = snapshot(good / "data")
    result = new(good, "latin-one", text)
    assert result.exit_code == 2
    assert result.stderr == f"relgraph: error: {text}: not UTF-8 text: byte 39 (0xfb) on line 3\n"
    assert snapshot(good / "data") == before


def test_a_document_whose_text_is_not_utf8_is_an_input_error_at_load(good):
    assert new(good).exit_code == 0
    source = good / "data" / SLUG / "source.txt"
    source.write_bytes(source.read_bytes() + b"\xff\n")
    result = run(good, "validate")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"relgraph: error: {source}: not UTF-8 text: byte ")


# --- the generated sentences ---------------------------------------------------------------------

def test_generated_sentences_have_the_contracted_iris_and_shape():
    doc = URIRef("https://w3id.org/relgraph/id/d")
    graph = sentence_graph(doc, "= T =\n== A ==\n=== B ===\nOne. Two.\n- Item\n")
    sentences = [(1, "One."), (2, "Two."), (3, "Item")]
    expected = [
        line
        for n, text in sentences
        for line in (
            f"<{doc}/sentence/s0{n}> <{RDF.type}> <{RG.Sentence}> .",
            f"<{doc}/sentence/s0{n}> <{OA.hasSource}> <{doc}> .",
            f"<{doc}/sentence/s0{n}> <{OA.hasSelector}> <{doc}/sentence/s0{n}-selector> .",
            f'<{doc}/sentence/s0{n}> <{RG.position}> "{n}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f'<{doc}/sentence/s0{n}> <{RG.section}> "A > B" .',
            f"<{doc}/sentence/s0{n}-selector> <{RDF.type}> <{OA.TextQuoteSelector}> .",
            f'<{doc}/sentence/s0{n}-selector> <{OA.exact}> "{text}" .',
        )
    ]
    assert serialize_graph(graph, format="nt").decode() == "".join(line + "\n" for line in sorted(expected))


def test_the_seed_sentences_come_from_its_text_and_its_reasons_from_facts_ttl():
    project = Project.discover(Path(__file__).resolve().parents[1])
    folder = project.root / "data" / "japan-latvia-relations"
    assert not (folder / "source.ttl").exists()
    written = Graph()
    for path in project.data_files:
        written.parse(path)
    assert (None, RDF.type, RG.Sentence) not in written  # nobody writes sentence nodes
    loaded = project.load()
    s35 = URIRef(f"{RGD}japan-latvia-relations/sentence/s35")
    assert loaded.asserted.value(s35, RG.position) == Literal(35)
    assert loaded.stated_in_file[s35] == ((folder / "source.txt").resolve(),)
    reasons = {s for s, _ in loaded.asserted.subject_objects(RG.noFactReason)}
    assert {str(s).rsplit("/", 1)[1] for s in reasons} == {"s01", "s02", "s43", "s44"}
    assert all(loaded.stated_in_file[s] == ((folder / "source.txt").resolve(), folder / "facts.ttl") for s in reasons)


# --- drafts are never loaded ---------------------------------------------------------------------

BROKEN_DRAFT = "@prefix rg: <https://w3id.org/relgraph/ontology#> .\nrg:a rg:b .\n"
NONCONFORMING_DRAFT = (
    "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgd: <https://w3id.org/relgraph/id/> .\n"
    "@prefix rgc: <https://w3id.org/relgraph/curation#> .\n"
    "rgd:a-visit a rg:Visit ; rg:visitor rgd:latvia ; rgc:candidate \"c001\" ; rgc:kind \"fact\" .\n"
)


@pytest.mark.parametrize("draft", [BROKEN_DRAFT, NONCONFORMING_DRAFT], ids=["broken", "nonconforming"])
def test_a_draft_changes_nothing_in_build_query_validate_export(make_project, draft):
    plain, drafted = make_project(), make_project()
    (drafted / "data" / "visits" / "draft.ttl").write_text(draft, encoding="utf-8")
    answers = []
    for root in (plain, drafted):
        results = [run(root, *args) for args in (
            ("build",), ("query", "visits", "--format", "csv"), ("validate",), ("export", "--format", "nt"), ("coverage",))]
        assert [r.exit_code for r in results] == [0, 0, 0, 0, 0], [r.output for r in results]
        answers.append([r.stdout for r in results] + [snapshot(root / "build")])
    assert answers[0] == answers[1]


def test_a_hidden_folder_under_data_is_not_loaded(good):
    hidden = good / "data" / ".half-made-1234"
    hidden.mkdir()
    (hidden / "document.ttl").write_text(BROKEN_DRAFT, encoding="utf-8")
    assert run(good, "validate").exit_code == 0


# --- review --------------------------------------------------------------------------------------

REVIEW = """\
rgd:estonia-portugal-relations 'Estonia–Portugal relations' (estonia-portugal-relations)
  1 line 3: Estonia–Portugal relations are the relations between Estonia and Portugal, written for relgraph's tests in our own words.
      + c001 [state-gazetteer 0.95] rgd:estonia "Estonia" (rg:State)
      + c002 [state-gazetteer 0.95] rgd:portugal "Portugal" (rg:State)
      + c003 [relations-between 0.90] rgd:estonia-portugal-relations-relation-1 "Estonia–Portugal relations" (rg:DiplomaticRelation)
          rg:basis rg:Stated
          rg:party rgd:estonia
          rg:party rgd:portugal
  2 line 6 [Missions]: Portugal keeps an embassy in Tallinn.
      + c002 [state-gazetteer 0.95] rgd:portugal "Portugal" (rg:State)
      + c004 [city-cue 0.70] rgd:tallinn "Tallinn" (rg:City)
          rdfs:seeAlso [ rdfs:label "a nested node that belongs to the candidate" ]
          note: Its country is not stated in the sentence; left out.
      + c005 [embassy-in 0.80] rgd:embassy-of-portugal-in-tallinn "Embassy of Portugal in Tallinn" (rg:Embassy)
          rg:hostState rgd:estonia
          rg:seat rgd:tallinn
          rg:sendingState rgd:portugal
  3 line 6 [Missions]: The weather in Tallinn was mild that year.
      + c006 [visit-verb 0.20] rgd:estonia-portugal-relations-visit-1 "A visit to Tallinn" (rg:Visit)
          note: No visitor or date found.
  3 sentences: 0 curated, 3 with candidates; 6 candidates
"""


def test_review_shows_each_sentence_with_its_candidates(drafted):
    result = run(drafted, "review", SLUG)
    assert result.exit_code == 0, result.output
    assert result.stdout == REVIEW


def test_review_shows_what_is_curated_beside_the_candidates(drafted):
    assert run(drafted, "accept", SLUG, "c001", "c003").exit_code == 0
    facts = drafted / "data" / SLUG / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + '\ns:s03 rg:noFactReason "The weather, not a relation."@en .\n',
                     encoding="utf-8")
    lines = run(drafted, "review", SLUG).stdout.splitlines()
    assert lines[1:5] == [
        "  1 line 3: Estonia–Portugal relations are the relations between Estonia and Portugal, written for relgraph's tests in our own words.",
        '      -> rgd:estonia "Estonia" (rg:State)',
        '      -> rgd:estonia-portugal-relations-relation-1 "Estonia–Portugal relations" (rg:DiplomaticRelation)',
        '      + c002 [state-gazetteer 0.95] rgd:portugal "Portugal" (rg:State)',
    ]
    assert lines[-5:-1] == [
        "  3 line 6 [Missions]: The weather in Tallinn was mild that year.",
        "      no fact: The weather, not a relation.",
        '      + c006 [visit-verb 0.20] rgd:estonia-portugal-relations-visit-1 "A visit to Tallinn" (rg:Visit)',
        "          note: No visitor or date found.",
    ]
    assert lines[-1] == "  3 sentences: 2 curated, 3 with candidates; 4 candidates"


def test_review_as_json(drafted):
    result = run(drafted, "review", SLUG, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["slug"], data["document"], data["draft"]) == (SLUG, str(DOC), "draft.ttl")
    assert [(s["position"], [c["id"] for c in s["candidates"]]) for s in data["sentences"]] == [
        (1, ["c001", "c002", "c003"]), (2, ["c002", "c004", "c005"]), (3, ["c006"])]
    tallinn = data["sentences"][1]["candidates"][1]
    assert tallinn == {
        "id": "c004", "node": f"{RGD}tallinn", "kind": "entity", "rule": "city-cue", "confidence": 0.7,
        "types": ["rg:City"], "label": "Tallinn",
        "summary": ['rdfs:seeAlso [ rdfs:label "a nested node that belongs to the candidate" ]'],
        "notes": ["Its country is not stated in the sentence; left out."],
        "statedIn": [f"{DOC}/sentence/s02"],
    }
    assert data["elsewhere"] == []


def test_review_without_a_draft_says_how_to_make_one(good):
    assert new(good).exit_code == 0
    lines = run(good, "review", SLUG).stdout.splitlines()
    assert lines[1] == f"  no draft (draft.ttl): `relgraph draft {SLUG}` proposes candidates"
    assert lines[-1] == "  3 sentences: 0 curated, 0 with candidates; 0 candidates"


def test_review_refuses_an_unknown_document_and_a_broken_draft(drafted):
    result = run(drafted, "review", "nope")
    assert result.exit_code == 2
    assert result.stderr == (
        f"relgraph: error: parameter 'SLUG': no document 'nope' in {drafted / 'data'}; "
        f"documents: {SLUG}, visits\n"
    )
    draft = drafted / "data" / SLUG / "draft.ttl"
    draft.write_text(BROKEN_DRAFT, encoding="utf-8")
    result = run(drafted, "review", SLUG)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"relgraph: error: {draft}:2:")


# --- accept and reject ---------------------------------------------------------------------------

def draft_graph(path: Path) -> Graph:
    return Graph().parse(path) if path.exists() else Graph()


def test_accept_moves_a_candidate_without_its_marks(drafted):
    folder = drafted / "data" / SLUG
    result = run(drafted, "accept", SLUG, "c003")
    assert result.exit_code == 0, result.output
    assert result.stderr == "accepted c003 -> facts.ttl\n1 accepted, 5 left in the draft\n"
    assert (folder / "facts.ttl").read_text(encoding="utf-8") == """\
# What the document states, each fact with rg:statedIn its sentence(s).
# Written by relgraph accept; edit freely.

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgd: <https://w3id.org/relgraph/id/> .
@prefix s: <https://w3id.org/relgraph/id/estonia-portugal-relations/sentence/> .

rgd:estonia-portugal-relations-relation-1 a rg:DiplomaticRelation ;
    rdfs:label "Estonia–Portugal relations"@en ;
    rg:basis rg:Stated ;
    rg:party rgd:estonia,
        rgd:portugal ;
    rg:statedIn s:s01 .

"""
    assert not (folder / "entities.ttl").exists()
    left = draft_graph(folder / "draft.ttl")
    assert (RGD["estonia-portugal-relations-relation-1"], None, None) not in left
    assert sorted(str(o) for o in left.objects(None, URIRef(RGC + "candidate"))) == ["c001", "c002", "c004", "c005", "c006"]


def test_accept_all_moves_every_candidate_with_its_nested_nodes_and_removes_the_draft(drafted):
    folder = drafted / "data" / SLUG
    draft = Graph().parse(DRAFT)
    expected = Graph()
    for triple in draft:
        if not any(str(t).startswith(RGC) for t in triple):
            expected.add(triple)
    assert run(drafted, "accept", SLUG, "--all").exit_code == 0
    assert not (folder / "draft.ttl").exists()
    entities, facts = Graph().parse(folder / "entities.ttl"), Graph().parse(folder / "facts.ttl")
    assert isomorphic(entities + facts, expected)
    assert set(facts.subjects(RDF.type, None)) == {RGD["estonia-portugal-relations-relation-1"], RGD["estonia-portugal-relations-visit-1"]}
    assert (RGD.tallinn, RDFS.seeAlso, None) in entities
    # deterministic: the same accept on a fresh copy gives the same bytes
    again = drafted.parent / "again"
    shutil.copytree(drafted, again)
    (again / "data" / SLUG / "entities.ttl").unlink()
    (again / "data" / SLUG / "facts.ttl").unlink()
    shutil.copy(DRAFT, again / "data" / SLUG / "draft.ttl")
    assert run(again, "accept", SLUG, "--all").exit_code == 0
    assert snapshot(again / "data" / SLUG) == snapshot(folder)


def test_accept_appends_to_a_curators_file_and_keeps_its_bytes(drafted):
    facts = drafted / "data" / SLUG / "facts.ttl"
    mine = "# My own notes, in my own layout.\n@prefix rg: <https://w3id.org/relgraph/ontology#> .\n" \
           "<https://w3id.org/relgraph/id/estonia-portugal-relations/sentence/s03> rg:noFactReason \"Weather.\"@en .\n"
    facts.write_text(mine, encoding="utf-8")
    assert run(drafted, "accept", SLUG, "c003").exit_code == 0
    text = facts.read_text(encoding="utf-8")
    assert text.startswith(mine + "\n# Accepted from the draft of estonia-portugal-relations (relgraph accept).\n@prefix rdfs:")
    graph = Graph().parse(facts)
    assert (RGD["estonia-portugal-relations-relation-1"], RDF.type, RG.DiplomaticRelation) in graph
    assert len(list(graph.subject_objects(RG.noFactReason))) == 1


def test_reject_drops_candidates_from_the_draft_only(drafted):
    folder = drafted / "data" / SLUG
    result = run(drafted, "reject", SLUG, "c006", "c004")
    assert result.exit_code == 0, result.output
    assert result.stderr == "rejected c004\nrejected c006\n2 rejected, 4 left in the draft\n"
    left = draft_graph(folder / "draft.ttl")
    assert (RGD.tallinn, None, None) not in left
    assert (RGD["estonia-portugal-relations-visit-1"], None, None) not in left
    assert (RGD.portugal, RDFS.label, Literal("Portugal", lang="en")) in left
    assert not (folder / "entities.ttl").exists() and not (folder / "facts.ttl").exists()
    assert (folder / "draft.ttl").read_text(encoding="utf-8").startswith(
        f"# The draft of {SLUG}: the candidates left to review (rewritten by relgraph accept/reject).\n")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("accept", SLUG, "c003", "c999"), "no candidate 'c999' in "),
        (("reject", SLUG, "c404"), "no candidate 'c404' in "),
        (("accept", SLUG), "give one or more candidate ids, or --all"),
        (("accept", SLUG, "c001", "--all"), "give candidate ids or --all, not both"),
        (("accept", "nope", "--all"), "no document 'nope'"),
        (("accept", "visits", "--all"), "draft.ttl does not exist"),
    ],
)
def test_accept_and_reject_refuse_bad_input_and_change_nothing(drafted, args, words):
    before = snapshot(drafted / "data")
    result = run(drafted, *args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "Traceback" not in result.output
    assert snapshot(drafted / "data") == before


def test_accept_changes_nothing_when_a_rename_fails(drafted, monkeypatch):
    before = snapshot(drafted / "data")
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:  # the first file is in place, the second fails
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(accept_module.os, "replace", failing)
    with pytest.raises(OutputError, match="No space left on device"):
        accept(Project.discover(drafted), SLUG, all_=True)
    monkeypatch.undo()
    assert snapshot(drafted / "data") == before


def test_from_new_to_a_conforming_covered_document_in_the_real_project(tmp_path):
    root = copy_real_project(tmp_path / "project")
    assert new(root).exit_code == 0
    shutil.copy(DRAFT, root / "data" / SLUG / "draft.ttl")
    assert run(root, "reject", SLUG, "c006").exit_code == 0
    assert run(root, "accept", SLUG, "--all").exit_code == 0
    validation = run(root, "validate")
    assert (validation.exit_code, validation.stdout) == (0, "conforms\n")
    covered = run(root, "coverage", SLUG)
    assert covered.exit_code == 1 and "  [MISSING] 3 line 6 [Missions]: The weather in Tallinn was mild that year." in covered.stdout
    facts = root / "data" / SLUG / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + 's:s03 rg:noFactReason "The weather, not a relation."@en .\n',
                     encoding="utf-8")
    covered = run(root, "coverage", SLUG)
    assert covered.exit_code == 0, covered.stdout
    assert covered.stdout.endswith("  3/3 units accounted for, 0 stale\ncoverage complete\n")


def test_the_curation_commands_document_their_exit_codes():
    for command in ("new", "review", "accept", "reject"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Exit codes:" in result.stdout, command
    assert all(c in CliRunner().invoke(cli, ["--help"]).stdout for c in ("new", "review", "accept", "reject"))


def test_coverage_reports_a_reason_for_a_sentence_the_text_does_not_have(good):
    assert new(good).exit_code == 0
    (good / "data" / SLUG / "facts.ttl").write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> .\n"
        f"<{DOC}/sentence/s02> rg:noFactReason \"Fine.\"@en .\n"
        f"<{DOC}/sentence/s09> rg:noFactReason \"There is no s09.\"@en .\n", encoding="utf-8")
    result = run(good, "coverage", SLUG)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-3:] == [
        f"  [STALE] <{DOC}/sentence/s09> []: rg:noFactReason on a sentence the text does not have",
        "  1/3 units accounted for, 1 stale",
        "coverage incomplete",
    ]
