"""Load benchmark (not a test): relgraph serve against Oxigraph server on the same data, same run.

    python bench/load.py [--requests 3000] [--clients 16] [--project .]

Exports the project's ontology + asserted + inferred graphs as N-Quads, loads them into an
Oxigraph store (``oxigraph load``), starts ``oxigraph serve --union-default-graph`` and
``relgraph serve`` on free loopback ports, checks that both give the same number of rows for
every stored query, then drives each with CLIENTS concurrent keep-alive clients sending
REQUESTS requests of the stored queries (round robin, default parameters). relgraph is measured
four times: as it runs by default (the project's own Oxigraph store, its reply cache on), with
``--cache-mb 0`` (every request evaluated by Oxigraph in a worker), with ``--cache-mb 0 --store
oxigraph:…`` (a store of its own) and with ``--cache-mb 0 --store memory`` (every request
evaluated by rdflib in a worker). Prints throughput, p50, p99 and errors, and the ratios.
``--only default,no-cache,oxigraph,memory`` measures only those (Oxigraph server is always
measured: the ratios need it).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from relgraph import Catalogue, Project, export_project, inferred_for
from relgraph.queries import parse_value
from relgraph.vocab import PREFIXES

ACCEPT = {"Accept": "application/sparql-results+json"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited early: {process.args}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    sys.exit(f"server did not come up: {process.args}")


def oxigraph_text(query, prefixes: str) -> str:
    """The stored query for a store without relgraph's parameters: prefixes declared, the
    default parameter values bound by an inline VALUES at the start of the WHERE group."""
    text = query.text
    if query.params:
        names = " ".join(f"?{p.name}" for p in query.params)
        values = " ".join(parse_value(p, p.default).n3() for p in query.params)
        text = re.sub(r"WHERE\s*\{", lambda m: f"WHERE {{ VALUES ({names}) {{ ({values}) }}", text, count=1)
    return prefixes + text


@dataclass(frozen=True)
class Target:
    name: str
    requests: tuple[tuple[str, str, dict], ...]
    """(method, url, keyword arguments for httpx)"""
    pid: int = 0
    """The server's process: its CPU time, and its children's, is measured (Linux /proc)."""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of ``pid`` and its live children (0 where there is no /proc).

    A child that ended during the run (an extra worker) takes its time with it: a lower bound."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


@dataclass(frozen=True)
class Outcome:
    name: str
    seconds: float
    latencies: tuple[float, ...]
    errors: int
    cpu: float = 0.0
    """CPU seconds the server (its processes) spent meanwhile."""

    def row(self) -> tuple[str, float, float, float, int]:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))] if ordered else float("nan")
        return (self.name, len(self.latencies) / self.seconds, statistics.median(ordered) * 1000, p99 * 1000, self.errors)


async def drive(target: Target, *, total: int, clients: int) -> Outcome:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=1)) as http:
            for index in counter:
                method, url, kwargs = target.requests[index % len(target.requests)]
                started = time.perf_counter()
                try:
                    response = await http.request(method, url, **kwargs)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

    async with httpx.AsyncClient() as warm:  # one pass first, not measured
        for method, url, kwargs in target.requests:
            await warm.request(method, url, **kwargs)
    cpu = cpu_seconds(target.pid)
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Outcome(target.name, time.perf_counter() - started, tuple(latencies), errors, cpu_seconds(target.pid) - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--only", type=lambda text: {n.strip() for n in text.split(",")}, default=None,
                        metavar="KEYS", help="measure only these relgraph configurations, of default, no-cache, oxigraph, memory")
    args = parser.parse_args()
    if shutil.which("oxigraph") is None:
        sys.exit("the oxigraph command is missing: pip install -e '.[test]'")

    project = Project.discover(args.project)
    loaded = project.load()
    catalogue = Catalogue.load(project.queries_dir)
    queries = [q for q in catalogue.list() if not q.is_rule]
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))
    work = Path(tempfile.mkdtemp(prefix="relgraph-bench-"))
    processes = []
    try:
        data = work / "all.nq"
        data.write_bytes(export_project(loaded, format="nquads", inferred=inferred_for(project, loaded, catalogue)))
        store = work / "oxigraph"
        subprocess.run(["oxigraph", "load", "--location", str(store), "--file", str(data)], check=True, capture_output=True)

        ox_port = free_port()
        logs = (work / "oxigraph.log").open("wb")
        processes.append(subprocess.Popen(
            ["oxigraph", "serve", "--location", str(store), "--bind", f"127.0.0.1:{ox_port}", "--union-default-graph"],
            stdout=logs, stderr=logs))
        wait_until_up(f"http://127.0.0.1:{ox_port}/query?query=ASK%7B%7D", processes[0])
        ox = Target("oxigraph", tuple(
            ("POST", f"http://127.0.0.1:{ox_port}/query",
             {"content": oxigraph_text(q, prefixes).encode(), "headers": {**ACCEPT, "Content-Type": "application/sparql-query"}})
            for q in queries), processes[0].pid)
        targets = [ox]
        for key, name, extra in (
            ("default", "relgraph", []),
            ("no-cache", "relgraph, no cache", ["--cache-mb", "0"]),
            ("oxigraph", "relgraph oxigraph:, no cache", ["--cache-mb", "0", "--store", f"oxigraph:{work / 'relgraph-store'}"]),
            ("memory", "relgraph memory, no cache", ["--cache-mb", "0", "--store", "memory"]),
        ):
            if args.only and key not in args.only:
                continue
            port = free_port()
            processes.append(subprocess.Popen(
                # one client address here stands for --clients users: the per-client limit (a
                # fairness rule, 429 beyond it) is raised to their number, all else as configured
                [sys.executable, "-m", "relgraph.cli", "--project", str(project.root), "serve", "--port", str(port),
                 "--per-client", str(args.clients), *extra],
                stdout=logs, stderr=logs))
            wait_until_up(f"http://127.0.0.1:{port}/sparql", processes[-1])
            targets.append(Target(name, tuple(
                ("GET", f"http://127.0.0.1:{port}/queries/{q.name}", {"headers": ACCEPT}) for q in queries), processes[-1].pid))

        print(f"{len(queries)} stored queries; rows per query ({' / '.join(t.name for t in targets)}):")
        for index, q in enumerate(queries):
            counts = []
            for target in targets:
                method, url, kwargs = target.requests[index]
                counts.append(len(httpx.request(method, url, **kwargs, timeout=30).json()["results"]["bindings"]))
            print(f"  {q.name:24} {' / '.join(f'{c:4}' for c in counts)}{'' if len(set(counts)) == 1 else '  DIFFERENT'}")

        outcomes = [asyncio.run(drive(t, total=args.requests, clients=args.clients)) for t in targets]
        print(f"\n{args.requests} requests, {args.clients} concurrent clients, loopback")
        print(f"{'server':30} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}")
        rows = [o.row() for o in outcomes]
        for name, rate, p50, p99, errors in rows:
            print(f"{name:30} {rate:9.1f} {p50:9.2f} {p99:9.2f} {errors:7}")
        print("server CPU per request (its processes, user + system; the clients' own not counted):")
        for outcome in outcomes:
            print(f"  {outcome.name:30} {1000 * outcome.cpu / max(1, len(outcome.latencies)):6.2f} ms")
        base = rows[0]
        for name, rate, p50, p99, _ in rows[1:]:
            print(f"{name} / oxigraph: throughput {rate / base[1]:.2f}x, p50 {p50 / base[2]:.2f}x, p99 {p99 / base[3]:.2f}x")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
