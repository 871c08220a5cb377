"""The ``oxigraph:PATH`` store: an embedded, persistent pyoxigraph Store on disk.

Loads go through Oxigraph's bulk loader (its own parser, no rdflib on the way for files).
Query parameters are pyoxigraph ``substitutions`` where it allows them (variables a SELECT
projects): the variable is replaced by the term before evaluation, as rdflib's
``initBindings`` do. The others go in a VALUES block at the start of the WHERE group
(:func:`relgraph.stores.base.bind_values`), built from parsed terms, never from user text.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..export import write_atomic
from ..formats import rdf_format, rdf_format_for_suffix
from ..progress import SILENT, Progress
from ..queries import StoredQuery
from ..results import QueryResult, canonical_decimal
from ..vocab import GRAPH_INFERRED, PREFIXES, RGD, bind_prefixes
from .base import (
    GRAPH_STORE,
    GRAPHS,
    STORE_DIGEST,
    STORE_NODE,
    STORE_STATE,
    GraphSource,
    Store,
    StoreError,
    StoreQueryError,
    bind_values,
    query_form,
)
from .answers import union_of_graphs
from .convert import nt_lines, to_oxigraph, to_rdflib

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "xml": ox.RdfFormat.RDF_XML,
}
"""relgraph's format names (formats.RDF_FORMATS) to pyoxigraph's."""

_PREFIXES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_UNION = [ox.NamedNode(str(name)) for name in GRAPHS]
STATE_FILE = "relgraph-store.json"
"""The file in an Oxigraph store's folder that says whether its last load finished, and the
digest of its inputs (RocksDB leaves files it does not know alone)."""
_INFERRED = ox.NamedNode(str(GRAPH_INFERRED))
_CHUNK = 200_000
"""Triples per bulk-load call when loading an rdflib Graph (a progress step each)."""
_SMALL = 50_000
"""Graphs smaller than this are loaded in one transaction instead of by the bulk loader."""
_SMALL_FILE = 4_000_000
"""Bytes under which a data file is loaded in one transaction, not by the bulk loader (which
writes files of its own: flushing them and compacting after costs a project's build half a second)."""


class OxigraphStore(Store):
    """A pyoxigraph Store in the directory ``path`` (created if missing)."""

    bulk_loads = True
    reads_beside_writes = True  # its queries see a snapshot
    supports_dataset_arguments = True

    def __init__(self, path: Path | str, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.spec = f"oxigraph:{path}"
        self.read_only = read_only
        self._bulk_loaded = False  # since the last compact()
        try:
            if read_only:  # no lock: any number of readers (the server's workers); pyoxigraph leaves
                # undefined what they see if another process writes meanwhile: the server holds the writer
                if not self.path.is_dir():
                    raise StoreError(f"cannot open store {self.spec}: no such directory")
                self._handle: ox.Store | None = ox.Store.read_only(str(self.path))
            else:
                self._handle = ox.Store(str(self.path))
        except (OSError, RuntimeError) as error:  # RuntimeError: pyoxigraph's word for a damaged store
            raise StoreError(f"cannot open store {self.spec}: {error}") from None
        if not read_only:
            self._adopt_bookkeeping_quads()

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph Store (for relgraph's own fast paths: reasoning, validation)."""
        return self._store

    def _meta(self) -> dict:
        """The store's state (``loading`` or ``complete``) and the digest of its inputs, kept in
        :data:`STATE_FILE` beside Oxigraph's own files, not as quads: the queries can then take
        Oxigraph's own union default graph, which holds every quad of the store. A state file
        that cannot be read marks the store loading: never taken for a complete one."""
        try:
            found = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {"state": "loading"}
        return found if isinstance(found, dict) else {"state": "loading"}

    def _set_meta(self, *, state: str, digest: str | None) -> None:
        # written whole, then renamed into place: a reader sees the old state or the new one
        write_atomic(self.path / STATE_FILE, (json.dumps({"digest": digest, "state": state}, sort_keys=True) + "\n").encode())

    def _adopt_bookkeeping_quads(self) -> None:
        """A store written by an earlier relgraph kept its state as quads in GRAPH_STORE: moved
        to the state file, so the union default graph holds relgraph's graphs alone."""
        graph = ox.NamedNode(str(GRAPH_STORE))
        marks = {quad.predicate.value: quad.object.value for quad in self._store.quads_for_pattern(None, None, None, graph)}
        if not marks:
            return
        if not (self.path / STATE_FILE).exists():
            self._set_meta(state=marks.get(str(STORE_STATE), "complete"), digest=marks.get(str(STORE_DIGEST)))
        self._store.update(f"DROP SILENT GRAPH <{GRAPH_STORE}>")

    @property
    def complete(self) -> bool:
        # A store that was never loaded is complete (and empty).
        return self._meta().get("state") in (None, "complete")

    @property
    def digest(self) -> str | None:
        meta = self._meta()
        return meta.get("digest") if meta.get("state") == "complete" else None

    def replace(
        self,
        graphs: Mapping[URIRef, GraphSource],
        *,
        digest: str | None = None,
        progress: Progress = SILENT,
        complete: bool = True,
    ) -> None:
        """As :meth:`Store.replace`; with ``complete=False`` the store stays marked loading
        after it (reasoning marks it complete only once its last round is in, so that a
        reasoning cut short is never taken for a finished store by another reader)."""
        self._check_replace(graphs)
        self._set_meta(state="loading", digest=None)
        # The bulk loader writes files of its own: the "loading" mark must be on disk first.
        if any(_bulk(s) for s in graphs.values()):
            self._store.flush()
        sizes = {name: (len(s) if isinstance(s, Graph) else Path(s).stat().st_size) for name, s in graphs.items()}
        with progress.task(f"load {self.spec}", total=sum(sizes.values())) as task:
            for name in GRAPHS:
                if name not in graphs:
                    continue
                target = ox.NamedNode(str(name))
                self._store.clear_graph(target)
                source = graphs[name]
                # An rdflib Graph's blank nodes keep their labels (parsed quads keep them; the
                # loaders would give each call new ones): a blank node the graphs share, or one
                # of this store's read back by graph(), stays one node.
                if isinstance(source, Graph) and len(source) < _SMALL:
                    # one transaction in memory; the bulk loader writes files, slow for little data
                    self._store.extend(_quads("".join(nt_lines(source)), target))
                    task.advance(len(source))
                elif isinstance(source, Graph):
                    lines = nt_lines(source)
                    while chunk := "".join(line for _, line in zip(range(_CHUNK), lines)):
                        self._store.bulk_extend(_quads(chunk, target))
                        task.advance(chunk.count("\n"))
                    self._bulk_loaded = True
                else:
                    self._load_file(Path(source), target)
                    task.advance(sizes[name])
        if complete:
            self._set_meta(state="complete", digest=digest)

    def record_digest(self, digest: str | None) -> None:
        """Mark the store complete, loaded from inputs of ``digest`` (once everything is in)."""
        self._set_meta(state="complete", digest=digest)

    def append(self, name: URIRef, source: Path, *, digest: str | None = None, complete: bool = True) -> None:
        """Add the triples of the file ``source`` to the graph ``name`` (bulk loader); the
        store is marked loading meanwhile (and after, with ``complete=False``), as in :meth:`replace`.
        With ``complete=False`` it goes on with a load in progress (the store may be marked loading)."""
        if complete:
            self._check_replace({name: source})
        elif name not in GRAPHS:
            raise ValueError(f"not a graph of a relgraph store: {name}")
        self._set_meta(state="loading", digest=None)
        if _bulk(source):
            self._store.flush()
        self._load_file(Path(source), ox.NamedNode(str(name)))
        if complete:
            self._set_meta(state="complete", digest=digest)

    def _load_file(self, source: Path, target: ox.NamedNode) -> None:
        """The triples of ``source`` into the graph ``target``: by the bulk loader for a large
        file, in one transaction for a small one (see :data:`_SMALL_FILE`); the base is the one
        relgraph's Turtle parsing uses (project.parse_turtle)."""
        fmt = OX_FORMATS[rdf_format_for_suffix(source.suffix).name]
        if target == _INFERRED and fmt == ox.RdfFormat.N_TRIPLES:
            # relgraph's reasoning writes these lines from the store's own dump: a blank node
            # there is one of the store's (a restriction of the ontology), kept by its label.
            # Oxigraph's loaders give each file's blank nodes new labels; parsed quads keep theirs.
            quads = _quads(source, target)
            if _bulk(source):
                self._store.bulk_extend(quads)
                self._bulk_loaded = True
            else:
                self._store.extend(quads)
        elif _bulk(source):
            self._store.bulk_load(path=str(source), format=fmt, to_graph=target, base_iri=str(RGD))
            self._bulk_loaded = True
        else:
            self._store.load(path=str(source), format=fmt, to_graph=target, base_iri=str(RGD))

    def _execute(
        self, text: str, bindings: Mapping[str, Node], *, projected: frozenset[str] | None, graphs: tuple[URIRef, ...]
    ) -> QueryResult:
        self.check_complete()
        # pyoxigraph substitutes only variables a SELECT projects; the others go in a
        # leading VALUES block (see the module docstring).
        substituted = {k: v for k, v in bindings.items() if projected is None or k in projected}
        try:
            answer = self._query(text, bindings, substituted, graphs)
        except RuntimeError as error:
            if projected is not None or "projection" not in str(error):
                raise StoreQueryError(f"query failed in {self.spec}: {error}") from None
            answer = self._query(text, bindings, {}, graphs)  # projection unknown: all in VALUES
        return result_from_oxigraph(answer, kind=query_form(text))

    def _query(self, text: str, bindings: Mapping[str, Node], substituted: Mapping[str, Node], graphs):
        joined = {k: v for k, v in bindings.items() if k not in substituted}
        try:
            return self._store.query(
                bind_values(text, joined),
                prefixes=_PREFIXES,
                substitutions={ox.Variable(k): to_oxigraph(v) for k, v in substituted.items()} or None,
                **self._dataset(graphs),
            )
        except SyntaxError as error:
            raise StoreQueryError(f"query does not parse in {self.spec}: {error}") from None

    def solutions(self, query: StoredQuery, *, params: Mapping[str, str] | None = None):
        """See :meth:`Store.solutions`: Oxigraph answers and ``stores.answers`` writes (the
        bytes of :meth:`query` and ``results.serialize_result``, tests/test_query_path.py)."""
        from .answers import solutions

        self.check_complete()
        return solutions(self._store, query, params or {})

    def dump_ntriples(self, name: URIRef) -> bytes:
        return self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))

    def construct_ntriples(self, text: str, *, graphs: Sequence[URIRef]) -> bytes:
        answer = self._store.query(text, prefixes=_PREFIXES, **self._dataset(tuple(graphs)))
        return answer.serialize(format=ox.RdfFormat.N_TRIPLES)

    def _dataset(self, graphs: tuple[URIRef, ...]) -> dict:
        """The query arguments for a default graph of ``graphs`` (``GRAPH ?g``: relgraph's graphs)."""
        if graphs == GRAPHS:
            return union_of_graphs(self._store)
        return {"default_graph": [ox.NamedNode(str(g)) for g in graphs], "named_graphs": _UNION}

    def compact(self) -> None:
        """RocksDB's optimize(), after the bulk loader wrote its files (otherwise there is
        nothing worth compacting)."""
        if self._bulk_loaded:
            self._store.optimize()
            self._bulk_loaded = False

    def flush(self) -> None:
        self._store.flush()

    def select_snapshot(self, text: str, *, graphs: Sequence[URIRef]) -> QueryResult:
        """Straight to the store, complete or not: validation reads the ontology and asserted
        graphs while reasoning writes the inferred graph (the store is then marked loading,
        which :meth:`Store.sparql` refuses), and Oxigraph's queries see a snapshot."""
        default = [ox.NamedNode(str(name)) for name in graphs]
        return result_from_oxigraph(self._store.query(text, prefixes=_PREFIXES, default_graph=default), kind="SELECT")

    def sparql_dataset(self, text: str, *, default: Sequence[URIRef], named: Sequence[URIRef]) -> QueryResult:
        self.check_complete()
        try:
            answer = self._store.query(
                text, prefixes=_PREFIXES,
                default_graph=[ox.NamedNode(str(g)) for g in default],
                named_graphs=[ox.NamedNode(str(g)) for g in named],
            )
        except (SyntaxError, RuntimeError) as error:
            raise StoreQueryError(f"query failed in {self.spec}: {error}") from None
        return result_from_oxigraph(answer, kind=query_form(text))

    def graph(self, name: URIRef) -> Graph:
        self.check_complete()
        graph = Graph()
        bind_prefixes(graph)
        for quad in self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def count(self, name: URIRef) -> int:
        self.check_complete()
        answer = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
        return int(next(iter(answer))[0].value)

    def dump(self, destination: Path, *, format: str = "nquads", graphs: Sequence[URIRef] = GRAPHS) -> None:
        self.check_complete()
        fmt = rdf_format(format)
        destination = Path(destination)
        handle, temp = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".tmp")
        os.close(handle)
        try:
            if fmt.name in ("nt", "nquads"):
                lines: list[bytes] = []
                for name in graphs:
                    data = self._store.dump(format=OX_FORMATS[fmt.name], from_graph=ox.NamedNode(str(name)))
                    if fmt.name == "nquads":  # dump of one graph writes triples: name the graph
                        data = data.replace(b" .\n", f" <{name}> .\n".encode())
                    lines.extend(data.splitlines(keepends=True))
                lines.sort()
                Path(temp).write_bytes(b"".join(lines))
            elif fmt.datasets:
                with open(temp, "wb") as stream:
                    self._store.dump(stream, OX_FORMATS[fmt.name], prefixes=_PREFIXES)
            else:
                Path(temp).write_bytes(self.export(format=format, graphs=graphs))
            os.chmod(temp, 0o644)
            os.replace(temp, destination)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        """Flush and let go of the directory (RocksDB's lock), so it can be opened again."""
        if self._handle is not None:
            if not self.read_only:
                self._handle.flush()
            self._handle = None

    @property
    def _store(self) -> ox.Store:
        if self._handle is None:
            raise StoreError(f"store {self.spec} is closed")
        return self._handle


def result_from_oxigraph(answer, *, kind: str = "CONSTRUCT") -> QueryResult:
    """A pyoxigraph query answer as relgraph's QueryResult (rdflib terms)."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ASK", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        graph = Graph()
        bind_prefixes(graph)
        for triple in answer:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult(kind=kind, graph=graph)
    variables = tuple(v.value for v in answer.variables)
    count = len(variables)
    # An answer repeats its terms (states, offices, classes): each is converted once.
    converted: dict = {None: None}

    def value(term):
        if term not in converted:
            converted[term] = rdflib_value(term)
        return converted[term]

    rows = tuple(tuple(value(solution[i]) for i in range(count)) for solution in answer)
    return QueryResult(kind="SELECT", variables=variables, rows=rows)


def rdflib_value(term) -> Node:
    value = to_rdflib(term)
    return canonical_decimal(value)


def _bulk(source: GraphSource) -> bool:
    """True if ``source`` goes to the bulk loader: a large graph or a large file."""
    if isinstance(source, Graph):
        return len(source) >= _SMALL
    try:
        return Path(source).stat().st_size >= _SMALL_FILE
    except OSError:
        return True  # the loader says what is wrong with it


def _quads(source: str | Path, target: ox.NamedNode):
    """The triples of N-Triples ``source`` (text, or a file) as quads of the graph ``target``,
    blank nodes with the labels they have there."""
    parsed = ox.parse(source.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES) if isinstance(source, str) else (
        ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES)
    )
    return (ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed)
