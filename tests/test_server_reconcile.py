"""`relgraph serve` offers OpenRefine's Reconciliation Service API over the graph's own entities."""

import json

import httpx




def test_the_served_manifest(server):
    manifest = httpx.get(server.url + "/reconcile").json()
    assert manifest["name"] == "relgraph entities"
    assert manifest["identifierSpace"] == "https://w3id.org/relgraph/id/"


def test_a_spreadsheet_column_reconciles_against_the_served_graph(server):
    queries = {
        "q0": {"query": "Rujena"},
        "q1": {"query": "Riga", "type": "Place"},
        "q2": {"query": "Kucinskis"},
    }
    response = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(queries)})
    assert response.status_code == 200
    best = {key: answer["result"][0] for key, answer in response.json().items()}
    assert (best["q0"]["id"], best["q0"]["name"]) == ("rujiena", "Rūjiena")
    assert (best["q1"]["id"], best["q1"]["match"]) == ("riga", True)
    assert best["q2"]["id"] == "maris-kucinskis"
