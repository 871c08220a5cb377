"""QuickStatements of the seed document, exact: tests/fixtures/wikidata/golden/<document>.qs holds
the proposal over that document alone (the ontology and its own files, with their inferences), so
adding a document never changes it. ``RELGRAPH_REGENERATE_GOLDEN=1`` rewrites it."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from goldens import document_files
from project_copies import SEED
from relgraph import Catalogue, Project, inferred_for
from relgraph.link import export_quickstatements
from wikidata_fixtures import FIXTURES, ROOT

GOLDEN = FIXTURES / "golden" / f"{SEED}.qs"


@pytest.fixture(scope="module")
def proposals() -> dict[bool, str]:
    project = Project.discover(ROOT)
    loaded = project.load(data_files=document_files(project, SEED))
    inferred = inferred_for(project, loaded, Catalogue.load(project.queries_dir))
    return {
        implied: export_quickstatements(loaded, inferred, version="VERSION", with_implied=implied).decode("utf-8")
        for implied in (False, True)
    }


def commands(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if not line.startswith("#")]


def test_the_seeds_proposal_is_exactly_the_golden_one(proposals):
    if os.environ.get("RELGRAPH_REGENERATE_GOLDEN"):
        GOLDEN.write_text(proposals[False], encoding="utf-8")
    assert proposals[False] == GOLDEN.read_text(encoding="utf-8")


def test_one_command_per_statement_and_at_most_one_point_in_time(proposals):
    for text in proposals.values():
        lines = commands(text)
        assert all(count == 1 for count in Counter(tuple(line[:3]) for line in lines).values())
        assert all(line.count("P585") <= 1 for line in lines)
        positions = [line for line in lines if line[1] in ("P39", "P6", "P35")]
        assert positions and all(not ({"P580", "P582"} & set(line) and "P585" in line) for line in positions)
    diplomatic = [line[:3] for line in commands(proposals[False]) if line[1] == "P530"]
    assert diplomatic == [["Q17", "P530", "Q211"], ["Q211", "P530", "Q17"]]


def test_implied_statements_are_left_out_or_flagged(proposals):
    plain, flagged = proposals[False], proposals[True]
    left_out = len(commands(flagged)) - len(commands(plain))
    assert left_out > 0
    assert f"; {left_out} statements that rest on context left out (--with-implied proposes them).\n" in plain
    assert "# implied" not in plain
    lines = flagged.splitlines()
    implied = [i for i, line in enumerate(lines) if line.startswith("# implied (")]
    assert len(implied) == left_out
    assert all(not lines[i + 1].startswith("#") for i in implied)  # each flag is followed by its command
