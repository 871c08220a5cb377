"""`relgraph serve` without --store reads the project's own Oxigraph store in .relgraph-cache/,
the one `relgraph query` answers from: the same answers, a store no other command removes
while a server reads it, and any number of servers on it at once. `--store memory` still
serves from memory."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from project_copies import copy_real_project
from relgraph.cli import cli
from server_fixtures import SERVER_ARGS, start_server

FACTS = Path("data") / "japan-latvia-relations" / "facts.ttl"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_real_project(tmp_path / "project")


def _stores(project: Path) -> set[str]:
    return {p.name for p in (project / ".relgraph-cache").glob("store-*")}


def _query_csv(project: Path, name: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project), "query", name, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_serve_answers_from_the_store_relgraph_query_answers_from(project, tmp_path):
    running = start_server(project, tmp_path / "server.log", *SERVER_ARGS)
    try:
        served = httpx.get(running.url + "/queries/embassies", params={"format": "csv"}, timeout=30)
        page = httpx.get(running.url + "/id/latvia", timeout=30)
    finally:
        running.stop()
    log = (tmp_path / "server.log").read_text()
    [store] = _stores(project)
    assert f"from store oxigraph:{project / '.relgraph-cache' / store}" in log
    assert served.status_code == 200 and page.status_code == 200
    # csv: the protocol's line ends; the command line writes the same rows
    assert served.text.replace("\r\n", "\n") == _query_csv(project, "embassies").replace("\r\n", "\n")


def test_the_store_a_server_reads_outlives_a_change_of_the_inputs(project, tmp_path):
    running = start_server(project, tmp_path / "server.log", *SERVER_ARGS)
    try:
        [served] = _stores(project)
        before = httpx.get(running.url + "/queries/visits", params={"format": "csv"}, timeout=30).text
        with (project / FACTS).open("a", encoding="utf-8") as facts:
            facts.write("\n# a curator's note: the inputs change while the server runs\n")
        _query_csv(project, "visits")  # makes the store of the new inputs
        assert served in _stores(project) and len(_stores(project)) == 2
        # the server still reads its store, by its ready workers and by fresh ones alike
        answers = [httpx.get(running.url + "/queries/visits", params={"format": "csv"}, timeout=30) for _ in range(4)]
        assert [(a.status_code, a.text) for a in answers] == [(200, before)] * 4
    finally:
        running.stop()
    _query_csv(project, "visits")  # no server holds the old store any more: it goes
    assert served not in _stores(project) and len(_stores(project)) == 1


def test_two_servers_read_the_projects_store_at_once(project, tmp_path):
    first = start_server(project, tmp_path / "first.log", *SERVER_ARGS)
    try:
        second = start_server(project, tmp_path / "second.log", *SERVER_ARGS)
        try:
            answers = [httpx.get(s.url + "/queries/embassies", params={"format": "csv"}, timeout=30) for s in (first, second)]
        finally:
            second.stop()
    finally:
        first.stop()
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].text == answers[1].text


def test_store_memory_still_serves_from_memory(project, tmp_path):
    running = start_server(project, tmp_path / "server.log", *SERVER_ARGS, "--store", "memory")
    try:
        served = httpx.get(running.url + "/queries/embassies", params={"format": "csv"}, timeout=30)
    finally:
        running.stop()
    assert "serving" in (log := (tmp_path / "server.log").read_text()) and " in memory at http" in log
    assert served.status_code == 200
    assert served.text.replace("\r\n", "\n") == _query_csv(project, "embassies").replace("\r\n", "\n")
