"""`relgraph link`: reconciliation of the sample project against the fixture dataset.

The fixture dataset (tests/fixtures/wikidata/) holds true items under QIDs of
data/wikidata-ids.md and fictional decoys under the fixture-only QIDs
Q9900000001–Q9900000099: homonyms, a town of the same name in another country, people with
the same surname. The same run is made against the Turtle, N-Triples and JSON-dump forms of the
dataset (and, in test_link_oxigraph.py, a SPARQL server), with the same exact results.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from relgraph import Catalogue, InputError, ParameterError, Project, inferred_for
from relgraph.cli import cli
from relgraph.link import (
    EntityProfile,
    ItemRecord,
    TimeValue,
    link_project,
    open_source,
    render_review_csv,
    render_summary,
)
from relgraph.link.reconcile import links_graph, render_links_turtle, score_candidate
from relgraph.link.names import fold, matches_keys, search_keys, similarity
from relgraph.vocab import RGD, WD
from wikidata_fixtures import DATASET, DATASET_JSON, ROOT, sample_project  # noqa: F401 (a fixture)

TODAY = datetime.date(2026, 1, 2)

EXPECTED_REVIEW = """\
entity,label,status,note,rank,candidate,candidate_label,score,features
rgd:embassy-of-japan-in-riga,Embassy of Japan in Latvia,review,no candidate,,,,,
rgd:higashikawa,Higashikawa,review,no candidate,,,,,
rgd:osaka,Osaka,contradicted,P17 mismatch; wd:Q35765 scores 100,1,wd:Q9900000012,Osaka,75,name=100 P17=mismatch
rgd:osaka,Osaka,contradicted,P17 mismatch; wd:Q35765 scores 100,2,wd:Q35765,Osaka,100,name=100 P17=match
rgd:prime-minister-of-japan,Prime Minister of Japan,review,best score below 90,1,wd:Q369500,Prime Minister of Latvia,64,name=85 P1001=mismatch
rgd:rujiena,Rūjiena,review,best score below 90,1,wd:Q9900000016,Rujiena,75,name=100 P17=mismatch
rgd:seiyu,Seiyu,review,no clear lead (100 vs 100),1,wd:Q9900000017,Seiyu,100,name=100
rgd:seiyu,Seiyu,review,no clear lead (100 vs 100),2,wd:Q9900000018,Seiyu,100,name=100
"""

EXPECTED_SUMMARY = """\
matched      rgd:aigars-kalvitis -> wd:Q210715 'Aigars Kalvītis' (100)  [score 100]
matched      rgd:european-union -> wd:Q458 'European Union' (100)  [score 100]
confirmed    rgd:japan -> wd:Q17 'Japan' (100)  [score 100]
matched      rgd:kobe -> wd:Q48320 'Kobe' (100)  [score 100]
confirmed    rgd:latvia -> wd:Q211 'Latvia' (100)  [score 100]
confirmed    rgd:nato -> wd:Q7184 'NATO' (100)  [score 100]
contradicted rgd:osaka -> wd:Q9900000012 'Osaka' (75)  [P17 mismatch; wd:Q35765 scores 100]
review       rgd:prime-minister-of-japan -> wd:Q369500 'Prime Minister of Latvia' (64)  [best score below 90]
matched      rgd:riga -> wd:Q1773 'Riga' (100)  [score 100]
review       rgd:rujiena -> wd:Q9900000016 'Rujiena' (75)  [best score below 90]
review       rgd:seiyu -> wd:Q9900000017 'Seiyu' (100)  [no clear lead (100 vs 100)]
matched      rgd:shinzo-abe -> wd:Q132345 'Shinzo Abe' (100)  [score 100]
matched      rgd:soviet-union -> wd:Q15180 'Soviet Union' (100)  [score 100]
matched      rgd:sweden -> wd:Q34 'Sweden' (100)  [score 100]
confirmed    rgd:tokyo -> wd:Q1490 'Tokyo' (100)  [score 100]
7 matched, 5 review, 4 confirmed, 1 contradicted, 0 unverified
"""

EXPECTED_LINKS = {
    ("aigars-kalvitis", "Q210715"),
    ("european-union", "Q458"),
    ("kobe", "Q48320"),
    ("riga", "Q1773"),
    ("shinzo-abe", "Q132345"),
    ("soviet-union", "Q15180"),
    ("sweden", "Q34"),
}


def _link(root: Path, against, **options):
    project = Project.discover(root)
    loaded = project.load()
    inferred = inferred_for(project, loaded, Catalogue.load(project.queries_dir))
    return link_project(loaded, inferred, against=against, today=TODAY, method="relgraph link test", **options)


def _links(report) -> set[tuple[str, str]]:
    return {
        (str(s)[len(str(RGD)):], str(o)[len(str(WD)):])
        for s, _p, o in links_graph(report).triples((None, URIRef("https://w3id.org/relgraph/ontology#wikidata"), None))
    }


@pytest.fixture(scope="module")
def nt_dataset(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dataset") / "dataset.nt"
    path.write_bytes(Graph().parse(DATASET).serialize(format="nt", encoding="utf-8"))
    return path


@pytest.mark.parametrize("form", ["ttl", "nt", "json"])
def test_links_review_rows_and_checks_are_exact_in_every_file_form(sample_project, nt_dataset, form):
    against = {"ttl": str(DATASET), "nt": str(nt_dataset), "json": str(DATASET_JSON)}[form]
    report = _link(sample_project, against)
    assert _links(report) == EXPECTED_LINKS
    assert render_review_csv(report).decode("utf-8") == EXPECTED_REVIEW
    assert render_summary(report) == EXPECTED_SUMMARY
    assert not report.ok  # the Osaka link is contradicted


def test_decoys_are_scored_with_their_features(sample_project):
    results = {r.profile.entity: r for r in _link(sample_project, str(DATASET)).results}
    # the same-named town in another country and the homonymous person trail the true city
    assert [(c.item, c.score, c.evidence) for c in results[RGD.riga].candidates] == [
        (WD.Q1773, 100, "name=100 P17=match"),
        (WD.Q9900000010, 75, "name=100 P17=mismatch"),
    ]
    assert [(c.item, c.score, c.evidence) for c in results[RGD.kobe].candidates] == [
        (WD.Q48320, 100, "name=100 P17=match"),
        (WD.Q9900000013, 88, "name=100 P17=unknown"),
    ]
    # the ship named Sweden is of another type (sailing ship ⊑ ship, through P279): filtered out
    assert [(c.item, c.evidence) for c in results[RGD.sweden].candidates] == [(WD.Q34, "name=100 type=match")]
    # the person with a similar name is listed, well behind
    assert [(c.item, c.score) for c in results[RGD["aigars-kalvitis"]].candidates] == [
        (WD.Q210715, 100),
        (WD.Q9900000015, 83),
    ]


def test_a_higher_threshold_sends_a_match_to_review(sample_project):
    report = _link(sample_project, str(DATASET), threshold=100, margin=20)
    assert ("kobe", "Q48320") not in _links(report)  # 100 vs 88: no clear lead of 20
    assert ("riga", "Q1773") in _links(report)  # 100 vs 75


def test_links_file_is_turtle_with_provenance_per_link(sample_project):
    report = _link(sample_project, str(DATASET))
    text = render_links_turtle(report).decode("utf-8")
    assert text.startswith("# Links found by `relgraph link` against ")
    assert isomorphic(Graph().parse(data=text, format="turtle"), links_graph(report))
    block = text[text.index("rgd:kobe rg:wikidata wd:Q48320 .") :].split("\n\n")[0]
    assert block == (
        "rgd:kobe rg:wikidata wd:Q48320 .\n"
        "[] a owl:Axiom ;\n"
        "    owl:annotatedSource rgd:kobe ;\n"
        "    owl:annotatedProperty rg:wikidata ;\n"
        "    owl:annotatedTarget wd:Q48320 ;\n"
        '    sssom:confidence "1.0"^^xsd:double ;\n'
        "    sssom:mapping_justification semapv:LexicalMatching ;\n"
        '    sssom:mapping_tool "relgraph link test" ;\n'
        '    sssom:mapping_date "2026-01-02"^^xsd:date ;\n'
        f'    rdfs:comment "score 100: name=100 P17=match; source {DATASET}" .'
    )


def test_cli_writes_links_and_review_files_and_exits_1_on_a_contradicted_link(sample_project, tmp_path):
    links, review = tmp_path / "links.ttl", tmp_path / "review.csv"
    result = CliRunner().invoke(
        cli,
        ["--project", str(sample_project), "link", "--against", str(DATASET), "-o", str(links), "--review", str(review), "--date", "2026-01-02"],
    )
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == EXPECTED_SUMMARY
    assert review.read_text(encoding="utf-8") == EXPECTED_REVIEW
    assert "relgraph link" in links.read_text(encoding="utf-8")
    assert not (sample_project / "data" / "links.ttl").exists()  # data/ is never written


def test_cli_exits_0_when_no_link_is_contradicted(sample_project):
    sample = sample_project / "data" / "sample.ttl"
    sample.write_text(sample.read_text(encoding="utf-8").replace("wd:Q9900000012", "wd:Q35765"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(sample_project), "link", "--against", str(DATASET), "--date", "2026-01-02"])
    assert result.exit_code == 0, result.output
    assert "confirmed    rgd:osaka -> wd:Q35765 'Osaka' (100)" in result.stderr
    assert result.stdout.startswith("# Links found by `relgraph link`")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--against", "missing.ttl"], "relgraph: error: missing.ttl: cannot read: No such file or directory\n"),
        (["--against", "data.csv"], "relgraph: error: data.csv: expected a SPARQL endpoint URL or a .nt, .ttl or .json file (optionally .gz or .bz2)\n"),
        (["--against", "http://127.0.0.1:9/query"], None),
    ],
)
def test_cli_bad_source_is_a_clean_error_with_exit_2(sample_project, args, message):
    result = CliRunner().invoke(cli, ["--project", str(sample_project), "link", *args])
    assert result.exit_code == 2
    if message is None:
        assert re.fullmatch(r"relgraph: error: SPARQL endpoint http://127\.0\.0\.1:9/query could not be reached: .+\n", result.stderr)
    else:
        assert result.stderr == message
    assert "Traceback" not in result.output


def test_cli_threshold_out_of_range_is_a_usage_error(sample_project):
    result = CliRunner().invoke(cli, ["--project", str(sample_project), "link", "--against", str(DATASET), "--threshold", "101"])
    assert result.exit_code == 2
    assert "Invalid value for '--threshold'" in result.stderr


def test_library_rejects_a_threshold_out_of_range(sample_project):
    with pytest.raises(ParameterError, match="threshold"):
        _link(sample_project, str(DATASET), threshold=120)


def test_json_dump_error_names_the_line(tmp_path):
    dump = tmp_path / "dump.json"
    dump.write_text('[\n{"id": "Q17", "labels": {}},\n{"id": \n]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"dump\.json:3: not a Wikidata JSON entity"):
        open_source(str(dump))


def test_json_dump_takes_preferred_rank_and_skips_deprecated(tmp_path):
    def claim(target, rank):
        return (
            '{"mainsnak": {"snaktype": "value", "property": "P17", "datavalue": {"type": "wikibase-entityid", '
            f'"value": {{"id": "{target}"}}}}}}, "rank": "{rank}"}}'
        )

    dump = tmp_path / "dump.json"
    dump.write_text(
        '{"id": "Q1773", "labels": {"en": {"language": "en", "value": "Riga"}}, "claims": {"P17": ['
        + ", ".join([claim("Q34", "normal"), claim("Q211", "preferred"), claim("Q17", "deprecated")])
        + "]}}\n",
        encoding="utf-8",
    )
    record = open_source(str(dump)).records([WD.Q1773])[WD.Q1773]
    assert record.claims["P17"] == frozenset({WD.Q211})


def test_dataset_json_and_turtle_hold_the_same_records():
    ttl, json_ = open_source(str(DATASET)), open_source(str(DATASET_JSON))
    items = sorted({s for s in ttl.graph.subjects() if re.fullmatch(r"Q\d+", str(s)[len(str(WD)):])})
    assert ttl.records(items) == json_.records(items)
    assert len(items) == 33


def test_fixture_uses_only_checked_qids_or_the_reserved_decoy_range():
    checked = set(re.findall(r"\| (Q\d+) \|", (ROOT / "data" / "wikidata-ids.md").read_text(encoding="utf-8")))
    checked.add("Q1985727")  # the Gregorian calendar model, in the JSON dump's time values
    used = set(re.findall(r"\bQ\d+\b", DATASET.read_text(encoding="utf-8") + DATASET_JSON.read_text(encoding="utf-8")))
    decoys = {q for q in used if 9900000001 <= int(q[1:]) <= 9900000099}
    assert used - decoys <= checked, used - decoys - checked


# -- names and scores ----------------------------------------------------------------------------


def test_names_are_compared_without_case_or_diacritics():
    assert fold("RŪJIENA") == fold("Rūjiena") == "rujiena"
    assert matches_keys("Rūjiena", search_keys(["Rujena"]))  # "Rujena" finds "Rūjiena"
    assert matches_keys("Māris Kučinskis", search_keys(["KUCINSKIS"]))
    assert not matches_keys("Riga", search_keys(["Kobe"]))
    assert search_keys(["Organisation for Economic Co-operation and Development"]) == ("co", "dev", "eco", "ope", "org")
    assert similarity("Rujena", "Rūjiena") == pytest.approx(12 / 13)


def test_dates_count_as_features_at_the_coarser_precision():
    profile = EntityProfile(
        entity=RGD.embassy, label="Embassy", names=("Embassy",), types=frozenset(),
        claims=(("P571", frozenset({TimeValue("2000-01", 10)})),), linked=None,
    )

    def record(value):
        return ItemRecord(WD.Q9900000099, (("en", "Embassy"),), (), frozenset(), {"P571": frozenset({value})})

    assert score_candidate(profile, record(TimeValue("2000", 9))).evidence == "name=100 P571=match"
    assert score_candidate(profile, record(TimeValue("2000-01-15", 11))).evidence == "name=100 P571=match"
    assert score_candidate(profile, record(TimeValue("2000-02-01", 11))).score == 75
