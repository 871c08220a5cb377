"""Time the core commands on the project, as a user runs them (not a test).

    python bench/core.py [--repeat 5]

Runs each command as a subprocess of the installed `relgraph`, several times, and prints the
median and the spread of wall-clock seconds, with the triple counts of the graph. `query (cold)`
clears the inferred-graph cache first, so it includes reasoning; `query (cached)` does not.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str], *, before=None) -> float:
    if before:
        before()
    started = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    out = Path(tempfile.mkdtemp(prefix="relgraph-bench-"))
    clear_cache = lambda: shutil.rmtree(ROOT / ".relgraph-cache", ignore_errors=True)  # noqa: E731
    cases = {
        "build": (["relgraph", "build", "--out", str(out)], None),
        "validate": (["relgraph", "validate"], None),
        "query visits (cold)": (["relgraph", "query", "visits"], clear_cache),
        "query visits (cached)": (["relgraph", "query", "visits"], None),
        "coverage": (["relgraph", "coverage"], None),
        "export --with-inferred": (["relgraph", "export", "--with-inferred", "-o", str(out / "all.ttl")], None),
    }
    summary = subprocess.run(["relgraph", "build", "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
    print(summary.stdout.split("classes:")[0].strip())
    print(f"{'command':<26} {'median s':>9} {'min s':>7} {'max s':>7}   (n={options.repeat})")
    for name, (args, before) in cases.items():
        runs = [timed(args, before=before) for _ in range(options.repeat)]
        print(f"{name:<26} {statistics.median(runs):>9.2f} {min(runs):>7.2f} {max(runs):>7.2f}")
    shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
