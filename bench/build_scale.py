"""The whole build of a synthetic world in an Oxigraph store: load, reason, validate, export,
each step timed, with the peak memory (ru_maxrss) after each.

    python bench/build_scale.py --sizes 100k,300k,1M

Each size runs in a child process of its own, so its peak memory is its own; the child
runs under an address-space limit (``--limit-gib``, default 8) so that a runaway step
fails instead of taking the machine's memory. The world is relgraph.synth's, written once
per size into ``--work`` (default: a temporary folder). Steps, as ``relgraph build`` runs
them on a store:

* load: the ontology and the world's N-Triples bulk-loaded into a fresh ``oxigraph:`` store;
* reason: ``store_reasoning.reason_in_store`` (``reasonable``, its sub-steps on stderr);
* validate: ``store_validation.validate_in_store`` (SHACL as SPARQL in the store);
* export: every graph dumped as N-Quads (the store's fast path).

The table is printed and written to bench/results/build-scale-<date>.md (generated, not
committed). Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SIZES = {"10k": 10_000, "100k": 100_000, "300k": 300_000, "1M": 1_000_000, "3M": 3_000_000}
STEPS = ("load", "reason", "validate", "export")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(world: Path, work: Path) -> dict:
    """One whole build of ``world`` in a fresh store under ``work``; times and peaks per step."""
    from rdflib import Graph

    from relgraph.progress import Progress
    from relgraph.project import Project
    from relgraph.queries import Catalogue
    from relgraph.store_reasoning import reason_in_store
    from relgraph.store_validation import validate_in_store
    from relgraph.stores import open_store
    from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    project = Project.discover(ROOT)
    rules = Catalogue.load(project.queries_dir).rules()
    out: dict = {"seconds": {}, "peak_mib": {}}

    def step(name, function):
        started = time.perf_counter()
        value = function()
        out["seconds"][name] = time.perf_counter() - started
        out["peak_mib"][name] = _peak_mib()
        return value

    def load():
        ontology = Graph()
        for path in project.ontology_files:
            ontology += Graph().parse(path, format="turtle")
        store = open_store(f"oxigraph:{work / 'store'}")
        store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: world, GRAPH_INFERRED: Graph()}, digest="bench")
        return store

    store = step("load", load)
    reasoning = step("reason", lambda: reason_in_store(store, rules=rules, engine="reasonable", progress=Progress()))
    shapes = project.load_shapes()
    report = step("validate", lambda: validate_in_store(store, shapes=shapes, with_labels=False))
    step("export", lambda: store.dump(work / "export.nq", format="nquads"))
    out.update(
        asserted=store.count(GRAPH_ASSERTED),
        inferred=reasoning.inferred_count,
        rounds=reasoning.rounds,
        consistent=reasoning.consistent,
        conforms=report.conforms,
        violations=len(report.violations),
    )
    store.close()
    return out


def run_child(world: Path, work: Path, limit_gib: float) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    limit = int(limit_gib * 2**30)
    command = ["prlimit", f"--as={limit}", sys.executable, __file__, "--child", str(world), str(work)]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}", "seconds": {}, "peak_mib": {}}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def table(results: dict) -> str:
    lines = [f"# relgraph build on an oxigraph store, {datetime.date.today()}", ""]
    lines.append("| size | asserted | inferred | " + " | ".join(STEPS) + " | whole build | peak memory |")
    lines.append("|---" * (len(STEPS) + 5) + "|")
    for label, entry in results.items():
        if "error" in entry:
            lines.append(f"| {label} | {entry['error']} |")
            continue
        seconds, peaks = entry["seconds"], entry["peak_mib"]
        cells = [f"{seconds[s]:.1f} s ({peaks[s]:.0f} MiB)" for s in STEPS]
        lines.append(
            f"| {label} | {entry['asserted']:,} | {entry['inferred']:,} | " + " | ".join(cells)
            + f" | {sum(seconds.values()):.1f} s | {max(peaks.values()):.0f} MiB |"
        )
    lines += ["", "Each step's cell: seconds (peak RSS of the process once the step is done)."]
    for label, entry in results.items():
        if "error" not in entry:
            lines.append(
                f"- {label}: consistent={entry['consistent']}, conforms={entry['conforms']}, "
                f"violations={entry['violations']}, rounds={entry['rounds']}, wall {entry['wall']:.1f} s"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,300k,1M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit-gib", type=float, default=8.0, help="address-space limit of each child")
    parser.add_argument("--work", type=Path, default=None, help="folder for worlds and stores [temporary]")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / f"build-scale-{datetime.date.today()}.md")
    options = parser.parse_args()
    from relgraph.synth import Template, states_for, write_world

    template = Template.from_project(ROOT)
    work = options.work or Path(tempfile.mkdtemp(prefix="relgraph-build-bench-"))
    results = {}
    for label in (s.strip() for s in options.sizes.split(",") if s.strip()):
        world = work / f"world-{label}" / "world.nt"
        if not world.is_file():
            states = states_for(SIZES[label], template=template)
            print(f"{label}: synthesizing {states} states ...", file=sys.stderr, flush=True)
            write_world(world, states=states, seed=options.seed, template=template)
        print(f"{label}: building ...", file=sys.stderr, flush=True)
        results[label] = run_child(world, work / f"build-{label}", options.limit_gib)
        shutil.rmtree(work / f"build-{label}", ignore_errors=True)
    text = table(results)
    print(text)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    options.out.with_suffix(".json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
