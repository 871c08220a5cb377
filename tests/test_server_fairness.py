"""No request starves the others: runaway queries, a huge reconciliation batch, one greedy client.

Each test runs against a real ``relgraph serve`` on 127.0.0.1 with a time limit long enough
that the slow requests are certainly still running when the cheap one is answered; what is
checked is the order of events (the cheap answer comes while the slow ones run), never a time.
"""

from __future__ import annotations

import concurrent.futures
import json
import random
import socket
import string
import subprocess
import sys
import asyncio
import os
import time
from dataclasses import dataclass

import httpx
import pytest

from relgraph.server.replies import Reply
from relgraph.server.tasks import Limits
from relgraph.server.workers import WorkerPool, cpu_seconds
from server_fixtures import ROOT, SERVER_ARGS, start_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK {}"


@pytest.fixture(scope="module")
def slow_server(tmp_path_factory):
    """A server whose time limit (6 s) outlasts every cheap request by far."""
    log = tmp_path_factory.mktemp("fair") / "server.log"
    running = start_server(ROOT, log, "--timeout", "6", "--workers", "2")
    yield running
    running.stop()


def _in_flight(pool, count: int, send, *, moment: float = 0.5) -> list[concurrent.futures.Future]:
    """``count`` slow requests sent from ``pool``, given a ``moment`` to reach their workers."""
    futures = [pool.submit(send) for _ in range(count)]
    time.sleep(moment)  # sequencing only: let the slow requests be taken by workers first
    assert not any(f.done() for f in futures), [f.result().text for f in futures if f.done()]
    return futures


def test_a_cheap_query_is_answered_while_four_runaways_run(slow_server):
    url = slow_server.url + "/sparql"
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        runaways = _in_flight(pool, 4, lambda: httpx.get(url, params={"query": RUNAWAY}, timeout=30))
        cheap = httpx.get(url, params={"query": CHEAP}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
        still_running = sum(not f.done() for f in runaways)
        assert cheap.status_code == 200 and cheap.json()["boolean"] is True
        assert still_running == 4
        answers = [f.result() for f in runaways]
    assert [a.status_code for a in answers] == [503] * 4
    assert all("time limit" in a.text for a in answers)


def test_one_client_past_its_limit_gets_429_with_retry_after(slow_server):
    url = slow_server.url + "/sparql"
    with concurrent.futures.ThreadPoolExecutor(5) as pool:
        runaways = _in_flight(pool, 5, lambda: httpx.get(url, params={"query": RUNAWAY}, timeout=30))
        refused = httpx.get(url, params={"query": CHEAP}, timeout=30)
        assert refused.status_code == 429
        assert refused.headers["retry-after"].isdigit()
        assert "--per-client" in refused.text
        assert sum(not f.done() for f in runaways) == 5
        [f.result() for f in runaways]
    assert httpx.get(url, params={"query": CHEAP}, timeout=30).status_code == 200  # free again


def _heavy_batch() -> dict:
    """A hundred queries of a thousand characters: the largest batch the service takes."""
    rng = random.Random(7)
    word = lambda: "".join(rng.choice(string.ascii_lowercase) for _ in range(6))  # noqa: E731
    return {f"q{i}": {"query": " ".join(word() for _ in range(160))[:1000]} for i in range(100)}


def test_a_heavy_reconciliation_batch_blocks_no_one(slow_server):
    url = slow_server.url
    body = {"queries": json.dumps(_heavy_batch())}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        # a tenth of a second to reach a worker: the heaviest batch takes about half a second in a
        # worker of its own on a quiet machine, so a fast one might finish it within the usual moment
        [heavy] = _in_flight(pool, 1, lambda: httpx.post(url + "/reconcile", data=body, timeout=30), moment=0.1)
        manifest = httpx.get(url + "/reconcile", timeout=30)
        cheap = httpx.get(url + "/sparql", params={"query": CHEAP}, timeout=30)
        assert not heavy.done()
        assert manifest.status_code == 200 and cheap.status_code == 200
        # answered within the time limit, or stopped by it: never a hang, never a 500
        assert heavy.result().status_code in (200, 503)


def test_a_burst_larger_than_the_pool_waits_its_turn_and_is_answered(tmp_path):
    # regression: an extra worker ended after each task and was forked again for the next, and
    # a finished worker went to whichever request asked first, not to the one that had waited
    # longest, so under a steady load of cheap queries some waited out --timeout and got 503
    running = start_server(ROOT, tmp_path / "server.log", *SERVER_ARGS, "--per-client", "16", "--cache-mb", "0")
    names = [p.stem for p in sorted((ROOT / "queries").glob("*.rq")) if not p.stem.startswith("derive-")]
    try:
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(
                lambda i: httpx.get(f"{running.url}/queries/{names[i % len(names)]}", params={"format": "csv"}, timeout=60),
                range(480)))
    finally:
        running.stop()
    refused = [a.text for a in answers if a.status_code != 200]
    assert refused == []


@pytest.mark.parametrize(
    ("make_body", "status", "message"),
    [
        (lambda: {"queries": "[" * 10_000 + "]" * 10_000}, 400, "nested deeper"),
        (lambda: {"queries": json.dumps({"q0": {"query": "x" * 5000}})}, 400, "at most 1000"),
        (lambda: {"queries": json.dumps({f"q{i}": {"query": "Riga"} for i in range(101)})}, 400, "at most 100 in one batch"),
        (lambda: {"queries": json.dumps({"q0": {"query": "Riga", "properties": [{"pid": "p", "v": "x"}] * 21}})}, 400, "at most 20"),
        (lambda: {"queries": "{" + '"a":' * 3 + "}"}, 400, "not JSON"),
    ],
)
def test_a_malformed_or_oversized_batch_is_a_clear_400(server, make_body, status, message):
    response = httpx.post(server.url + "/reconcile", data=make_body(), timeout=30)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]


def test_a_body_over_the_limit_is_413_and_never_read_whole(server):
    """The test server takes 100,000 bytes; a 50 MB body announced by Content-Length is refused
    from its headers (the server closes the connection; the client gets the 413)."""
    with socket.create_connection((server.url.split("//")[1].split(":")[0], int(server.url.rsplit(":", 1)[1]))) as sock:
        sock.sendall(b"POST /reconcile HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 50000000\r\n\r\nqueries=")
        sock.settimeout(10)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")


def test_serve_on_a_port_in_use_is_a_usage_error(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(ROOT), "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert f"--port {port}: the address 127.0.0.1:{port} is in use" in done.stderr
    assert "Traceback" not in done.stderr


@dataclass(frozen=True)
class _Task:
    """Sleeps ``seconds`` (the CPU free, as a cheap query on a busy machine, or one waiting on
    a remote store), or spins until it has used ``seconds`` of CPU; then says its worker's
    CPU priority."""

    seconds: float
    spin: bool

    def run(self, backend, limits) -> Reply:
        if self.spin:
            used = time.process_time() + self.seconds
            while time.process_time() < used:
                pass
        else:
            time.sleep(self.seconds)
        return Reply.text(200, str(os.getpriority(os.PRIO_PROCESS, 0)))


class _SlowToOpen:
    """A backend whose workers spend CPU opening it (as a store may), before their first task."""

    def in_worker(self) -> None:
        used = time.process_time() + 0.6
        while time.process_time() < used:
            pass


def _priorities_seen(*tasks: _Task, backend=None) -> list[int]:
    async def run() -> list[int]:
        pool = WorkerPool(backend, Limits(max_rows=10), size=len(tasks), timeout=60, demote_after=0.2)
        await pool.start()
        try:
            replies = await asyncio.gather(*(pool.run(task) for task in tasks))
        finally:
            await pool.close()
        return [int(reply.body) for reply in replies]

    return asyncio.run(run())


USUAL = os.getpriority(os.PRIO_PROCESS, 0)
DEMOTION_SEEN = pytest.mark.skipif(
    cpu_seconds(os.getpid()) is None or USUAL >= 19,
    reason="no /proc (a long task is demoted by its time), or the tests already run at the least priority",
)


@DEMOTION_SEEN
def test_a_task_is_demoted_for_the_cpu_it_uses_not_for_the_time_it_waits():
    """Regression: a task was demoted once it had run demote_after seconds by the clock, so a
    cheap query slowed by other work on the machine was put at the least priority, beside that
    work at the usual one, and ran out the server's time limit (a 503 in the burst test above
    under ``pytest -n 3``)."""
    waiting, spinning = _priorities_seen(_Task(1.0, spin=False), _Task(0.6, spin=True))
    assert waiting == USUAL
    assert spinning == 19


@DEMOTION_SEEN
def test_a_fresh_workers_cpu_in_opening_its_store_is_not_its_first_tasks():
    (waiting,) = _priorities_seen(_Task(1.0, spin=False), backend=_SlowToOpen())
    assert waiting == USUAL
