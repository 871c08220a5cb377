"""A document's draft: the candidates in ``data/SLUG/draft.ttl`` and their draft marks.

A candidate is an IRI node with ``rgc:candidate "c001"`` (its id, unique in the draft),
``rgc:rule``, ``rgc:confidence``, ``rgc:kind`` ("entity" or "fact") and zero or more
``rgc:note``, beside the triples a curator would write for it. Its triples are those with it
as subject, and those of the blank nodes reached from it (a monetary amount, say). See
``README.md`` beside this module for the terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ..errors import InputError, ParameterError
from ..project import DRAFT_FILE, Project, parse_turtle
from ..terms import short
from ..vocab import RG, bind_prefixes

RGC = Namespace("https://w3id.org/relgraph/curation#")
"""The curation namespace of the draft marks; never loaded into the graph."""

KINDS = {"entity": "entities.ttl", "fact": "facts.ttl"}
"""Where an accepted candidate goes, by its rgc:kind."""


@dataclass(frozen=True)
class Candidate:
    """One candidate of a draft."""

    id: str
    node: URIRef
    kind: str
    rule: str | None
    confidence: float | None
    notes: tuple[str, ...]
    types: tuple[str, ...]
    """Its rdf:types, as prefixed names, sorted."""
    label: str | None
    summary: tuple[str, ...]
    """Its other statements, ``prefixed-property value``, sorted."""
    stated_in: tuple[URIRef, ...]


@dataclass(frozen=True)
class Draft:
    """A parsed draft file (empty if the document has none)."""

    path: Path
    graph: Graph
    candidates: tuple[Candidate, ...]

    def get(self, ids: Iterable[str]) -> tuple[Candidate, ...]:
        """The candidates with these ids, in draft order; ParameterError naming the unknown ones."""
        by_id = {c.id: c for c in self.candidates}
        wanted = list(dict.fromkeys(ids))
        unknown = [i for i in wanted if i not in by_id]
        if unknown:
            known = ", ".join(sorted(by_id)) or "none"
            raise ParameterError("ID", f"no candidate {', '.join(repr(i) for i in unknown)} in {self.path}; candidates: {known}")
        chosen = set(wanted)
        return tuple(c for c in self.candidates if c.id in chosen)


def document_folder(project: Project, slug: str) -> Path:
    """``data/SLUG`` of ``project``; ParameterError listing the documents if there is none."""
    folder = project.root / "data" / slug
    if not folder.is_dir() or slug.startswith("."):
        data = project.root / "data"
        choices = ", ".join(sorted(p.name for p in data.iterdir() if p.is_dir() and not p.name.startswith("."))) or "none"
        raise ParameterError("SLUG", f"no document {slug!r} in {data}; documents: {choices}")
    return folder


def read_draft(folder: Path) -> Draft:
    """The draft of the document in ``folder`` (``draft.ttl``); InputError if it is malformed."""
    path = Path(folder) / DRAFT_FILE
    if not path.is_file():
        graph = Graph()
        bind_prefixes(graph)
        return Draft(path, graph, ())
    graph = parse_turtle(path)
    graph.bind("rgc", RGC)
    seen: dict[str, URIRef] = {}
    candidates = []
    for node, value in graph.subject_objects(RGC.candidate):
        if not isinstance(node, URIRef):
            raise InputError(f"a candidate must be an IRI, not a blank node (rgc:candidate {str(value)!r})", path=path)
        cid = str(value)
        if cid in seen and seen[cid] != node:
            raise InputError(f"candidate id {cid!r} is used twice ({short(seen[cid])}, {short(node)})", path=path)
        seen[cid] = node
        kind = str(graph.value(node, RGC.kind, default=Literal("")))
        if kind not in KINDS:
            raise InputError(f"candidate {cid!r} ({short(node)}): rgc:kind {kind!r} is not one of {', '.join(sorted(KINDS))}", path=path)
        candidates.append(_candidate(graph, node, cid, kind))
    return Draft(path, graph, tuple(sorted(candidates, key=lambda c: (c.id, str(c.node)))))


def _candidate(graph: Graph, node: URIRef, cid: str, kind: str) -> Candidate:
    confidence = graph.value(node, RGC.confidence)
    try:
        conf = None if confidence is None else float(confidence)
    except ValueError:
        conf = None
    label = graph.value(node, RDFS.label)
    summary = sorted(
        f"{short(p)} {_show(graph, o)}"
        for p, o in graph.predicate_objects(node)
        if not str(p).startswith(str(RGC)) and p not in (RDF.type, RDFS.label, RG.statedIn)
    )
    return Candidate(
        id=cid,
        node=node,
        kind=kind,
        rule=None if graph.value(node, RGC.rule) is None else str(graph.value(node, RGC.rule)),
        confidence=conf,
        notes=tuple(sorted(str(n) for n in graph.objects(node, RGC.note))),
        types=tuple(sorted(short(t) for t in graph.objects(node, RDF.type))),
        label=None if label is None else str(label),
        summary=tuple(summary),
        stated_in=tuple(sorted(o for o in graph.objects(node, RG.statedIn) if isinstance(o, URIRef))),
    )


def _show(graph: Graph, value: Node) -> str:
    if isinstance(value, BNode):
        inner = sorted(f"{short(p)} {_show(graph, o)}" for p, o in graph.predicate_objects(value))
        return "[ " + " ; ".join(inner) + " ]"
    if isinstance(value, Literal):
        return f'"{value}"'
    return short(value)


def candidate_triples(graph: Graph, node: URIRef) -> set[tuple[Node, Node, Node]]:
    """The triples of the candidate ``node``: its own and those of the blank nodes it reaches."""
    triples: set[tuple[Node, Node, Node]] = set()
    todo: list[Node] = [node]
    seen: set[Node] = set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in graph.predicate_objects(subject):
            triples.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return triples


def is_mark(triple: tuple[Node, Node, Node]) -> bool:
    """True for a draft mark (an rgc: predicate)."""
    return str(triple[1]).startswith(str(RGC))
