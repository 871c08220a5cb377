"""`relgraph export --profile quickstatements`: QuickStatements V1 commands, exact output."""

from __future__ import annotations

from click.testing import CliRunner

from relgraph import __version__
from relgraph.cli import cli
from relgraph.link import Claim, Reference, TimeValue, WikidataView, quickstatements
from relgraph.vocab import RGD, WD
from wikidata_fixtures import REVIEWED_LINKS, make_sample_project

SOURCE = '"https://example.org/sample"'
EXPECTED = f"""\
# QuickStatements (V1) commands written by relgraph {__version__}.
# A PROPOSAL FOR A PERSON TO REVIEW. relgraph never sends it anywhere.
# Check each line against its source (S854) and quotation (S1683) and against the item's
# current statements on Wikidata; then paste the lines you accept, without these # lines,
# into https://quickstatements.toolforge.org/ yourself.
# 5 statements, one command each (its references merged).
Q17\tP530\tQ211\tS854\t{SOURCE}\tS1683\ten:"Japan and Latvia have diplomatic relations."
Q211\tP463\tQ7184\tP580\t+2004-00-00T00:00:00Z/9\tS854\t{SOURCE}\tS1683\ten:"Latvia joined NATO in 2004."
Q211\tP530\tQ17\tS854\t{SOURCE}\tS1683\ten:"Japan and Latvia have diplomatic relations."
Q1773\tP190\tQ48320\tP580\t+1974-00-00T00:00:00Z/9\tS854\t{SOURCE}\tS1683\ten:"In 1974, Kobe became a sister city of Riga."
Q48320\tP190\tQ1773\tP580\t+1974-00-00T00:00:00Z/9\tS854\t{SOURCE}\tS1683\ten:"In 1974, Kobe became a sister city of Riga."
"""


def test_sourced_facts_between_items_with_qids_become_commands(tmp_path):
    project = make_sample_project(tmp_path / "sample", links=REVIEWED_LINKS)
    output = tmp_path / "proposal.txt"
    result = CliRunner().invoke(cli, ["--project", str(project), "export", "--profile", "quickstatements", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == EXPECTED


def test_only_facts_whose_subject_and_value_have_qids_are_proposed(tmp_path):
    # without the reviewed links, Riga and Kobe have no QID: no P190 command
    project = make_sample_project(tmp_path / "sample")
    result = CliRunner().invoke(cli, ["--project", str(project), "export", "--profile", "quickstatements"])
    assert result.exit_code == 0
    assert "P190" not in result.stdout
    assert "# 3 statements, one command each (its references merged).\n" in result.stdout


def test_references_merged_into_one_command_and_a_position_keeps_its_earliest_attestation():
    references = (
        Reference("https://example.org/a", 'He said "yes".', "en", RGD.s1),
        Reference("https://example.org/a", "They met.", "en", RGD.s2),
        Reference("https://example.org/b", "They met again.", "en", RGD.s3),
    )
    meeting = Claim(WD.Q132345, "P39", WD.Q274948, (("P585", TimeValue("2018-01-13", 11)), ("P585", TimeValue("2017-12", 10))), references, RGD.holding, True)
    description = Claim(WD.Q1773, "P17", WD.Q211, (), references, RGD.riga, False)  # not a fact: not proposed
    unsourced = Claim(WD.Q17, "P463", WD.Q41550, (), (), RGD.membership, True)  # no source: not proposed
    proposal = quickstatements(WikidataView(items=(), claims=(meeting, description, unsourced), item_of={}))
    assert proposal.lines == (
        'Q132345\tP39\tQ274948\tP585\t+2017-12-00T00:00:00Z/10\tS854\t"https://example.org/a"\tS854\t"https://example.org/b"'
        '\tS1683\ten:"They met."\tS1683\ten:"They met again."',
    )
    rendered = proposal.render(version="x")
    assert "# 1 statements, one command each (its references merged); 1 quotations left out (they contain a double quote).\n" in rendered
    assert rendered.endswith(proposal.lines[0] + "\n# also attested: +2018-01-13T00:00:00Z/11\n")


def test_a_position_with_a_start_or_end_time_carries_no_point_in_time():
    reference = (Reference("https://example.org/a", "He took office in 2009.", "en", RGD.s1),)
    tenure = Claim(WD.Q132345, "P39", WD.Q274948, (("P580", TimeValue("2009", 9)), ("P585", TimeValue("2018-01-13", 11))), reference, RGD.holding, True)
    visit = Claim(WD.Q17, "P793", WD.Q211, (("P580", TimeValue("2009", 9)), ("P585", TimeValue("2018-01-13", 11))), reference, RGD.event, True)
    proposal = quickstatements(WikidataView(items=(), claims=(tenure, visit), item_of={}))
    assert [line.split("\tS854")[0] for line in proposal.lines] == [
        "Q17\tP793\tQ211\tP580\t+2009-00-00T00:00:00Z/9\tP585\t+2018-01-13T00:00:00Z/11",  # not a position: as it is
        "Q132345\tP39\tQ274948\tP580\t+2009-00-00T00:00:00Z/9",
    ]
