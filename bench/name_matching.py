"""Time relgraph's fuzzy name matching (not a test).

    python bench/name_matching.py [--repeat 5]

Median wall-clock seconds over ``--repeat`` runs of: every name of the seed's entities against
every name of the fixture dataset (tests/fixtures/wikidata/dataset.ttl), scored by
``relgraph.link.names.similarity`` (rapidfuzz and unidecode) and by the difflib and NFKD folding it
replaced (kept here as the reference); how many pairs score differently on the 0-100 scale the
reports show; and a whole ``relgraph link`` reconciliation of the seed against the dataset.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from rdflib import Graph, Literal  # noqa: E402
from rdflib.namespace import RDFS, SKOS  # noqa: E402

from goldens import document_files  # noqa: E402
from project_copies import SEED  # noqa: E402
from relgraph import Catalogue, Project, inferred_for  # noqa: E402
from relgraph.link import link_project  # noqa: E402
from relgraph.link import names  # noqa: E402

DATASET = ROOT / "tests" / "fixtures" / "wikidata" / "dataset.ttl"


def old_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def old_similarity(a: str, b: str) -> float:
    fa, fb = old_fold(a), old_fold(b)
    if fa == fb:
        return 1.0
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def labels(graph: Graph) -> list[str]:
    return sorted({str(o) for p in (RDFS.label, SKOS.altLabel) for o in graph.objects(None, p) if isinstance(o, Literal)})


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    project = Project.discover(ROOT)
    loaded = project.load(data_files=document_files(project, SEED))
    inferred = inferred_for(project, loaded, Catalogue.load(project.queries_dir))
    ours = labels(loaded.asserted)
    theirs = labels(Graph().parse(DATASET))
    pairs = [(a, b) for a in ours for b in theirs]

    def run(similarity):
        return [similarity(a, b) for a, b in pairs]

    def fresh_new():
        names.fold.cache_clear()
        return run(names.similarity)

    old_time, old_scores = timed(lambda: run(old_similarity), args.repeat)
    new_time, new_scores = timed(fresh_new, args.repeat)
    differ = [(a, b, round(100 * o), round(100 * n)) for (a, b), o, n in zip(pairs, old_scores, new_scores) if round(100 * o) != round(100 * n)]
    link_time, _ = timed(lambda: link_project(loaded, inferred, against=str(DATASET), today=date(2026, 12, 1), method="bench"), args.repeat)
    print(f"pairs: {len(pairs)} ({len(ours)} x {len(theirs)} names)")
    print(f"difflib + NFKD (the reference): {old_time:.4f} s")
    print(f"names.similarity (current):     {new_time:.4f} s")
    print(f"pairs scored differently on 0-100: {len(differ)}")
    for a, b, o, n in differ[:10]:
        print(f"  {a!r} ~ {b!r}: {o} -> {n}")
    print(f"relgraph link of the seed against the fixture dataset: {link_time:.3f} s")


if __name__ == "__main__":
    main()
