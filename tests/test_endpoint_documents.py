"""What the endpoint serves beside answers, over real HTTP: the service description's entailment
regime and its page, the JSON-LD context and the Link headers naming it and the alternates, the
favicon, and the named graphs dereferenced at their paths."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Dataset, Graph, URIRef

from server_fixtures import ROOT, SERVER_ARGS, start_server

from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

SD = "http://www.w3.org/ns/sparql-service-description#"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server of this file's own, with a roomy --timeout: a whole graph is written in a worker,
    which a loaded machine may make slower than the shared server's 5 s."""
    running = start_server(ROOT, tmp_path_factory.mktemp("documents") / "server.log", *SERVER_ARGS, "--timeout", "20")
    yield running
    running.stop()


def links(response) -> dict[str, list[tuple[str, str]]]:
    """The Link header as rel -> [(href, type)]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for part in response.headers.get("link", "").split(", <"):
        href, _, params = part.lstrip("<").partition(">")
        fields = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        out.setdefault(fields["rel"].strip('"'), []).append((href, fields.get("type", "").strip('"')))
    return out


def test_the_service_description_declares_the_entailment_regime(server):
    graph = Graph().parse(data=httpx.get(server.url + "/sparql").text, format="turtle")
    endpoint = URIRef(server.url + "/sparql")
    assert graph.value(endpoint, URIRef(SD + "defaultEntailmentRegime")) == URIRef("http://www.w3.org/ns/entailment/OWL-RDF-Based")
    assert graph.value(endpoint, URIRef(SD + "defaultSupportedEntailmentProfile")) == URIRef("http://www.w3.org/ns/owl-profile/RL")
    named = {graph.value(n, URIRef(SD + "name")): graph.value(n, URIRef(SD + "entailmentRegime"))
             for n in graph.subjects(URIRef(SD + "name"), None)}
    assert set(named) == {GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED}
    assert set(named.values()) == {URIRef("http://www.w3.org/ns/entailment/Simple")}


def test_a_browser_gets_the_service_description_as_a_page(server):
    response = httpx.get(server.url + "/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    assert "OWL-RDF-Based" in response.text and str(GRAPH_INFERRED) in response.text
    alternates = dict((kind, href) for href, kind in links(response)["alternate"])
    as_turtle = httpx.get(server.url + alternates["text/turtle"])
    assert as_turtle.status_code == 200 and as_turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=as_turtle.text, format="turtle")) > 10


def test_jsonld_answers_name_the_served_context(server):
    query = "CONSTRUCT { rgd:latvia rdfs:label ?l } WHERE { rgd:latvia rdfs:label ?l }"
    response = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": "application/ld+json"})
    assert response.status_code == 200, response.text
    [(href, _)] = links(response)["http://www.w3.org/ns/json-ld#context"]
    context = httpx.get(server.url + href)
    assert context.status_code == 200 and context.headers["content-type"] == "application/ld+json"
    assert json.loads(context.text)["@context"] == response.json()["@context"]


def test_resource_pages_link_their_alternates(server):
    page = httpx.get(server.url + "/id/latvia", headers={"Accept": "text/html"})
    assert page.status_code == 200
    alternates = dict((kind, href) for href, kind in links(page)["alternate"])
    assert alternates["text/turtle"] == "/id/latvia.ttl" and "text/html" not in alternates
    for kind, href in alternates.items():
        response = httpx.get(server.url + href)
        assert response.status_code == 200, (href, response.text)
        assert response.headers["content-type"].split(";")[0] == kind


def test_a_favicon(server):
    response = httpx.get(server.url + "/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"


@pytest.mark.parametrize("graph", [GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED], ids=lambda g: str(g).rsplit("/", 1)[-1])
def test_named_graph_iris_dereference(server, graph):
    path = "/graph/" + str(graph).rsplit("/", 1)[-1]
    count = httpx.get(server.url + "/sparql", params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                      headers={"Accept": "application/sparql-results+json"}).json()
    expected = int(count["results"]["bindings"][0]["n"]["value"])
    quads = httpx.get(server.url + path, headers={"Accept": "application/n-quads"})
    assert quads.status_code == 200 and quads.headers["content-type"] == "application/n-quads"
    dataset = Dataset().parse(data=quads.text, format="nquads")
    assert len(dataset.graph(graph)) == expected
    turtle = httpx.get(server.url + path + ".ttl")
    assert turtle.status_code == 200 and len(Graph().parse(data=turtle.text, format="turtle")) == expected


def test_an_unknown_graph_is_404(server):
    response = httpx.get(server.url + "/graph/other")
    assert response.status_code == 404 and "/graph/asserted" in response.text
