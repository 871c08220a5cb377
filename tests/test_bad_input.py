"""Bad input gets a clear message naming the file (and line where there is one), a documented
exit code, and never a traceback: real `relgraph` runs over fixture projects with one fault each
(issue 10, part 5)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from project_copies import copy_real_project

PREFIXES = """@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgd: <https://w3id.org/relgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""


def relgraph(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(project), *args],
                          capture_output=True, text=True, timeout=300)


def _add(project: Path, name: str, text: str) -> Path:
    path = project / "data" / "visits" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


@pytest.fixture
def real(tmp_path) -> Path:
    return copy_real_project(tmp_path / "project")


def test_an_ill_formed_date_is_a_violation_without_a_traceback(real):
    good = real
    # the second one is in the visits' answer, and takes rdflib's reading there (not in the form
    # the fast path passes through as written)
    _add(good, "bad-date.ttl", 'rgd:kobe-riga-sister-cities rg:date "1991-13-45"^^xsd:date .\n'
                               'rgd:visit-2018-01-13-abe-to-latvia rg:date "2018-1-13"^^xsd:date .\n')
    # query first, on a cold cache (the store is made), and again on a warm one (the fast path)
    runs = (["query", "visits"], 0), (["validate"], 1), (["build", "--out", str(good / "out")], 1), (["query", "visits"], 0)
    for command, code in runs:
        done = relgraph(good, *command)
        assert done.returncode == code, (command, done.stderr)
        assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr, (command, done.stderr)
    report = relgraph(good, "validate").stdout
    assert "1991-13-45" in report and "2018-1-13" in report
    assert not (good / "out").exists()


def test_turtle_nested_too_deeply_names_the_file_and_line(good):
    path = _add(good, "deep.ttl", "rgd:abe rdfs:seeAlso\n  " + "[ rdfs:seeAlso " * 20_000 + "]" * 20_000 + " .\n")
    for command in (["validate"], ["build", "--out", str(good / "out")], ["query", "any-visit"]):
        done = relgraph(good, *command)
        assert done.returncode == 2, (command, done.stderr)
        assert f"{path}:7: bad Turtle: brackets nested too deeply" in done.stderr
        assert "Traceback" not in done.stderr and "RecursionError" not in done.stderr


@pytest.mark.parametrize("iri", ["https://w3id.org/relgraph/id/a\\u0020b", "https://w3id.org/relgraph/id/a\\u003Cb"])
def test_an_iri_that_is_not_one_is_refused_before_the_build(good, iri):
    path = _add(good, "bad-iri.ttl", f"rgd:abe rdfs:seeAlso <{iri}> .\n")
    for command in (["validate"], ["build", "--out", str(good / "out")]):
        done = relgraph(good, *command)
        assert done.returncode == 2, (command, done.stderr)
        assert str(path) in done.stderr and "is not an IRI" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (good / "out").exists()


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("sh:minCount 1 ;", 'sh:minCount "many" ;', 'sh:minCount "many"'),
        ("sh:datatype xsd:gYear", 'sh:datatype "xsd:gYear"', "sh:datatype"),
    ],
)
def test_a_shapes_file_that_is_not_shacl_is_refused_not_ignored(good, old, new, words):
    """SHACL's shapes for SHACL check the shapes first: a constraint an engine would silently
    ignore (and so let every node "conform") is an error naming the shapes file."""
    shapes = good / "ontology" / "shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    assert old in text
    shapes.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in (["validate"], ["build", "--out", str(good / "out")]):
        done = relgraph(good, *command)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert f"{shapes}: not valid SHACL" in done.stderr and words in done.stderr
        assert "Traceback" not in done.stderr
