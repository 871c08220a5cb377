"""``relgraph serve --base-iri``: a server under its own domain answers with IRIs that dereference
at it (the graph keeps its https://w3id.org/relgraph/ IRIs; the server spells them under its base)."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from rdflib import Graph, URIRef
from server_fixtures import ROOT, SERVER_ARGS, start_server

BASE = "https://example.org/relgraph/"
DEFAULT = "https://w3id.org/relgraph/"


@pytest.fixture(scope="module")
def based(tmp_path_factory):
    running = start_server(ROOT, tmp_path_factory.mktemp("based") / "server.log", *SERVER_ARGS, "--timeout", "20", "--base-iri", BASE)
    yield running
    running.stop()


def local(url: str, iri: str) -> str:
    """Where the server answers ``iri`` (a proxy for example.org would forward it here)."""
    return url + iri[len("https://example.org"):]


def test_resources_answer_under_the_base_and_their_iris_dereference(based):
    response = httpx.get(local(based.url, BASE + "id/latvia"), headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.text
    assert DEFAULT not in response.text
    graph = Graph().parse(data=response.text, format="turtle")
    latvia = URIRef(BASE + "id/latvia")
    assert (latvia, None, None) in graph
    ours = sorted({str(t) for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(BASE + "id/")})
    assert len(ours) > 3
    for iri in ours[:8]:
        assert httpx.get(local(based.url, iri), headers={"Accept": "text/turtle"}).status_code == 200, iri


def test_a_proxy_that_strips_the_path_works_too(based):
    response = httpx.get(based.url + "/id/latvia.nt")
    assert response.status_code == 200 and f"<{BASE}id/latvia>" in response.text


def test_queries_read_and_answer_iris_under_the_base(based):
    query = (f"SELECT ?label FROM <{BASE}graph/asserted> WHERE {{ <{BASE}id/latvia> rdfs:label ?label }}")
    response = httpx.get(based.url + "/relgraph/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert "Latvia" in {b["label"]["value"] for b in response.json()["results"]["bindings"]}
    states = httpx.get(based.url + "/sparql", params={"query": "SELECT ?s WHERE { ?s a rg:State }"},
                       headers={"Accept": "text/csv"})
    assert f"{BASE}id/latvia" in states.text.splitlines() and DEFAULT not in states.text


def test_the_service_description_names_the_public_endpoint(based):
    graph = Graph().parse(data=httpx.get(based.url + "/relgraph/sparql").text, format="turtle")
    endpoint = URIRef(BASE + "sparql")
    assert (endpoint, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"), endpoint) in graph
    assert URIRef(BASE + "graph/inferred") in set(graph.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name")))
    dereferenced = httpx.get(local(based.url, BASE + "graph/ontology"), headers={"Accept": "text/turtle"})
    assert dereferenced.status_code == 200 and DEFAULT not in dereferenced.text


def test_a_bad_base_iri_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(ROOT), "serve", "--base-iri", "example.org"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--base-iri" in done.stderr and "'example.org'" in done.stderr
