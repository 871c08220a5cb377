"""Catalogue mechanics: headers, parameters, running with bindings, result formats."""

import json
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from relgraph import (
    Catalogue,
    InputError,
    ParameterError,
    Project,
    QueryNotFound,
    QuerySyntaxError,
    load_query,
    parse_iri,
    query_dataset,
    reason_project,
    run_query,
    serialize_result,
)
from relgraph.queries import Param, bind, parse_value
from relgraph.vocab import RG, RGD


@pytest.fixture
def catalogue(good):
    return Catalogue.load(good / "queries")


@pytest.fixture
def dataset(good, catalogue):
    loaded = Project.discover(good).load()
    return query_dataset(loaded, reason_project(loaded, catalogue).inferred)


def _write(tmp_path, text, name="q.rq"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_catalogue_lists_queries_by_name_with_their_headers(catalogue):
    assert catalogue.names() == ("any-visit", "derive-visited", "visits", "visits-since")
    visits = catalogue.get("visits")
    assert visits.title == "Visits to a state"
    assert visits.description == "Each visit to the given state, with its visitor."
    assert visits.params == (Param("state", "iri", "rgd:latvia", "the state visited"),)
    assert [q.name for q in catalogue.rules()] == ["derive-visited"]


def test_unknown_query_lists_the_available_names(catalogue):
    with pytest.raises(QueryNotFound) as caught:
        catalogue.get("embassies")
    assert str(caught.value) == "no query named 'embassies'; available: any-visit, derive-visited, visits, visits-since"
    assert caught.value.exit_code == 2


def test_missing_queries_directory_is_an_empty_catalogue(tmp_path):
    assert Catalogue.load(tmp_path / "queries").list() == ()


@pytest.mark.parametrize(
    "value, iri",
    [
        ("latvia", RGD.latvia),
        ("rgd:latvia", RGD.latvia),
        ("rg:Visit", RG.Visit),
        ("<https://w3id.org/relgraph/id/latvia>", RGD.latvia),
        ("http://www.wikidata.org/entity/Q211", URIRef("http://www.wikidata.org/entity/Q211")),
    ],
)
def test_iri_values_in_every_accepted_form(value, iri):
    assert parse_iri(value) == iri


@pytest.mark.parametrize("value", ["nope:latvia", "two words", "<a b>", ""])
def test_bad_iri_values(value):
    with pytest.raises(ValueError):
        parse_iri(value)


@pytest.mark.parametrize(
    "kind, value, term",
    [
        ("string", 'Riga" } ; DROP', Literal('Riga" } ; DROP')),
        ("integer", "-12", Literal(-12)),
        ("decimal", "7.32", Literal(Decimal("7.32"))),
        ("date", "1991-10-10", Literal("1991-10-10", datatype=XSD.date)),
        ("gYear", "1921", Literal("1921", datatype=XSD.gYear)),
    ],
)
def test_values_parse_to_typed_terms(kind, value, term):
    assert parse_value(Param("p", kind, None, ""), value) == term


@pytest.mark.parametrize(
    "kind, value", [("integer", "1.5"), ("decimal", "1e3"), ("date", "1991-02-30"), ("gYear", "20x1"), ("iri", "a b")]
)
def test_values_that_do_not_parse_name_the_parameter(kind, value):
    with pytest.raises(ParameterError) as caught:
        parse_value(Param("p", kind, None, ""), value)
    assert caught.value.parameter == "p"
    assert caught.value.exit_code == 2


def test_bind_rejects_unknown_and_missing_parameters(catalogue):
    with pytest.raises(ParameterError, match=r"parameter 'country': unknown for query 'visits' \(parameters: state\)"):
        bind(catalogue.get("visits"), {"country": "latvia"})
    with pytest.raises(ParameterError, match="required by query 'visits-since' and not given"):
        bind(catalogue.get("visits-since"), {})
    assert bind(catalogue.get("visits"), {}) == {"state": RGD.latvia}


def test_select_uses_the_default_and_the_given_values(catalogue, dataset):
    result = run_query(catalogue.get("visits"), dataset)
    assert result.kind == "SELECT"
    assert result.variables == ("visit", "visitor", "label")
    assert result.rows == ((RGD["visit-2018"], RGD.abe, Literal("Abe's visit to Latvia", lang="en")),)
    assert run_query(catalogue.get("visits"), dataset, params={"state": "japan"}).rows == ()


def test_parameter_values_are_bound_not_pasted(tmp_path, dataset):
    query = load_query(
        _write(tmp_path, "# param: name: string\nSELECT ?x WHERE { ?x rdfs:label ?l FILTER(STR(?l) = ?name) }\n")
    )
    assert run_query(query, dataset, params={"name": "Latvia"}).rows == ((RGD.latvia,),)
    # a value full of SPARQL syntax is only a string that matches nothing
    assert run_query(query, dataset, params={"name": 'Latvia") || true || STR("'}).rows == ()


def test_gyear_parameter(catalogue, dataset):
    query = catalogue.get("visits-since")
    assert run_query(query, dataset, params={"year": "2018"}).rows == ((RGD["visit-2018"],),)
    assert run_query(query, dataset, params={"year": "2019"}).rows == ()


def test_queries_see_inferred_triples(tmp_path, dataset):
    query = load_query(_write(tmp_path, "SELECT ?p WHERE { ?p a rg:Person ; rg:visited rgd:latvia }\n"))
    assert run_query(query, dataset).rows == ((RGD.abe,),)


def test_ask_and_construct(catalogue, dataset):
    assert run_query(catalogue.get("any-visit"), dataset).boolean is True
    graph = run_query(catalogue.get("derive-visited"), dataset).graph
    assert set(graph) == {(RGD.abe, RG.visited, RGD.latvia)}


def test_rows_without_order_by_are_sorted_and_order_by_is_kept(tmp_path):
    graph = Graph()
    for n in (3, 1, 2):
        graph.add((RGD[f"s{n}"], RG.position, Literal(n)))
    unordered = load_query(_write(tmp_path, "SELECT ?s WHERE { ?s rg:position ?n }\n", "a.rq"))
    descending = load_query(_write(tmp_path, "SELECT ?s WHERE { ?s rg:position ?n } ORDER BY DESC(?n)\n", "b.rq"))
    assert [r[0] for r in run_query(unordered, graph).rows] == [RGD.s1, RGD.s2, RGD.s3]
    assert [r[0] for r in run_query(descending, graph).rows] == [RGD.s3, RGD.s2, RGD.s1]


def test_result_formats(catalogue, dataset):
    result = run_query(catalogue.get("visits"), dataset)
    assert serialize_result(result, format="table").decode() == (
        "visit           visitor  label\n"
        "--------------  -------  ---------------------\n"
        "rgd:visit-2018  rgd:abe  Abe's visit to Latvia\n"
        "(1 row)\n"
    )
    assert serialize_result(result, format="csv").decode() == (
        "visit,visitor,label\r\n"
        "https://w3id.org/relgraph/id/visit-2018,https://w3id.org/relgraph/id/abe,Abe's visit to Latvia\r\n"
    )
    assert serialize_result(result, format="tsv").decode() == (
        "?visit\t?visitor\t?label\n"
        "<https://w3id.org/relgraph/id/visit-2018>\t<https://w3id.org/relgraph/id/abe>\t\"Abe's visit to Latvia\"@en\n"
    )
    document = json.loads(serialize_result(result, format="json"))
    assert document["head"]["vars"] == ["visit", "visitor", "label"]
    assert document["results"]["bindings"][0]["label"] == {"type": "literal", "value": "Abe's visit to Latvia", "xml:lang": "en"}
    assert b"<sparql" in serialize_result(result, format="xml")
    ask = run_query(catalogue.get("any-visit"), dataset)
    assert serialize_result(ask, format="table") == b"yes\n"
    assert json.loads(serialize_result(ask, format="json"))["boolean"] is True


def test_graph_results_use_rdf_formats(catalogue, dataset):
    result = run_query(catalogue.get("derive-visited"), dataset)
    assert serialize_result(result, format="nt") == (
        b"<https://w3id.org/relgraph/id/abe> <https://w3id.org/relgraph/ontology#visited> "
        b"<https://w3id.org/relgraph/id/latvia> .\n"
    )
    with pytest.raises(ParameterError, match="format"):
        serialize_result(result, format="table")


def test_header_errors_are_input_errors(tmp_path):
    with pytest.raises(InputError) as caught:
        load_query(_write(tmp_path, "# title: T\n# param: x: colour\nSELECT ?x WHERE { ?x ?p ?o }\n"))
    assert caught.value.line == 2
    with pytest.raises(InputError, match="declares param 'y' but the query has no"):
        load_query(_write(tmp_path, "# param: y: iri\nSELECT ?x WHERE { ?x ?p ?o }\n"))
    with pytest.raises(InputError, match="default of parameter 'n'"):
        load_query(_write(tmp_path, "# param: n: integer = many\nSELECT ?x WHERE { ?x ?p ?n }\n"))


def test_syntax_errors_and_refused_features(tmp_path):
    with pytest.raises(QuerySyntaxError, match=r"query 'q' .*line 1"):
        load_query(_write(tmp_path, "SELECT ?x WHERE { ?x \n"))
    with pytest.raises(QuerySyntaxError, match="Unknown namespace prefix : foo"):
        load_query(_write(tmp_path, "SELECT ?x WHERE { ?x foo:bar ?y }\n"))
    with pytest.raises(QuerySyntaxError, match="SERVICE is not allowed"):
        load_query(_write(tmp_path, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }\n"))
    with pytest.raises(QuerySyntaxError, match="FROM / FROM NAMED is not allowed"):
        load_query(_write(tmp_path, "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }\n"))
