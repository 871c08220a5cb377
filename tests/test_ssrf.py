"""No query makes relgraph connect out, on any store, however its SERVICE is spelled.

rdflib expands ``\\u`` escapes across the whole query text and Oxigraph only inside strings and
IRIs; a query that was one long string to the check was a SERVICE call to Oxigraph (issue 10,
part 1). relgraph now expands the escapes itself, so every engine runs the text that was
checked; and the workers that evaluate queries live in a network namespace with no interface
up, so that a query which slipped past the check would still reach nothing. Every claim is
proved against a loopback listener that records every connection made to it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from oxigraph_fixtures import serve_oxigraph
from project_copies import copy_real_project
from relgraph.server.replies import Reply
from relgraph.server.tasks import Limits
from relgraph.server.workers import WorkerPool
from server_fixtures import SERVER_ARGS, start_server

# {url} is the recording listener. Each is refused, or (where the escapes make the SERVICE part
# of a string for every engine alike) answered without a connection.
VARIANTS = {
    "the reported escape": 'SELECT ?s WHERE { BIND("A\\u0022 ||" AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } BIND("||\\u0022 D" AS ?z2) }',
    "eight-digit escape": 'SELECT ?s WHERE { BIND("A\\U00000022 ||" AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } BIND("||\\U00000022 D" AS ?z2) }',
    "rdflib's eight digits after \\u": 'SELECT ?s WHERE { BIND("A\\u00000022 ||" AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } BIND("||\\u00000022 D" AS ?z2) }',
    "single quotes": "SELECT ?s WHERE { BIND('A\\u0027 ||' AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } BIND('||\\u0027 D' AS ?z2) }",
    "long string": 'SELECT ?s WHERE { BIND("""A\\u0022\\u0022\\u0022 ||""" AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } }',
    "an escape spelled with escapes": 'SELECT ?s WHERE { BIND("A\\u005Cu0022 ||" AS ?z1) SERVICE <{url}/x> { ?s ?p ?o } BIND("||\\u005Cu0022 D" AS ?z2) }',
    "escaped keyword": "SELECT * WHERE { SERVI\\u0043E <{url}/x> { ?s ?p ?o } }",
    "escaped IRI": "SELECT * WHERE { SERVICE <http\\u003A//{host}/x> { ?s ?p ?o } }",
    "lower case": "select * where { service <{url}/x> { ?s ?p ?o } }",
    "mixed case": "SELECT * WHERE { SeRvIcE <{url}/x> { ?s ?p ?o } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{url}/x> { ?s ?p ?o } }",
    "comment between keyword and IRI": "SELECT * WHERE { SERVICE # a comment\n <{url}/x> { ?s ?p ?o } }",
    "escaped newline ends a comment": "SELECT * WHERE { # \\u000A SERVICE <{url}/x> { ?s ?p ?o }\n }",
    "no space before the IRI": "SELECT * WHERE {SERVICE<{url}/x>{?s ?p ?o}}",
    "in OPTIONAL": "SELECT * WHERE { ?x a rg:State . OPTIONAL { SERVICE <{url}/x> { ?x ?p ?o } } }",
    "in a subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/x> { ?s ?p ?o } } } }",
    "in FILTER EXISTS": "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}/x> { ?s ?p ?o } } }",
    "in UNION": "SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{url}/x> { ?s ?p ?o } } }",
    "in MINUS": "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}/x> { ?s ?p ?o } } }",
    "in GRAPH": "SELECT * WHERE { GRAPH ?g { SERVICE <{url}/x> { ?s ?p ?o } } }",
    "in CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}/x> { ?s ?p ?o } }",
    "in ASK": "ASK { SERVICE <{url}/x> { ?s ?p ?o } }",
    "SERVICE ?var": "SELECT * WHERE { VALUES ?endpoint { <{url}/x> } SERVICE ?endpoint { ?s ?p ?o } }",
    "SERVICE ?var bound by BIND": "SELECT * WHERE { BIND(IRI(\"{url}/x\") AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "base-relative IRI": "BASE <{url}/> SELECT * WHERE { SERVICE <x> { ?s ?p ?o } }",
    "prefixed IRI": "PREFIX ep: <{url}/> SELECT * WHERE { SERVICE ep:x { ?s ?p ?o } }",
    "FROM": "SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }",
    "FROM NAMED, escaped": "SELECT * FR\\u004FM NAMED <{url}/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
}


def _query(template: str, listener_url: str) -> str:
    return template.replace("{url}", listener_url).replace("{host}", listener_url.removeprefix("http://"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_real_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module", params=["memory", "oxigraph", "sparql"])
def store_server(request, project, tmp_path_factory):
    """``relgraph serve`` over each kind of store: in memory, embedded Oxigraph, and a remote
    SPARQL store (a real Oxigraph server on 127.0.0.1)."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "sparql":
        with serve_oxigraph(folder / "remote") as url:
            running = start_server(project, folder / "server.log", *SERVER_ARGS, "--store", f"sparql:{url}")
            yield running
            running.stop()
        return
    store = ("--store", "memory") if request.param == "memory" else ("--store", f"oxigraph:{folder / 'store'}")
    running = start_server(project, folder / "server.log", *SERVER_ARGS, *store)
    yield running
    running.stop()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_no_spelling_of_service_reaches_out(store_server, listener, variant):
    query = _query(VARIANTS[variant], listener.url)
    for response in (
        httpx.post(store_server.url + "/sparql", data={"query": query}, timeout=10),
        httpx.post(store_server.url + "/sparql", content=query.encode(),
                   headers={"Content-Type": "application/sparql-query"}, timeout=10),
    ):
        text = response.text
        assert listener.connections == [], (variant, response.status_code, text)
        # The escapes that close a string do so for every engine alike: the SERVICE is then
        # inside a string, and the query is harmless (answered, or refused if what is left does
        # not parse).
        harmless = variant in ("the reported escape", "eight-digit escape", "single quotes")
        if harmless:
            assert response.status_code == 200, text
        else:
            assert response.status_code == 400, text
            assert any(reason in text for reason in ("SERVICE is not allowed", "FROM / FROM NAMED is not allowed",
                                                      "escape", "malformed query")), text
    assert listener.connections == []


@pytest.mark.parametrize("store", ["default", "memory", "oxigraph"])
def test_the_cli_runs_the_checked_text(project, tmp_path, listener, store):
    """``relgraph query FILE [--store …]`` with the reported query: no connection, and no row
    from the listener (the SERVICE part is one string for every engine)."""
    spec = {"default": None, "memory": "memory", "oxigraph": f"oxigraph:{tmp_path / 'store'}"}[store]
    for name, template in (("escape", VARIANTS["the reported escape"]), ("keyword", VARIANTS["escaped keyword"])):
        path = tmp_path / f"{name}.rq"
        path.write_text(_query(template, listener.url), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "relgraph.cli", "--project", str(project), "query", str(path),
             *(("--store", spec) if spec else ()), "--format", "csv"],
            capture_output=True, text=True, timeout=300,
        )
        assert "Traceback" not in done.stderr
        if name == "escape":
            assert done.returncode == 0, done.stderr
            assert "example.org" not in done.stdout  # the listener's triple never came back
        else:
            assert done.returncode == 2, done.stderr
            assert "SERVICE is not allowed" in done.stderr
    assert listener.connections == []


@dataclass(frozen=True)
class _EngineTask:
    """A task that skips every check: it hands a SERVICE query straight to Oxigraph."""

    url: str

    def run(self, backend, limits) -> Reply:
        try:
            rows = list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{self.url}/x> {{ ?s ?p ?o }} }}"))
        except OSError as error:
            return Reply.text(502, f"{type(error).__name__}: {error}")
        return Reply.text(200, f"{len(rows)} rows")


def _run_in_worker(task, *, offline: bool) -> Reply:
    async def run() -> Reply:
        pool = WorkerPool(None, Limits(max_rows=10), size=1, timeout=20, offline=offline)
        await pool.start()
        try:
            return await pool.run(task)
        finally:
            await pool.close()

    return asyncio.run(run())


def test_a_worker_cannot_connect_even_when_the_engine_is_asked_directly(listener):
    reply = _run_in_worker(_EngineTask(listener.url), offline=True)
    assert reply.status == 502, reply.body
    assert listener.connections == []


def test_the_listener_would_have_seen_a_worker_that_is_not_cut_off(listener):
    """The control for the test above: the same task in a worker left on the network (as for a
    remote store) does reach the listener, so the listener and the task are sound."""
    _run_in_worker(_EngineTask(listener.url), offline=False)
    assert len(listener.connections) == 1
    assert listener.connections[0].startswith(b"POST /x")
