"""Where the server reads from: the project's graph in the server's memory, or a store.

Both backends answer the same questions, so the handlers and tasks do not know which one runs:

* :class:`MemoryBackend` (``--store memory``): the whole graph is loaded into the server
  process (rdflib) and shared with the forked workers.
* :class:`StoreBackend` (by default the project's own Oxigraph store in ``.relgraph-cache/``,
  as ``relgraph query`` reads it; or ``--store oxigraph:PATH`` or ``sparql:URL``): queries run in the store;
  a page and the timeline read small views of it (``relgraph.store_views``); the search and
  the reconciliation index hold only the labels and the reconcilable entities. Each worker
  opens the store itself after the fork (an ``oxigraph:`` store read-only, so that any number
  of workers share it), while the server holds the store so that nothing writes it meanwhile.
"""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph, URIRef

from ..link.mapping import WikidataMapping
from ..link.service import EntityIndex
from ..pairs import Document, documents, pair_facts, pairs
from ..progress import SILENT, Progress
from ..project import Project
from ..project_store import cached_store, hold_store, open_project_store
from ..queries import Catalogue, StoredQuery, prepare
from ..results import QueryResult, run_query
from ..store_views import dated_graph, entity_graph, is_known, label_graph, resource_graphs
from ..stores import GRAPHS, Store, open_store, parse_spec
from ..vocab import GRAPH_ASSERTED, GRAPH_ONTOLOGY, PREFIXES, bind_prefixes
from .linked_data import ONTOLOGY
from .linked_data import is_known as is_known_in
from .served import ServedGraph, label_languages, load_served_graph, served_view


class MemoryBackend:
    """The project's graph, loaded into the process (from the cache when fresh)."""

    spec = "memory"

    def __init__(self, graph: ServedGraph) -> None:
        self.graph = graph
        self.project = graph.project
        self.catalogue = graph.catalogue
        self.languages = graph.languages
        self._entities: EntityIndex | None = None
        self._prepared: dict[StoredQuery, object] = {}

    @classmethod
    def load(cls, root: Path | str) -> MemoryBackend:
        return cls(load_served_graph(root))

    def query(self, query: StoredQuery, params) -> QueryResult:
        return run_query(query, self.graph.dataset, params=params, prepared=self._prepared.get(query))

    def solutions(self, query: StoredQuery, params) -> None:
        """No fast path here: rdflib answers (see :meth:`StoreBackend.solutions`)."""
        return None

    def prepare(self) -> None:
        """Parse the stored queries now, before the workers fork: each would otherwise parse
        each query again (rdflib's parser takes 10-120 ms a query)."""
        self._prepared = {q: prepare(q) for q in self.catalogue.list() if not q.is_rule}

    def resource(self, iri: URIRef) -> ServedGraph | None:
        """A graph to show ``iri`` from, or None if nothing is known about it."""
        return self.graph if is_known_in(self.graph, iri) else None

    def dated(self) -> ServedGraph:
        return self.graph

    def _select(self, text: str, bindings):
        answer = self.graph.dataset.query(text, initNs=PREFIXES, initBindings=dict(bindings))
        variables = tuple(str(v) for v in answer.vars)
        return variables, [tuple(row[v] if v in row.labels else None for v in variables) for row in answer]

    def documents(self) -> tuple[Document, ...]:
        """The source documents and the pairs of states each is about."""
        return documents(self._select)

    def pairs(self) -> tuple[tuple[URIRef, URIRef], ...]:
        """The pairs of states with a diplomatic relation."""
        return pairs(self._select)

    def pair_facts(self, a: URIRef, b: URIRef) -> frozenset:
        """The facts of the pair ``a``, ``b`` (see relgraph.pairs)."""
        return pair_facts(self._select, a, b)

    def labels(self) -> ServedGraph:
        return self.graph

    def sizes(self) -> tuple[int, dict[URIRef, int]]:
        """The triples of the default (union) graph and of each named graph."""
        parts = {GRAPHS[0]: len(self.graph.ontology), GRAPHS[1]: len(self.graph.asserted), GRAPHS[2]: len(self.graph.inferred)}
        return len(self.graph.dataset), parts

    def entity_index(self) -> EntityIndex:
        """The reconcilable entities (made once: before the fork, the workers share it)."""
        if self._entities is None:
            self._entities = EntityIndex.from_graphs(ontology=self.graph.ontology, data=self.graph.asserted)
        return self._entities

    def close(self) -> None:
        """Nothing to let go of: the graph is the process's own."""


class StoreBackend:
    """The project's graphs in a store (loaded there first when the project's inputs changed).

    ``cached``: the store is the project's own, complete and never written again
    (``project_store.cached_store``): it is opened read-only, nothing is loaded, and the
    server holds it (``project_store.hold_store``) so that no command removes it meanwhile;
    any number of servers may read it at once.
    """

    def __init__(self, root: Path | str, spec: str, *, progress: Progress = SILENT, cached: bool = False) -> None:
        self.project = Project.discover(root)
        self.catalogue = Catalogue.load(self.project.queries_dir)
        self.spec = spec
        self._hold: int | None = None
        if cached:
            self._hold = hold_store(Path(parse_spec(spec).location))
            store = open_store(spec, read_only=True)
        else:
            store = open_project_store(self.project, spec, progress=progress)
        try:
            self._ontology = store.graph(GRAPH_ONTOLOGY)
            labels = label_graph(store)
            self.languages = label_languages(labels)
            self._labels = self._view(asserted=labels)
            self._sizes = (
                int(store.sparql("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows[0][0]),
                {name: store.count(name) for name in GRAPHS},
            )
            reconcilable = WikidataMapping.from_ontology(self._ontology).reconcilable
            self._entities = EntityIndex.from_graphs(
                ontology=self._ontology, data=entity_graph(store, reconcilable, graphs=(GRAPH_ASSERTED,))
            )
            if not cached:
                store.flush()  # all on disk before the workers open it read-only
        except BaseException:
            store.close()
            self._release_hold()
            raise
        # The server keeps its handle (for an oxigraph: store, RocksDB's lock) while it runs, so
        # no other relgraph writes the store under the workers' read-only handles; those open
        # lazily in each worker after the fork.
        self._held: Store | None = store
        self._store: Store | None = store
        self._pid: int | None = os.getpid()

    def _open(self) -> Store:
        """This process's handle on the store (a forked worker opens its own)."""
        if self._store is None or self._pid != os.getpid():
            self._store = open_store(self.spec, read_only=True)
            self._pid = os.getpid()
        return self._store

    def close(self) -> None:
        """Let go of the store (when the server stops)."""
        if self._held is not None and self._pid == os.getpid():
            self._held.close()
        self._held = self._store = None
        self._release_hold()

    def _release_hold(self) -> None:
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None

    def _view(self, *, asserted: Graph, ontology: Graph | None = None, inferred: Graph | None = None,
              context: Graph | None = None) -> ServedGraph:
        return served_view(
            project=self.project, catalogue=self.catalogue, languages=getattr(self, "languages", ()),
            ontology=ontology if ontology is not None else _empty(), asserted=asserted,
            inferred=inferred if inferred is not None else _empty(), context=context,
        )

    def query(self, query: StoredQuery, params) -> QueryResult:
        return self._open().query(query, params=params)

    def solutions(self, query: StoredQuery, params):
        """The store's fast path for a stored query (``Store.solutions``), or None."""
        return self._open().solutions(query, params=params)

    def prepare(self) -> None:
        """Nothing to parse before the fork: the store parses its queries itself."""

    def in_worker(self) -> None:
        """Open this worker's handle on the store (called once right after the fork)."""
        self._open()

    def resource(self, iri: URIRef) -> ServedGraph | None:
        if iri == ONTOLOGY:
            return self._view(asserted=_empty(), ontology=self._ontology)
        store = self._open()
        if not is_known(store, iri):
            return None
        own, context = resource_graphs(store, iri)
        ontology, asserted, inferred = (own[name] for name in GRAPHS)
        return self._view(ontology=ontology, asserted=asserted, inferred=inferred, context=context)

    def dated(self) -> ServedGraph:
        return self._view(asserted=dated_graph(self._open()))

    def _select(self, text: str, bindings):
        answer = self._open().sparql(text, bindings=bindings)
        return answer.variables, answer.rows

    def documents(self) -> tuple[Document, ...]:
        return documents(self._select)

    def pairs(self) -> tuple[tuple[URIRef, URIRef], ...]:
        return pairs(self._select)

    def pair_facts(self, a: URIRef, b: URIRef) -> frozenset:
        return pair_facts(self._select, a, b)

    def labels(self) -> ServedGraph:
        return self._labels

    def sizes(self) -> tuple[int, dict[URIRef, int]]:
        return self._sizes[0], dict(self._sizes[1])

    def entity_index(self) -> EntityIndex:
        return self._entities


def _empty() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    return graph


def open_backend(root: Path | str, spec: str | None = None, *,
                 progress: Progress = SILENT) -> MemoryBackend | StoreBackend:
    """The backend for ``spec`` (``memory``, ``oxigraph:PATH`` or ``sparql:URL``), by default
    (None) the project's own Oxigraph store in its cache folder, as ``relgraph query`` reads
    it (made when missing: the project's inputs changed), or memory when the cache folder
    cannot hold one (a read-only checkout). RelgraphError subclasses if the project or the
    store does not load."""
    if spec is None:
        path = cached_store(Project.discover(root), progress=progress)
        if path is None:
            return MemoryBackend.load(root)
        return StoreBackend(root, f"oxigraph:{path.resolve()}", progress=progress, cached=True)
    return MemoryBackend.load(root) if spec == "memory" else StoreBackend(root, spec, progress=progress)
