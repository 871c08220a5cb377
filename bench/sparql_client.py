"""The ``sparql:URL`` store's client, timed (not a test):

    python bench/sparql_client.py [--repeat 30]

Starts a local Oxigraph server (as tests/oxigraph_fixtures.py does), loads the seed document's
three graphs into it through the store (Graph Store Protocol; then again through SPARQL Update),
and runs every stored query with its golden parameters ``--repeat`` times through
``relgraph.stores.sparql``; prints the median wall time per query, and the median of those.
Run it before and after a change of the client on the same machine: the figures are only as
good as its load (``uptime`` is printed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from goldens import document_files, params_for  # noqa: E402
from oxigraph_fixtures import serve_oxigraph  # noqa: E402
from relgraph.build import inferred_for  # noqa: E402
from relgraph.project import Project  # noqa: E402
from relgraph.queries import Catalogue  # noqa: E402
from relgraph.stores import open_store  # noqa: E402
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY  # noqa: E402

SEED = "japan-latvia-relations"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    project = Project.discover(ROOT)
    catalogue = Catalogue.load(ROOT / "queries")
    loaded = project.load(data_files=document_files(project, SEED))
    graphs = {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted,
              GRAPH_INFERRED: inferred_for(project, loaded, catalogue)}
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as work, serve_oxigraph(Path(work) / "db") as url:
        store = open_store(f"sparql:{url}")
        started = time.perf_counter()
        store.replace(graphs, digest="bench")
        print(f"load through the Graph Store Protocol: {1000 * (time.perf_counter() - started):.1f} ms")
        by_update = open_store(f"sparql:{url}?update={url.rsplit('/', 1)[0]}/update")
        started = time.perf_counter()
        by_update.replace(graphs, digest="bench")
        print(f"load through SPARQL Update: {1000 * (time.perf_counter() - started):.1f} ms")
        medians = {}
        for name in catalogue.names():
            query, params = catalogue.get(name), params_for(SEED, name)
            store.query(query, params=params)  # the first run warms the server's caches
            times = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                store.query(query, params=params)
                times.append(time.perf_counter() - started)
            medians[name] = statistics.median(times)
        store.close()
    width = max(map(len, medians))
    for name, median in medians.items():
        print(f"{name:<{width}}  {1000 * median:8.2f} ms")
    print(f"{'median of the medians':<{width}}  {1000 * statistics.median(medians.values()):8.2f} ms")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
