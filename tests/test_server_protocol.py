"""The SPARQL 1.1 Protocol at /sparql and the stored queries at /queries, over real HTTP.

SPARQLWrapper is the real SPARQL client; httpx checks every status and header exactly.
"""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, XML, SPARQLWrapper
from server_fixtures import ROOT

from relgraph.queries import Catalogue
from relgraph.vocab import RGD

STATES = "SELECT ?state ?label WHERE { ?state a rg:State ; rdfs:label ?label . FILTER (LANG(?label) = 'en') } ORDER BY ?label"
SD = "http://www.w3.org/ns/sparql-service-description#"


def client(server, fmt, *, method=None):
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setReturnFormat(fmt)
    if method is not None:
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(method)
    return wrapper


@pytest.mark.parametrize("method", [None, "urlencoded", POSTDIRECTLY], ids=["GET", "POST-form", "POST-direct"])
def test_sparqlwrapper_select_json_by_each_method(server, method):
    wrapper = client(server, JSON, method=method)
    wrapper.setQuery(STATES)
    rows = wrapper.queryAndConvert()["results"]["bindings"]
    labels = [row["label"]["value"] for row in rows]
    assert "Japan" in labels and "Latvia" in labels
    assert labels == sorted(labels)


def test_sparqlwrapper_select_xml_csv_tsv(server):
    wrapper = client(server, XML)
    wrapper.setQuery(STATES)
    document = wrapper.queryAndConvert()
    assert document.getElementsByTagName("variable")[0].getAttribute("name") == "state"
    wrapper = client(server, CSV)
    wrapper.setQuery(STATES)
    table = list(csv.reader(io.StringIO(wrapper.queryAndConvert().decode("utf-8"))))
    assert table[0] == ["state", "label"] and [str(RGD.japan), "Japan"] in table
    wrapper = client(server, TSV)
    wrapper.setQuery(STATES)
    lines = wrapper.queryAndConvert().decode("utf-8").splitlines()
    assert lines[0] == "?state\t?label" and f"<{RGD.latvia}>\t\"Latvia\"@en" in lines


def test_sparqlwrapper_ask(server):
    wrapper = client(server, JSON)
    wrapper.setQuery("ASK { rgd:japan a rg:State }")
    assert wrapper.queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, RDFXML, N3])
def test_sparqlwrapper_construct_and_describe(server, fmt):
    wrapper = client(server, fmt)
    wrapper.setQuery("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a rg:State ; rdfs:label ?l }")
    graph = wrapper.queryAndConvert()
    graph = graph if isinstance(graph, Graph) else Graph().parse(data=graph, format="json-ld" if fmt == JSONLD else "turtle")
    assert len(graph) > 5 and (RGD.latvia, RDFS.label, None) in graph
    wrapper.setQuery("DESCRIBE rgd:latvia")
    described = wrapper.queryAndConvert()
    described = described if isinstance(described, Graph) else Graph().parse(data=described, format="json-ld" if fmt == JSONLD else "turtle")
    assert (RGD.latvia, URIRef("https://w3id.org/relgraph/ontology#wikidata"), None) in described


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/tab-separated-values, */*;q=0.1", "text/tab-separated-values; charset=utf-8"),
        ("image/png, text/csv;q=0.2", "text/csv; charset=utf-8"),
    ],
)
def test_select_negotiation_with_q_values(server, accept, expected):
    headers = {} if accept is None else {"Accept": accept}
    response = httpx.get(server.url + "/sparql", params={"query": STATES}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples;q=0.4, application/ld+json;q=0.8", "application/ld+json"),
        ("application/sparql-results+json, */*;q=0.1", "text/turtle"),
    ],
)
def test_construct_negotiation(server, accept, expected):
    query = "CONSTRUCT { rgd:latvia rdfs:label ?l } WHERE { rgd:latvia rdfs:label ?l }"
    response = httpx.post(server.url + "/sparql", content=query.encode(), headers={"Accept": accept, "Content-Type": "application/sparql-query"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    rdflib_format = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt", "application/rdf+xml": "xml"}[expected]
    assert len(Graph().parse(data=response.text, format=rdflib_format)) == 3


def test_format_parameter_overrides_accept(server):
    response = httpx.get(server.url + "/sparql", params={"query": STATES, "format": "csv"}, headers={"Accept": "application/sparql-results+xml"})
    assert response.headers["content-type"].startswith("text/csv")
    response = httpx.get(server.url + "/sparql", params={"query": STATES, "format": "turtle"})
    assert response.status_code == 400 and "parameter 'format'" in response.text and "json" in response.text


@pytest.mark.parametrize(
    "query, accept",
    [(STATES, "image/png"), (STATES, "text/turtle"), ("CONSTRUCT WHERE { rgd:latvia ?p ?o }", "text/csv")],
)
def test_406_when_nothing_acceptable(server, query, accept):
    response = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "available as" in response.text


def test_400_with_the_parsers_message(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert response.text.startswith("malformed query: line 1")
    assert "Expected" in response.text


def test_unknown_prefix_is_400(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?x a nope:Thing }"})
    assert response.status_code == 400 and "nope" in response.text


def test_service_description_on_bare_get(server):
    response = httpx.get(server.url + "/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(server.url + "/sparql")
    assert (endpoint, URIRef(SD + "endpoint"), endpoint) in graph
    assert (endpoint, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph
    formats = set(graph.objects(endpoint, URIRef(SD + "resultFormat")))
    w3c = "http://www.w3.org/ns/formats/"
    expected = {w3c + name for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                                         "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML", "TriG", "N-Quads")}
    assert {str(f) for f in formats} == expected
    names = set(graph.objects(None, URIRef(SD + "name")))
    assert URIRef("https://w3id.org/relgraph/graph/inferred") in names
    as_jsonld = httpx.get(server.url + "/sparql", headers={"Accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"] == "application/ld+json"
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)


def test_cors(server):
    response = httpx.get(server.url + "/sparql", params={"query": STATES}, headers={"Origin": "https://notebook.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(
        server.url + "/sparql",
        headers={"Origin": "https://notebook.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


def test_queries_listing_matches_the_catalogue(server):
    response = httpx.get(server.url + "/queries")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    listing = response.json()["queries"]
    catalogue = Catalogue.load(ROOT / "queries")
    assert [q["name"] for q in listing] == list(catalogue.names())
    visits = next(q for q in listing if q["name"] == "visits")
    assert visits["title"] == "High-level visits"
    assert [p["name"] for p in visits["parameters"]] == ["stateA", "stateB"]
    assert visits["parameters"][0] == {"name": "stateA", "type": "iri", "default": "rgd:japan", "description": "one of the two states"}
    assert httpx.get(server.url + "/queries", headers={"Accept": "text/csv"}).status_code == 406


def test_stored_query_with_parameters_and_negotiation(server):
    default = httpx.get(server.url + "/queries/visits")
    swapped = httpx.get(server.url + "/queries/visits", params={"stateA": "latvia", "stateB": "rgd:japan"})
    assert default.status_code == swapped.status_code == 200
    assert default.json()["results"] == swapped.json()["results"]  # either direction
    as_csv = httpx.get(server.url + "/queries/visits", headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.text.splitlines()[0].startswith("date,visit,visitor")
    as_xml = httpx.get(server.url + "/queries/embassies", params={"format": "xml"})
    ElementTree.fromstring(as_xml.content)
    rule = httpx.get(server.url + "/queries/derive-twinned-with", headers={"Accept": "application/n-triples"})
    assert rule.status_code == 200 and rule.headers["content-type"] == "application/n-triples"


@pytest.mark.parametrize(
    "path, params, status, words",
    [
        ("/queries/nope", {}, 404, ["no query named 'nope'", "visits"]),
        ("/queries/visits", {"stateC": "x"}, 400, ["'stateC'", "stateA, stateB"]),
        ("/queries/visits", {"stateA": "not an iri"}, 400, ["parameter 'stateA'"]),
        ("/queries/visits", {"format": "png"}, 400, ["parameter 'format'"]),
        ("/sparql", {"query": STATES, "timeout": "soon"}, 400, ["parameter 'timeout'", "'soon'"]),
        ("/sparql", {"query": STATES, "timeout": "-1"}, 400, ["parameter 'timeout'", "positive"]),
        ("/sparql", {"query": "  "}, 400, ["'query' is empty"]),
        ("/queries", {"x": "1"}, 400, ["unknown parameter 'x'"]),
    ],
)
def test_bad_parameters_are_named(server, path, params, status, words):
    response = httpx.get(server.url + path, params=params)
    assert response.status_code == status, response.text
    for word in words:
        assert word in response.text


def test_repeated_query_parameter(server):
    response = httpx.get(server.url + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400 and "more than once" in response.text


def test_post_requires_a_query_media_type(server):
    response = httpx.post(server.url + "/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and "application/sparql-query" in response.text
    response = httpx.post(server.url + "/sparql", data={"format": "json"})
    assert response.status_code == 400 and "missing parameter 'query'" in response.text


def test_method_not_allowed(server):
    assert httpx.put(server.url + "/sparql", content=b"x").status_code == 405
    assert httpx.delete(server.url + "/queries/visits").status_code == 405


def test_json_results_are_sparql_json(server):
    response = httpx.post(server.url + "/sparql", data={"query": "SELECT ?l WHERE { rgd:latvia rdfs:label ?l } ORDER BY ?l"})
    document = json.loads(response.text)
    assert document["head"]["vars"] == ["l"]
    assert {"type": "literal", "value": "Latvija", "xml:lang": "lv"} in [b["l"] for b in document["results"]["bindings"]]


def test_an_ask_answer_comes_as_csv_and_tsv_too(server):
    query = {"query": "ASK { rgd:japan a rg:State }"}
    csv = httpx.get(server.url + "/sparql", params=query, headers={"Accept": "text/csv"})
    assert (csv.status_code, csv.content) == (200, b"boolean\r\ntrue\r\n")
    tsv = httpx.get(server.url + "/sparql", params=query, headers={"Accept": "text/tab-separated-values"})
    assert (tsv.status_code, tsv.content) == (200, b"?boolean\ntrue\n")


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("application/xml", "application/sparql-results+xml"),
        ("text/xml", "application/sparql-results+xml"),
        (BROWSER, "application/sparql-results+xml"),
        ("text/json", "application/sparql-results+json"),
        ("text/tsv", "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_select_answers_the_media_types_oxigraph_serves(server, accept, expected):
    response = httpx.get(server.url + "/sparql", params={"query": STATES}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == expected
    if "xml" in expected:
        names = [v.get("name") for v in ElementTree.fromstring(response.content).iter("{http://www.w3.org/2005/sparql-results#}variable")]
        assert names == ["state", "label"]


@pytest.mark.parametrize(
    "accept, sent, parse_as",
    [
        ("application/n-quads", "application/n-quads", "nquads"),
        ("text/x-nquads", "application/n-quads", "nquads"),
        ("application/trig", "application/trig", "trig"),
        ("text/n3", "text/turtle", "n3"),
        ("application/json", "application/ld+json", "json-ld"),
        ("text/plain", "application/n-triples", "nt"),
        ("application/xml", "application/rdf+xml", "xml"),
        (BROWSER, "application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_the_media_types_oxigraph_serves(server, accept, sent, parse_as):
    query = "CONSTRUCT { rgd:latvia rdfs:label ?l } WHERE { rgd:latvia rdfs:label ?l }"
    response = httpx.get(server.url + "/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == sent
    if parse_as in ("nquads", "trig"):
        from rdflib import Dataset

        graph = Dataset().parse(data=response.text, format=parse_as)
    else:
        graph = Graph().parse(data=response.text, format=parse_as)
    assert {str(o) for _s, _p, o in graph.triples((RGD.latvia, RDFS.label, None))} >= {"Latvia"}


def test_sparqlwrapper_construct_with_json_return_format(server):
    """SPARQLWrapper sends ``Accept: */*`` and ``format=json`` (also ``output=json``) for a
    CONSTRUCT asked for as JSON: JSON-LD comes back, and SPARQLWrapper parses it."""
    wrapper = client(server, JSON)
    wrapper.setQuery("CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a rg:State ; rdfs:label ?l }")
    graph = wrapper.queryAndConvert()
    assert isinstance(graph, Graph) and (RGD.latvia, RDFS.label, None) in graph


@pytest.mark.parametrize("value", ["text", "srx", "srj"])
def test_fuseki_format_names(server, value):
    response = httpx.get(server.url + "/sparql", params={"query": STATES, "format": value})
    assert response.status_code == 200, response.text
    expected = {"text": "text/plain", "srx": "application/sparql-results+xml", "srj": "application/sparql-results+json"}[value]
    assert response.headers["content-type"].split(";")[0] == expected
