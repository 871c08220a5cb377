"""Fixtures of the Wikidata tests: the sample project, the fixture dataset, an Oxigraph server.

Import them into a test module: ``from wikidata_fixtures import sample_project, DATASET``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_endpoint(tmp_path_factory):
    """An Oxigraph server on 127.0.0.1 holding the fixture dataset; yields its query URL."""
    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        pytest.fail("the oxigraph command (PyPI package 'oxigraph') is not installed")
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(DATASET)], check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [oxigraph, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
