"""`relgraph link` against a real SPARQL server: Oxigraph, started on 127.0.0.1 with the fixture
dataset loaded, queried over the SPARQL 1.1 protocol. Same exact results as from the file."""

from __future__ import annotations

from click.testing import CliRunner

from relgraph.cli import cli
from relgraph.link import SparqlSource
from relgraph.vocab import WD
from test_link import EXPECTED_REVIEW, EXPECTED_SUMMARY
from wikidata_fixtures import oxigraph_endpoint, sample_project  # noqa: F401 (fixtures)


def test_link_against_an_oxigraph_server_gives_the_file_results(sample_project, oxigraph_endpoint, tmp_path):
    review = tmp_path / "review.csv"
    result = CliRunner().invoke(
        cli,
        ["--project", str(sample_project), "link", "--against", oxigraph_endpoint, "--review", str(review), "--date", "2026-01-02"],
    )
    assert result.exit_code == 1, result.output
    assert result.stderr == EXPECTED_SUMMARY
    assert review.read_text(encoding="utf-8") == EXPECTED_REVIEW
    assert f"source {oxigraph_endpoint}" in result.stdout


def test_sparql_source_reads_types_through_subclasses_and_date_precision(oxigraph_endpoint):
    source = SparqlSource(oxigraph_endpoint)
    records = source.records([WD.Q9900000011, WD.Q9900000012, WD.Q1])
    assert set(records) == {WD.Q9900000011, WD.Q9900000012}  # Q1 is not in the dataset
    assert records[WD.Q9900000011].types == frozenset({WD.Q9900000001, WD.Q9900000002})
    (inception,) = records[WD.Q9900000012].claims["P571"]
    assert (inception.lexical, inception.precision) == ("1850", 9)


def test_search_is_case_and_diacritic_insensitive_on_the_server(oxigraph_endpoint):
    found = SparqlSource(oxigraph_endpoint).search(("ruj", "kuc"))
    assert [r.iri for r in found] == [WD.Q6112509, WD.Q9900000016]
