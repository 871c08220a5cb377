"""The Reconciliation Service API 1.0 draft, beside 0.2, against the real server: every answer
checked against the draft's official JSON schemas (tests/fixtures/reconciliation-schemas/1.0-draft,
with their licence): the manifest, a JSON batch posted to /match, suggest with a prefix (and an
empty one), a preview, the property proposals and a data extension; bad requests are a 400 that
names the parameter."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "fixtures" / "reconciliation-schemas" / "1.0-draft"
BASE = "https://reconciliation-api.github.io/specs/draft/schemas/"
ROOT = "/reconcile/1.0-draft"


def _registry() -> Registry:
    """The schemas by their own ``$id``s, so that ``lang.json`` and the Swagger schema resolve offline."""
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents.get("$id", BASE + path.name).rstrip("#"), Resource(contents=contents, specification=DRAFT7)))
        resources.append((BASE + path.name, Resource(contents=contents, specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def valid(document: object, schema: str) -> None:
    """Fails with the schema's own words if ``document`` does not follow ``schema``."""
    contents = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    contents["$id"] = BASE + schema  # the query batch schema names itself reconciliation-query.json
    validator = jsonschema.Draft7Validator(contents, registry=REGISTRY, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def post(server, route: str, document: object) -> httpx.Response:
    return httpx.post(server.url + ROOT + route, json=document)


def test_the_draft_schemas_catch_what_they_must():
    """The check above can fail: a 0.2 batch and a 0.2 manifest are refused by the draft's schemas."""
    with pytest.raises(AssertionError, match="'queries' is a required property"):
        valid({"q0": {"query": "Riga"}}, "reconciliation-query-batch.json")
    with pytest.raises(AssertionError, match="is not of type 'boolean'"):
        valid({"versions": ["1.0-draft"], "name": "x", "view": {"url": "x/{id}"},
               "suggest": {"entity": {"service_path": "/suggest"}, "type": True, "property": True}}, "manifest.json")
    with pytest.raises(AssertionError, match="'name' is a required property"):
        valid({"results": [{"candidates": [{"id": "riga", "name": "Riga", "features": [{"id": "type", "value": True}]}]}]},
              "reconciliation-result-batch.json")


def test_the_manifest_of_the_draft(server):
    response = httpx.get(server.url + ROOT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    manifest = response.json()
    valid(manifest, "manifest.json")
    assert manifest["versions"] == ["1.0-draft"]
    assert manifest["view"] == {"url": server.url + "/id/{id}"}
    assert manifest["suggest"] == {"entity": True, "type": True, "property": True}
    assert manifest["extend"]["proposeProperties"] is True
    assert {"id": "State", "name": "sovereign state"} in manifest["defaultTypes"]


def test_the_0_2_manifest_stays_where_openrefine_reads_it(server):
    manifest = httpx.get(server.url + "/reconcile").json()
    assert manifest["versions"] == ["0.2"]
    assert manifest["suggest"]["entity"]["service_path"] == "/suggest/entity"


def test_a_batch_posted_as_json_to_match(server):
    batch = {"queries": [
        {"type": "Town", "limit": 3, "conditions": [
            {"matchType": "name", "propertyValue": "Rujena"},
            {"matchType": "property", "propertyId": "country", "propertyValue": "latvia", "required": True}]},
        {"conditions": [{"matchType": "name", "propertyValue": "Riga"},
                        {"matchType": "property", "propertyId": "country", "propertyValue": {"id": "japan", "name": "Japan"}}]},
        {"conditions": [{"matchType": "id", "propertyValue": "riga"}]},
        {"conditions": [{"matchType": "name", "propertyValue": "Xyzzyq"}]},
    ]}
    valid(batch, "reconciliation-query-batch.json")
    response = post(server, "/match", batch)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    valid(answer, "reconciliation-result-batch.json")
    rujiena, riga, by_id, nothing = answer["results"]
    assert rujiena["candidates"] == [{
        "id": "rujiena", "name": "Rūjiena", "type": [{"id": "Town", "name": "town"}], "score": 100, "match": True,
        "features": [{"id": "name", "name": "name similarity", "value": 100}, {"id": "type", "name": "type", "value": True},
                     {"id": "country", "name": "country", "value": True}],
    }]
    first = riga["candidates"][0]
    assert (first["id"], first["match"]) == ("riga", False)
    assert {"id": "country", "name": "country", "value": False} in first["features"]
    assert [(c["id"], c["match"]) for c in by_id["candidates"]] == [("riga", True)]
    assert nothing == {"candidates": []}


def test_a_required_property_condition_filters_and_a_query_needs_no_name(server):
    batch = {"queries": [
        {"type": "City", "limit": 10, "conditions": [
            {"matchType": "property", "propertyId": "country", "propertyValue": "japan", "required": True}]},
        {"type": "City", "limit": 10, "conditions": [
            {"matchType": "property", "propertyId": "country", "propertyValue": "japan", "required": True,
             "matchQuantifier": "none"}]},
    ]}
    valid(batch, "reconciliation-query-batch.json")
    answer = post(server, "/match", batch).json()
    valid(answer, "reconciliation-result-batch.json")
    in_japan = {c["id"] for c in answer["results"][0]["candidates"]}
    elsewhere = {c["id"] for c in answer["results"][1]["candidates"]}
    assert "kobe" in in_japan and "riga" not in in_japan
    assert "riga" in elsewhere and not in_japan & elsewhere


@pytest.mark.parametrize(("kind", "params", "expected", "schema"), [
    ("entity", {"prefix": "Ri"}, "riga", "suggest-entities-response.json"),
    ("entity", {"prefix": "rujie", "limit": "1", "offset": "0"}, "rujiena", "suggest-entities-response.json"),
    ("entity", {"prefix": "peteris-vaivars"}, "peteris-vaivars", "suggest-entities-response.json"),
    ("type", {"prefix": "Cit"}, "City", "suggest-types-response.json"),
    ("type", {"prefix": "", "limit": "50"}, "City", "suggest-types-response.json"),
    ("property", {"prefix": "coun"}, "country", "suggest-properties-response.json"),
])
def test_suggest(server, kind, params, expected, schema):
    response = httpx.get(server.url + f"{ROOT}/suggest/{kind}", params=params)
    assert response.status_code == 200
    answer = response.json()
    valid(answer, schema)
    assert expected in [r["id"] for r in answer["result"]]


def test_suggest_skips_with_offset(server):
    url = server.url + f"{ROOT}/suggest/entity"
    all_of_them = [r["id"] for r in httpx.get(url, params={"prefix": "Ri", "limit": "3"}).json()["result"]]
    skipped = [r["id"] for r in httpx.get(url, params={"prefix": "Ri", "limit": "2", "offset": "1"}).json()["result"]]
    assert len(all_of_them) == 3 and skipped == all_of_them[1:]


def test_a_preview(server):
    response = httpx.get(server.url + f"{ROOT}/preview", params={"id": "riga"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<b>Riga</b>" in response.text and f'href="{server.url}/id/riga"' in response.text


def test_data_extension_posted_as_json(server):
    proposal = httpx.get(server.url + f"{ROOT}/extend/propose", params={"type": "City"}).json()
    valid(proposal, "data-extension-property-proposal.json")
    assert proposal["type"] == "City" and "country" in [p["id"] for p in proposal["properties"]]
    query = {"ids": ["riga", "kobe", "atlantis"], "properties": [{"id": "country"}]}
    valid(query, "data-extension-query.json")
    response = post(server, "/extend", query)
    assert response.status_code == 200
    answer = response.json()
    valid(answer, "data-extension-response.json")
    assert answer["meta"] == [{"id": "country", "name": "country"}]
    assert answer["rows"] == [
        {"id": "riga", "properties": [{"id": "country", "values": [{"id": "latvia", "name": "Latvia"}]}]},
        {"id": "kobe", "properties": [{"id": "country", "values": [{"id": "japan", "name": "Japan"}]}]},
        {"id": "atlantis", "properties": [{"id": "country", "values": []}]},
    ]


def test_a_browser_may_post_json_across_origins(server):
    response = httpx.options(server.url + f"{ROOT}/match", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200  # the server's CORS middleware answers the preflight
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"].lower() == "content-type"


NAME = {"matchType": "name", "propertyValue": "Riga"}


@pytest.mark.parametrize(("route", "document", "error"), [
    ("/match", {"q0": {"query": "Riga"}}, "parameter 'queries': expected {\"queries\": [query objects]}"),
    ("/match", {"queries": [{"query": "Riga"}]},
     "parameter 'queries[0].query': not a field of a 1.0-draft query (fields: conditions, dir, lang, limit, type)"),
    ("/match", {"queries": [{"conditions": []}]}, "parameter 'queries[0].conditions': expected a non-empty list of conditions"),
    ("/match", {"queries": [{"conditions": [NAME], "type": ["City", "Town"]}]},
     "parameter 'queries[0].type': expected one type id (a string)"),
    ("/match", {"queries": [{"conditions": [NAME], "limit": 0}]},
     "parameter 'queries[0].limit': expected an integer from 1 to 50"),
    ("/match", {"queries": [{"conditions": [NAME, {"matchType": "label", "propertyValue": "x"}]}]},
     "parameter 'queries[0].conditions[1].matchType': expected one of name, id, property"),
    ("/match", {"queries": [{"conditions": [{"matchType": "property", "propertyValue": "latvia"}]}]},
     "parameter 'queries[0].conditions[0].propertyId': required (a property id) when matchType is 'property'"),
    ("/match", {"queries": [{"conditions": [{"matchType": "name"}]}]},
     "parameter 'queries[0].conditions[0].propertyValue': required"),
    ("/match", {"queries": [{"conditions": [{"matchType": "property", "propertyId": "country", "propertyValue": "x",
                                             "matchQuantifier": "some"}]}]},
     "parameter 'queries[0].conditions[0].matchQuantifier': expected one of any, all, none"),
    ("/match", {"queries": [{"conditions": [{**NAME, "matchQualifier": "ExactMatch"}]}]},
     "parameter 'queries[0].conditions[0].matchQualifier': this service offers no match qualifiers"),
    ("/extend", {"ids": ["riga"], "properties": [{"id": "colour"}]},
     "parameter 'properties[0].id': no property 'colour' in this service"),
    ("/extend", {"ids": ["riga"], "properties": [{"id": "country", "settings": {"limit": 1}}]},
     "parameter 'properties[0].settings': this service offers no property settings"),
])
def test_bad_requests_are_400_naming_the_parameter(server, route, document, error):
    response = post(server, route, document)
    assert response.status_code == 400
    assert response.json() == {"error": error}


@pytest.mark.parametrize(("request_args", "error"), [
    ({"content": b"{not json", "headers": {"content-type": "application/json"}},
     "parameter 'body': not JSON: Expecting property name enclosed in double quotes at character 1"),
    ({"content": b'{"queries": [[[[[[[[[]]]]]]]]]}', "headers": {"content-type": "application/json"}},
     "parameter 'body': JSON nested deeper than 8 levels"),
    ({"data": {"queries": json.dumps({"q0": {"query": "Riga"}})}},
     "parameter 'content-type': POST the request as application/json (Reconciliation API 1.0-draft)"),
])
def test_a_body_that_is_no_json_is_400(server, request_args, error):
    response = httpx.post(server.url + f"{ROOT}/match", **request_args)
    assert response.status_code == 400
    assert response.json() == {"error": error}


@pytest.mark.parametrize(("route", "params", "error"), [
    ("/extend/propose", {}, "parameter 'type': required: the type to propose properties for"),
    ("/extend/propose", {"type": "Cty"}, "parameter 'type': no type 'Cty' in this service"),
    ("/suggest/entity", {}, "parameter 'prefix': required (it may be empty, for all suggestions)"),
    ("/suggest/entity", {"prefix": "Ri", "offset": "-1"}, "parameter 'offset': expected an integer from 0 to 1000000"),
    ("/preview", {"id": "atlantis"}, "parameter 'id': no entity 'atlantis' in this service"),
])
def test_bad_gets_are_400_naming_the_parameter(server, route, params, error):
    response = httpx.get(server.url + ROOT + route, params=params)
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_match_is_a_post(server):
    assert httpx.get(server.url + f"{ROOT}/match").status_code == 405


def test_a_body_over_the_server_limit_is_413(server):
    """The shared test server's --max-body is 100000 bytes."""
    batch = {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "x" * 900}]}] * 120}
    response = post(server, "/match", batch)
    assert response.status_code == 413
    assert response.json() == {"error": "request body larger than this server's limit of 100000 bytes"}


def test_too_many_queries_are_400(server):
    batch = {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "Riga"}]}] * 101}
    response = post(server, "/match", batch)
    assert response.status_code == 400
    assert response.json() == {"error": "parameter 'queries': 101 queries; at most 100 in one batch"}
