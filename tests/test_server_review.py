"""The review page of a document, over real HTTP to a real server on a copy of the project with a
fixture document and its draft; a broken draft elsewhere changes nothing the server serves."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from project_copies import copy_real_project
from server_fixtures import SERVER_ARGS, start_server

from relgraph.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "curation"
SLUG = "estonia-portugal-relations"


@pytest.fixture(scope="module")
def review_server(tmp_path_factory):
    """A server over a copy of the project with the fixture article (new + hand-written draft) and
    a second copy of it, "scratch", whose draft.ttl is broken (never loaded)."""
    root = copy_real_project(tmp_path_factory.mktemp("review") / "project")
    for slug in (SLUG, "scratch"):
        made = CliRunner().invoke(cli, ["--project", str(root), "new", slug, "--text", str(FIXTURES / "article.txt"),
                                        "--title", "Estonia–Portugal relations", "--url", "https://example.org/ep"])
        assert made.exit_code == 0, made.output
    shutil.copy(FIXTURES / "draft.ttl", root / "data" / SLUG / "draft.ttl")
    (root / "data" / "scratch" / "draft.ttl").write_text(
        "@prefix rgd: <https://w3id.org/relgraph/id/> .\nrgd:latvia rgd:broken .\n", encoding="utf-8")
    running = start_server(root, root.parent / "server.log", *SERVER_ARGS)
    yield running
    running.stop()


def get(server, path, **kwargs):
    return httpx.get(server.url + path, timeout=30, **kwargs)


def test_the_review_page_shows_each_sentence_with_its_candidates(review_server):
    response = get(review_server, f"/documents/{SLUG}/review")
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<h1>Review: Estonia–Portugal relations</h1>" in page
    assert ('<p role="status">3 sentences: 0 curated, 3 with candidates; 6 candidates in <code>draft.ttl</code>.'
            in page)
    sentences = re.findall(r'<li id="s(\d+)" value="\d+">\s*<blockquote class="quote sentence" lang="en">([^<]*)</blockquote>', page)
    assert sentences == [
        ("1", "Estonia–Portugal relations are the relations between Estonia and Portugal, written for relgraph&#39;s tests in our own words."),
        ("2", "Portugal keeps an embassy in Tallinn."),
        ("3", "The weather in Tallinn was mild that year."),
    ]
    rows = re.findall(r'<tr class="candidate" id="(c\d+)-(\d)"><td><code>c\d+</code></td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    assert rows == [
        ("c001", "1", "state-gazetteer", "0.95", "rg:State"),
        ("c002", "1", "state-gazetteer", "0.95", "rg:State"),
        ("c003", "1", "relations-between", "0.90", "rg:DiplomaticRelation"),
        ("c002", "2", "state-gazetteer", "0.95", "rg:State"),
        ("c004", "2", "city-cue", "0.70", "rg:City"),
        ("c005", "2", "embassy-in", "0.80", "rg:Embassy"),
        ("c006", "3", "visit-verb", "0.20", "rg:Visit"),
    ]
    assert "<td>No visitor or date found.</td>" in page


def test_the_review_page_of_the_seed_shows_what_is_curated(review_server):
    response = get(review_server, "/documents/japan-latvia-relations/review")
    assert response.status_code == 200
    page = response.text
    assert "No draft: <code>relgraph draft japan-latvia-relations</code> proposes candidates." in page
    item = page[page.index('<li id="s35"'):page.index('<li id="s36"')]
    assert '<a href="/id/kobe-riga-sister-cities">Kobe–Riga sister-city partnership</a> <small class="tag">rg:SisterCityPartnership</small>' in item
    first = page[page.index('<li id="s1"'):page.index('<li id="s2"')]
    assert '<p class="no-fact">No fact: Infobox markup left over from the encyclopedia page; it states nothing.</p>' in first


def test_a_broken_draft_is_named_on_its_review_page(review_server):
    response = get(review_server, "/documents/scratch/review")
    assert response.status_code == 400
    assert "scratch/draft.ttl:2:" in response.text


def test_the_review_as_json_is_the_cli_review(review_server, tmp_path):
    response = get(review_server, f"/documents/{SLUG}/review", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    assert [(s["position"], [c["id"] for c in s["candidates"]]) for s in data["sentences"]] == [
        (1, ["c001", "c002", "c003"]), (2, ["c002", "c004", "c005"]), (3, ["c006"])]
    assert get(review_server, f"/documents/{SLUG}/review?format=json").json() == data


@pytest.mark.parametrize(
    ("path", "headers", "status", "words"),
    [
        ("/documents/nope/review", {"Accept": "text/html"}, 404, "no document &#39;nope&#39;"),
        ("/documents/nope/review", {"Accept": "application/json"}, 404, "no document 'nope'"),
        (f"/documents/{SLUG}/review?x=1", {}, 400, "x"),
        (f"/documents/{SLUG}/review", {"Accept": "image/png"}, 406, ""),
    ],
)
def test_review_refusals(review_server, path, headers, status, words):
    response = get(review_server, path, headers=headers)
    assert response.status_code == status
    assert words in response.text


def test_serve_loads_no_draft(review_server):
    # the candidates of the draft are not in the graph, and the broken draft did not stop the server
    assert get(review_server, "/id/tallinn", headers={"Accept": "text/turtle"}).status_code == 404
    assert get(review_server, "/id/latvia", headers={"Accept": "text/turtle"}).status_code == 200
    answer = get(review_server, "/sparql", params={"query": "ASK { ?s <https://w3id.org/relgraph/curation#candidate> ?id }"},
                 headers={"Accept": "application/sparql-results+json"})
    assert answer.json()["boolean"] is False
