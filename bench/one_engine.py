"""Every ratio of issue 9 in one command (not a test):

    python bench/one_engine.py [--repeat 5] [--requests 1500] [--scale-work DIR] [--parts query,serve,scale]

1. ``relgraph query NAME`` (whole process, the project's cached store) against the ``oxigraph
   query`` CLI on the same data and query, for every stored query; then ``relgraph validate``
   and ``relgraph build`` against the raw-engine floor of a build (``bench/query.py``);
2. ``relgraph serve`` (reply cache off, 16 clients, the stored queries round robin) against
   Oxigraph server (``bench/load.py``);
3. with ``--scale-work DIR``: every stored query on the default store of a 1M-triple synthetic
   world (``bench/query_scale.py``; the world and its store are made in DIR once, ~10 minutes,
   and reused after).

``--parts`` runs only the parts named (``query``, ``serve``, ``scale``; all by default; ``scale``
still needs ``--scale-work``). Each part's own output is printed as it runs; the summary table at the end sets each figure
beside its target. The parts run one after another, never at once; on a machine shared with
other work the figures are only as good as its load (``uptime`` is printed before and after).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PARTS = ("query", "serve", "scale")


def run(args: list[str]) -> str:
    """Run a part, echoing its output; its stdout."""
    print(f"\n$ {' '.join(args)}", flush=True)
    env = os.environ | {"PYTHONPATH": str(ROOT / "src")}
    process = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    sys.stdout.write(process.stdout)
    if process.returncode:
        sys.stdout.write(process.stderr[-2000:])
        raise SystemExit(f"failed ({process.returncode}): {' '.join(args)}")
    return process.stdout


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--scale-work", type=Path, default=None)
    parser.add_argument("--parts", default=",".join(PARTS), metavar="PARTS",
                        help=f"the parts to run, comma-separated, of {', '.join(PARTS)} [all]")
    options = parser.parse_args()
    parts = {p.strip() for p in options.parts.split(",") if p.strip()}
    if not parts or parts - set(PARTS):
        parser.error(f"--parts: give some of {', '.join(PARTS)}, comma-separated")
    sys.path.insert(0, str(ROOT / "src"))
    from relgraph.queries import Catalogue

    names = [q.name for q in Catalogue.load(ROOT / "queries").list() if not q.is_rule]
    before = load_average()
    rows: list[tuple[str, str, str]] = []

    if "query" in parts:
        query_part(options, names, rows)
    if "serve" in parts:
        serve_part(options, rows)
    if "scale" in parts and options.scale_work is not None:
        scale_part(options, rows)

    width = max(len(r[0]) for r in rows) if rows else 10
    print(f"\nissue 9, one run (load average before: {before}; after: {load_average()})")
    print(f"| {'what'.ljust(width)} | figure | target |\n|{'-' * (width + 2)}|---|---|")
    for what, figure, target in rows:
        print(f"| {what.ljust(width)} | {figure} | {target} |")
    return 0


def query_part(options, names: list[str], rows: list[tuple[str, str, str]]) -> None:
    out = run([str(BENCH / "query.py"), "--repeat", str(options.repeat), "--queries", ",".join(names)])
    ratios = [float(m.group(1)) for m in re.finditer(r"^[a-z-]+\s+\d+\s+\d+\s+([\d.]+)x", out, re.MULTILINE)]
    if ratios:
        rows.append(("relgraph query / oxigraph query CLI (median over the stored queries)",
                     f"{statistics.median(ratios):.1f}x (worst {max(ratios):.1f}x)", "<= 5x"))
    floor = re.search(r"floor: raw engines ([\d.]+) s", out)
    for name, target in (("validate", "< 1 s"), ("build", "<= 10x floor"), ("build (an input changed)", "<= 10x floor")):
        found = re.search(rf"^{re.escape(name)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)x", out, re.MULTILINE)
        if found:
            figure = f"{found[1]} s" + (f", {found[3]}x floor ({floor[1]} s)" if floor and name.startswith("build") else "")
            rows.append((f"relgraph {name}", figure, target))


def serve_part(options, rows: list[tuple[str, str, str]]) -> None:
    out = run([str(BENCH / "load.py"), "--requests", str(options.requests), "--clients", "16"])
    served = {m[1].strip(): m for m in re.finditer(r"^(\S.*?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$", out, re.MULTILINE)}
    for found in re.finditer(r"^(relgraph[^\n/]*) / oxigraph: throughput ([\d.]+)x, p50 ([\d.]+)x, p99 ([\d.]+)x", out, re.MULTILINE):
        name, base = found[1].strip(), served.get("oxigraph")
        mine = served.get(name)
        figures = f" ({mine[3]} / {mine[4]} ms against {base[3]} / {base[4]} ms; {mine[5]} errors)" if mine and base else ""
        rows.append((f"serve ({name}) / Oxigraph server", f"p50 {found[3]}x, p99 {found[4]}x{figures}", "<= 1.5x (no cache)"))


def scale_part(options, rows: list[tuple[str, str, str]]) -> None:
    out = run([str(BENCH / "query_scale.py"), "--size", "1M", "--work", str(options.scale_work)])
    medians = {m[1]: float(m[2]) for m in re.finditer(r"^([a-z-]+)\s+([\d.]+)\s+[\d.]+\s+-?\d+$", out, re.MULTILINE)}
    if medians:
        over = [f"{n} {v:.0f} ms" for n, v in medians.items() if v >= 100]
        rows.append(("stored queries at 1M triples, default store (median)",
                     f"max {max(medians.values()):.0f} ms" + (f"; over: {', '.join(over)}" if over else ""), "< 100 ms each"))


if __name__ == "__main__":
    sys.exit(main())
