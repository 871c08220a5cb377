"""`--store`: the commands give the same answers from memory, an embedded Oxigraph store and a
SPARQL server (a real Oxigraph server on 127.0.0.1), and a store is loaded only when needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from project_copies import copy_real_project
from oxigraph_fixtures import serve_oxigraph
from relgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"


def run(project: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(project), *args])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the real project, so that a test may change its data."""
    return copy_real_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_oxigraph(tmp_path_factory.mktemp("oxigraph-db")) as url:
        yield url


def specs(tmp: Path, server: str) -> dict[str, str]:
    return {"memory": "memory", "oxigraph": f"oxigraph:{tmp / 'store'}", "sparql": f"sparql:{server}"}


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "sparql"])
def test_query_and_export_agree_on_every_store(project, server, tmp_path, kind):
    spec = specs(tmp_path, server)[kind]
    for name in ("visits", "trade-balance", "sister-cities"):
        result = run(project, "query", name, "--store", spec, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == (GOLDEN / f"{name}.csv").read_bytes(), (kind, name)
    exported = run(project, "export", "--store", spec, "--format", "nt", "--with-inferred")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout_bytes == run(project, "export", "--format", "nt", "--with-inferred").stdout_bytes


def test_an_oxigraph_store_is_loaded_once_then_reused_until_the_data_changes(project, tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    built = run(project, "build", "--out", str(tmp_path / "release"), "--store", spec)
    assert built.exit_code == 0, built.output
    assert f"loaded into store {spec}" in built.stderr
    again = run(project, "query", "memberships", "--store", spec)
    assert again.exit_code == 0 and "load " not in again.stderr
    facts = project / "data" / "japan-latvia-relations" / "facts.ttl"
    original = facts.read_text(encoding="utf-8")
    try:
        facts.write_text(original.replace('rg:startDate "2016"^^xsd:gYear', 'rg:startDate "2017"^^xsd:gYear'), encoding="utf-8")
        changed = run(project, "query", "memberships", "--store", spec, "--format", "csv")
        assert "load " in changed.stderr
        assert "Organisation for Economic Co-operation and Development,2017" in changed.stdout
    finally:
        facts.write_text(original, encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bogus", "unknown store 'bogus'; expected memory, oxigraph:PATH or sparql:URL"),
        ("sparql:http://127.0.0.1:9/query", "127.0.0.1:9"),
    ],
)
def test_a_bad_store_is_a_clean_error(project, spec, message):
    result = run(project, "query", "visits", "--store", spec)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_validate_in_an_oxigraph_store_agrees_with_pyshacl(project, tmp_path):
    spec = f"oxigraph:{tmp_path / 'store'}"
    good = run(project, "validate", "--store", spec)
    assert (good.exit_code, good.stdout) == (0, "conforms\n")
    facts = project / "data" / "japan-latvia-relations" / "facts.ttl"
    original = facts.read_text(encoding="utf-8")
    try:
        facts.write_text(original.replace('rg:date "2006-04"^^xsd:gYearMonth', 'rg:date "2006-13"^^xsd:gYearMonth'), encoding="utf-8")
        in_store = run(project, "validate", "--store", spec, "--format", "json")
        in_memory = run(project, "validate", "--format", "json")
        assert in_store.exit_code == in_memory.exit_code == 1
        assert in_store.stdout == in_memory.stdout
        assert "2006-13" in in_store.stdout
    finally:
        facts.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("kind", ["oxigraph", "sparql"])
def test_link_and_the_wikidata_profiles_agree_on_every_store(project, server, tmp_path, kind):
    from wikidata_fixtures import DATASET

    spec = specs(tmp_path, server)[kind]
    commands = (
        ("link", "--against", str(DATASET), "--date", "2026-01-02", "--review", "-"),
        ("export", "--profile", "wikidata", "--format", "nt"),
        ("export", "--profile", "quickstatements"),
    )
    for command in commands:
        expected = run(project, *command)
        assert expected.exit_code in (0, 1), expected.output
        answer = run(project, *command, "--store", spec)
        assert (answer.exit_code, answer.stdout) == (expected.exit_code, expected.stdout), command
        assert len(answer.stdout) > 1000, command


def test_link_and_the_wikidata_profile_read_the_store_not_the_files(project, tmp_path):
    import pyoxigraph as ox

    spec = f"oxigraph:{tmp_path / 'store'}"
    assert run(project, "build", "--out", str(tmp_path / "release"), "--store", spec).exit_code == 0
    store = ox.Store(str(tmp_path / "store"))  # a triple only the store has (its digest still matches)
    store.add(ox.Quad(ox.NamedNode("https://w3id.org/relgraph/id/riga"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
                      ox.Literal("Store-only Riga", language="en"), ox.NamedNode("https://w3id.org/relgraph/graph/asserted")))
    store.flush()
    del store
    exported = run(project, "export", "--profile", "wikidata", "--format", "nt", "--store", spec)
    assert exported.exit_code == 0, exported.output
    assert '"Store-only Riga"@en' in exported.stdout
    assert "Store-only Riga" not in run(project, "export", "--profile", "wikidata", "--format", "nt").stdout


def test_build_in_a_store_reports_what_the_memory_build_reports_and_writes_its_dump(project, tmp_path):
    in_memory = run(project, "build", "--out", str(tmp_path / "memory"))
    in_store = run(project, "build", "--out", str(tmp_path / "store-release"), "--store", f"oxigraph:{tmp_path / 'store'}")
    assert (in_store.exit_code, in_memory.exit_code) == (0, 0), in_store.output
    assert in_store.stdout == in_memory.stdout  # counts of asserted and inferred triples, verdicts, classes
    assert "inferred triples: 1284\n" in in_store.stdout
    assert sorted(p.name for p in (tmp_path / "store-release").iterdir()) == ["inferred.nt", "relgraph.nt"]
    lines = (tmp_path / "store-release" / "inferred.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1284 and lines == sorted(lines)


def test_a_nonconforming_project_built_in_a_store_fails_and_writes_nothing(make_project, tmp_path):
    broken = make_project("nonconforming")
    result = run(broken, "build", "--out", str(tmp_path / "release"), "--store", f"oxigraph:{tmp_path / 'store'}")
    assert result.exit_code == 1
    assert "build failed; nothing written" in result.stderr
    assert not (tmp_path / "release").exists()


def test_a_store_build_gives_the_same_bytes_twice_and_never_a_mixed_release(project, tmp_path):
    release = tmp_path / "release"
    assert run(project, "build", "--out", str(release)).exit_code == 0
    assert (release / "relgraph.ttl").exists()
    dumps = []
    for attempt in ("first", "second"):  # a fresh store each time: new blank node ids inside it
        built = run(project, "build", "--out", str(release), "--store", f"oxigraph:{tmp_path / attempt}")
        assert built.exit_code == 0, built.output
        dumps.append({p.name: p.read_bytes() for p in release.iterdir()})
    assert dumps[0] == dumps[1]
    assert sorted(dumps[0]) == ["inferred.nt", "relgraph.nt"]  # the memory build's files are gone
    assert b"_:" in dumps[0]["relgraph.nt"]  # the ontology's blank nodes, named canonically
    assert run(project, "build", "--out", str(release)).exit_code == 0
    assert not (release / "inferred.nt").exists()  # and the other way round
