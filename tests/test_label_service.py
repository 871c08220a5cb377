"""Wikidata's label service answered from the graph's own labels: ``relgraph query`` on every
store, the real server, and the Wikidata export; never a connection out, and every other
SERVICE still refused. Answers are the fixture document's (tests/fixtures/wikidata/project)."""

from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner
from rdflib import Graph

from relgraph.cli import cli
from relgraph.label_service import LabelServiceError, rewrite
from relgraph.link.wikidata_export import WIKIDATA_PREFIXES
from server_fixtures import SERVER_ARGS, listener, start_server  # noqa: F401 (a fixture)
from wikidata_fixtures import REVIEWED_LINKS, make_sample_project

STATES = """\
SELECT ?state ?stateLabel WHERE {
  ?state a rg:State .
  SERVICE wikibase:label { bd:serviceParam wikibase:language "lv,[AUTO_LANGUAGE]" . }
} ORDER BY STR(?stateLabel)
"""
STATE_ROWS = [
    ["https://w3id.org/relgraph/id/japan", "Japan"],
    ["https://w3id.org/relgraph/id/latvia", "Latvija"],
    ["https://w3id.org/relgraph/id/soviet-union", "Soviet Union"],
    ["https://w3id.org/relgraph/id/sweden", "Sweden"],
]
CITIES = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?city ?name WHERE {
  SERVICE wikibase:label { bd:serviceParam wikibase:language "ja" . ?city rdfs:label ?name . }
  ?city a rg:City .
} ORDER BY ?city
"""
# Kobe has a Japanese label; the others fall back, as on WDQS, to their identifier
CITY_ROWS = [
    ["https://w3id.org/relgraph/id/kobe", "神戸市"],
    ["https://w3id.org/relgraph/id/osaka", "osaka"],
    ["https://w3id.org/relgraph/id/riga", "riga"],
    ["https://w3id.org/relgraph/id/tokyo", "tokyo"],
]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_sample_project(tmp_path_factory.mktemp("label") / "sample")


def json_rows(body: str | bytes) -> list[list[str]]:
    answer = json.loads(body)
    names = answer["head"]["vars"]
    return [[row[n]["value"] if n in row else None for n in names] for row in answer["results"]["bindings"]]


@pytest.mark.parametrize("store", [None, "memory"], ids=["project store", "memory"])
@pytest.mark.parametrize(("text", "expected"), [(STATES, STATE_ROWS), (CITIES, CITY_ROWS)], ids=["automatic", "explicit"])
def test_relgraph_query_answers_the_label_service_from_the_graph(project, tmp_path, store, text, expected):
    path = tmp_path / "labels.rq"
    path.write_text(text, encoding="utf-8")
    args = ["--project", str(project), "query", str(path), "--format", "json", *(["--store", store] if store else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json_rows(result.stdout) == expected


def test_another_service_beside_the_label_service_is_still_refused(project, tmp_path, listener):
    path = tmp_path / "other.rq"
    path.write_text(STATES.replace("} ORDER", f"  SERVICE <{listener.url}/x> {{ ?state ?p ?o }}\n}} ORDER"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "query", str(path), "--store", "memory"])
    assert result.exit_code == 2
    assert "SERVICE is not allowed" in result.stderr
    # wikibase: declared as another namespace is not the label service: refused, never called
    path.write_text(f"PREFIX wikibase: <{listener.url}/>\n" + STATES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "query", str(path)])
    assert result.exit_code == 2
    assert "SERVICE is not allowed" in result.stderr
    assert listener.connections == []


def test_a_label_service_body_it_cannot_answer_is_a_clean_error(project, tmp_path):
    path = tmp_path / "alt.rq"
    path.write_text(STATES.replace('"lv,[AUTO_LANGUAGE]" .', '"en" . ?state skos:altLabel ?alias .'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "query", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith("relgraph: error: ")
    assert "not ?state skos:altLabel ?alias" in result.stderr
    assert "Traceback" not in result.output


def test_the_server_answers_the_label_service(tmp_path, listener):
    project = make_sample_project(tmp_path / "sample")
    server = start_server(project, tmp_path / "server.log", *SERVER_ARGS)
    try:
        accept = {"Accept": "application/sparql-results+json"}
        reply = httpx.post(server.url + "/sparql", data={"query": STATES}, headers=accept, timeout=30)
        assert reply.status_code == 200, reply.text
        assert json_rows(reply.content) == STATE_ROWS
        reply = httpx.get(server.url + "/sparql", params={"query": CITIES}, headers=accept, timeout=30)
        assert reply.status_code == 200, reply.text
        assert json_rows(reply.content) == CITY_ROWS
        other = STATES.replace("SERVICE wikibase:label", f"SERVICE <{listener.url}/x>")
        reply = httpx.post(server.url + "/sparql", data={"query": other}, headers=accept, timeout=30)
        assert reply.status_code == 400
        assert "SERVICE is not allowed" in reply.text
        assert listener.connections == []
    finally:
        server.stop()


def test_the_label_service_on_the_wikidata_export(tmp_path):
    """A WDQS query, unchanged, on the export: the people with a QID, their office and its label."""
    project = make_sample_project(tmp_path / "sample", links=REVIEWED_LINKS)
    result = CliRunner().invoke(cli, ["--project", str(project), "export", "--profile", "wikidata"])
    assert result.exit_code == 0, result.output
    export = Graph().parse(data=result.stdout, format="turtle")
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in WIKIDATA_PREFIXES.items() if p in ("wd", "wdt"))
    query = prefixes + """
        SELECT ?item ?itemLabel ?city ?cityLabel WHERE {
          ?item wdt:P190 ?city .
          SERVICE wikibase:label { bd:serviceParam wikibase:language "[AUTO_LANGUAGE],lv" . }
        } ORDER BY ?itemLabel"""
    rows = [[str(t) for t in row] for row in export.query(rewrite(query))]
    assert rows == [
        ["http://www.wikidata.org/entity/Q48320", "Kobe", "http://www.wikidata.org/entity/Q1773", "Riga"],
        ["http://www.wikidata.org/entity/Q1773", "Riga", "http://www.wikidata.org/entity/Q48320", "Kobe"],
    ]


def test_rewrite_leaves_other_text_alone_and_orders_languages():
    other = "SELECT * WHERE { ?s ?p 'SERVICE wikibase:label { }' # SERVICE wikibase:label {\n }"
    assert rewrite(other) == other
    text = rewrite('SELECT ?x ?d { ?x a ?c SERVICE wikibase:label { bd:serviceParam wikibase:language "fr,en,fr" . ?x schema:description ?d } }')
    assert [line.strip() for line in text.splitlines()[1:]] == [
        'OPTIONAL { ?x <http://schema.org/description> ?rg_label_1 FILTER (LANG(?rg_label_1) = "fr") }',
        'OPTIONAL { ?x <http://schema.org/description> ?rg_label_2 FILTER (LANG(?rg_label_2) = "en") }',
        "BIND (COALESCE(?rg_label_1, ?rg_label_2) AS ?d)",
        "}",
    ]
    with pytest.raises(LabelServiceError, match="needs bd:serviceParam wikibase:language"):
        rewrite("SELECT ?x ?xLabel { ?x a ?c SERVICE wikibase:label { } }")
    with pytest.raises(LabelServiceError, match="SILENT"):
        rewrite('SELECT ?x ?xLabel { ?x a ?c SERVICE SILENT wikibase:label { bd:serviceParam wikibase:language "en" } }')
