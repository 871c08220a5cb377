"""Fairness benchmark (not a test): a cheap query beside runaway queries, relgraph serve against
Oxigraph server on the same data, in one run.

    python bench/fairness.py [--runaways 4] [--probes 10] [--project .]

Loads the project's ontology + asserted + inferred graphs into an Oxigraph store, starts
``oxigraph serve --union-default-graph`` and ``relgraph serve`` (its default configuration, then
``--store oxigraph:``) on free loopback ports. For each server it sends RUNAWAYS copies of a
query that never ends in practice (a triple cross product), waits for them to be running, then
times PROBES cheap ``ASK {}`` requests one after another, and prints their median and worst
latency. relgraph stops its runaways at its time limit; Oxigraph server has none, so it is
killed at the end.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from load import free_port, wait_until_up
from relgraph import Catalogue, Project, export_project, inferred_for

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK {}"
ACCEPT = {"Accept": "application/sparql-results+json"}


def probe(url: str, runaways: int, probes: int) -> tuple[float, float, int]:
    """(median s, worst s, non-200 answers) of ``probes`` cheap queries beside ``runaways``."""
    pool = concurrent.futures.ThreadPoolExecutor(runaways)
    for _ in range(runaways):
        pool.submit(_quietly, url, RUNAWAY)
    time.sleep(1.0)  # let the runaways reach the engine
    latencies, failed = [], 0
    for _ in range(probes):
        start = time.perf_counter()
        try:
            response = httpx.get(url, params={"query": CHEAP}, headers=ACCEPT, timeout=60)
            failed += response.status_code != 200
        except httpx.TransportError:
            failed += 1
        latencies.append(time.perf_counter() - start)
    pool.shutdown(wait=False, cancel_futures=True)
    return statistics.median(latencies), max(latencies), failed


def _quietly(url: str, query: str) -> None:
    try:
        httpx.get(url, params={"query": query}, headers=ACCEPT, timeout=120)
    except httpx.TransportError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runaways", type=int, default=4)
    parser.add_argument("--probes", type=int, default=10)
    parser.add_argument("--project", type=Path, default=Path("."))
    args = parser.parse_args()
    if shutil.which("oxigraph") is None:
        sys.exit("the oxigraph command is missing: pip install -e '.[test]'")
    project = Project.discover(args.project)
    catalogue = Catalogue.load(project.root / "queries")
    loaded = project.load()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "all.nq"
        data.write_bytes(export_project(loaded, format="nquads", inferred=inferred_for(project, loaded, catalogue)))
        subprocess.run(["oxigraph", "load", "--location", str(work / "ox"), "--file", str(data)], check=True, capture_output=True)
        servers = [
            ("oxigraph server", ["oxigraph", "serve", "--location", str(work / "ox"), "--bind", "127.0.0.1:{port}",
                                 "--union-default-graph"], "/query"),
            ("relgraph serve (default)", [sys.executable, "-m", "relgraph.cli", "--project", str(project.root),
                                          "serve", "--port", "{port}"], "/sparql"),
            ("relgraph serve --store oxigraph:", [sys.executable, "-m", "relgraph.cli", "--project", str(project.root),
                                                  "serve", "--port", "{port}", "--store", f"oxigraph:{work / 'rg'}"], "/sparql"),
        ]
        for name, command, path in servers:
            port = free_port()
            process = subprocess.Popen([part.replace("{port}", str(port)) for part in command],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                url = f"http://127.0.0.1:{port}{path}"
                wait_until_up(f"{url}?query=ASK%7B%7D", process, seconds=120)
                rows.append((name, *probe(url, args.runaways, args.probes)))
            finally:
                process.kill()
                process.wait(10)
    print(f"cheap query (ASK {{}}) beside {args.runaways} runaway queries, {args.probes} probes each")
    print(f"{'server':36} {'median':>9} {'worst':>9} {'failed':>7}")
    for name, median, worst, failed in rows:
        print(f"{name:36} {median * 1000:7.1f}ms {worst * 1000:7.1f}ms {failed:7d}")


if __name__ == "__main__":
    main()
