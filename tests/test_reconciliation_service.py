"""The Reconciliation Service API over the graph's own entities, spoken to as OpenRefine does:
the service is mounted in a minimal Starlette app, served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from relgraph import Project
from relgraph.link.service import EntityIndex, reconciliation_routes
from wikidata_fixtures import ROOT


@pytest.fixture(scope="module")
def service():
    loaded = Project.discover(ROOT).load()
    index = EntityIndex.from_graphs(ontology=loaded.ontology, data=loaded.asserted)
    app = Starlette(routes=reconciliation_routes(index))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/reconcile"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_manifest(service):
    response = httpx.get(service)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = response.json()
    assert {k: manifest[k] for k in ("versions", "name", "identifierSpace", "schemaSpace", "view")} == {
        "versions": ["0.2"],
        "name": "relgraph entities",
        "identifierSpace": "https://w3id.org/relgraph/id/",
        "schemaSpace": "https://w3id.org/relgraph/ontology#",
        "view": {"url": "https://w3id.org/relgraph/id/{{id}}"},
    }
    assert {"id": "State", "name": "sovereign state"} in manifest["defaultTypes"]
    assert {"id": "Place", "name": "place"} in manifest["defaultTypes"]


def test_manifest_as_jsonp(service):
    response = httpx.get(service, params={"callback": "jsonp123"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("jsonp123({") and response.text.endswith("});")


def test_a_batch_of_queries_posted_as_a_form(service):
    queries = {
        "q0": {"query": "Rujena", "type": "Town", "limit": 3, "type_strict": "should",
               "properties": [{"pid": "country", "v": "Latvia"}]},
        "q1": {"query": "RUJIENA"},
        "q2": {"query": "Peteris Vaivars", "type": "Person"},
        "q3": {"query": "Kobe", "type": "Person"},
        "q4": {"query": "Riga", "type": "City", "properties": [{"pid": "country", "v": {"id": "japan", "name": "Japan"}}]},
    }
    response = httpx.post(service, data={"queries": json.dumps(queries)})
    assert response.status_code == 200
    assert response.json() == {
        "q0": {"result": [{
            "id": "rujiena", "name": "Rūjiena", "type": [{"id": "Town", "name": "town"}], "score": 100, "match": True,
            "features": [{"id": "name", "value": 100}, {"id": "type", "value": True}, {"id": "country", "value": True}],
        }]},
        "q1": {"result": [{
            "id": "rujiena", "name": "Rūjiena", "type": [{"id": "Town", "name": "town"}], "score": 100, "match": True,
            "features": [{"id": "name", "value": 100}],
        }]},
        "q2": {"result": [{
            "id": "peteris-vaivars", "name": "Pēteris Vaivars", "type": [{"id": "Person", "name": "person"}], "score": 100,
            "match": True, "features": [{"id": "name", "value": 100}, {"id": "type", "value": True}],
        }]},
        "q3": {"result": []},
        "q4": {"result": [{
            "id": "riga", "name": "Riga", "type": [{"id": "PortCity", "name": "port city"}], "score": 80, "match": False,
            "features": [{"id": "name", "value": 100}, {"id": "type", "value": True}, {"id": "country", "value": False}],
        }]},
    }


def test_queries_by_get_and_on_the_match_path(service):
    queries = json.dumps({"q0": {"query": "Kucinskis", "limit": 1}})
    by_get = httpx.get(service, params={"queries": queries}).json()
    by_match = httpx.post(service + "/match", data={"queries": queries}).json()
    assert by_get == by_match
    assert [(r["id"], r["score"], r["match"]) for r in by_get["q0"]["result"]] == [("maris-kucinskis", 75, False)]


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"queries": "{not json"}, "parameter 'queries': not JSON: Expecting property name enclosed in double quotes at character 1"),
        ({"queries": json.dumps({"q0": {"limit": 2}})}, "parameter 'queries.q0': needs a non-empty string 'query'"),
        ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "parameter 'queries.q0.limit': expected an integer from 1 to 50"),
        ({"callback": "alert(1)"}, "parameter 'callback': not a JavaScript function name"),
    ],
)
def test_malformed_requests_are_400_with_the_parameter_named(service, params, error):
    response = httpx.post(service, data=params)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_1_0_draft_beside_it_on_a_minimal_mount(service):
    """Mounted in any app (no CORS middleware), the draft's routes answer a browser's preflight
    themselves, and a JSON batch posted to its /match."""
    draft = service + "/1.0-draft"
    preflight = httpx.options(draft + "/match", headers={"Origin": "https://example.org",
                                                          "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-headers"] == "Content-Type"
    assert httpx.get(draft).json()["view"] == {"url": "https://w3id.org/relgraph/id/{id}"}
    batch = {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "RUJIENA"}]}]}
    response = httpx.post(draft + "/match", json=batch)
    assert response.headers["access-control-allow-origin"] == "*"
    assert [(c["id"], c["match"]) for c in response.json()["results"][0]["candidates"]] == [("rujiena", True)]
