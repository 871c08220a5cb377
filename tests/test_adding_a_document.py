"""Adding a document changes no answer of the documents already there.

A temporary copy of the project gets a second document, the fixture article
``tests/fixtures/documents/estonia-portugal-relations/`` (written for the tests, about another pair
of states; it reuses the seed's nodes for the European Union and NATO). The copy builds and
conforms; the fixture is fully covered; and every answer of the seed is unchanged: each stored
query run with the seed's parameters gives the same answer as before (the golden answer's rows
are all in it), and the seed's coverage is the same, sentence by sentence.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from goldens import CATALOGUE, answer, assert_contains, golden, golden_documents, params_for, project_dataset
from project_copies import copy_real_project
from test_data import notes_without_their_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "estonia-portugal-relations"


def relgraph(project: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(project), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("added"))
    shutil.copytree(FIXTURE, root / "data" / FIXTURE.name)
    return root


@pytest.fixture(scope="module")
def before():
    return project_dataset(ROOT)


@pytest.fixture(scope="module")
def after(copy):
    return project_dataset(copy)


def test_the_copy_builds_and_conforms(copy, tmp_path):
    built = relgraph(copy, "build", "--out", str(tmp_path / "release"))
    assert built.returncode == 0, built.stdout + built.stderr
    assert "consistent: yes\n" in built.stdout and "conforms: yes\n" in built.stdout
    validated = relgraph(copy, "validate")
    assert (validated.returncode, validated.stdout) == (0, "conforms\n")


def test_the_new_document_is_fully_covered(copy):
    covered = relgraph(copy, "coverage", FIXTURE.name)
    assert covered.returncode == 0, covered.stdout
    assert covered.stdout.endswith("8/8 units accounted for, 0 stale\ncoverage complete\n")


def test_its_notes_on_entities_name_it(copy):
    assert notes_without_their_document(copy) == []


@pytest.mark.parametrize("document", golden_documents())
def test_the_coverage_of_every_other_document_is_unchanged(copy, document):
    def report(root: Path) -> str:
        done = relgraph(root, "coverage", document, "--format", "json")
        assert done.returncode == 0, done.stdout
        return done.stdout.replace(str(root), "ROOT")

    assert json.loads(report(copy)) == json.loads(report(ROOT))


@pytest.mark.parametrize(("document", "name"), [(d, n) for d in golden_documents() for n in CATALOGUE.names()])
def test_every_answer_of_every_other_document_is_unchanged(before, after, document, name):
    params = params_for(document, name)
    now = answer(after, name, **params)
    assert_contains(now, golden(document, name), name=name)
    if CATALOGUE.get(name).params:
        # a query about the document's pair (or one of its facts) answers exactly as before
        assert now == answer(before, name, **params)
    else:
        # a query over the whole graph may only grow
        assert_contains(now, answer(before, name), name=name)


def test_the_new_pair_has_its_own_answers(after):
    pair = {"stateA": "estonia", "stateB": "portugal"}
    assert answer(after, "trade-balance", **pair).decode().splitlines() == [
        "year,currency,exports,imports,balance",
        "2020,EUR,95000000.0,130000000.0,-35000000.0",
    ]
    visits = answer(after, "visits", **pair).decode().splitlines()
    assert [row.split(",")[1] for row in visits[1:]] == ["https://w3id.org/relgraph/id/visit-2019-05-saar-to-portugal"]
    memberships = answer(after, "memberships", **pair).decode().splitlines()
    assert sorted(row.split(",")[:2] for row in memberships[1:]) == sorted(
        [f"https://w3id.org/relgraph/id/{state}", f"https://w3id.org/relgraph/id/{org}"]
        for state in ("estonia", "portugal")
        for org in ("european-union", "nato")
    )
    timeline = answer(after, "relationship-timeline", **pair).decode().splitlines()
    assert [row.split(",")[0] for row in timeline[1:]] == ["1921", "1922", "1991-08-27", "2005"]
