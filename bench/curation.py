"""Time the curation path on a copy of the project (not a test).

    python bench/curation.py [--repeat 5]

In-process library calls, median and spread of wall-clock seconds over ``--repeat`` runs:
loading the project (which generates every document's sentences from its text), generating the
seed's sentences alone, and, on the test article ``tests/fixtures/curation/article.txt`` with its
hand-written draft, ``new``, ``review`` and ``accept --all``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from relgraph.curation.accept import accept  # noqa: E402
from relgraph.curation.review import review  # noqa: E402
from relgraph.curation.scaffold import new_document  # noqa: E402
from relgraph.curation.sentences import sentence_graph  # noqa: E402
from relgraph.project import Project  # noqa: E402
from relgraph.vocab import RGD  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "curation"
SLUG = "estonia-portugal-relations"


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    seed_text = (ROOT / "data" / "japan-latvia-relations" / "source.txt").read_text(encoding="utf-8")
    times: dict[str, list[float]] = {}
    for _ in range(options.repeat):
        work = Path(tempfile.mkdtemp(prefix="relgraph-bench-curation-"))
        for part in ("ontology", "data", "queries"):
            shutil.copytree(ROOT / part, work / part)
        project = Project.discover(work)
        runs = {
            "load the project (sentences generated)": lambda: project.load(),
            "generate the seed's sentences": lambda: sentence_graph(RGD["japan-latvia-relations"], seed_text),
            "new": lambda: new_document(work / "data", SLUG, text_file=FIXTURES / "article.txt",
                                        title="Estonia–Portugal relations", url="https://example.org/ep"),
            "review (with the draft)": lambda: (shutil.copy(FIXTURES / "draft.ttl", work / "data" / SLUG / "draft.ttl"),
                                                review(Project.discover(work).load(), SLUG)),
            "accept --all": lambda: accept(Project.discover(work), SLUG, all_=True),
        }
        for name, run in runs.items():
            times.setdefault(name, []).append(timed(run))
        shutil.rmtree(work)
    width = max(len(n) for n in times)
    print(f"{'step'.ljust(width)}  median s  min s  max s  (n={options.repeat})")
    for name, values in times.items():
        print(f"{name.ljust(width)}  {statistics.median(values):8.3f}  {min(values):5.3f}  {max(values):5.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
