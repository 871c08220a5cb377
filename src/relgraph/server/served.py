"""The graph a server answers from: the project's ontology, asserted and inferred graphs, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ..build import inferred_for, query_dataset
from ..project import Project
from ..queries import Catalogue
from ..vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, bind_prefixes

GRAPH_CONTEXT = URIRef("urn:relgraph:context")
"""Where a view of a store keeps what it read from any graph (never a graph of the store)."""


@dataclass(frozen=True)
class ServedGraph:
    """Everything a request may read; never changed after loading (workers share it by fork)."""

    project: Project
    dataset: Dataset
    """ontology + asserted + inferred as named graphs; the default graph is their union."""
    asserted: Graph
    inferred: Graph
    ontology: Graph
    catalogue: Catalogue
    languages: tuple[str, ...]
    """The language tags of the labels, sorted, English first."""


def load_served_graph(root: Path | str) -> ServedGraph:
    """Load the project at ``root`` with its inferences (from the cache when fresh).

    RelgraphError subclasses for a missing project or malformed files, as for the CLI.
    """
    project = Project.discover(root)
    loaded = project.load()
    catalogue = Catalogue.load(project.queries_dir)
    inferred = inferred_for(project, loaded, catalogue)
    dataset = query_dataset(loaded, inferred)
    return ServedGraph(
        project=project,
        dataset=dataset,
        asserted=loaded.asserted,
        inferred=inferred,
        ontology=loaded.ontology,
        catalogue=catalogue,
        languages=label_languages(dataset),
    )


def label_languages(graph: Graph) -> tuple[str, ...]:
    """The language tags of ``graph``'s labels, sorted, English first."""
    languages = {
        o.language
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for o in graph.objects(None, p)
        if isinstance(o, Literal) and o.language
    }
    return tuple(sorted(languages, key=lambda tag: (tag != "en", tag)))


def served_view(
    *, project: Project, catalogue: Catalogue, languages: tuple[str, ...],
    ontology: Graph, asserted: Graph, inferred: Graph, context: Graph | None = None,
) -> ServedGraph:
    """A ServedGraph over the given graphs (a part of a store's: see ``backend``); ``context``
    holds triples read from any graph, seen in the union only."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for name, graph in ((GRAPH_ONTOLOGY, ontology), (GRAPH_ASSERTED, asserted), (GRAPH_INFERRED, inferred),
                        (GRAPH_CONTEXT, context)):
        if graph is not None:
            target = dataset.graph(name)
            for triple in graph:
                target.add(triple)
    return ServedGraph(project=project, dataset=dataset, asserted=asserted, inferred=inferred, ontology=ontology,
                       catalogue=catalogue, languages=languages)
