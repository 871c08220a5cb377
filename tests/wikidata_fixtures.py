"""Fixtures of the Wikidata tests: the sample project, the fixture dataset, an Oxigraph server.

Import them into a test module: ``from wikidata_fixtures import sample_project, DATASET``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oxigraph_fixtures import serve_oxigraph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wikidata"
DATASET = FIXTURES / "dataset.ttl"
DATASET_JSON = FIXTURES / "dataset.json"
REVIEWED_LINKS = """\
@prefix rg: <https://w3id.org/relgraph/ontology#> .
@prefix rgd: <https://w3id.org/relgraph/id/> .
@prefix wd: <http://www.wikidata.org/entity/> .
rgd:riga rg:wikidata wd:Q1773 .
rgd:kobe rg:wikidata wd:Q48320 .
"""
"""Links a person accepted after a `relgraph link` run (both QIDs are in wikidata-ids.md)."""


def make_sample_project(target: Path, *, links: str | None = None) -> Path:
    """The sample project (tests/fixtures/wikidata/project) with the real ontology and queries."""
    shutil.copytree(FIXTURES / "project", target)
    (target / "ontology").mkdir()
    for path in (ROOT / "ontology").glob("*.ttl"):
        shutil.copy(path, target / "ontology" / path.name)
    shutil.copytree(ROOT / "queries", target / "queries")
    if links is not None:
        (target / "data" / "links.ttl").write_text(links, encoding="utf-8")
    return target


@pytest.fixture
def sample_project(tmp_path) -> Path:
    """A fresh copy of the sample project."""
    return make_sample_project(tmp_path / "sample")


@pytest.fixture(scope="module")
def oxigraph_endpoint(tmp_path_factory):
    """An Oxigraph server on 127.0.0.1 holding the fixture dataset; yields its query URL."""
    with serve_oxigraph(tmp_path_factory.mktemp("oxigraph"), load=DATASET) as url:
        yield url
