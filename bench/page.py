"""Page benchmark (not a test): what the web page costs in a real browser.

    python bench/page.py [--project .] [--rows 3000]

Starts ``relgraph serve`` on a free loopback port (with ``--max-rows`` above ROWS), then in
headless Chromium (Debian's, through Playwright): runs a query of ROWS rows and measures the
time from the click to YASR's first page, and how many table rows the page holds (paging draws
one page only); draws the timeline of the first pair and measures it; fetches /ontology cold
(pyLODE in a child process; the project's cached page is moved aside) and warm. Prints one line
per figure.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    project = args.project.resolve()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile(prefix="relgraph-page-", suffix=".log", delete=False)
    server = subprocess.Popen([sys.executable, "-m", "relgraph.cli", "--project", str(project), "serve", "--port", str(port),
                               "--max-rows", str(args.rows + 10), "--timeout", "30"], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/sparql", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        aside = tempfile.mkdtemp(prefix="relgraph-ontology-")
        for cached in (project / ".relgraph-cache").glob("ontology-*.html"):
            shutil.move(str(cached), aside)
        start = time.perf_counter()
        cold = httpx.get(url + "/ontology", headers={"Accept": "text/html"}, timeout=300)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        httpx.get(url + "/ontology", headers={"Accept": "text/html"}, timeout=300)
        warm_s = time.perf_counter() - start
        print(f"/ontology cold (pyLODE): {cold_s:.2f} s, {len(cold.content) / 1024:.0f} KiB; warm: {warm_s * 1000:.1f} ms")
        query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {args.rows}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.evaluate("text => document.querySelector('#editor .CodeMirror').CodeMirror.setValue(text)", query)
            start = time.perf_counter()
            page.click("#run")
            page.wait_for_selector("body[data-ran='1']")
            page.wait_for_selector("#results table.dataTable tbody tr")
            shown_s = time.perf_counter() - start
            drawn = page.locator("#results table.dataTable tbody tr").count()
            info = page.inner_text("#results .dt-info")
            print(f"{args.rows} rows: first page shown {shown_s:.2f} s after the click; {drawn} <tr> in the page ({info})")
            pair = page.locator("#pairs a").first.get_attribute("href")
            start = time.perf_counter()
            page.goto(url + pair)
            page.wait_for_selector("#timeline-chart[data-ready=true]")
            marks = page.locator("#timeline-chart svg .mark-symbol path").count()
            print(f"timeline of {pair}: drawn {time.perf_counter() - start:.2f} s after navigation, {marks} point marks")
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
