"""Every stored query on the default store (embedded Oxigraph) of a synthetic world: median
milliseconds per query, answered as ``relgraph query`` answers (``stores.answers``: the store's
own parser, parameters bound by the engine, the rows written as CSV). Not a test.

    python bench/query_scale.py --size 1M [--work DIR] [--repeat 15]

The world (relgraph.synth's, seed 1) and its store (bulk-loaded, reasoned in the store by
``reasonable``, as ``relgraph build`` and the cached store of ``relgraph query`` are) are made
once in ``--work`` and kept there: a second run with the same ``--work`` only times the queries
(of this checkout's queries/, read anew each run). The parameters are a pair of the world
(``state-00000``, ``state-00001``), its first document and a fact of it.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def make_store(world: Path, folder: Path, *, size: int) -> None:
    """The world's store in ``folder``: the ontology and the world loaded, reasoned in the store."""
    from relgraph.project import Project
    from relgraph.queries import Catalogue
    from relgraph.reasoning.in_store import reason_in_store
    from relgraph.stores import open_store
    from relgraph.synth import Template, states_for, write_world
    from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

    project = Project.discover(ROOT)
    if not world.is_file():
        template = Template.from_project(ROOT)
        started = time.perf_counter()
        written = write_world(world, states=states_for(size, template=template), seed=1, template=template)
        print(f"synth: {written.triples:,} triples in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    store = open_store(f"oxigraph:{folder}")
    started = time.perf_counter()
    from rdflib import Graph

    store.replace({GRAPH_ONTOLOGY: project.ontology_files[0], GRAPH_ASSERTED: world, GRAPH_INFERRED: Graph()}, digest="bench")
    print(f"load: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    started = time.perf_counter()
    reason_in_store(store, rules=Catalogue.load(project.queries_dir).rules(), engine="reasonable", digest="bench")
    print(f"reason: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    store.close()


def parameters(store, query) -> dict[str, str]:
    """The values of a query's parameters in the synthetic world."""
    import pyoxigraph as ox

    def first(text: str) -> str:
        return next(iter(store.query(text, prefixes={"rg": "https://w3id.org/relgraph/ontology#", "oa": "http://www.w3.org/ns/oa#"},
                                     use_default_graph_as_union=True)))[0].value

    values = {"stateA": "state-00000", "stateB": "state-00001", "donor": "state-00000", "recipientState": "state-00001"}
    if any(p.name == "fact" for p in query.params):
        values["fact"] = "<" + first("SELECT ?f WHERE { ?f rg:statedIn ?s ; a rg:Visit } ORDER BY ?f LIMIT 1") + ">"
    if any(p.name == "document" for p in query.params):
        values["document"] = "<" + first(
            "SELECT ?d WHERE { ?f a rg:Visit ; rg:statedIn ?s . ?s oa:hasSource ?d } ORDER BY ?d LIMIT 1") + ">"
    del ox
    return {p.name: values[p.name] for p in query.params if p.name in values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1M", choices=sorted(SIZES))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--work", type=Path, default=None, help="folder of the world and its store [temporary]")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="relgraph-bench-qs-"))
    world, folder = work / "world" / "world.nt", work / f"store-{options.size}"
    if not (folder / "CURRENT").is_file():
        make_store(world, folder, size=SIZES[options.size])
    import pyoxigraph as ox

    from relgraph.queries import Catalogue
    from relgraph.stores.answers import answer

    store = ox.Store.read_only(str(folder))
    catalogue = Catalogue.load(ROOT / "queries")
    print(f"{'query':<36}{'median ms':>10}{'max ms':>9}{'rows':>8}")
    slow = []
    for query in catalogue.list():
        if query.is_rule:
            continue
        params = parameters(store, query)
        result = answer(store, query, params, format="csv")  # the first run parses and warms
        samples = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            answer(store, query, params, format="csv")
            samples.append((time.perf_counter() - started) * 1000)
        median = statistics.median(samples)
        rows = result.count(b"\n") - 1 if result is not None else -1
        print(f"{query.name:<36}{median:>10.1f}{max(samples):>9.1f}{rows:>8}")
        if median >= 100:
            slow.append(query.name)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB; "
          f"{'all under 100 ms' if not slow else 'over 100 ms: ' + ', '.join(slow)}")


if __name__ == "__main__":
    main()
