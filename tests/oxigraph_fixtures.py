"""A real Oxigraph server (the `oxigraph` command of the PyPI package `oxigraph`) for tests.

    with serve_oxigraph(tmp_path / "db") as query_url: ...

It listens on a free 127.0.0.1 port and is stopped when the block ends. A missing `oxigraph`
command fails the test (it is a test extra), never skips it.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_command() -> str:
    command = shutil.which("oxigraph")
    if command is None:
        pytest.fail("the oxigraph command (PyPI package oxigraph, a test extra) is not installed")
    return command


@contextlib.contextmanager
def serve_oxigraph(location: Path, *, load: Path | None = None, union_default_graph: bool = False) -> Iterator[str]:
    """An Oxigraph server over ``location`` (first loading the file ``load``, if given; its default graph
    the union of the named graphs if ``union_default_graph``); yields its query URL."""
    command = oxigraph_command()
    if load is not None:
        subprocess.run([command, "load", "--location", str(location), "--file", str(load)], check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         *(["--union-default-graph"] if union_default_graph else [])],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
