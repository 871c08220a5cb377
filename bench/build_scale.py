"""The whole build of a synthetic world in an Oxigraph store (``relgraph.build.build`` with a store):
load, reason, validate, write, each step timed, and the peak memory (ru_maxrss).

    python bench/build_scale.py --sizes 100k,300k,1M

Each size runs in a child process of its own, so its peak memory is its own; the child
runs under an address-space limit (``--limit-gib``, default 8) so that a runaway step
fails instead of taking the machine's memory. The world is relgraph.synth's, written once
per size into ``--work`` (default: a temporary folder) as the one data file of a project
that shares this checkout's ontology and queries. The steps:

* load: the ontology and the world bulk-loaded into a fresh ``oxigraph:`` store;
* reason: ``reasoning.in_store.reason_in_store`` (``reasonable``; its sub-steps on stderr);
* validate: ``validation.in_store.validate_in_store`` (SHACL as SPARQL in the store), which
  runs beside reasoning, in a second thread: ``reason+validate`` is the time of both;
* write: the release (sorted N-Triples dumps of the stated and the inferred graphs).

The table is printed and written to bench/results/build-scale-<date>.md (generated, not
committed). Never run by the tests.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
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
STEPS = ("load", "reason", "validate", "reason+validate", "write")


def make_project(world: Path, folder: Path) -> Path:
    """A project in ``folder`` with this checkout's ontology and queries and ``world`` as its data."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "queries"):
        if not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name)
    data = folder / "data" / "world"
    data.mkdir(parents=True, exist_ok=True)
    target = data / "world.ttl"  # N-Triples is Turtle; a project's data files are *.ttl
    target.unlink(missing_ok=True)
    target.symlink_to(world.resolve())
    return folder


def child(root: Path, work: Path) -> dict:
    """One whole build of the project at ``root`` in a fresh store under ``work``."""
    from relgraph.build import build
    from relgraph.progress import Progress
    from relgraph.project import Project
    from relgraph.stores import open_store

    store = open_store(f"oxigraph:{work / 'store'}")
    summary = build(Project.discover(root), store, out_dir=work / "release", release="ntriples", progress=Progress())
    store.close()
    return {
        "seconds": dict(summary.timings),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # CPU seconds of both threads: what the build costs, whatever else the machine runs
        "cpu": (lambda u: u.ru_utime + u.ru_stime)(resource.getrusage(resource.RUSAGE_SELF)),
        "load_average": os.getloadavg()[0],
        "asserted": summary.asserted_triples,
        "inferred": summary.inferred_triples,
        "rounds": summary.reasoning.rounds,
        "consistent": summary.reasoning.consistent,
        "conforms": summary.validation.conforms,
        "violations": len(summary.validation.violations),
    }


def run_child(root: Path, work: Path, limit_gib: float) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    limit = int(limit_gib * 2**30)
    command = ["prlimit", f"--as={limit}", sys.executable, __file__, "--child", str(root), str(work)]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}"}
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
        seconds = entry["seconds"]
        whole = seconds["load"] + seconds["reason+validate"] + seconds.get("write", 0.0)
        cells = [f"{seconds[s]:.1f} s" if s in seconds else "–" for s in STEPS]
        lines.append(
            f"| {label} | {entry['asserted']:,} | {entry['inferred']:,} | " + " | ".join(cells)
            + f" | {whole:.1f} s | {entry['peak_mib']:,.0f} MiB |"
        )
    lines += ["", "whole build = load + reason+validate (side by side) + write; peak memory: ru_maxrss of the build's process."]
    for label, entry in results.items():
        if "error" not in entry:
            lines.append(
                f"- {label}: consistent={entry['consistent']}, conforms={entry['conforms']}, "
                f"violations={entry['violations']}, rounds={entry['rounds']}, wall {entry['wall']:.1f} s, "
                f"CPU {entry['cpu']:.1f} s, load average at the end {entry['load_average']:.2f} "
                f"(on {os.cpu_count()} CPUs)"
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
        root = make_project(world, work / f"project-{label}")
        results[label] = run_child(root, work / f"build-{label}", options.limit_gib)
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
