"""The share link of the page: / takes the query text, or a stored query's name and its
parameters; anything else is refused with a message naming the parameter."""

from __future__ import annotations

import httpx
import pytest


@pytest.mark.parametrize(
    "params",
    [{"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
     {"stored": "visits", "stateA": "rgd:japan", "stateB": "rgd:latvia"},
     {"stored": "source-of-fact", "fact": "kobe-riga-sister-cities"},
     {"stored": "visits", "stateA": "rgd:japan"},
     {"stored": "people-and-offices"}],
)
def test_a_share_link_opens_the_page(server, params):
    response = httpx.get(server.url + "/", params=params)
    assert response.status_code == 200 and '<select id="stored" name="stored">' in response.text


@pytest.mark.parametrize(
    "params, status, words",
    [({"stored": "nope"}, 404, "no query named 'nope'"),
     ({"stored": "people-and-offices", "stateA": "japan", "stateB": "latvia", "fact": "x"}, 400, "unknown parameter 'fact'"),
     ({"stored": "visits", "query": "ASK {}"}, 400, "'query' and 'stored'"),
     ({"foo": "1"}, 400, "unknown parameter 'foo'")],
)
def test_a_bad_share_link_is_refused(server, params, status, words):
    response = httpx.get(server.url + "/", params=params)
    assert response.status_code == status and words in response.text
