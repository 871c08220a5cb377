"""The ``memory`` store: an rdflib Dataset, relgraph's behaviour before stores existed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from ..export import write_atomic
from ..formats import rdf_format, rdf_format_for_suffix
from ..progress import SILENT, Progress
from ..queries import StoredQuery
from ..results import GRAPH_KINDS, QueryResult, canonical_decimal, run_query
from ..vocab import PREFIXES, bind_prefixes
from .base import GRAPHS, GraphSource, Store
from .convert import nt_lines


class MemoryStore(Store):
    """The graphs in an rdflib Dataset whose default graph is their union.

    A load builds a new Dataset and swaps it in when complete, so an interrupted load
    leaves the previous graphs answering.
    """

    validates_shapes = False  # rdflib's SPARQL lacks the XSD casts; pyshacl validates rdflib graphs

    def __init__(self) -> None:
        self.spec = "memory"
        self._dataset = _new_dataset()
        self._digest: str | None = None

    @property
    def dataset(self) -> Dataset:
        """The Dataset itself (for code written against rdflib; do not modify it)."""
        return self._dataset

    @property
    def complete(self) -> bool:
        return True

    @property
    def digest(self) -> str | None:
        return self._digest

    def replace(
        self,
        graphs: Mapping[URIRef, GraphSource],
        *,
        digest: str | None = None,
        progress: Progress = SILENT,
    ) -> None:
        self._check_replace(graphs)
        dataset = _new_dataset()
        with progress.task("load memory", total=len(GRAPHS)) as task:
            for name in GRAPHS:
                target = dataset.graph(name)
                source = graphs.get(name, self._dataset.graph(name))
                if isinstance(source, Graph):
                    for triple in source:
                        target.add(triple)
                else:
                    target.parse(Path(source), format=rdf_format_for_suffix(Path(source).suffix).rdflib_name)
                task.advance()
        self._dataset, self._digest = dataset, digest

    def query(self, query: StoredQuery, *, params: Mapping[str, str] | None = None) -> QueryResult:
        return run_query(query, self._dataset, params=params)

    def _execute(
        self, text: str, bindings: Mapping[str, Node], *, projected: frozenset[str] | None, graphs: tuple[URIRef, ...]
    ) -> QueryResult:
        target: Graph = self._dataset
        if graphs != GRAPHS:
            target = Graph()
            for name in graphs:
                target += self._dataset.graph(name)
        answer = target.query(text, initNs=PREFIXES, initBindings=dict(bindings))
        if answer.type == "ASK":
            return QueryResult(kind="ASK", boolean=bool(answer.askAnswer))
        if answer.type in GRAPH_KINDS:
            graph = Graph()
            bind_prefixes(graph)
            for triple in answer.graph:
                graph.add(triple)
            return QueryResult(kind=answer.type, graph=graph)
        variables = tuple(str(v) for v in answer.vars)
        rows = tuple(tuple(canonical_decimal(row[v]) if v in row.labels else None for v in variables) for row in answer)
        return QueryResult(kind="SELECT", variables=variables, rows=rows)

    def graph(self, name: URIRef) -> Graph:
        copy = Graph()
        bind_prefixes(copy)
        for triple in self._dataset.graph(name):
            copy.add(triple)
        return copy

    def count(self, name: URIRef) -> int:
        return len(self._dataset.graph(name))

    def dump(self, destination: Path, *, format: str = "nquads", graphs: Sequence[URIRef] = GRAPHS) -> None:
        fmt = rdf_format(format)
        if fmt.name not in ("nt", "nquads"):
            write_atomic(Path(destination), self.export(format=format, graphs=graphs))
            return
        lines = []
        for name in graphs:
            suffix = f" <{name}> .\n" if fmt.name == "nquads" else " .\n"
            lines.extend(line[:-3] + suffix for line in nt_lines(self._dataset.graph(name)))
        write_atomic(Path(destination), "".join(sorted(set(lines))).encode("utf-8"))


def _new_dataset() -> Dataset:
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for name in GRAPHS:
        dataset.graph(name)
    return dataset
