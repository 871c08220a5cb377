"""`relgraph link --claims --against DUMP`: what a Wikidata-style dataset lacks of the graph's
claims, against the fixture dump (tests/fixtures/wikidata/dump.ttl) and its decoys; exact rows
for the fixture document (tests/fixtures/wikidata/project with the reviewed links)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph

from relgraph import __version__
from relgraph.cli import cli
from relgraph.link import Claim, Reference, TimeValue, WikidataView, check_claims
from relgraph.link.sources import GraphSource
from relgraph.vocab import RGD, WD
from wikidata_fixtures import FIXTURES, REVIEWED_LINKS, make_sample_project

DUMP = FIXTURES / "dump.ttl"
ORIGIN = "https://w3id.org/relgraph/id/"
EXPECTED_CSV = f"""\
status,subject,property,value,qualifiers,detail,implied,origin
present,Q17,P31,Q3624078,,,,{ORIGIN}japan
present,Q17,P530,Q211,,,,{ORIGIN}japan-latvia-diplomatic-relations
missing,Q211,P31,Q3624078,,,,{ORIGIN}latvia
conflicting,Q211,P463,Q7184,P580=+2004-00-00T00:00:00Z/9,"other date: P580: dataset 2005, graph 2004",,{ORIGIN}latvia-nato-membership
missing,Q211,P530,Q17,,,,{ORIGIN}japan-latvia-diplomatic-relations
present,Q1490,P17,Q17,,,,{ORIGIN}tokyo
present,Q1490,P31,Q515,,through P279,,{ORIGIN}tokyo
missing,Q1773,P17,Q211,,,,{ORIGIN}riga
present,Q1773,P190,Q48320,P580=+1974-00-00T00:00:00Z/9,,,{ORIGIN}kobe-riga-sister-cities
missing,Q7184,P31,Q484652,,,,{ORIGIN}nato
present,Q48320,P17,Q17,,,,{ORIGIN}kobe
missing,Q48320,P31,Q515,,,,{ORIGIN}kobe
present,Q48320,P190,Q1773,P580=+1974-00-00T00:00:00Z/9,dataset lacks P580,,{ORIGIN}kobe-riga-sister-cities
conflicting,Q9900000012,P17,Q17,,other value: dataset Q34,,{ORIGIN}osaka
present,Q9900000012,P31,Q515,,,,{ORIGIN}osaka
"""
SUMMARY_START = "8 present, 5 missing, 2 conflicting (15 claims compared with "


def run(tmp_path, *args):
    project = make_sample_project(tmp_path / "sample", links=REVIEWED_LINKS)
    return CliRunner().invoke(cli, ["--project", str(project), "link", "--against", str(DUMP), *args])


def test_every_claim_is_present_missing_or_conflicting(tmp_path):
    result = run(tmp_path, "--claims")
    assert result.exit_code == 1, result.output  # two claims conflict with the dataset
    assert result.stdout == EXPECTED_CSV
    assert result.stderr.startswith(SUMMARY_START)
    assert result.stderr.endswith(" without QIDs not compared)\n")


def test_quickstatements_of_the_missing_claims_only(tmp_path):
    report, proposal = tmp_path / "claims.csv", tmp_path / "missing.qs"
    result = run(tmp_path, "--claims", "-o", str(report), "--quickstatements", str(proposal), "--only-missing")
    assert result.exit_code == 1, result.output
    assert report.read_text(encoding="utf-8") == EXPECTED_CSV
    text = proposal.read_text(encoding="utf-8")
    assert text.startswith(f"# QuickStatements (V1) commands written by relgraph {__version__}.\n")
    # of the missing claims, only Latvia's diplomatic relation is a sourced fact Wikidata could take
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        'Q211\tP530\tQ17\tS854\t"https://example.org/sample"\tS1683\ten:"Japan and Latvia have diplomatic relations."',
    ]
    everything = run(tmp_path / "all", "--claims", "-o", str(tmp_path / "all.csv"), "--quickstatements", "-")
    commands = [line for line in everything.stdout.splitlines() if not line.startswith("#")]
    assert len(commands) == 5 and commands[2].startswith("Q211\tP530\tQ17\t")


def test_options_that_need_claims_are_clean_usage_errors(tmp_path):
    result = run(tmp_path, "--only-missing")
    assert result.exit_code == 2
    assert result.stderr == "relgraph: error: parameter 'only-missing': needs --claims\n"
    result = run(tmp_path / "b", "--claims", "--only-missing")
    assert result.exit_code == 2
    assert "give --quickstatements FILE" in result.stderr
    result = run(tmp_path / "c", "--claims", "--review", str(tmp_path / "r.csv"))
    assert result.exit_code == 2
    assert not (tmp_path / "r.csv").exists()


def test_a_date_valued_claim_against_another_date_and_the_same_year():
    dump = GraphSource(Graph().parse(DUMP), description="dump")
    reference = (Reference("https://example.org/a", "Japan was founded.", "en", RGD.s1),)
    other = Claim(WD.Q17, "P571", TimeValue("1921", 9), (), reference, RGD.founding, True)
    same = Claim(WD.Q17, "P571", TimeValue("1920-05", 10), (), reference, RGD.founding, True)
    unrelated = Claim(WD.Q34, "P190", WD.Q48320, (), reference, RGD.twinning, True)  # only the decoy Riga has it
    report = check_claims(WikidataView(items=(), claims=(other, same, unrelated), item_of={}), dump)
    assert [(c.claim.value, c.status, c.detail) for c in report.checks] == [
        (TimeValue("1920-05", 10), "present", ""),
        (TimeValue("1921", 9), "conflicting", "other date: dataset 1920"),
        (WD.Q48320, "missing", ""),
    ]
    assert not report.ok


def _against(tmp_path, dump):
    project = make_sample_project(tmp_path / "sample", links=REVIEWED_LINKS)
    return CliRunner().invoke(cli, ["--project", str(project), "link", "--claims", "--against", str(dump)])


def test_a_missing_dump_is_exit_2_naming_the_file(tmp_path):
    result = _against(tmp_path, tmp_path / "nowhere.ttl")
    assert result.exit_code == 2
    assert result.stderr == f"relgraph: error: {tmp_path / 'nowhere.ttl'}: cannot read: No such file or directory\n"


@pytest.mark.parametrize(
    ("name", "text", "place", "reason"),
    [
        ("dump.ttl", '@prefix wd: <http://www.wikidata.org/entity/> .\nwd:Q1 wd:P2 "open .\n', "2:20", "bad Turtle: "),
        ("dump.ttl.gz", '@prefix wd: <http://www.wikidata.org/entity/> .\nwd:Q1 wd:P2 "open .\n', "2:13", "bad Turtle: "),
        ("dump.nt", "<http://www.wikidata.org/entity/Q1> <http://p/> <http://o/> .\nnot a triple\n", "2:1", "bad N-Triples: "),
        ("dump.nt.bz2", "not a triple\n", "1:1", "bad N-Triples: "),
    ],
)
def test_a_malformed_dump_is_exit_2_naming_file_line_and_column(tmp_path, name, text, place, reason):
    import bz2
    import gzip

    dump = tmp_path / name
    data = text.encode("utf-8")
    dump.write_bytes(gzip.compress(data) if name.endswith(".gz") else bz2.compress(data) if name.endswith(".bz2") else data)
    result = _against(tmp_path, dump)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"relgraph: error: {dump}:{place}: {reason}")
    assert "Traceback" not in result.output


def test_a_compressed_dump_gives_the_plain_dumps_report(tmp_path):
    import gzip

    packed = tmp_path / "dump.ttl.gz"
    packed.write_bytes(gzip.compress(DUMP.read_bytes()))
    plain, compressed = _against(tmp_path / "plain", DUMP), _against(tmp_path / "packed", packed)
    assert compressed.exit_code == plain.exit_code == 1
    assert compressed.stdout == plain.stdout == EXPECTED_CSV


def test_a_dump_with_an_iri_only_rdflib_takes_is_read(tmp_path):
    """Dumps hold IRIs a strict parser refuses (``|`` in a path): they are read as before."""
    import bz2

    dump = tmp_path / "dump.nt.bz2"
    lines = DUMP_NT_EXTRA + "<http://www.wikidata.org/entity/Q211> <http://example.org/a|b> \"odd\" .\n"
    dump.write_bytes(bz2.compress(lines.encode("utf-8")))
    result = _against(tmp_path, dump)
    assert result.exit_code in (0, 1), result.output  # 1: claims conflict or are missing, not an error
    assert f" claims compared with {dump};" in result.stderr and "error" not in result.stderr
    assert "Q211,P31," in result.stdout  # the dump's one item was read and its claims compared


DUMP_NT_EXTRA = "<http://www.wikidata.org/entity/Q211> <http://www.w3.org/2000/01/rdf-schema#label> \"Latvia\"@en .\n"
