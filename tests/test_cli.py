"""The command line, in-process with CliRunner, and once as the installed ``relgraph`` command."""

import json
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from relgraph.build import RELEASE_FILES
from relgraph.cli import cli


def run(root, *args):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def test_help_documents_every_command_and_the_exit_codes():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "query", "export", "coverage"):
        assert command in result.stdout
        sub = CliRunner().invoke(cli, [command, "--help"])
        assert sub.exit_code == 0 and "Exit codes:" in sub.stdout
    assert "2  bad input or usage" in result.stdout


def test_build_writes_the_release_and_prints_a_summary(good):
    result = run(good, "build")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "asserted triples: 28\n"
        "inferred triples: 3\n"
        "consistent: yes\n"
        "conforms: yes\n"
        "classes:\n"
        "  rg:Sentence: 2\n"
        "  rg:SourceDocument: 1\n"
        "  rg:State: 1\n"
        "  rg:Visit: 1\n"
    )
    assert result.stderr.startswith("timings: load ")
    assert result.stderr.endswith(f"wrote 6 files to {good}/build\n")
    assert sorted(p.name for p in (good / "build").iterdir()) == sorted(RELEASE_FILES)
    jsonld = Graph().parse(good / "build" / "relgraph.jsonld", format="json-ld")
    assert isomorphic(jsonld, Graph().parse(good / "build" / "relgraph.ttl"))


def test_build_twice_gives_the_same_bytes(good, tmp_path):
    assert run(good, "build", "--out", str(tmp_path / "a")).exit_code == 0
    assert run(good, "build", "--out", str(tmp_path / "b")).exit_code == 0
    for name in RELEASE_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_inconsistent_build_fails_and_writes_nothing(make_project):
    root = make_project("inconsistent")
    result = run(root, "build")
    assert result.exit_code == 1
    assert "consistent: no\n" in result.stdout
    assert "inconsistent: Disjoint classes https://w3id.org/relgraph/ontology#Person and" in result.stderr
    assert result.stderr.endswith(f"relgraph: build failed; nothing written to {root}/build\n")
    assert not (root / "build").exists()


def test_failed_build_leaves_the_previous_release_intact(good):
    assert run(good, "build").exit_code == 0
    before = {name: (good / "build" / name).read_bytes() for name in RELEASE_FILES}
    (good / "data" / "visits" / "extra.ttl").write_text(
        "<https://w3id.org/relgraph/id/v> a <https://w3id.org/relgraph/ontology#Visit> .\n"
    )
    assert run(good, "build").exit_code == 1
    assert {name: (good / "build" / name).read_bytes() for name in RELEASE_FILES} == before


def test_malformed_turtle_is_one_clean_line_and_exit_2(make_project):
    root = make_project("malformed-turtle")
    for command in (["build"], ["validate"], ["export"], ["coverage"], ["query", "visits"]):
        result = run(root, *command)
        assert result.exit_code == 2, command
        assert result.stderr == (
            f"relgraph: error: {root}/data/visits/broken.ttl:6:5: "
            "bad Turtle: expected '.' or '}' or ']' at end of statement\n"
        )
        assert result.stdout == ""


def test_not_a_project_is_exit_2(tmp_path):
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert result.stderr == f"relgraph: error: {tmp_path}: not a relgraph project: no ontology/ directory\n"


def test_validate_conforming_data(good):
    result = run(good, "validate")
    assert (result.exit_code, result.stdout) == (0, "conforms\n")


def test_validate_reports_each_violation_and_exits_1(make_project):
    root = make_project("nonconforming")
    result = run(root, "validate")
    assert result.exit_code == 1
    assert result.stdout == (
        f'{root}/data/visits/extra.ttl: Violation: rgd:visit-unknown "A visit by nobody": rg:visitor: '
        "a visit needs a visitor (shape: rg:VisitShape)\n"
        "does not conform: 1 violation\n"
    )
    document = json.loads(run(root, "validate", "--format", "json").stdout)
    assert document["violations"][0]["message"] == "a visit needs a visitor"
    assert "sh:ValidationReport" in run(root, "validate", "--format", "turtle").stdout


def test_validate_given_paths_instead_of_the_project_data(good, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://w3id.org/relgraph/id/v> a <https://w3id.org/relgraph/ontology#Visit> .\n")
    result = run(good, "validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: Violation: rgd:v: rg:visitor: a visit needs a visitor" in result.stdout
    missing = run(good, "validate", str(tmp_path / "absent.ttl"))
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"relgraph: error: {tmp_path}/absent.ttl: cannot read")


def test_query_list(good):
    result = run(good, "query", "--list")
    assert result.exit_code == 0
    assert result.stdout == (
        "any-visit       Any visit?\n"
        "derive-visited  Who visited which state\n"
        "visits          Visits to a state  (state: iri = rgd:latvia)\n"
        "visits-since    Visits since a year  (year: gYear)\n"
    )


def test_query_table_and_formats(good):
    result = run(good, "query", "visits")
    assert result.exit_code == 0
    assert result.stdout == (
        "visit           visitor  label\n"
        "--------------  -------  ---------------------\n"
        "rgd:visit-2018  rgd:abe  Abe's visit to Latvia\n"
        "(1 row)\n"
    )
    csv = run(good, "query", "visits", "--param", "state=<https://w3id.org/relgraph/id/japan>", "--format", "csv")
    assert (csv.exit_code, csv.stdout_bytes) == (0, b"visit,visitor,label\r\n")
    construct = run(good, "query", "derive-visited")
    assert construct.stdout.endswith("rgd:abe rg:visited rgd:latvia .\n\n")


def test_query_from_a_file(good, tmp_path):
    path = tmp_path / "adhoc.rq"
    path.write_text("SELECT ?s WHERE { ?s a rg:State }\n")
    result = run(good, "query", str(path), "--format", "tsv")
    assert (result.exit_code, result.stdout) == (0, "?s\n<https://w3id.org/relgraph/id/latvia>\n")


def test_unknown_query_lists_the_available_ones(good):
    result = run(good, "query", "embassies")
    assert result.exit_code == 2
    assert result.stderr == (
        "relgraph: error: no query named 'embassies'; available: any-visit, derive-visited, visits, visits-since\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["visits-since", "-p", "year=20x1"], "parameter 'year': '20x1' is not a valid gYear"),
        (["visits-since"], "parameter 'year': required by query 'visits-since' and not given"),
        (["visits", "-p", "country=latvia"], "parameter 'country': unknown for query 'visits' (parameters: state)"),
        (["visits", "-p", "state"], "parameter 'state': expected NAME=VALUE"),
        (["derive-visited", "--format", "csv"], "parameter 'format': unknown value 'csv'; expected one of: jsonld, nquads, nt, trig, turtle, xml"),
    ],
)
def test_bad_parameters_are_named(good, args, message):
    result = run(good, "query", *args)
    assert (result.exit_code, result.stderr) == (2, f"relgraph: error: {message}\n")


def test_broken_stored_query_is_exit_2_naming_the_file(make_project):
    root = make_project("bad-query")
    result = run(root, "query", "--list")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"relgraph: error: query 'broken' ({root}/queries/broken.rq): line ")


def test_export_to_stdout_and_to_a_file(good, tmp_path):
    stdout = run(good, "export", "--format", "nt")
    assert stdout.exit_code == 0
    out = tmp_path / "out.nt"
    assert run(good, "export", "--format", "nt", "-o", str(out)).exit_code == 0
    assert out.read_text() == stdout.stdout
    assert run(good, "export", "--format", "nt", "-o", "-").stdout == stdout.stdout
    with_inferred = run(good, "export", "--format", "trig", "--with-inferred").stdout
    assert "<https://w3id.org/relgraph/graph/inferred>" in with_inferred


def test_coverage_complete_and_incomplete(good, make_project):
    assert run(good, "coverage").exit_code == 0
    assert run(good, "coverage", "visits").exit_code == 0
    root = make_project("unaccounted")
    result = run(root, "coverage")
    assert result.exit_code == 1
    assert "  [MISSING] 3 line 7 [Later]: Nobody wrote this down.\n" in result.stdout
    assert json.loads(run(root, "coverage", "--format", "json").stdout)["complete"] is False


def test_coverage_of_an_unknown_source(good):
    result = run(good, "coverage", "nowhere")
    assert (result.exit_code, result.stderr) == (
        2,
        "relgraph: error: parameter 'source': no source document 'nowhere'; available: visits\n",
    )


def test_internal_errors_are_exit_3_without_traceback(good, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(sys.modules["relgraph.build"], "build", broken)
    monkeypatch.delenv("RELGRAPH_DEBUG", raising=False)
    result = run(good, "build")
    assert (result.exit_code, result.stderr) == (3, "relgraph: internal error: RuntimeError: boom\n")


def test_usage_errors_are_exit_2(good):
    assert run(good, "query").exit_code == 2
    assert run(good, "export", "--format", "yaml").exit_code == 2


def test_installed_command_runs_as_a_subprocess(good):
    assert shutil.which("relgraph"), "the relgraph console script is not installed"
    ok = subprocess.run(["relgraph", "--project", str(good), "query", "any-visit"], capture_output=True, text=True)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "yes\n", "")
    bad = subprocess.run(["relgraph", "--project", str(good), "query", "nope"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.startswith("relgraph: error: no query named 'nope'")
    assert "Traceback" not in bad.stderr


def test_closed_stdout_is_not_an_error(good):
    # more than a pipe buffer of output, so that the write really fails
    lines = (f"<https://w3id.org/relgraph/id/n{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"n{i}\" .\n" for i in range(3000))
    (good / "data" / "visits" / "bulk.ttl").write_text("".join(lines))
    pipeline = subprocess.run(
        f"relgraph --project '{good}' export --format nt | head -c 10", shell=True, capture_output=True, text=True
    )
    assert pipeline.returncode == 0
    assert pipeline.stderr == ""
