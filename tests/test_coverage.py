import json

import pytest

from relgraph import ParameterError, Project, coverage, select_documents
from relgraph.coverage import render_json, render_text
from relgraph.vocab import RGD


def _coverage(root, documents=None):
    loaded = Project.discover(root).load()
    return coverage(loaded.asserted, loaded.local_copies, documents=documents)


def test_every_unit_of_the_good_source_is_accounted_for(good):
    report = _coverage(good)
    assert report.complete
    (doc,) = report.documents
    assert doc.document == RGD["visits-doc"] and doc.title == "Visits"
    first, second = doc.units
    assert (first.unit.section, first.unit.text, first.sentence) == ("Visits", "Abe visited Latvia in 2018.", RGD["visits-s1"])
    assert [d.node for d in first.derived] == [RGD.abe, RGD["visit-2018"]]
    assert first.derived[1].types == ("rg:Visit",)
    assert second.derived == () and second.no_fact_reason == "weather, not a relation"
    assert render_text(report) == (
        "rgd:visits-doc 'Visits' (source.txt)\n"
        "  [ok] 1 line 4 [Visits]: Abe visited Latvia in 2018.\n"
        '      -> rgd:abe "Shinzo Abe"\n'
        '      -> rgd:visit-2018 "Abe\'s visit to Latvia" (rg:Visit)\n'
        "  [ok] 2 line 4 [Visits]: It rained.\n"
        "      no fact: weather, not a relation\n"
        "  2/2 units accounted for, 0 stale\n"
        "coverage complete\n"
    )


def test_an_unaccounted_unit_is_named(make_project):
    report = _coverage(make_project("unaccounted"))
    assert not report.complete
    (missing,) = report.documents[0].unaccounted
    assert (missing.unit.position, missing.unit.section, missing.unit.text) == (3, "Later", "Nobody wrote this down.")
    assert missing.sentence is None
    text = render_text(report)
    assert "  [MISSING] 3 line 7 [Later]: Nobody wrote this down.\n      no rg:Sentence quotes this unit\n" in text
    assert text.endswith("  2/3 units accounted for, 0 stale\ncoverage incomplete\n")


def test_a_quote_the_source_no_longer_has_is_stale(make_project):
    report = _coverage(make_project("stale"))
    doc = report.documents[0]
    assert [(s.node, s.text) for s in doc.stale] == [(RGD["visits-s2"], "It rained.")]
    assert [u.unit.text for u in doc.unaccounted] == ["It snowed."]
    assert "  [STALE] rgd:visits-s2 [Visits]: It rained.\n" in render_text(report)


def test_a_sentence_with_neither_facts_nor_reason_is_unaccounted(good):
    facts = good / "data" / "visits" / "facts.ttl"
    facts.write_text(facts.read_text().replace('rg:noFactReason "weather, not a relation"@en', 'rg:position 2'))
    (missing,) = _coverage(good).documents[0].unaccounted
    assert missing.sentence == RGD["visits-s2"]


def test_json_report(make_project):
    document = json.loads(render_json(_coverage(make_project("unaccounted"))))
    assert document["complete"] is False
    assert [u["accounted"] for u in document["documents"][0]["units"]] == [True, True, False]


@pytest.mark.parametrize("source", ["visits", "rgd:visits-doc", "visits-doc", "https://w3id.org/relgraph/id/visits-doc"])
def test_select_a_document_by_slug_or_iri(good, source):
    loaded = Project.discover(good).load()
    assert select_documents(loaded.local_copies, source) == (RGD["visits-doc"],)


def test_select_a_document_by_path(good):
    loaded = Project.discover(good).load()
    assert select_documents(loaded.local_copies, str(good / "data" / "visits" / "source.txt")) == (RGD["visits-doc"],)


def test_unknown_source_lists_the_choices(good):
    loaded = Project.discover(good).load()
    with pytest.raises(ParameterError, match="no source document 'latvia-japan'; available: visits"):
        select_documents(loaded.local_copies, "latvia-japan")
