"""relgraph serve beside a real Oxigraph server on the same data, through the clients people use:
curl, SPARQLWrapper and rdflib's SPARQLStore.

For every query form (SELECT, ASK, CONSTRUCT, DESCRIBE) and every media type Oxigraph server
answers it in, each client asks both servers the same query; relgraph's answer must come back in a
media type of that format and, parsed back, be the same solutions (or an isomorphic graph) as
Oxigraph's. The data are relgraph's own three named graphs, as the server loads them, written as N-Quads
and loaded into ``oxigraph serve --union-default-graph`` (so both default graphs are the union).
Both servers listen on 127.0.0.1 and are stopped by the test.
"""

from __future__ import annotations

import io
import subprocess

import httpx
import pytest
from oxigraph_fixtures import serve_oxigraph
from server_fixtures import ROOT
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from relgraph.export import serialize_dataset
from relgraph.server.served import load_served_graph
from relgraph.stores import GRAPHS

PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX rgd: <https://w3id.org/relgraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
QUERIES = {
    "SELECT": PREFIXES + ("SELECT ?state ?label WHERE { ?state a rg:State ; rdfs:label ?label FILTER (LANG(?label) = 'en') } "
                          "ORDER BY ?label ?state"),
    "ASK": PREFIXES + "ASK { rgd:latvia a rg:State }",
    "CONSTRUCT": PREFIXES + "CONSTRUCT { ?state rdfs:label ?label ; a rg:State } WHERE { ?state a rg:State ; rdfs:label ?label }",
    "DESCRIBE": PREFIXES + "DESCRIBE rgd:latvia",
}
RESULT_MEDIA = ("application/sparql-results+json", "application/json", "text/json", "application/sparql-results+xml",
                "application/xml", "text/xml", "text/csv", "text/tab-separated-values", "text/tsv", "text/plain",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
GRAPH_MEDIA = ("text/turtle", "application/x-turtle", "application/n-triples", "text/plain", "application/rdf+xml",
               "application/xml", "text/xml", "application/ld+json", "application/json", "application/n-quads",
               "text/x-nquads", "application/trig", "text/n3")
"""What Oxigraph server 0.5 answers each kind of query in (each is asked of it too: a 200 is checked)."""
RESULT_PARSERS = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
                  "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
                 "application/ld+json": "json-ld", "application/n-quads": "nquads", "application/trig": "trig",
                 "text/n3": "n3"}
SAME_FORMAT = {"text/n3": "text/turtle"}
"""Where relgraph sends another name of the same format: Turtle is N3 (relgraph writes no N3 beyond it)."""


@pytest.fixture(scope="module")
def endpoints(server, tmp_path_factory):
    """(relgraph's /sparql, Oxigraph's /query) over the same three named graphs."""
    folder = tmp_path_factory.mktemp("interop")
    data = folder / "all.nq"
    served = load_served_graph(ROOT)  # what the session's server serves (the same project, the same cache)
    data.write_bytes(serialize_dataset(dict(zip(GRAPHS, (served.ontology, served.asserted, served.inferred))), format="nquads"))
    with serve_oxigraph(folder / "db", load=data, union_default_graph=True) as url:
        yield server.url + "/sparql", url


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip()


def parsed(kind: str, content_type: str, body: bytes):
    """An answer in a comparable form: the list of solutions, the boolean, or a Graph."""
    media = _media(content_type)
    if kind == "ASK" and media in ("text/csv", "text/tab-separated-values"):
        # SPARQL 1.1 CSV/TSV define no boolean (rdflib reads none): the last line is the answer
        # (relgraph writes a header line first, Oxigraph the bare value)
        return {"true": True, "false": False}[body.decode().split()[-1]]
    if kind in ("SELECT", "ASK"):
        result = Result.parse(io.BytesIO(body), format=RESULT_PARSERS[media])
        return result.askAnswer if kind == "ASK" else [tuple(row) for row in result]
    if media in ("application/n-quads", "application/trig"):
        dataset = Dataset()
        dataset.parse(data=body, format=GRAPH_PARSERS[media])
        graph = Graph()
        for s, p, o, _g in dataset.quads():
            graph.add((s, p, o))
        return graph
    return Graph().parse(data=body, format=GRAPH_PARSERS[media])


def same(kind: str, ours, theirs) -> bool:
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return len(ours) > 0 and isomorphic(ours, theirs)
    if kind == "ASK":
        return isinstance(ours, bool) and ours == theirs
    return len(ours) > 0 and ours == theirs


def curl(url: str, query: str, accept: str) -> tuple[str, bytes]:
    done = subprocess.run(["curl", "-sS", "-G", "-H", f"Accept: {accept}", "--data-urlencode", f"query={query}",
                           "-o", "-", "-w", "\n%{http_code} %{content_type}", url], capture_output=True, timeout=60, check=True)
    body, _, status = done.stdout.rpartition(b"\n")
    code, _, content_type = status.decode().partition(" ")
    assert code == "200", (url, accept, body[:300])
    return content_type, body


COMBINATIONS = [(kind, media) for kind in ("SELECT", "ASK") for media in RESULT_MEDIA] + [
    (kind, media) for kind in ("CONSTRUCT", "DESCRIBE") for media in GRAPH_MEDIA]


@pytest.mark.parametrize("kind, accept", COMBINATIONS, ids=[f"{k}-{m.split(',')[0]}" for k, m in COMBINATIONS])
def test_curl(endpoints, kind, accept):
    ours_url, theirs_url = endpoints
    their_type, their_body = curl(theirs_url, QUERIES[kind], accept)
    our_type, our_body = curl(ours_url, QUERIES[kind], accept)
    if kind in ("SELECT", "ASK") and accept == "text/plain":
        # Oxigraph sends CSV for text/plain; relgraph its table for people, a row per solution
        assert _media(our_type) == "text/plain"
        solutions = parsed(kind, their_type, their_body)
        expected = ("yes" if solutions else "no") if kind == "ASK" else f"({len(solutions)} rows)"
        assert our_body.decode().splitlines()[-1] == expected
        return
    assert _media(our_type) == SAME_FORMAT.get(_media(their_type), _media(their_type)), (our_type, their_type)
    assert same(kind, parsed(kind, our_type, our_body), parsed(kind, their_type, their_body))


WRAPPER_FORMATS = [(kind, fmt) for kind in ("SELECT", "ASK") for fmt in (JSON, XML, CSV, TSV)] + [
    (kind, fmt) for kind in ("CONSTRUCT", "DESCRIBE") for fmt in (TURTLE, N3, RDFXML, JSONLD, XML)]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("kind, fmt", WRAPPER_FORMATS, ids=[f"{k}-{f}" for k, f in WRAPPER_FORMATS])
def test_sparqlwrapper(endpoints, kind, fmt, method):
    answers = []
    for url in endpoints:
        wrapper = SPARQLWrapper(url)
        wrapper.setReturnFormat(fmt)
        if method == "POST":
            wrapper.setMethod(POST)
        wrapper.setQuery(QUERIES[kind])
        response = wrapper.query()
        answers.append(parsed(kind, response.response.headers["Content-Type"], response.response.read()))
    assert same(kind, *answers)


def test_sparqlwrapper_converts_relgraphs_construct_as_json(endpoints):
    """SPARQLWrapper's CONSTRUCT with JSON (format=json, Accept */*): Oxigraph ignores format= and
    answers in its own default; relgraph answers JSON-LD, which SPARQLWrapper turns into a Graph."""
    ours_url, theirs_url = endpoints
    wrapper = SPARQLWrapper(ours_url)
    wrapper.setReturnFormat(JSON)
    wrapper.setQuery(QUERIES["CONSTRUCT"])
    with pytest.warns(RuntimeWarning):  # SPARQLWrapper's own note that it sends */*
        graph = wrapper.queryAndConvert()
    theirs = httpx.get(theirs_url, params={"query": QUERIES["CONSTRUCT"]}, headers={"Accept": "application/n-triples"})
    assert isinstance(graph, Graph) and same("CONSTRUCT", graph, Graph().parse(data=theirs.text, format="nt"))


STORE_FORMATS = [("SELECT", fmt) for fmt in ("xml", "json", "csv", "tsv")] + [("ASK", "xml"), ("ASK", "json")] + [
    (kind, "xml") for kind in ("CONSTRUCT", "DESCRIBE")]
"""SPARQLStore's return formats: for a graph only ``xml`` asks for RDF (application/rdf+xml); the
others ask for result formats alone, which neither server can give for a graph (both say 406).
CSV and TSV define no boolean, and rdflib reads none from them: an ASK is asked as XML or JSON."""


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("kind, return_format", STORE_FORMATS, ids=[f"{k}-{f}" for k, f in STORE_FORMATS])
def test_rdflib_sparqlstore(endpoints, kind, return_format, method):
    answers = []
    for url in endpoints:
        store = SPARQLStore(url, returnFormat=return_format, method=method)
        result = Graph(store=store).query(QUERIES[kind])
        if kind == "ASK":
            answers.append(result.askAnswer)
        elif kind == "SELECT":
            answers.append([tuple(row) for row in result])
        else:
            answers.append(result.graph)
        store.close()
    assert same(kind, *answers)
