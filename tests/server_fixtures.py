"""Real parts for the server tests: the server process on a free loopback port, a listener that
records any connection made to it, and the system Chromium (installed with apt if missing).

tests/conftest.py imports the fixtures, so that the session-scoped server is started once.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from system_packages import apt_install

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SERVER_ARGS = ("--timeout", "5", "--workers", "2", "--max-rows", "1000", "--max-body", "100000")
"""The shared test server: short time limit, small caps, so that each refusal is cheap to prove."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(project: Path, log: Path, *args: str, startup: float = 60.0) -> RunningServer:
    """``relgraph --project PROJECT serve --port FREE ARGS…`` as a process; returns once it answers."""
    port = free_port()
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(project), "serve", "--port", str(port), *args]
    stream = log.open("wb")
    process = subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT, cwd=project)
    running = RunningServer(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + startup
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(running.url + "/sparql", timeout=2).status_code == 200:
                return running
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    running.stop()
    pytest.fail(f"the server did not answer within {startup} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> RunningServer:
    """The real server over the project's own data, on 127.0.0.1 at a free port."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    running = start_server(ROOT, log, *SERVER_ARGS)
    yield running
    running.stop()


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that answers any request with a little Turtle and records it."""

    url: str
    connections: list[bytes] = field(default_factory=list)


@pytest.fixture
def listener() -> Listener:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    recorded = Listener(f"http://127.0.0.1:{sock.getsockname()[1]}")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    recorded.connections.append(conn.recv(65536))
                    body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/turtle\r\nContent-Length: "
                                 + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
                except OSError:
                    pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield recorded
    stop.set()
    thread.join(2)
    sock.close()


def ensure_chromium() -> Path:
    """The system Chromium; installed from Debian's archive with apt-get when missing.

    Fails (never skips) with apt's output when it cannot be installed.
    """
    if CHROMIUM.exists():
        return CHROMIUM
    apt_install("chromium", f"{CHROMIUM} is missing")
    if not CHROMIUM.exists():
        pytest.fail(f"apt-get installed chromium but {CHROMIUM} is still missing")
    return CHROMIUM


def has_cjk_font() -> bool:
    """True if fontconfig knows a CJK font (``fc-list | grep -i cjk``)."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=60).stdout
    return "cjk" in listed.lower()


def ensure_cjk_font() -> None:
    """Debian's fonts-noto-cjk, installed with apt-get when no CJK font is there, so that the
    browser's screenshots show the Japanese labels (not empty boxes)."""
    if has_cjk_font():
        return
    apt_install("fonts-noto-cjk", "no CJK font is installed")
    if not has_cjk_font():
        pytest.fail("apt-get installed fonts-noto-cjk but fc-list lists no CJK font")


@pytest.fixture(scope="session")
def chromium() -> Path:
    path = ensure_chromium()
    ensure_cjk_font()
    return path
