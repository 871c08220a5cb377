"""What the ``reasonable`` step of a store's reasoning holds in memory, per million triples of a
synthetic world: the question that decides whether a 10M-triple world fits this machine.
Not a test.

    python bench/reasoner_memory.py --sizes 100k,1M [--work DIR]

For each size, in a child process of its own (so that each peak is its own), the steps of
``reasoning.in_store._reason_oxigraph`` that hold the graph in memory, with the resident memory
after each (``/proc/self/status``):

* lines: the world's N-Triples lines as the Python set relgraph keeps of the base;
* load: ``reasonable.PyReasoner.load_file`` of the world and the ontology (without its
  owl:FunctionalProperty lines, as relgraph hands them over);
* reason: ``reasoner.reason()``, whose answer is a Python list of every triple of the closure.

The worlds are relgraph.synth's (seed 1), written once into ``--work`` (default: a temporary
folder). The last lines extrapolate each step linearly to 10M triples, beside the machine's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SIZES = {"100k": 100_000, "300k": 300_000, "1M": 1_000_000, "3M": 3_000_000}
FUNCTIONAL = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#FunctionalProperty> ."


def resident_gib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        fields = dict(line.split(":", 1) for line in status)
    return int(fields["VmRSS"].split()[0]) / 1024**2


def child(world: Path, work: Path) -> dict:
    """The steps in this process; their resident memory (GiB) and seconds."""
    import rdflib
    import reasonable

    from relgraph.project import Project

    figures: dict = {"start": resident_gib()}
    ontology = work / "ontology.ttl"
    graph = rdflib.Graph()
    for path in Project.discover(ROOT).ontology_files:
        graph.parse(path, format="turtle")
    lines = graph.serialize(format="nt").splitlines(keepends=True)
    ontology.write_text("".join(line for line in lines if FUNCTIONAL not in line), encoding="utf-8")
    del graph, lines
    started = time.perf_counter()
    with open(world, encoding="utf-8") as stream:
        base = set(stream)
    figures.update(lines=resident_gib(), lines_s=time.perf_counter() - started, triples=len(base))
    started = time.perf_counter()
    reasoner = reasonable.PyReasoner()
    reasoner.load_file(str(world.with_suffix(".ttl")))
    reasoner.load_file(str(ontology))
    figures.update(load=resident_gib(), load_s=time.perf_counter() - started)
    started = time.perf_counter()
    closure = reasoner.reason()
    figures.update(reason=resident_gib(), reason_s=time.perf_counter() - started, closure=len(closure))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(*options.child)))
        return 0
    from relgraph.synth import Template, states_for, write_world

    work = options.work or Path(tempfile.mkdtemp(prefix="relgraph-bench-reasoner-"))
    template = Template.from_project(ROOT)
    rows = []
    for size in options.sizes.split(","):
        world = work / f"world-{size}" / "world.nt"
        if not world.is_file():
            world.parent.mkdir(parents=True, exist_ok=True)
            write_world(world, states=states_for(SIZES[size], template=template), seed=1, template=template)
        named = world.with_suffix(".ttl")  # reasonable reads only .ttl and .n3 (N-Triples is Turtle)
        if not named.exists():
            os.link(world, named)
        done = subprocess.run([sys.executable, __file__, "--child", str(world), str(world.parent)],
                              capture_output=True, text=True, check=True)
        rows.append((size, json.loads(done.stdout.splitlines()[-1])))
    print(f"{'size':<6}{'triples':>11}{'closure':>11}  {'lines set GiB':>13}{'+ load GiB':>11}{'+ reason GiB':>13}  {'load s':>7}{'reason s':>9}")
    for size, f in rows:
        print(f"{size:<6}{f['triples']:>11,}{f['closure']:>11,}  {f['lines'] - f['start']:>13.2f}{f['load'] - f['lines']:>11.2f}"
              f"{f['reason'] - f['load']:>13.2f}  {f['load_s']:>7.1f}{f['reason_s']:>9.1f}")
    size, f = rows[-1]
    scale = 10_000_000 / f["triples"]
    steps = {"lines set": f["lines"] - f["start"], "load": f["load"] - f["lines"], "reason": f["reason"] - f["load"]}
    total = sum(steps.values()) * scale
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    print(f"10M, extrapolated linearly from {size}: " + ", ".join(f"{k} {v * scale:.1f} GiB" for k, v in steps.items())
          + f"; {total:.1f} GiB at once, before the store's own memory; this machine has {memory:.1f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
