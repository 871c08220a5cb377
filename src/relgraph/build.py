"""The release pipeline: load, reason, validate, and write the release only if all is well."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from .cache import cached_graph
from .export import context_document, serialize_dataset, serialize_graph, write_atomic
from .formats import rdf_format
from .project import LoadedProject, Project
from .queries import Catalogue
from .reason import ReasoningResult, reason
from .terms import short
from .validate import ValidationReport, validate
from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, RG, bind_prefixes

RELEASE_FILES = ("relgraph.ttl", "relgraph.nt", "relgraph.jsonld", "context.jsonld", "inferred.ttl", "relgraph.trig")
"""What a release holds: ontology + asserted facts (Turtle, N-Triples, JSON-LD and its
context), the inferred triples alone (Turtle), and all three named graphs (TriG)."""


def reason_project(loaded: LoadedProject, catalogue: Catalogue, *, engine: str = "owlrl") -> ReasoningResult:
    """Reason over the project's ontology and asserted data with its ``derive-*`` rules."""
    return reason(ontology=loaded.ontology, asserted=loaded.asserted, rules=catalogue.rules(), engine=engine)


def project_inputs(project: Project, catalogue: Catalogue) -> list[Path]:
    """The files the graph of ``project`` is made from: ontology, data and derive- rules."""
    return [*project.ontology_files, *project.data_files, *(rule.path for rule in catalogue.rules())]


def inferred_for(project: Project, loaded: LoadedProject, catalogue: Catalogue) -> Graph:
    """The inferred graph of ``project``, from the cache when its inputs have not changed."""
    return cached_graph(project.root, project_inputs(project, catalogue), lambda: reason_project(loaded, catalogue).inferred)


def query_dataset(loaded: LoadedProject, inferred: Graph) -> Dataset:
    """A Dataset with the ontology, asserted and inferred named graphs, queried as their union."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for name, graph in ((GRAPH_ONTOLOGY, loaded.ontology), (GRAPH_ASSERTED, loaded.asserted), (GRAPH_INFERRED, inferred)):
        target = dataset.graph(name)
        for triple in graph:
            target.add(triple)
    return dataset


@dataclass(frozen=True)
class BuildSummary:
    """What ``build`` found and wrote."""

    out_dir: Path
    written: tuple[Path, ...]
    """Files written (empty when the build failed its checks)."""
    asserted_triples: int
    inferred_triples: int
    reasoning: ReasoningResult
    validation: ValidationReport
    class_counts: tuple[tuple[str, int], ...]
    """Asserted members of each rg: class, as (prefixed name, count), sorted by name."""
    timings: tuple[tuple[str, float], ...]
    """Seconds per step: load, reason, validate, write."""

    @property
    def ok(self) -> bool:
        """True if the data conforms and is consistent (and so the release was written)."""
        return self.validation.conforms and self.reasoning.consistent


def build(project: Project, *, out_dir: Path, engine: str = "owlrl") -> BuildSummary:
    """Load, reason (with ``engine``: owlrl or reasonable) and validate ``project``; if
    consistent and conforming, write the release.

    Otherwise nothing is written and a previous release in ``out_dir`` stays as it was.
    Each file is written atomically.
    """
    timings = []
    started = time.perf_counter()
    loaded = project.load()
    catalogue = Catalogue.load(project.queries_dir)
    shapes = project.load_shapes()
    timings.append(("load", time.perf_counter() - started))
    reasoning = reason_project(loaded, catalogue, engine=engine)
    timings.append(("reason", reasoning.seconds))
    started = time.perf_counter()
    report = validate(data=loaded.asserted, ontology=loaded.ontology, shapes=shapes, stated_in_file=loaded.stated_in_file)
    timings.append(("validate", time.perf_counter() - started))
    written: tuple[Path, ...] = ()
    if report.conforms and reasoning.consistent:
        started = time.perf_counter()
        written = write_release(loaded, reasoning.inferred, out_dir=Path(out_dir))
        timings.append(("write", time.perf_counter() - started))
    # Count members, not type triples: a subject typed twice with one class counts once.
    counts = Counter(
        short(cls)
        for _s, cls in set(loaded.asserted.subject_objects(RDF.type))
        if str(cls).startswith(str(RG))
    )
    return BuildSummary(
        out_dir=Path(out_dir),
        written=written,
        asserted_triples=len(loaded.asserted),
        inferred_triples=reasoning.inferred_count,
        reasoning=reasoning,
        validation=report,
        class_counts=tuple(sorted(counts.items())),
        timings=tuple(timings),
    )


def write_release(loaded: LoadedProject, inferred: Graph, *, out_dir: Path) -> tuple[Path, ...]:
    """Write :data:`RELEASE_FILES` into ``out_dir`` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stated = loaded.ontology + loaded.asserted
    contents = {
        "relgraph.ttl": serialize_graph(stated, format="turtle"),
        "relgraph.nt": serialize_graph(stated, format="nt"),
        "relgraph.jsonld": serialize_graph(stated, format="jsonld"),
        "context.jsonld": context_document(),
        "inferred.ttl": serialize_graph(inferred, format="turtle"),
        "relgraph.trig": serialize_dataset(
            {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: inferred},
            format="trig",
        ),
    }
    # Everything is serialized before the first write, so a serializer failure writes nothing.
    paths = []
    for name in RELEASE_FILES:
        write_atomic(out_dir / name, contents[name])
        paths.append(out_dir / name)
    return tuple(paths)


def export_project(loaded: LoadedProject, *, format: str, inferred: Graph | None = None) -> bytes:
    """The ontology and asserted data (and ``inferred``, if given) in ``format``, deterministic.

    Dataset formats (trig, nquads) keep the named graphs apart; the others merge them.
    """
    fmt = rdf_format(format)
    graphs = {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted}
    if inferred is not None:
        graphs[GRAPH_INFERRED] = inferred
    if fmt.datasets:
        return serialize_dataset(graphs, format=fmt)
    merged = Graph()
    for graph in graphs.values():
        merged += graph
    return serialize_graph(merged, format=fmt)
