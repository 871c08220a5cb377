"""Two IRIs for one entity are an error naming both nodes and both files: two nodes of one class
with the same label in one language, or linked to the same Wikidata item. `relgraph validate`
exits 1 (in memory and in a store) and `relgraph build` writes no release."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def relgraph(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(project), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


CASES = {
    "duplicate-label": (
        ["data/visits/facts.ttl"],
        ["data/other/entities.ttl"],
        'are both rg:State labelled "Latvia"@en',
    ),
    "duplicate-wikidata": (
        ["data/visits/facts.ttl", "data/visits/links.ttl"],
        ["data/other/entities.ttl"],
        "are both linked to Wikidata item wd:Q211",
    ),
}


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
@pytest.mark.parametrize("overlay", sorted(CASES))
def test_validate_names_both_nodes_and_both_files(make_project, tmp_path, overlay, kind):
    root = make_project(overlay)
    spec = "memory" if kind == "memory" else f"oxigraph:{tmp_path / 'store'}"
    done = relgraph(root, "validate", "--store", spec)
    assert done.returncode == 1, done.stdout + done.stderr
    first, second, why = CASES[overlay]
    lines = done.stdout.splitlines()
    assert lines[-1] == "does not conform: 1 violation"
    (line,) = lines[:-1]
    assert (
        f"duplicate entity: rgd:latvia ({', '.join(str(root / f) for f in first)}) and "
        f"rgd:republic-of-latvia ({', '.join(str(root / f) for f in second)}) {why}"
    ) in line
    assert line.startswith(", ".join(str(root / f) for f in (*first, *second)) + ": Violation: rgd:latvia: ")


def test_the_json_report_lists_both_files(make_project):
    root = make_project("duplicate-label")
    done = relgraph(root, "validate", "--format", "json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["conforms"] is False
    (violation,) = report["violations"]
    assert violation["focus"]["value"] == "https://w3id.org/relgraph/id/latvia"
    assert violation["value"]["value"] == "https://w3id.org/relgraph/id/republic-of-latvia"
    assert violation["files"] == [str(root / "data/visits/facts.ttl"), str(root / "data/other/entities.ttl")]


def test_the_turtle_report_does_not_conform(make_project):
    from rdflib import Graph, Literal
    from rdflib.namespace import SH

    root = make_project("duplicate-wikidata")
    done = relgraph(root, "validate", "--format", "turtle")
    assert done.returncode == 1
    report = Graph().parse(data=done.stdout, format="turtle")
    assert set(report.objects(None, SH.conforms)) == {Literal(False)}
    assert len(set(report.subjects(SH.focusNode, None))) == 1


@pytest.mark.parametrize("overlay", sorted(CASES))
def test_build_refuses_and_writes_nothing(make_project, overlay):
    root = make_project(overlay)
    done = relgraph(root, "build")
    assert done.returncode == 1
    assert "conforms: no" in done.stdout
    assert "duplicate entity: rgd:latvia" in done.stderr + done.stdout
    assert done.stderr.endswith(f"relgraph: build failed; nothing written to {root}/build\n")
    assert not (root / "build").exists()


def test_the_same_name_in_another_language_or_class_is_no_duplicate(make_project):
    root = make_project("duplicate-label")
    # the fixture's other two nodes share the English label with a city, or "Latvia" in Latvian:
    # with the second IRI of the state removed, nothing is left to report
    extra = root / "data" / "other" / "entities.ttl"
    extra.write_text(
        "\n".join(line for line in extra.read_text(encoding="utf-8").splitlines() if "rgd:republic-of-latvia" not in line) + "\n",
        encoding="utf-8",
    )
    done = relgraph(root, "validate")
    assert done.returncode == 0, done.stdout
    assert done.stdout == "conforms\n"


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_two_facts_may_share_a_label(tmp_path, kind):
    """Two events of one class with one label (two recognitions both "Estonia recognized") are
    two facts, not one entity written twice: only entities are held to one IRI per label."""
    from project_copies import copy_real_project

    root = copy_real_project(tmp_path / "project")
    facts = root / "data" / "japan-latvia-relations" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    label = '"Kobe–Riga sister-city partnership"@en'
    assert label in text
    twin = ("\n<https://w3id.org/relgraph/id/a-second-partnership> a <https://w3id.org/relgraph/ontology#SisterCityPartnership> ;\n"
            f"    <http://www.w3.org/2000/01/rdf-schema#label> {label} .\n")
    facts.write_text(text + twin, encoding="utf-8")
    spec = "memory" if kind == "memory" else f"oxigraph:{tmp_path / 'store'}"
    done = relgraph(root, "validate", "--store", spec)
    assert "duplicate entity" not in done.stdout, done.stdout
