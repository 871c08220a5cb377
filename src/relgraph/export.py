"""Serializations of graphs and datasets: the same input gives the same bytes.

Blank nodes are relabelled canonically (W3C RDF Dataset Canonicalization, RDFC-1.0, as
pyoxigraph implements it, then renumbered ``b0, b1, …`` in its order), triples are added in sorted order, N-Triples and
N-Quads lines are sorted, and JSON-LD is re-emitted with sorted keys and sorted
value arrays (``@list`` arrays keep their order). Files are written atomically.
"""

from __future__ import annotations

import functools
import io
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.term import Node

from .errors import OutputError
from .formats import RdfFormat, rdf_format
from .vocab import PREFIXES, bind_prefixes



def _sort_key(triple) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


_DEFAULT = URIRef("urn:x-relgraph:default")


def canonical_triples(graphs: Mapping[URIRef, Graph]) -> dict[URIRef, list[tuple[Node, Node, Node]]]:
    """The triples of each named graph, sorted, with blank nodes labelled canonically.

    The labels are W3C RDF Dataset Canonicalization's (RDFC-1.0, pyoxigraph's implementation),
    renumbered ``b0, b1, …`` in its order. Only the triples that touch a blank node are
    canonicalized: the algorithm names a blank node from the quads it is in, so the labels are
    the same and most of a graph skips the hashing. Where two graphs hold blank nodes, they are
    canonicalized as one dataset, each in its own graph (a blank node shared by two graphs
    keeps one label); where one graph alone does, its blank nodes get the labels they get in
    any merge of it with graphs that have none (a release's TriG and its Turtle agree, and the
    hashing is done once for both: see :func:`_canonical_blank_triples`).
    """
    result: dict[URIRef, list] = {name: [] for name in graphs}
    blank: dict[URIRef, list] = {}
    for name, graph in graphs.items():
        for triple in graph:
            if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
                blank.setdefault(name, []).append(triple)
            else:
                result[name].append(triple)
    terms: dict[str, Node] = {}

    def key(term: Node) -> str:
        """An exact key (``"x"@en`` and ``"x"@EN``, ``"a"`` and ``"a"^^xsd:string`` are apart:
        rdflib takes them as equal or as one, the canonical labelling must not)."""
        text = term.n3()
        terms.setdefault(text, term)
        return text

    quads = frozenset(
        (key(s), key(p), key(o), str(name) if len(blank) > 1 else None) for name, triples in blank.items() for s, p, o in triples
    )
    only = next(iter(blank), None)
    for s, p, o, name in _canonical_blank_triples(quads):
        node = [term if isinstance(term, BNode) else terms[term] for term in (s, p, o)]
        result[URIRef(name) if name is not None else only].append(tuple(node))
    for triples in result.values():
        triples.sort(key=_sort_key)
    return result


@functools.lru_cache(maxsize=2)
def _canonical_blank_triples(quads: frozenset) -> tuple[tuple[Node | str, Node | str, Node | str, str | None], ...]:
    """``quads`` of terms in N3 (graph None: the default graph) with their blank nodes
    relabelled ``b0, b1, …`` by RDFC-1.0, the other terms given back as they came; kept for
    the next call with the same quads (a release writes the same ontology twice).

    Every term but a blank node stands in the dataset as an IRI named by the digest of its N3,
    so pyoxigraph sees no literal to normalize and every term comes back exactly.
    """
    if not quads:
        return ()
    import hashlib

    import pyoxigraph as ox

    blank: dict[str, ox.BlankNode] = {}
    stand_in: dict[str, str] = {}

    def term(text: str):
        if text.startswith("_:"):
            return blank.setdefault(text, ox.BlankNode())
        iri = f"urn:x-relgraph:term:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
        stand_in[iri] = text
        return ox.NamedNode(iri)

    dataset = ox.Dataset(
        ox.Quad(term(s), term(p), term(o), ox.NamedNode(g) if g is not None else ox.DefaultGraph()) for s, p, o, g in quads
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    issued = sorted(
        {t.value for quad in dataset for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)},
        key=lambda label: (len(label), label),  # c14n0, c14n1, …, c14n10: the order they were issued in
    )
    relabel = {label: BNode(f"b{i}") for i, label in enumerate(issued)}

    def back(value) -> Node | str:
        return relabel[value.value] if isinstance(value, ox.BlankNode) else stand_in[value.value]

    return tuple(
        (back(q.subject), back(q.predicate), back(q.object), None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value)
        for q in dataset
    )


def canonical_graph(graph: Graph) -> Graph:
    """A copy of ``graph`` with canonical blank nodes, sorted insertion and relgraph's prefixes."""
    out = Graph()
    bind_prefixes(out)
    for triple in canonical_triples({_DEFAULT: graph})[_DEFAULT]:
        out.add(triple)
    return out


def jsonld_context() -> dict[str, str]:
    """The JSON-LD @context relgraph uses: one term per prefix in ``vocab.PREFIXES``."""
    return {prefix: str(namespace) for prefix, namespace in sorted(PREFIXES.items())}


def context_document() -> bytes:
    """The bytes of ``context.jsonld``, the context published next to the JSON-LD release."""
    return _dump_json({"@context": jsonld_context()})


def _dump_json(value) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _normalize_json(value, *, ordered: bool = False):
    """Sort keys and value arrays (not ``@list`` arrays, whose order is data)."""
    if isinstance(value, dict):
        return {k: _normalize_json(v, ordered=(k == "@list")) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normalize_json(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def serialize_graph(graph: Graph, *, format: str | RdfFormat, canonical: bool = False) -> bytes:
    """``graph`` in ``format`` (a name from formats.RDF_FORMATS), deterministic bytes.

    ``canonical``: ``graph`` is already :func:`canonical_graph`'s (a caller writing one graph
    in several formats canonicalizes it once).

    >>> from rdflib import Literal
    >>> from relgraph.vocab import RGD, RG
    >>> g = Graph(); _ = g.add((RGD.latvia, RG.name, Literal("Latvia")))
    >>> print(serialize_graph(g, format="nt").decode(), end="")
    <https://w3id.org/relgraph/id/latvia> <https://w3id.org/relgraph/ontology#name> "Latvia" .
    """
    fmt = format if isinstance(format, RdfFormat) else rdf_format(format)
    graph = graph if canonical else canonical_graph(graph)
    if fmt.name == "jsonld":
        text = graph.serialize(format=fmt.rdflib_name, context=jsonld_context(), auto_compact=True)
        document = _normalize_json(json.loads(text))
        if "@graph" not in document:  # a single node: keep one shape for every release
            context = document.pop("@context", jsonld_context())
            document = {"@context": context, "@graph": [document] if document else []}
        document["@context"] = jsonld_context()
        return _dump_json(document)
    data = graph.serialize(format=fmt.rdflib_name, encoding="utf-8")
    if fmt.name in ("nt", "nquads"):
        return _sorted_lines(data)
    return data


def serialize_dataset(graphs: Mapping[URIRef, Graph], *, format: str | RdfFormat) -> bytes:
    """The named ``graphs`` as one dataset in a dataset format (trig, nquads), deterministic."""
    fmt = format if isinstance(format, RdfFormat) else rdf_format(format)
    if not fmt.datasets:
        raise ValueError(f"{fmt.name} cannot hold named graphs")
    dataset = Dataset()
    bind_prefixes(dataset)
    triples = canonical_triples(graphs)
    for name in sorted(triples):
        target = dataset.graph(name)
        for triple in triples[name]:
            target.add(triple)
    if fmt.name == "trig":
        stream = io.BytesIO()
        _SortedTrigSerializer(dataset).serialize(stream, encoding="utf-8")
        return stream.getvalue()
    return _sorted_lines(dataset.serialize(format=fmt.rdflib_name, encoding="utf-8"))


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer, taking the graphs in IRI order.

    rdflib takes them in the store's order, which varies from run to run, and the
    order of subjects inside a graph depends on it. Used directly, not registered
    as a plugin: nothing global changes.
    """

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return "".join(line + "\n" for line in lines).encode("utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: readers see the old file or the new one.

    The bytes go to a temporary file in the same directory, which replaces ``path``
    only when complete; on any failure the temporary file is removed and ``path``
    is left as it was.
    """
    path = Path(path)
    # mkstemp makes the file private (0600); a release file keeps the mode of the file it
    # replaces, or gets the usual 0644.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    try:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(path, error.strerror or str(error)) from None
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(path, error.strerror or str(error)) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
