"""Hostile or faulty requests against a real `relgraph serve`, in memory and over an embedded
Oxigraph store: never a 500, never a traceback in the log, nothing of the client's echoed as the
server's own (issue 10, part 5)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef

from project_copies import copy_real_project
from server_fixtures import SERVER_ARGS, start_server

SD = "http://www.w3.org/ns/sparql-service-description#"
OWN_GRAPHS = {
    "https://w3id.org/relgraph/graph/ontology",
    "https://w3id.org/relgraph/graph/asserted",
    "https://w3id.org/relgraph/graph/inferred",
}


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def any_server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    project = copy_real_project(folder / "project")
    store = ("--store", "memory") if request.param == "memory" else ("--store", f"oxigraph:{folder / 'store'}")
    running = start_server(project, folder / "server.log", *SERVER_ARGS, *store)
    yield running
    running.stop()


@pytest.mark.parametrize("path", ["/id/%FF%FE", "/id/latvia%00.ttl", "/ontology/%C0%AF", "/id/latvia%00",
                                  "/id/%E2%80%AE", "/id/a%20b", "/ontology/Visit%0A.ttl", "/id/%25FF"])
def test_a_path_that_is_no_iri_is_404(any_server, path):
    response = httpx.get(any_server.url + path)
    assert response.status_code == 404, response.text


def test_graph_variables_see_only_the_graphs_of_the_service_description(any_server):
    response = httpx.get(any_server.url + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert {b["g"]["value"] for b in response.json()["results"]["bindings"]} == OWN_GRAPHS


def test_the_host_header_is_not_copied_into_the_service_description(any_server):
    response = httpx.get(any_server.url + "/sparql", headers={"Host": "evil.example", "Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, URIRef(SD + "endpoint"))}
    assert endpoints == {any_server.url + "/sparql"}
    assert "evil.example" not in response.text


@pytest.mark.parametrize("path", ["/", "/sparql", "/id/latvia", "/id/latvia.ttl", "/queries", "/static/app.js", "/nowhere"])
def test_every_answer_forbids_sniffing_and_foreign_scripts(any_server, path):
    response = httpx.get(any_server.url + path)
    assert response.headers["x-content-type-options"] == "nosniff"
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_a_client_that_goes_away_leaves_no_traceback(any_server):
    host, port = any_server.url.removeprefix("http://").split(":")
    for request in (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nSELECT",
        b"POST /reconcile HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nq",
        b"GET /sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%3Fa%20%3Fb%20%3Fc%20.%20%3Fd%20%3Fe%20%3Ff%20.%20%3Fg%20%3Fh%20%3Fi%7D HTTP/1.1\r\nHost: x\r\n\r\n",
    ):
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(request)
            time.sleep(0.3)  # sequencing only: the server has started on the request
    assert httpx.get(any_server.url + "/sparql", params={"query": "ASK {}"}).status_code == 200
    time.sleep(0.5)  # sequencing only: whatever the server logs about those clients is written
    log = Path(any_server.log).read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "ERROR" not in log, log


def test_a_client_too_slow_to_send_its_headers_is_disconnected(good, tmp_path):
    """uvicorn times out idle kept-alive connections, not a request whose headers trickle in
    (slowloris); relgraph closes those after --header-timeout seconds."""
    running = start_server(good, tmp_path / "server.log", *SERVER_ARGS,
                           "--header-timeout", "1")
    try:
        host, port = running.url.removeprefix("http://").split(":")
        for start in (b"", b"GET /sparql HTTP/1.1\r\nHost: x\r\n"):
            with socket.create_connection((host, int(port))) as sock:
                sock.sendall(start)
                sock.settimeout(30)  # far longer than the header timeout: a closed socket reads b""
                assert sock.recv(100) == b""
        assert httpx.get(running.url + "/sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        running.stop()
