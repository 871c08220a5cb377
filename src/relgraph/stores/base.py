"""What every store offers: the three named graphs, replaced whole, queried as their union.

A store holds the named graphs ``vocab.GRAPH_ONTOLOGY``, ``GRAPH_ASSERTED`` and
``GRAPH_INFERRED``. Queries see their union as the default graph (and nothing else: the
store's own bookkeeping lives outside it, in :data:`GRAPH_STORE` on a ``sparql:`` store, in a
file beside Oxigraph's on an ``oxigraph:`` one). A load marks
the store *loading* before it writes and *complete* (with the digest of its inputs)
after, so a store whose load was interrupted is refused until it is loaded again.
"""

from __future__ import annotations

import abc
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import RelgraphError
from ..export import serialize_dataset, serialize_graph
from ..formats import rdf_format
from ..progress import SILENT, Progress
from ..queries import StoredQuery, bind, is_ordered, prepare
from ..results import QueryResult
from ..sparql_text import bind_values_text, values_text
from ..vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

GRAPHS: tuple[URIRef, ...] = (GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED)
"""The named graphs a store holds, in the order they are loaded and exported."""

GRAPH_STORE = URIRef("https://w3id.org/relgraph/graph/store")
"""A ``sparql:`` store's own bookkeeping (load state, input digest); never part of a query's
union (an ``oxigraph:`` store keeps it in ``relgraph-store.json``: stores/oxigraph.py)."""
STORE_NS = "https://w3id.org/relgraph/store#"
STORE_NODE = URIRef(STORE_NS + "this")
STORE_STATE = URIRef(STORE_NS + "state")
STORE_DIGEST = URIRef(STORE_NS + "inputDigest")

GraphSource = Graph | Path
"""What a graph is loaded from: an rdflib Graph, or an RDF file (format from its suffix)."""


class StoreError(RelgraphError):
    """A store cannot be opened, reached, loaded or queried as asked."""


class StoreQueryError(StoreError):
    """The store refused a query or failed while evaluating it: the query's fault, not the store's."""


class StoreIncomplete(StoreError):
    """The store's last load did not finish: it must be loaded again before use."""


@dataclass(frozen=True)
class StoreSpec:
    """A parsed ``--store`` value.

    >>> parse_spec("oxigraph:/tmp/kg")
    StoreSpec(kind='oxigraph', location='/tmp/kg', gsp=None, update=None)
    >>> parse_spec("sparql:http://127.0.0.1:7878/query").gsp
    'http://127.0.0.1:7878/store'
    >>> parse_spec("sparql:http://h/ds/query?gsp=http://h/ds/data&x=1")
    StoreSpec(kind='sparql', location='http://h/ds/query?x=1', gsp='http://h/ds/data', update=None)
    """

    kind: str
    """``memory``, ``oxigraph`` or ``sparql``."""
    location: str = ""
    """The directory of an oxigraph store, the query endpoint of a sparql store."""
    gsp: str | None = None
    """sparql only: the Graph Store Protocol endpoint that loads replace graphs through."""
    update: str | None = None
    """sparql only: a SPARQL Update endpoint, used to load when there is no GSP endpoint."""

    @property
    def remote(self) -> bool:
        """True if the store is reached over the network (its readers need one).

        >>> parse_spec("oxigraph:/tmp/kg").remote, parse_spec("sparql:http://h/query").remote
        (False, True)
        """
        return self.kind == "sparql"


def parse_spec(spec: str) -> StoreSpec:
    """Read ``memory``, ``oxigraph:PATH`` or ``sparql:QUERY_URL[?gsp=URL][&update=URL]``.

    For a sparql store whose query URL ends in ``/query`` and that names neither endpoint,
    the GSP endpoint is the sibling ``/store`` (Oxigraph server's layout). Other query
    parameters stay on the query URL. StoreError names the accepted forms otherwise.
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    kind, _, rest = spec.partition(":")
    if kind == "memory" and not rest:
        return StoreSpec("memory")
    if kind == "oxigraph" and rest:
        return StoreSpec("oxigraph", rest)
    if kind == "sparql" and re.match(r"^https?://", rest):
        parts = urlsplit(rest)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        gsp = next((v for k, v in pairs if k == "gsp"), None)
        update = next((v for k, v in pairs if k == "update"), None)
        kept = urlencode([(k, v) for k, v in pairs if k not in ("gsp", "update")])
        query_url = urlunsplit(parts._replace(query=kept))
        if gsp is None and update is None and parts.path.endswith("/query"):
            gsp = urlunsplit(parts._replace(path=parts.path[: -len("query")] + "store", query=""))
        return StoreSpec("sparql", query_url, gsp, update)
    raise StoreError(f"unknown store {spec!r}; expected memory, oxigraph:PATH or sparql:URL")


@functools.lru_cache(maxsize=256)
def _query_info(query: StoredQuery) -> tuple[bool, frozenset[str] | None]:
    """Parse ``query`` once (QuerySyntaxError, SERVICE/FROM refused): is it ordered, and
    the variables a SELECT projects (None for the other forms)."""
    prepared = prepare(query)
    projected = None
    if prepared.algebra.name == "SelectQuery":
        projected = frozenset(str(v) for v in prepared.algebra.get("PV", ()))
    return is_ordered(prepared), projected


def values_clause(bindings: Mapping[str, Node]) -> str:
    """A SPARQL 1.1 trailing VALUES clause binding each variable to its term (N-Triples form).

    >>> from rdflib import Literal
    >>> values_clause({"year": Literal("2006", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear"))})
    '\\nVALUES (?year) { ("2006"^^<http://www.w3.org/2001/XMLSchema#gYear>) }\\n'
    """
    from .convert import nt_term

    if not bindings:
        return ""
    return f"\n{values_text({name: nt_term(_value(name, term)) for name, term in bindings.items()})}\n"


def bind_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with ``bindings`` in a VALUES block at the start of its WHERE group (and a copy
    at the start of each group nested in it that it reaches: :func:`relgraph.sparql_text.bind_values_text`).

    Joined there, the values restrict every pattern of the group as rdflib's ``initBindings``
    do (filters of the top-level group see them too), and let a store's optimizer start from
    them; a trailing VALUES clause is joined only with the finished answer. Where no WHERE
    group is found, the trailing clause (:func:`values_clause`) is used.

    >>> bind_values("SELECT ?n WHERE { ?s rg:name ?n }", {"s": URIRef("urn:x")})
    'SELECT ?n WHERE {\\n  VALUES (?s) { (<urn:x>) }\\n ?s rg:name ?n }'
    """
    from .convert import nt_term

    return bind_values_text(text, {name: nt_term(_value(name, term)) for name, term in bindings.items()})


def _value(name: str, term: Node) -> Node:
    from rdflib import BNode

    if isinstance(term, BNode):
        raise ValueError(f"a blank node cannot be a value of ?{name}")
    return term


_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside comments.

    >>> query_form("# a DESCRIBE in a comment\\nPREFIX x: <urn:x#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    code = "\n".join(line.split("#", 1)[0] if "<" not in line else line for line in text.splitlines())
    match = _FORM.search(code)
    return match[1].upper() if match else "SELECT"


def sort_rows(result: QueryResult, *, ordered: bool) -> QueryResult:
    """``result`` with its rows sorted by their N-Triples forms unless ``ordered``."""
    if ordered or result.kind != "SELECT":
        return result
    rows = sorted(result.rows, key=lambda row: tuple("" if t is None else t.n3() for t in row))
    return QueryResult(kind=result.kind, variables=result.variables, rows=tuple(rows))


class Store(abc.ABC):
    """A place holding the three named graphs. Use :func:`relgraph.stores.open_store`."""

    spec: str

    # -- what the store can do (the pipeline asks these, never the kind of store) ----------

    bulk_loads: bool = False
    """True if the store loads data files as they are (:meth:`append`, :meth:`record_digest`)
    and reasons in place (``relgraph.reasoning.in_store``); otherwise the graphs are given to
    :meth:`replace` from rdflib."""

    reads_beside_writes: bool = False
    """True if :meth:`select_snapshot` may read the ontology and asserted graphs while another
    thread writes the inferred graph (validation then runs beside reasoning)."""

    validates_shapes: bool = True
    """True if the in-store SHACL validator (``relgraph.validation.in_store``) gives pyshacl's
    report here: its SPARQL has the XSD casts the well-formedness tests use. False for rdflib's
    (no ``xsd:gYear()`` cast): ``build`` validates with pyshacl, the validator of record."""

    supports_dataset_arguments: bool = False
    """True if :meth:`sparql_dataset` runs a query over any default and named graphs (the
    SPARQL protocol's default-graph-uri / named-graph-uri, FROM / FROM NAMED)."""

    # -- loading ---------------------------------------------------------------------------

    @abc.abstractmethod
    def replace(
        self,
        graphs: Mapping[URIRef, GraphSource],
        *,
        digest: str | None = None,
        progress: Progress = SILENT,
    ) -> None:
        """Replace each named graph in ``graphs`` (others stay) and record ``digest``.

        On an incomplete store (an earlier load was interrupted) all three graphs must be
        given. If this load is interrupted, the store is left incomplete, never half-valid.
        """

    @property
    @abc.abstractmethod
    def complete(self) -> bool:
        """False if the last load did not finish (queries then raise StoreIncomplete)."""

    @property
    @abc.abstractmethod
    def digest(self) -> str | None:
        """The digest recorded by the last complete load (None if none was given)."""

    # -- reading ---------------------------------------------------------------------------

    def query(self, query: StoredQuery, *, params: Mapping[str, str] | None = None) -> QueryResult:
        """Run a stored query with the user's ``params`` (defaults fill the rest).

        The same answer as :func:`relgraph.results.run_query` over the union of the graphs:
        rows of a query without ORDER BY are sorted. ParameterError / QuerySyntaxError for
        bad input.
        """
        ordered, projected = _query_info(query)
        bindings = bind(query, params or {})
        return sort_rows(self._execute(query.text, bindings, projected=projected, graphs=GRAPHS), ordered=ordered)

    def sparql(
        self,
        text: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        graphs: Sequence[URIRef] = GRAPHS,
    ) -> QueryResult:
        """Run SPARQL ``text`` (relgraph's prefixes predeclared) with ``bindings`` as values,
        over the union of ``graphs`` (validation reads the ontology and asserted graphs only).

        For relgraph's own queries (rules, checks); user queries go through :meth:`query`.
        """
        result = self._execute(text, dict(bindings or {}), projected=None, graphs=tuple(graphs))
        return sort_rows(result, ordered=bool(_ORDER_BY.search(text)))

    def solutions(self, query: StoredQuery, *, params: Mapping[str, str] | None = None):
        """A store's fast path for a stored query: its answer as ``stores.answers.Solutions``
        (the writers' terms, the rows :meth:`query` gives), without rdflib on the way; None
        where the store has none or it does not take the query (then :meth:`query` answers)."""
        return None

    @abc.abstractmethod
    def _execute(
        self, text: str, bindings: Mapping[str, Node], *, projected: frozenset[str] | None, graphs: tuple[URIRef, ...]
    ) -> QueryResult:
        """Run ``text`` over the union of ``graphs`` with ``bindings``; ``projected`` are the
        variables a SELECT projects (None: unknown, or not a SELECT)."""

    @abc.abstractmethod
    def graph(self, name: URIRef) -> Graph:
        """The named graph ``name`` as an rdflib Graph (a copy; for small graphs)."""

    @abc.abstractmethod
    def count(self, name: URIRef) -> int:
        """The number of triples in the named graph ``name``."""

    def export(self, *, format: str, graphs: Sequence[URIRef] = GRAPHS) -> bytes:
        """``graphs`` in ``format``, the same bytes as ``relgraph.export`` gives for them.

        Canonical (blank nodes relabelled, sorted) and so meant for small graphs; see
        :meth:`dump` for large ones. Dataset formats keep the graphs apart.
        """
        fmt = rdf_format(format)
        contents = {name: self.graph(name) for name in graphs}
        if fmt.datasets:
            return serialize_dataset(contents, format=fmt)
        merged = Graph()
        for graph in contents.values():
            merged += graph
        return serialize_graph(merged, format=fmt)

    @abc.abstractmethod
    def dump(self, destination: Path, *, format: str = "nquads", graphs: Sequence[URIRef] = GRAPHS) -> None:
        """Write ``graphs`` to ``destination`` fast, atomically (whole file or none).

        N-Triples and N-Quads lines are sorted, so the same store gives the same bytes.
        """

    def append(self, name: URIRef, source: Path, *, digest: str | None = None, complete: bool = True) -> None:
        """Add the triples of the file ``source`` to the named graph ``name`` (stores whose
        :attr:`bulk_loads` is True; the others raise StoreError)."""
        raise StoreError(f"store {self.spec} does not load files as they are")

    def record_digest(self, digest: str | None) -> None:
        """Record ``digest`` and mark the store complete (stores whose :attr:`bulk_loads` is True)."""
        raise StoreError(f"store {self.spec} does not load files as they are")

    def dump_ntriples(self, name: URIRef) -> bytes:
        """The named graph ``name`` as N-Triples lines in the engine's order, complete or not
        (stores whose :attr:`bulk_loads` is True: in-place reasoning reads its base this way)."""
        raise StoreError(f"store {self.spec} does not reason in place")

    def construct_ntriples(self, text: str, *, graphs: Sequence[URIRef]) -> bytes:
        """The CONSTRUCT ``text`` over the union of ``graphs`` as N-Triples lines, complete or
        not (stores whose :attr:`bulk_loads` is True: in-place reasoning runs its rules this way)."""
        raise StoreError(f"store {self.spec} does not reason in place")

    def compact(self) -> None:
        """Reorganise the storage after a bulk load, so that queries run faster; the default does nothing."""

    def flush(self) -> None:
        """Write what is pending to disk (before other processes open the store); the default does nothing."""

    def select_snapshot(self, text: str, *, graphs: Sequence[URIRef]) -> QueryResult:
        """SELECT ``text`` (relgraph's prefixes predeclared) over the union of ``graphs``; where
        :attr:`reads_beside_writes` is True, also while the store is being written (see there).
        The default is :meth:`sparql`."""
        return self.sparql(text, graphs=graphs)

    def sparql_dataset(self, text: str, *, default: Sequence[URIRef], named: Sequence[URIRef]) -> QueryResult:
        """Run ``text`` with ``default`` as its default graph (their union) and ``named`` as its
        named graphs, rows as the engine gives them (stores whose
        :attr:`supports_dataset_arguments` is True; the others raise StoreQueryError)."""
        raise StoreQueryError(f"store {self.spec} cannot run a query over a dataset it is given")

    def check_complete(self) -> None:
        """StoreIncomplete if the last load was interrupted."""
        if not self.complete:
            raise StoreIncomplete(f"store {self.spec}: its last load did not finish; load it again")

    def _check_replace(self, graphs: Mapping[URIRef, GraphSource]) -> None:
        unknown = [str(name) for name in graphs if name not in GRAPHS]
        if unknown:
            raise ValueError(f"not a graph of a relgraph store: {', '.join(unknown)}")
        if not self.complete and set(graphs) != set(GRAPHS):
            raise StoreIncomplete(f"store {self.spec}: its last load did not finish; load all three graphs")

    def close(self) -> None:
        """Release the store (files, connections); the default does nothing."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
