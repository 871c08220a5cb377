"""A real Virtuoso (Debian's virtuoso-opensource, the engine behind DBpedia) for the store tests.

    with serve_virtuoso(tmp_path / "virtuoso") as query_url: ...

The package is installed with apt-get when missing (CI runs as root); the server gets a folder
of its own with a minimal virtuoso.ini, listens on free 127.0.0.1 ports (SPARQL over HTTP, and
its SQL port for the one grant it needs: SPARQL Update for the anonymous SPARQL user, so that
the Graph Store endpoint loads), and is stopped when the block ends. relgraph's ``sparql:`` store
is pointed at ``/sparql`` with ``gsp=/sparql-graph-crud``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from oxigraph_fixtures import free_port
from system_packages import apt_install

SERVER = "virtuoso-t"
ISQL = "isql-vt"
PACKAGE = "virtuoso-opensource-7-bin"
INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def ensure_virtuoso() -> None:
    """Debian's Virtuoso, installed when missing; fails (never skips) with apt's words."""
    if shutil.which(SERVER) and shutil.which(ISQL):
        return
    apt_install(PACKAGE, f"{SERVER} is missing")
    if not (shutil.which(SERVER) and shutil.which(ISQL)):
        pytest.fail(f"apt-get installed {PACKAGE} but {SERVER} or {ISQL} is still missing")


@contextlib.contextmanager
def serve_virtuoso(folder: Path) -> Iterator[str]:
    """A Virtuoso server over ``folder``; yields the ``sparql:`` store URL relgraph takes."""
    ensure_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen([SERVER, "-f", "-c", str(ini)], cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Virtuoso did not start:\n{(folder / 'virtuoso.log').read_text(errors='replace')[-3000:]}")
                time.sleep(0.5)
        granted = subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                                 capture_output=True, text=True, timeout=60)
        if granted.returncode != 0:
            pytest.fail(f"could not grant SPARQL_UPDATE in Virtuoso: {granted.stdout}{granted.stderr}")
        yield f"{base}/sparql?gsp={base}/sparql-graph-crud"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        log.close()
