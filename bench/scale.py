"""How relgraph scales: load, reason, validate, each stored query and export, on each store,
beside the raw engines (rdflib alone, pyoxigraph alone) doing the same work.

    python bench/scale.py --sizes 10k,100k,1M --repeat 3 --stores memory,oxigraph,sparql --skip-slow

Each (size, store) runs in a child process of its own, so its peak memory (ru_maxrss) is its
own. Times are medians of ``--repeat`` runs (a query: of ``--repeat`` x 5 runs). The world is
relgraph.synth's, written once per size into ``--work`` (default: a temporary folder).
``--skip-slow`` leaves out what is known to take many minutes (rdflib parsing / SPARQL, owlrl,
pyshacl beyond 10k triples) and says so in the table. The table is printed and written to
bench/results/scale-<date>.md (generated, not committed). Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
SLOW = {"rdflib": 10_000, "owlrl": 10_000, "pyshacl": 10_000, "reasonable": 300_000, "reasonable in oxigraph": 1_000_000}
"""The largest size at which each slow engine runs under --skip-slow."""


def _median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def _timed(function, repeat: int) -> tuple[float, object]:
    samples, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = function()
        samples.append(time.perf_counter() - started)
    return _median(samples), value


def _params(query, state_a: str, state_b: str, fact: str) -> dict[str, str]:
    values = {"stateA": state_a, "stateB": state_b, "donor": state_a, "recipientState": state_b, "fact": fact}
    return {p.name: values[p.name] for p in query.params if p.name in values}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(location: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [shutil.which("oxigraph") or "oxigraph", "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(400):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            return process, url
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("oxigraph server did not start")


# -- children --------------------------------------------------------------------------------


def child_relgraph(store_kind: str, world: Path, size: int, repeat: int, skip_slow: bool, work: Path) -> dict:
    """load, reason, validate, queries, export through relgraph on one store."""
    from rdflib import Graph

    from relgraph.project import Project
    from relgraph.queries import Catalogue
    from relgraph.reasoning.in_store import reason_in_store
    from relgraph.validation.in_store import compile_shapes, validate_in_store
    from relgraph.stores import open_store
    from relgraph.validation.reference import validate
    from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    project = Project.discover(ROOT)
    catalogue = Catalogue.load(project.queries_dir)
    ontology_file = project.ontology_files[0]
    shapes = project.load_shapes()
    out: dict = {"steps": {}, "skipped": []}
    server = None
    if store_kind == "memory" and skip_slow and size > SLOW["rdflib"]:
        return {"steps": {}, "skipped": ["all (rdflib parses ~40k triples/s; SPARQL joins take minutes)"]}
    try:
        if store_kind == "sparql":
            server, url = _serve(work / f"server-{os.getpid()}")
            spec = f"sparql:{url}"
        elif store_kind == "oxigraph":
            spec = f"oxigraph:{work / f'store-{os.getpid()}'}"
        else:
            spec = "memory"
        graphs = {GRAPH_ONTOLOGY: ontology_file, GRAPH_ASSERTED: world, GRAPH_INFERRED: Graph()}
        if store_kind == "oxigraph":  # each load into a fresh store, as the raw engine's
            fresh = iter(range(1_000_000))

            def load():
                opened = open_store(f"{spec}-{next(fresh)}")
                opened.replace(graphs, digest="bench")
                return opened

            out["steps"]["load"], store = _timed(load, repeat)
        else:
            store = open_store(spec)
            out["steps"]["load"], _ = _timed(lambda: store.replace(graphs, digest="bench"), repeat)
        engine = "owlrl" if (store_kind == "memory" and not skip_slow and size <= SLOW["owlrl"]) else "reasonable"
        limit = SLOW["reasonable in oxigraph" if store_kind == "oxigraph" else "reasonable"]
        if skip_slow and size > limit:
            # in an oxigraph store, reasoning streams the store's own dump (1M: ~80 s, 3.5 GiB);
            # elsewhere it goes through rdflib graphs of the whole store
            out["skipped"].append(f"reason (beyond {limit:,} triples on this store); the steps below see no inferred triples")
        else:
            seconds, reasoning = _timed(lambda: reason_in_store(store, rules=catalogue.rules(), engine=engine), repeat)
            out["steps"][f"reason ({engine})"] = seconds
            out["inferred"] = reasoning.inferred_count
            out["consistent"] = reasoning.consistent
        if store_kind == "memory":
            if skip_slow and size > SLOW["pyshacl"]:
                out["skipped"].append("validate (pyshacl)")
            else:
                data = store.graph(GRAPH_ASSERTED)
                ontology = store.graph(GRAPH_ONTOLOGY)
                out["steps"]["validate (pyshacl)"], report = _timed(lambda: validate(data=data, ontology=ontology, shapes=shapes), 1)
                out["conforms"] = report.conforms
        else:
            checks = compile_shapes(shapes)
            seconds, report = _timed(lambda: validate_in_store(store, shapes=shapes, checks=checks, with_labels=False), repeat)
            out["steps"]["validate (in store)"] = seconds
            out["conforms"] = report.conforms
        export = work / f"export-{os.getpid()}.nq"
        out["steps"]["export (N-Quads)"], _ = _timed(lambda: store.dump(export, format="nquads"), repeat)
        out["build"] = sum(out["steps"].values())  # medians of load, reason, validate, export
        fact = store.sparql("SELECT ?f WHERE { ?f rg:statedIn ?s ; a rg:Visit } ORDER BY ?f LIMIT 1").rows[0][0]
        queries = {}
        for query in catalogue.list():
            if query.is_rule:
                continue
            params = _params(query, "state-00000", "state-00001", f"<{fact}>")
            store.query(query, params=params)  # parse once, warm the caches
            queries[query.name], result = _timed(lambda: store.query(query, params=params), repeat * 5)
        out["queries"] = queries
        out["triples"] = store.count(GRAPH_ASSERTED)
        store.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait()
    return out


def child_raw(engine: str, world: Path, size: int, repeat: int, skip_slow: bool, work: Path) -> dict:
    """The same load, queries and export with the engine alone."""
    from relgraph.project import Project
    from relgraph.queries import Catalogue, bind
    from relgraph.stores.base import bind_values
    from relgraph.vocab import PREFIXES

    project = Project.discover(ROOT)
    catalogue = Catalogue.load(project.queries_dir)
    ontology_file = project.ontology_files[0]
    out: dict = {"steps": {}, "skipped": [], "queries": {}}
    if engine == "rdflib":
        if skip_slow and size > SLOW["rdflib"]:
            return {"steps": {}, "skipped": ["all (rdflib parses ~40k triples/s; SPARQL joins take minutes)"], "queries": {}}
        from rdflib import Dataset

        def load():
            dataset = Dataset(default_union=True)
            dataset.graph("urn:x:ontology").parse(ontology_file, format="turtle")
            dataset.graph("urn:x:asserted").parse(world, format="nt")
            return dataset

        out["steps"]["load"], dataset = _timed(load, repeat)
        out["steps"]["export (N-Quads)"], _ = _timed(lambda: dataset.serialize(work / "raw.nq", format="nquads"), repeat)
        fact = next(iter(dataset.query("SELECT ?f WHERE { ?f rg:statedIn ?s ; a rg:Visit } ORDER BY ?f LIMIT 1", initNs=PREFIXES)))[0]
        for query in catalogue.list():
            if query.is_rule:
                continue
            bindings = bind(query, _params(query, "state-00000", "state-00001", f"<{fact}>"))
            out["queries"][query.name], _ = _timed(lambda: list(dataset.query(query.text, initNs=PREFIXES, initBindings=bindings)), repeat)
        return out
    import pyoxigraph as ox

    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    loads = iter(range(1_000_000))

    def load():
        location = work / f"raw-{os.getpid()}-{next(loads)}"  # a store keeps its directory locked
        store = ox.Store(str(location))
        store.bulk_load(path=str(ontology_file), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:ontology"))
        store.bulk_load(path=str(world), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x:asserted"))
        return store

    out["steps"]["load"], store = _timed(load, repeat)
    started = time.perf_counter()
    triples = sum(1 for _ in ox.parse(path=str(world), format=ox.RdfFormat.N_TRIPLES))
    out["parse_rate"] = triples / (time.perf_counter() - started)
    out["steps"]["export (N-Quads)"], _ = _timed(lambda: store.dump(str(work / "raw.nq"), ox.RdfFormat.N_QUADS), repeat)
    # the same three graphs as relgraph's stores (the inferred one is empty here)
    union = [ox.NamedNode("urn:x:ontology"), ox.NamedNode("urn:x:asserted"), ox.NamedNode("urn:x:inferred")]
    fact = next(iter(store.query("SELECT ?f WHERE { ?f rg:statedIn ?s ; a rg:Visit } ORDER BY ?f LIMIT 1", prefixes=prefixes, default_graph=union)))[0]
    for query in catalogue.list():
        if query.is_rule:
            continue
        bindings = bind(query, _params(query, "state-00000", "state-00001", f"<{fact.value}>"))
        text = bind_values(query.text, bindings)  # as relgraph's stores bind them

        def run():
            answer = store.query(text, prefixes=prefixes, default_graph=union)
            return [list(solution) for solution in answer] if isinstance(answer, ox.QuerySolutions) else list(answer)

        run()
        out["queries"][query.name], _ = _timed(run, repeat * 5)
    return out


def child_main(arguments: list[str]) -> None:
    kind, name, world, size, repeat, skip_slow, work = arguments
    function = child_raw if kind == "raw" else child_relgraph
    result = function(name, Path(world), int(size), int(repeat), skip_slow == "1", Path(work))
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


# -- the run ---------------------------------------------------------------------------------


def run_child(kind: str, name: str, world: Path, size: int, repeat: int, skip_slow: bool, work: Path) -> dict:
    command = [sys.executable, __file__, "--child", kind, name, str(world), str(size), str(repeat), "1" if skip_slow else "0", str(work)]
    print(f"  {kind} {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}", "steps": {}, "queries": {}}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def _fmt(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ratio(a, b) -> str:
    return f"{a / b:.2f}x" if a and b and a == a and b == b else "–"


def table(results: dict, sizes: list[str], stores: list[str]) -> str:
    lines = [f"# relgraph scale benchmark, {datetime.date.today()}", "", f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs.", ""]
    for label in sizes:
        block = results[label]
        raw_ox = block.get("raw:pyoxigraph", {})
        lines += [f"## {label} ({block['triples']:,} asserted triples)", ""]
        columns = [*(s for s in stores), "raw:pyoxigraph", "raw:rdflib"]
        lines.append("| step | " + " | ".join(columns) + " | oxigraph / raw |")
        lines.append("|---" * (len(columns) + 2) + "|")
        steps = []
        for column in columns:
            for step in block.get(column, {}).get("steps", {}):
                if step not in steps:
                    steps.append(step)
        for step in steps:
            cells = [_fmt(block.get(c, {}).get("steps", {}).get(step)) for c in columns]
            ratio = _ratio(block.get("oxigraph", {}).get("steps", {}).get(step), raw_ox.get("steps", {}).get(step))
            lines.append(f"| {step} | " + " | ".join(cells) + f" | {ratio} |")
        names = sorted({q for c in columns for q in block.get(c, {}).get("queries", {})})
        for name in names:
            cells = [_fmt(block.get(c, {}).get("queries", {}).get(name)) for c in columns]
            ratio = _ratio(block.get("oxigraph", {}).get("queries", {}).get(name), raw_ox.get("queries", {}).get(name))
            lines.append(f"| query {name} | " + " | ".join(cells) + f" | {ratio} |")
        lines.append("| whole build (load+reason+validate+export) | " + " | ".join(_fmt(block.get(c, {}).get("build")) for c in columns) + " | |")
        lines.append("| peak memory | " + " | ".join(f"{block[c]['peak_mib']:.0f} MiB" if "peak_mib" in block.get(c, {}) else "–" for c in columns) + " | |")
        lines.append("")
        for column in columns:
            entry = block.get(column, {})
            notes = [*(f"skipped {s}" for s in entry.get("skipped", ())), *(f"error: {entry['error']}" for _ in [0] if "error" in entry)]
            if "conforms" in entry:
                notes.append(f"consistent={entry.get('consistent')}, conforms={entry.get('conforms')}, inferred={entry.get('inferred', 0):,}")
            if notes:
                lines.append(f"- {column}: " + "; ".join(notes))
        if "parse_rate" in raw_ox and "load" in block.get("oxigraph", {}).get("steps", {}):
            rate = block["triples"] / block["oxigraph"]["steps"]["load"]
            lines.append(f"- load rate on oxigraph: {rate:,.0f} triples/s; pyoxigraph's raw parse: {raw_ox['parse_rate']:,.0f} triples/s ({rate / raw_ox['parse_rate']:.2f} of it)")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stores", default="memory,oxigraph,sparql")
    parser.add_argument("--raw", default="pyoxigraph,rdflib", help="raw engines to run beside (empty: none)")
    parser.add_argument("--skip-slow", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for worlds and stores [temporary]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / f"scale-{datetime.date.today()}.md")
    options = parser.parse_args()
    from relgraph.synth import Template, states_for, write_world

    sizes = [s.strip() for s in options.sizes.split(",") if s.strip()]
    stores = [s.strip() for s in options.stores.split(",") if s.strip()]
    raws = [s.strip() for s in options.raw.split(",") if s.strip()]
    work = options.work or Path(tempfile.mkdtemp(prefix="relgraph-bench-"))
    template = Template.from_project(ROOT)
    results = {}
    for label in sizes:
        size = SIZES[label]
        states = states_for(size, template=template)
        world = work / f"world-{label}" / "world.nt"
        print(f"{label}: synthesizing {states} states ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        written = write_world(world, states=states, seed=options.seed, template=template)
        block = {"triples": written.triples, "synth": time.perf_counter() - started}
        for store in stores:
            block[store] = run_child("relgraph", store, world, size, options.repeat, options.skip_slow, work)
        for raw in raws:
            block[f"raw:{raw}"] = run_child("raw", raw, world, size, options.repeat, options.skip_slow, work)
        results[label] = block
        shutil.rmtree(world.parent, ignore_errors=True)
    text = table(results, sizes, stores)
    print(text)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    (options.out.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
