"""A graph of several documents over real HTTP: the page lists the documents and the pairs of
states, and the timeline and the stored queries take the pair (stateA, stateB).

The server runs over a temporary copy of the project with a second document, the fixture article
about Estonia and Portugal (tests/fixtures/documents/), once in memory and once over an embedded
Oxigraph store.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from goldens import golden
from project_copies import SEED, copy_real_project
from server_fixtures import SERVER_ARGS, start_server

FIXTURE = Path(__file__).parent / "fixtures" / "documents" / "estonia-portugal-relations"
SVG = "{http://www.w3.org/2000/svg}"
SEED_PAIR = {"stateA": "japan", "stateB": "latvia"}
NEW_PAIR = {"stateA": "estonia", "stateB": "portugal"}


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    """The seed alone, and the seed with the fixture article beside it."""
    alone = copy_real_project(tmp_path_factory.mktemp("alone"), documents=[SEED])
    both = copy_real_project(tmp_path_factory.mktemp("both"), documents=[SEED])
    shutil.copytree(FIXTURE, both / "data" / FIXTURE.name)
    return {"alone": alone, "both": both}


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(request, projects, tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    args = ("--store", "memory") if request.param == "memory" else ("--store", f"oxigraph:{tmp_path_factory.mktemp('store') / 'db'}")
    running = start_server(projects["both"], logs / "server.log", *SERVER_ARGS, *args, startup=300)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def seed_server(projects, tmp_path_factory):
    running = start_server(projects["alone"], tmp_path_factory.mktemp("logs") / "seed.log", *SERVER_ARGS, startup=300)
    yield running
    running.stop()


def get(server, path, **kwargs):
    return httpx.get(server.url + path, timeout=120, **kwargs)


def labels(svg: bytes) -> list[str]:
    return [t.text or "" for t in ElementTree.fromstring(svg).iter(SVG + "text") if t.get("{http://www.w3.org/XML/1998/namespace}lang")]


def test_the_page_lists_the_documents_and_the_pairs(server):
    page = get(server, "/").text
    documents = re.findall(r'<li class="document"><a href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert documents == [
        ("/id/estonia-portugal-relations", "Estonia–Portugal relations"),
        ("/id/japan-latvia-relations", "Japan–Latvia relations"),
    ]
    pairs = re.findall(r'<li class="pair"><a href="([^"]+)">([^<]+)</a>', page)
    assert pairs == [
        ("/?stateA=estonia&amp;stateB=portugal", "Estonia and Portugal"),
        ("/?stateA=japan&amp;stateB=latvia", "Japan and Latvia"),
    ]
    assert '<div id="timeline-chart" data-spec="/timeline.json"' in page
    for href, _title in documents:
        assert get(server, href).status_code == 200


def test_the_page_of_a_pair_shows_its_timeline(server):
    page = get(server, "/", params=NEW_PAIR).text
    assert '<div id="timeline-chart" data-spec="/timeline.json?stateA=estonia&amp;stateB=portugal"' in page
    assert '<h2 id="timeline-heading">Timeline of Estonia and Portugal</h2>' in page
    assert "Estonia and Portugal</a> (shown below)" in page


def test_the_timeline_of_a_pair_holds_its_facts_only(server):
    picture = get(server, "/timeline.svg", params=NEW_PAIR)
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/svg+xml; charset=utf-8"
    title = ElementTree.fromstring(picture.content).find(SVG + "title").text
    assert title == "Timeline of the relationship of Estonia and Portugal"
    assert labels(picture.content) == [
        "Portugal recognizes Estonia",
        "Estonia and Portugal establish diplomatic relations",
        "Estonia and Portugal re-establish diplomatic relations",
        "Embassy of Estonia opened in Lisbon",
        "State visit of President Liina Saar to Portugal",
        "Estonia's exports to Portugal in 2020",
        "Estonia's imports from Portugal in 2020",
    ]
    assert get(server, "/timeline.svg", params=NEW_PAIR).content == picture.content  # deterministic


def test_the_timeline_spec_of_a_pair_holds_its_facts_only(server):
    spec = get(server, "/timeline.json", params=NEW_PAIR)
    assert spec.status_code == 200 and spec.headers["content-type"] == "application/json"
    assert spec.json()["title"]["text"] == "Timeline of the relationship of Estonia and Portugal"
    assert {row["label"] for row in spec.json()["data"]["values"]} == set(labels(get(server, "/timeline.svg", params=NEW_PAIR).content))
    assert get(server, "/timeline.json", params=NEW_PAIR).content == spec.content  # deterministic


def test_the_seed_pair_timeline_is_the_seed_timeline_unchanged(server, seed_server):
    """With another document beside it, the seed's pair shows exactly the events it showed alone."""
    alone = get(seed_server, "/timeline.svg").content
    paired = get(server, "/timeline.svg", params=SEED_PAIR).content
    assert labels(paired) == labels(alone) and labels(alone)
    everything = labels(get(server, "/timeline.svg").content)
    assert set(labels(paired)) < set(everything)
    assert "Portugal recognizes Estonia" in everything and "Portugal recognizes Estonia" not in labels(paired)


def test_the_stored_queries_take_the_pair(server):
    seed = get(server, "/queries/memberships", params={**SEED_PAIR, "format": "csv"})
    assert seed.status_code == 200 and seed.content == golden(SEED, "memberships")
    new = get(server, "/queries/memberships", params={**NEW_PAIR, "format": "csv"}).text.splitlines()
    assert sorted(line.split(",")[:2] for line in new[1:]) == sorted(
        [f"https://w3id.org/relgraph/id/{state}", f"https://w3id.org/relgraph/id/{org}"]
        for state in ("estonia", "portugal")
        for org in ("european-union", "nato")
    )


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/timeline.svg", {"stateA": "estonia"}, "parameter 'stateB' of /timeline.svg"),
        ("/timeline.svg", {"stateB": "estonia"}, "parameter 'stateA' of /timeline.svg"),
        ("/timeline.svg", {"stateA": "not an iri", "stateB": "portugal"}, "stateA"),
        ("/timeline.svg", {"stateA": "estonia", "stateB": "estonia"}, "two different states"),
        ("/", {"stateA": "estonia"}, "parameter 'stateB' of /"),
        ("/", {"state": "estonia"}, "unknown parameter 'state'"),
    ],
)
def test_a_bad_pair_is_a_400_naming_the_parameter(server, path, params, words):
    response = get(server, path, params=params)
    assert response.status_code == 400 and words in response.text, response.text
