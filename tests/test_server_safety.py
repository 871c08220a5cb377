"""Safe by default: no outbound fetch from a request, read-only, time limit, size caps, 4xx for
malformed input. Each "no fetch" claim is proved against a loopback listener that records
every connection made to it."""

from __future__ import annotations

import concurrent.futures
import json
import socket

import httpx
import pytest

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x a rg:State . OPTIONAL { SERVICE SILENT <{url}/sparql> { ?x ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/q> { ?s ?p ?o } } } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}/q> { ?s ?p ?o } } }",
    ],
)
def test_service_is_refused_and_nothing_is_fetched(server, listener, template):
    query = template.replace("{url}", listener.url)
    response = httpx.get(server.url + "/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE is not allowed" in response.text
    assert listener.connections == []


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <{url}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT WHERE { ?s ?p ?o } ",  # with the dataset given as protocol parameters below
    ],
)
def test_from_and_dataset_parameters_load_nothing(server, listener, template):
    query = template.replace("{url}", listener.url)
    if "FROM" in query:
        response = httpx.post(server.url + "/sparql", data={"query": query})
        assert response.status_code == 400 and "FROM / FROM NAMED is not allowed" in response.text
    else:
        for name in ("default-graph-uri", "named-graph-uri"):
            response = httpx.get(server.url + "/sparql", params={"query": query, name: listener.url + "/g.ttl"})
            assert response.status_code == 400 and f"<{listener.url}/g.ttl> (parameter {name!r})" in response.text
    assert listener.connections == []


def test_jsonld_contexts_are_local(server, listener):
    """No JSON-LD the server writes points at a remote context, and one named in a query is not loaded."""
    for url, headers in (
        ("/id/latvia.jsonld", {}),
        ("/sparql?query=CONSTRUCT+WHERE+%7B+rgd%3Alatvia+%3Fp+%3Fo+%7D", {"Accept": "application/ld+json"}),
        ("/sparql", {"Accept": "application/ld+json"}),
    ):
        document = httpx.get(server.url + url, headers=headers).json()
        assert isinstance(document["@context"], dict)
        assert all(not isinstance(v, str) or not v.startswith("http") or v.endswith(("#", "/")) for v in document["@context"].values())
    response = httpx.get(server.url + "/sparql", params={"query": f"SELECT * FROM <{listener.url}/context.jsonld> {{ ?s ?p ?o }}"})
    assert response.status_code == 400
    assert listener.connections == []


@pytest.mark.parametrize(
    "how",
    ["form-update", "update-media-type", "query-param", "load"],
)
def test_update_is_refused_with_403(server, listener, how):
    update = 'INSERT DATA { <urn:x> <urn:y> "z" }'
    if how == "form-update":
        response = httpx.post(server.url + "/sparql", data={"update": update})
    elif how == "update-media-type":
        response = httpx.post(server.url + "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
    elif how == "query-param":
        response = httpx.get(server.url + "/sparql", params={"query": update})
    else:
        response = httpx.post(server.url + "/sparql", content=f"LOAD <{listener.url}/data.ttl>".encode(),
                              headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 403
    assert response.text == "SPARQL Update is not allowed: this endpoint is read-only\n"
    assert listener.connections == []
    still = httpx.get(server.url + "/sparql", params={"query": "ASK { <urn:x> <urn:y> 'z' }"})
    assert still.json()["boolean"] is False


def test_runaway_query_is_stopped_while_others_are_answered(server):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        runaway = pool.submit(httpx.get, server.url + "/sparql", params={"query": RUNAWAY}, timeout=60)
        # while the runaway query holds one worker, the server answers other clients
        others = []
        while not runaway.done():
            others.append(httpx.get(server.url + "/queries/embassies", params={"format": "csv"}, timeout=30).status_code)
            others.append(httpx.get(server.url + "/", timeout=30).status_code)
            others.append(httpx.post(server.url + "/sparql", data={"query": f"ASK {{ ?s ?p {len(others)} }}"}, timeout=30).status_code)
        response = runaway.result()
    assert response.status_code == 503
    assert "time limit of 5 s (--timeout)" in response.text
    assert others and set(others) == {200}
    # the killed worker was replaced: both workers answer again
    answers = [httpx.get(server.url + "/sparql", params={"query": f"ASK {{ ?s ?p {n} }}"}).status_code for n in range(4)]
    assert answers == [200] * 4


def test_result_size_is_capped(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 422
    assert "limit of 1000 (--max-rows)" in response.text and "rows" in response.text
    response = httpx.get(server.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert response.status_code == 422 and "triples" in response.text
    assert httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"}).status_code == 200


def test_request_body_is_capped(server):
    big = b"# " + b"x" * 200_000 + b"\nASK {}"
    response = httpx.post(server.url + "/sparql", content=big, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and "--max-body" in response.text
    form = httpx.post(server.url + "/sparql", data={"query": "ASK {}" + " " * 200_000})
    assert form.status_code == 413


def test_body_cap_holds_without_content_length(server):
    def chunks():
        for _ in range(30):
            yield b"#" * 10_000
    response = httpx.post(server.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    "request_args, status, words",
    [
        ({"method": "GET", "url": "/sparql?query=%FF%FE"}, 400, "not valid UTF-8"),
        ({"method": "POST", "url": "/sparql", "content": b"ASK {\xff}", "headers": {"Content-Type": "application/sparql-query"}}, 400, "not valid UTF-8"),
        ({"method": "POST", "url": "/sparql", "content": b"query=%C3%28", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, "not valid UTF-8"),
        ({"method": "GET", "url": "/sparql?query=ASK%7B%7D", "headers": {"Accept": "text/"}}, 400, "Accept header: cannot parse 'text/'"),
        ({"method": "GET", "url": "/sparql?query=ASK%7B%7D", "headers": {"Accept": "application/json;q=high"}}, 400, "q='high'"),
        ({"method": "GET", "url": "/sparql?query=ASK%7B%7D", "headers": {"Accept": "*/json"}}, 400, "not a media range"),
        ({"method": "GET", "url": "/id/latvia", "headers": {"Accept": "text/html;q=2"}}, 400, "q='2'"),
        ({"method": "GET", "url": "/queries/visits", "headers": {"Accept": "x" * 5000 + "/y"}}, 400, "longer than"),
        ({"method": "GET", "url": "/sparql?query=" + "(" * 3000 + "1" + ")" * 3000}, 400, ""),
        ({"method": "GET", "url": "/sparql?query=" + "SELECT * WHERE { " + "{ " * 2000 + "}" * 2000 + " }"}, 400, ""),
        ({"method": "GET", "url": "/sparql?query=%00%01%02"}, 400, "malformed query"),
    ],
)
def test_malformed_input_gets_4xx_with_a_message(server, request_args, status, words):
    args = dict(request_args)
    args["url"] = server.url + args["url"]
    response = httpx.request(**args, timeout=30)
    assert response.status_code == status, response.text[:500]
    assert response.text.strip()
    assert words in response.text


@pytest.mark.parametrize(
    "raw",
    [
        b"\x16\x03\x01 not http at all\r\n\r\n",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: abc\r\n\r\nASK {}",
    ],
)
def test_garbage_on_the_socket_is_a_4xx(server, raw):
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(raw)
        answer = sock.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400")


def test_errors_are_plain_text_without_traceback(server):
    response = httpx.get(server.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "Traceback" not in response.text
    assert json.dumps(response.text)  # one readable message
