"""Dataset clauses and protocol parameters at /sparql, over real HTTP to ``relgraph serve``.

FROM / FROM NAMED and ``default-graph-uri`` / ``named-graph-uri`` naming the server's own graphs
give the dataset they name; anything else is a 400 naming the IRI, and nothing is fetched (the
listener records no connection). Unknown parameters are ignored; ``timeout`` (seconds) is honoured.
Each expected answer is read from the same server without the dataset clause (GRAPH patterns).
The servers have a roomy ``--timeout`` (20 s), so that a loaded machine does not fail the counts.
"""

from __future__ import annotations

import httpx
import pytest
from server_fixtures import SERVER_ARGS, start_server

from project_copies import copy_real_project
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

COUNT = "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {pattern} }} }}"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def endpoint(request, tmp_path_factory):
    """``relgraph serve`` in memory and over an Oxigraph store (two engines, one dataset rule)."""
    folder = tmp_path_factory.mktemp(request.param)
    project = copy_real_project(folder / "project")
    store = ("--store", "memory") if request.param == "memory" else ("--store", f"oxigraph:{folder / 'store'}")
    running = start_server(project, folder / "server.log", *SERVER_ARGS, "--timeout", "20", *store)
    yield running.url + "/sparql"
    running.stop()


def count(url: str, query: str, **params) -> int:
    response = httpx.get(url, params={"query": query, **params}, headers={"Accept": "application/sparql-results+json"},
                         timeout=30)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def in_graphs(*graphs) -> str:
    names = ", ".join(f"<{g}>" for g in graphs)
    return f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g IN ({names}))"


def test_from_one_of_the_servers_graphs(endpoint):
    expected = count(endpoint, COUNT.format(pattern=in_graphs(GRAPH_ASSERTED)))
    assert expected > 0
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_ASSERTED}> WHERE {{ ?s ?p ?o }}"
    assert count(endpoint, query) == expected
    everything = count(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert everything > expected


def test_from_two_graphs_is_their_merge(endpoint):
    expected = count(endpoint, COUNT.format(pattern=in_graphs(GRAPH_ASSERTED, GRAPH_INFERRED)))
    query = (f"PREFIX g: <https://w3id.org/relgraph/graph/>\nSELECT (COUNT(*) AS ?n) FROM g:asserted FROM g:inferred "
             "WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert count(endpoint, query) == expected


def test_from_named_restricts_graph_patterns(endpoint):
    names = httpx.get(endpoint, params={"query": f"SELECT DISTINCT ?g FROM NAMED <{GRAPH_INFERRED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
                      headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert names.status_code == 200, names.text
    assert [b["g"]["value"] for b in names.json()["results"]["bindings"]] == [str(GRAPH_INFERRED)]
    # FROM NAMED alone: the default graph is empty (SPARQL 1.1 Query §13.2)
    assert count(endpoint, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH_INFERRED}> WHERE {{ ?s ?p ?o }}") == 0


def test_protocol_parameters_override_the_query(endpoint):
    expected = count(endpoint, COUNT.format(pattern=in_graphs(GRAPH_ONTOLOGY)))
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH_ASSERTED}> WHERE {{ ?s ?p ?o }}"
    assert count(endpoint, query, **{"default-graph-uri": str(GRAPH_ONTOLOGY)}) == expected
    response = httpx.post(endpoint, data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                          "named-graph-uri": [str(GRAPH_ONTOLOGY)], "default-graph-uri": [str(GRAPH_ONTOLOGY)]},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert response.status_code == 200, response.text
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize("spelling", ["query", "parameter"])
def test_a_foreign_graph_is_refused_and_never_fetched(endpoint, listener, spelling):
    foreign = listener.url + "/data.ttl"
    if spelling == "query":
        response = httpx.get(endpoint, params={"query": f"SELECT * FROM <{GRAPH_ASSERTED}> FROM <{foreign}> WHERE {{ ?s ?p ?o }}"})
    else:
        response = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "named-graph-uri": foreign})
    assert response.status_code == 400, response.text
    assert f"<{foreign}>" in response.text and str(GRAPH_ASSERTED) in response.text
    assert listener.connections == []


def test_unknown_parameters_are_ignored(endpoint):
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {in_graphs(GRAPH_ONTOLOGY)} }}"
    assert count(endpoint, query, limit="3", _="1700000000", infer="true") == count(endpoint, query)


def test_a_lower_timeout_is_honoured(endpoint):
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    response = httpx.get(endpoint, params={"query": slow, "timeout": "0.2"}, timeout=30)
    assert response.status_code == 503, response.text
    assert "0.2 s its timeout parameter" in response.text
    # a timeout above the server's own limit is no error: the server's limit stays in force
    fast = "SELECT (COUNT(*) AS ?n) WHERE { ?s a rg:State }"
    assert count(endpoint, fast, timeout="3600") > 0
