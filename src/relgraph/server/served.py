"""The graph a server answers from: the project's ontology, asserted and inferred graphs, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import RDFS, SKOS

from ..build import inferred_for, query_dataset
from ..project import Project
from ..queries import Catalogue


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
    languages = {
        o.language
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel)
        for o in dataset.objects(None, p)
        if isinstance(o, Literal) and o.language
    }
    return ServedGraph(
        project=project,
        dataset=dataset,
        asserted=loaded.asserted,
        inferred=inferred,
        ontology=loaded.ontology,
        catalogue=catalogue,
        languages=tuple(sorted(languages, key=lambda tag: (tag != "en", tag))),
    )
