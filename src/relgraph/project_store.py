"""A project's graphs in a chosen store, loaded only when the project's inputs have changed.

``memory`` is relgraph's in-process rdflib Dataset; ``oxigraph:PATH`` and ``sparql:URL`` keep the
graphs where a later command (or another program) finds them again: see ``stores/README.md``.
"""

from __future__ import annotations

from .build import inferred_for, load_into_store, project_inputs
from .cache import input_digest
from .progress import SILENT, Progress
from .project import Project
from .queries import Catalogue
from .store_reasoning import reason_in_store
from .stores import Store, open_store
from .vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY


def open_project_store(project: Project, spec: str, *, progress: Progress = SILENT) -> Store:
    """The store ``spec`` holding ``project``'s ontology, asserted and inferred graphs.

    The store records the digest of the inputs it was loaded from; when that digest is the
    current one (and the last load finished) nothing is loaded again. An Oxigraph store is
    loaded from the files by its bulk loader and reasoned in place
    (:func:`relgraph.build.load_into_store`, :func:`relgraph.store_reasoning.reason_in_store`);
    other stores get the graphs from rdflib, the inferred one from the cache. StoreError if
    the store cannot be opened or loaded.
    """
    catalogue = Catalogue.load(project.queries_dir)
    digest = input_digest(project_inputs(project, catalogue))
    store = open_store(spec)
    if store.complete and store.digest == digest:
        return store
    from .stores.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        # any size: bulk-loaded and reasoned in the store (reasonable completed, owlrl's answer:
        # tests/test_store_reasoning_scale.py); the digest is recorded once all is in
        load_into_store(project, store, progress=progress)
        reason_in_store(store, rules=catalogue.rules(), engine="reasonable", digest=digest, progress=progress)
        return store
    loaded = project.load()
    inferred = inferred_for(project, loaded, catalogue)
    store.replace(
        {GRAPH_ONTOLOGY: loaded.ontology, GRAPH_ASSERTED: loaded.asserted, GRAPH_INFERRED: inferred},
        digest=digest,
        progress=progress,
    )
    return store

