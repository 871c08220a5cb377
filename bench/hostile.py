"""Hostile-input probe (not a test): many faulty or hostile requests and runs, counted in one run.

    python bench/hostile.py [--project .] [--kills 20]

Starts ``relgraph serve`` over the project (in memory, and over an embedded Oxigraph store)
beside a loopback listener that records every connection made to it, and sends each server
every case below; runs the CLI on projects with one fault each; and kills ``relgraph build``
with SIGKILL at spread-out moments of its run. Prints the cases tried and what must stay zero:
tracebacks (in server logs and CLI stderr), 500s, exit code 3, outbound connections, and mixed
releases (an --out that is neither the whole old release nor the whole new one).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from test_ssrf import VARIANTS  # noqa: E402  (the spellings of SERVICE the tests refuse)

from load import free_port, wait_until_up  # noqa: E402


class Listener:
    """A loopback TCP listener that counts connections."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.count = 0
        self.stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()


def sparql_cases(listener: str) -> list[tuple[str, str, dict]]:
    """(method, path, httpx keyword arguments)."""
    queries = [template.replace("{url}", listener).replace("{host}", listener.removeprefix("http://"))
               for template in VARIANTS.values()]
    queries += [
        "", " ", "SELECT", "SELECT * WHERE {", "SELECT * WHERE { ?s ?p ?o } }", "ASK {}" * 1000,
        "SELECT * WHERE { " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000 + " }",
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        'SELECT * WHERE { BIND("' + "x" * 200_000 + '" AS ?x) }',
        "SELECT * WHERE { ?s nope:p ?o }", "SELECT * WHERE { ?s ?p \"\\uD800\" }", "SELECT * WHERE { ?s ?p '\\U0011FFFF' }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }", f"LOAD <{listener}/x.ttl>", "DROP ALL", "CLEAR DEFAULT",
        "SELECT * WHERE { ?s ?p ?o } LIMIT -1", "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "DESCRIBE <javascript:alert(1)>",
        "SELECT ?x WHERE { BIND(<javascript:alert(1)> AS ?x) }", "SELECT * WHERE { ?s ?p ?o } ORDER BY STR(?nothing)",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5", "PREFIX : <" + "x" * 100_000 + "> ASK {}",
        "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(?o, \"(a+)+$\")) }", "\x00\x01\x02", "SELECT * WHERE { ?s ?p \"\x00\" }",
    ]
    cases: list[tuple[str, str, dict]] = []
    for query in queries:
        cases.append(("GET", "/sparql", {"params": {"query": query}}))
        cases.append(("POST", "/sparql", {"data": {"query": query}}))
        cases.append(("POST", "/sparql", {"content": query.encode("utf-8", "surrogatepass"),
                                          "headers": {"Content-Type": "application/sparql-query"}}))
    ask = {"query": "ASK {}"}
    for accept in ("", "*/*", "text/html", "application/xml", "nonsense", "a/b;q=x", ";;;", "text/*;q=2", "x" * 10_000):
        cases.append(("GET", "/sparql", {"params": ask, "headers": {"Accept": accept}}))
    for params in ({"query": "ASK {}", "format": "nope"}, {"query": ["ASK {}", "ASK {}"]}, {"update": "DROP ALL"},
                   {"query": "ASK {}", "default-graph-uri": f"{listener}/g"}, {"query": "ASK {}", "named-graph-uri": f"{listener}/g"},
                   {"query": "ASK {}", "timeout": "1"}, {"quer%": "x"}):
        cases.append(("GET", "/sparql", {"params": params}))
    for content_type in ("", "text/plain", "application/json", "multipart/form-data; boundary=x", "application/sparql-update"):
        cases.append(("POST", "/sparql", {"content": b"query=ASK%20%7B%7D", "headers": {"Content-Type": content_type}}))
    cases.append(("POST", "/sparql", {"content": b"query=%FF%FE", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}))
    cases.append(("POST", "/sparql", {"content": b"x" * 2_000_000, "headers": {"Content-Type": "application/sparql-query"}}))
    return cases


def path_cases() -> list[tuple[str, str, dict]]:
    paths = ["/id/%FF%FE", "/id/latvia%00.ttl", "/ontology/%C0%AF", "/id/latvia%00", "/id/../../etc/passwd",
             "/id/%2e%2e/%2e%2e/etc/passwd", "/static/../../../etc/passwd", "/static/%2e%2e/cli.py", "/id/" + "a" * 60_000,
             "/id/latvia.exe", "/id/latvia.ttl.ttl", "/id/", "/ontology/", "/ontology/Visit/x", "/ontology.xyz",
             "/id/latvia?lang=xx", "/id/latvia?lang=", "/id/latvia?format=nope", "/id/latvia?x=1", "/queries/nope",
             "/queries/visits?stateA=%3Cjavascript:alert(1)%3E", "/queries/visits?stateA=", "/queries/visits?nope=1",
             "/queries/trade-balance?stateA=latvia&stateA=japan", "/queries/source-of-fact?fact=%00",
             "/search?q=", "/search?q=" + "%C5%AB" * 5000, "/search?q=%FF", "/timeline.svg?x=1", "/timeline.svg?stateA=nope",
             "/%00", "/favicon.ico", "/reconcile?queries=%7B", "/reconcile?callback=alert(1)//", "/reconcile?queries=" + "%5B" * 10_000]
    cases = [("GET", path, {}) for path in paths]
    for host in ("evil.example", "", "a" * 5000, "127.0.0.1:1", "[::1]", "x\r\ny"):
        cases.append(("GET", "/sparql", {"headers": {"Host": host, "Accept": "text/turtle"}}))
    batches = ["[" * 10_000 + "]" * 10_000, "{}", "[]", "null", "1", '{"q0": {"query": ""}}', '{"q0": {"query": 5}}',
               '{"q0": {"query": "Riga", "limit": 1e9}}', '{"q0": {"query": "Riga", "type": {"a": 1}}}',
               '{"q0": {"query": "Riga", "properties": 5}}', json.dumps({f"q{i}": {"query": "Riga"} for i in range(500)}),
               json.dumps({"q0": {"query": "x" * 100_000}}), "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")]
    for batch in batches:
        cases.append(("POST", "/reconcile", {"data": {"queries": batch}}))
    cases.append(("POST", "/reconcile", {"content": b"queries=%FF", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}))
    cases.append(("POST", "/reconcile", {"content": b"{}", "headers": {"Content-Type": "application/json"}}))
    cases.append(("POST", "/reconcile", {"content": b"q" * 5_000_000, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}))
    return cases


def probe_server(project: Path, store: list[str], work: Path, listener: Listener) -> dict:
    port = free_port()
    log = work / f"server-{port}.log"
    process = subprocess.Popen([sys.executable, "-m", "relgraph.cli", "--project", str(project), "serve", "--port", str(port),
                                "--timeout", "3", "--max-body", "1000000", "--per-client", "64", *store],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    counts = {"cases": 0, "500s": 0, "no answer": 0}
    try:
        wait_until_up(url + "/sparql", process, seconds=300)
        with httpx.Client(base_url=url, timeout=30) as client:
            for method, path, kwargs in sparql_cases(listener.url) + path_cases():
                counts["cases"] += 1
                try:
                    status = client.request(method, path, **kwargs).status_code
                except (httpx.TransportError, httpx.InvalidURL, UnicodeEncodeError, ValueError):
                    status = None
                counts["500s"] += status is not None and status >= 500 and status != 503
                counts["no answer"] += status is None
        raw = [b"GET / HTTP/1.1\r\nHost: x\r\n", b"\x16\x03\x01\x00\xa5", b"GET " + b"/" * 100_000 + b" HTTP/1.1\r\n\r\n",
               b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nquery=", b"GET / HTTP/9.9\r\n\r\n"]
        for data in raw:  # half-sent, not HTTP, or a client that goes away
            counts["cases"] += 1
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(data)
        time.sleep(1)
        alive = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30).status_code == 200
    finally:
        process.terminate()
        process.wait(20)
    text = log.read_text(encoding="utf-8", errors="replace")
    return {**counts, "tracebacks": text.count("Traceback"), "still serving": alive}


CLI_FAULTS = {
    "ill-formed date": ("data/probe/x.ttl", 'rgd:riga rg:date "1991-13-45"^^xsd:date .'),
    "deep Turtle": ("data/probe/x.ttl", "rgd:riga rdfs:seeAlso " + "[ rdfs:seeAlso " * 20_000 + "]" * 20_000 + " ."),
    "IRI with a space": ("data/probe/x.ttl", "rgd:riga rdfs:seeAlso <https://w3id.org/relgraph/id/a\\u0020b> ."),
    "not UTF-8": ("data/probe/x.ttl", None),
    "bad syntax": ("data/probe/x.ttl", "rgd:riga rdfs:label ."),
}
PREFIXES = ("@prefix rg: <https://w3id.org/relgraph/ontology#> .\n@prefix rgd: <https://w3id.org/relgraph/id/> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n")


def probe_cli(project: Path, work: Path) -> dict:
    counts = {"cases": 0, "tracebacks": 0, "exit 3": 0}

    def run(root: Path, *args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "relgraph.cli", "--project", str(root), *args],
                              capture_output=True, text=True, timeout=600)
        counts["cases"] += 1
        counts["tracebacks"] += "Traceback" in done.stderr
        counts["exit 3"] += done.returncode == 3

    for name, (relative, text) in CLI_FAULTS.items():
        root = work / f"cli-{len(counts)}-{abs(hash(name))}"
        shutil.copytree(project, root, ignore=shutil.ignore_patterns("build", ".relgraph-cache", ".git", "bench", "tests", "src"))
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xfe" if text is None else (PREFIXES + text + "\n").encode("utf-8"))
        for args in (["validate"], ["build", "--out", str(root / "out")], ["query", "visits"], ["coverage"], ["export", "--format", "jsonld"]):
            run(root, *args)
    for args in (["build", "--out", "/proc/x"], ["build", "--out", "/dev/null/sub"], ["query", "nope"],
                 ["query", "visits", "--param", "stateA=<bad iri>"], ["query", "visits", "--param", "nope=1"],
                 ["query", "trade-balance", "--param", "stateA"], ["export", "--format", "nope"],
                 ["serve", "--port", "99999"], ["serve", "--host", "no.such.host.invalid"]):
        run(project, *args)
    return counts


def probe_kills(project: Path, work: Path, kills: int) -> dict:
    root = work / "kills"
    shutil.copytree(project, root, ignore=shutil.ignore_patterns("build", ".relgraph-cache", ".git", "bench", "tests", "src"))
    out = work / "release"
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(root), "build", "--out", str(out)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    whole = time.perf_counter() - started
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    extra = root / "data" / "probe.ttl"
    extra.write_text(PREFIXES + 'rgd:riga rdfs:comment "probe"@en .\n', encoding="utf-8")
    reference = work / "reference"
    subprocess.run([*command[:-1], str(reference)], check=True, capture_output=True)
    new = {p.name: p.read_bytes() for p in reference.iterdir()}
    mixed = 0
    for attempt in range(kills):
        extra.write_text(PREFIXES + 'rgd:riga rdfs:comment "probe"@en .\n', encoding="utf-8")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(whole * (attempt + 0.5) / kills)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = {p.name: p.read_bytes() for p in out.iterdir()} if out.is_dir() else {}
        mixed += now not in (old, new)
        if now == new:  # back to the old release for the next attempt
            extra.unlink()
            subprocess.run(command, check=True, capture_output=True)
            old = {p.name: p.read_bytes() for p in out.iterdir()}
    return {"kills": kills, "mixed releases": mixed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    project = args.project.resolve()
    listener = Listener()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = {
            "serve (memory)": probe_server(project, [], work, listener),
            "serve --store oxigraph:": probe_server(project, ["--store", f"oxigraph:{work / 'store'}"], work, listener),
            "CLI": probe_cli(project, work),
            "build killed": probe_kills(project, work, args.kills),
        }
    results["outbound connections"] = listener.count
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
