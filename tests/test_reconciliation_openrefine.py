"""An OpenRefine session against the real server, every answer checked against the official JSON
schemas of the Reconciliation Service API 0.2 (kept in tests/fixtures/reconciliation-schemas/
with their licence): the manifest, a form-encoded batch, suggest with a prefix, a preview, the
property proposals and a data extension."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "fixtures" / "reconciliation-schemas" / "0.2"
BASE = "https://reconciliation-api.github.io/specs/0.2/schemas/"


def _registry() -> Registry:
    """The schemas by their own URLs, so that ``"$ref": "type.json"`` resolves offline."""
    return Registry().with_resources(
        (BASE + path.name, Resource(contents=json.loads(path.read_text(encoding="utf-8")), specification=DRAFT7))
        for path in sorted(SCHEMAS.glob("*.json"))
    )


REGISTRY = _registry()


def valid(document: object, schema: str) -> None:
    """Fails with the schema's own words if ``document`` does not follow ``schema``."""
    contents = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    contents["$id"] = BASE + schema  # the draft schema of property proposals names itself under draft/
    validator = jsonschema.Draft7Validator(contents, registry=REGISTRY)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_schemas_catch_what_they_must():
    """The check above can fail: the feature values of the old answers ("match") are refused."""
    with pytest.raises(AssertionError, match="is not valid under any of the given schemas"):
        valid({"q0": {"result": [{"id": "riga", "name": "Riga", "score": 90,
                                  "features": [{"id": "type", "value": "match"}]}]}}, "reconciliation-result-batch.json")


def test_the_manifest_points_at_the_server_itself(server):
    manifest = httpx.get(server.url + "/reconcile").json()
    valid(manifest, "manifest.json")
    assert manifest["view"]["url"] == server.url + "/id/{{id}}"
    assert manifest["preview"]["url"] == server.url + "/reconcile/preview?id={{id}}"
    assert manifest["suggest"]["entity"] == {"service_url": server.url + "/reconcile", "service_path": "/suggest/entity"}
    assert manifest["extend"]["propose_properties"]["service_path"] == "/extend/propose"


def test_a_column_reconciles_from_a_form_encoded_batch(server):
    batch = {"q0": {"query": "Rujena", "type": "Town", "type_strict": "should"},
             "q1": {"query": "Riga", "type": "City", "properties": [{"pid": "country", "v": "latvia"}]},
             "q2": {"query": "Xyzzyq"}}
    response = httpx.post(server.url + "/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200
    answer = response.json()
    valid(answer, "reconciliation-result-batch.json")
    assert answer["q0"]["result"][0]["id"] == "rujiena"
    assert answer["q1"]["result"][0]["id"] == "riga"
    assert answer["q2"]["result"] == []
    values = {f["value"] for result in answer["q1"]["result"] for f in result["features"]}
    assert values and all(isinstance(v, (bool, int, float)) for v in values)


@pytest.mark.parametrize(("kind", "prefix", "expected", "schema"), [
    ("entity", "Ri", "riga", "suggest-entities-response.json"),
    ("entity", "rujie", "rujiena", "suggest-entities-response.json"),
    ("type", "Cit", "City", "suggest-types-response.json"),
    ("property", "coun", "country", "suggest-properties-response.json"),
])
def test_suggest_completes_a_prefix(server, kind, prefix, expected, schema):
    response = httpx.get(server.url + f"/reconcile/suggest/{kind}", params={"prefix": prefix})
    assert response.status_code == 200
    answer = response.json()
    valid(answer, schema)
    assert expected in [r["id"] for r in answer["result"]]


def test_a_preview_is_a_small_page_of_the_entity(server):
    response = httpx.get(server.url + "/reconcile/preview", params={"id": "riga"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<b>Riga</b>" in response.text and f'href="{server.url}/id/riga"' in response.text
    assert httpx.get(server.url + "/reconcile/preview", params={"id": "atlantis"}).status_code == 400


def test_data_extension_adds_a_column_from_the_graph(server):
    proposal = httpx.get(server.url + "/reconcile/extend/propose", params={"type": "City"}).json()
    valid(proposal, "data-extension-property-proposal.json")
    assert "country" in [p["id"] for p in proposal["properties"]]
    query = {"ids": ["riga", "kobe", "atlantis"], "properties": [{"id": "country"}]}
    valid(query, "data-extension-query.json")
    response = httpx.post(server.url + "/reconcile", data={"extend": json.dumps(query)})
    assert response.status_code == 200
    answer = response.json()
    valid(answer, "data-extension-response.json")
    assert answer["meta"][0]["id"] == "country"
    assert answer["rows"]["riga"]["country"] == [{"id": "latvia", "name": "Latvia"}]
    assert answer["rows"]["kobe"]["country"] == [{"id": "japan", "name": "Japan"}]
    assert answer["rows"]["atlantis"]["country"] == []
