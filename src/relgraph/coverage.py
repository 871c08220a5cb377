"""Sentence-by-sentence account of each source document: what was derived from it, or why nothing.

Every text unit that ``sources.split_file`` cuts from a document's local copy should
have an ``rg:Sentence`` node (matched on section and exact text) with either facts
stated in it (``?fact rg:statedIn ?sentence``) or an ``rg:noFactReason``. A unit
with neither is *unaccounted*; a Sentence node whose quote matches no unit is
*stale* (the source changed, or the quote has a typo). Coverage is complete when
there are neither.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from .errors import ParameterError
from .queries import parse_iri
from .sources import TextUnit, split_file
from .terms import label, short
from .vocab import OA, RG


@dataclass(frozen=True)
class DerivedThing:
    """A fact node or entity stated in a sentence."""

    node: Node
    label: str | None
    types: tuple[str, ...]
    """Its asserted rdf:types, as prefixed names, sorted."""


@dataclass(frozen=True)
class UnitCoverage:
    """One text unit and what the data says about it."""

    unit: TextUnit
    sentence: Node | None
    derived: tuple[DerivedThing, ...]
    no_fact_reason: str | None

    @property
    def accounted(self) -> bool:
        """True if the unit has a Sentence node with facts or a reason for having none."""
        return self.sentence is not None and (bool(self.derived) or self.no_fact_reason is not None)


@dataclass(frozen=True)
class StaleSentence:
    """A Sentence node of the document whose (section, quote) matches no unit."""

    node: Node
    section: str
    text: str


@dataclass(frozen=True)
class DocumentCoverage:
    """The coverage of one source document."""

    document: URIRef
    title: str | None
    local_copy: Path
    units: tuple[UnitCoverage, ...]
    stale: tuple[StaleSentence, ...]

    @property
    def unaccounted(self) -> tuple[UnitCoverage, ...]:
        """Units with no Sentence node, or one with neither facts nor a reason."""
        return tuple(u for u in self.units if not u.accounted)


@dataclass(frozen=True)
class CoverageReport:
    """Coverage of every selected document, in document IRI order."""

    documents: tuple[DocumentCoverage, ...]

    @property
    def complete(self) -> bool:
        """True when no document has an unaccounted unit or a stale Sentence node."""
        return all(not d.unaccounted and not d.stale for d in self.documents)


def coverage(
    graph: Graph,
    local_copies: Mapping[URIRef, Path],
    *,
    documents: tuple[URIRef, ...] | None = None,
) -> CoverageReport:
    """Pair every unit of each document (all in ``local_copies`` unless ``documents``) with its facts."""
    selected = sorted(local_copies if documents is None else documents, key=str)
    return CoverageReport(tuple(_document(graph, doc, Path(local_copies[doc])) for doc in selected))


def _document(graph: Graph, document: URIRef, local_copy: Path) -> DocumentCoverage:
    by_key: dict[tuple[str, str], list[Node]] = {}
    for sentence in graph.subjects(OA.hasSource, document):
        if (sentence, RDF.type, RG.Sentence) not in graph:
            continue
        section = str(graph.value(sentence, RG.section, default=Literal("")))
        for selector in graph.objects(sentence, OA.hasSelector):
            for exact in graph.objects(selector, OA.exact):
                by_key.setdefault((section, str(exact)), []).append(sentence)
    units = split_file(local_copy)
    matched: set[Node] = set()
    covered = []
    for unit in units:
        candidates = sorted(set(by_key.get((unit.section, unit.text), ())), key=str)
        sentence = _pick(graph, candidates, unit.position)
        if sentence is not None:
            matched.add(sentence)
        covered.append(_unit(graph, unit, sentence))
    stale = sorted(
        (
            StaleSentence(node, section, text)
            for (section, text), nodes in by_key.items()
            for node in nodes
            if node not in matched
            and not any(u.section == section and u.text == text for u in units)
        ),
        key=lambda s: (str(s.node), s.section, s.text),
    )
    # a reason given for a generated sentence (rgd:DOC/sentence/sNN) the text does not have
    prefix = f"{document}/sentence/"
    known = set(matched) | {n for nodes in by_key.values() for n in nodes}
    stale += sorted(
        (
            StaleSentence(node, "", "rg:noFactReason on a sentence the text does not have")
            for node in set(graph.subjects(RG.noFactReason, None))
            if str(node).startswith(prefix) and node not in known
        ),
        key=lambda s: str(s.node),
    )
    title = graph.value(document, DCTERMS.title)
    return DocumentCoverage(document, None if title is None else str(title), local_copy, tuple(covered), tuple(stale))


def _pick(graph: Graph, candidates: list[Node], position: int) -> Node | None:
    """The Sentence for a unit: the only candidate, or the one whose rg:position is the unit's."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for node in candidates:
        value = graph.value(node, RG.position)
        if isinstance(value, Literal) and str(value) == str(position):
            return node
    return candidates[0]


def _unit(graph: Graph, unit: TextUnit, sentence: Node | None) -> UnitCoverage:
    if sentence is None:
        return UnitCoverage(unit, None, (), None)
    derived = tuple(
        sorted(
            (
                DerivedThing(
                    node,
                    label(graph, node),
                    tuple(sorted(short(t) for t in graph.objects(node, RDF.type))),
                )
                for node in set(graph.subjects(RG.statedIn, sentence))
            ),
            key=lambda d: str(d.node),
        )
    )
    reasons = sorted(str(r) for r in graph.objects(sentence, RG.noFactReason))
    return UnitCoverage(unit, sentence, derived, "; ".join(reasons) if reasons else None)


def render_text(report: CoverageReport) -> str:
    """Each document, then each unit: ``[ok]`` or ``[MISSING]``, its text, and what it gave."""
    lines = []
    for doc in report.documents:
        total, missing = len(doc.units), len(doc.unaccounted)
        lines.append(f"{short(doc.document)}" + (f" {doc.title!r}" if doc.title else "") + f" ({doc.local_copy.name})")
        for u in doc.units:
            mark = "ok" if u.accounted else "MISSING"
            where = f"{u.unit.position} line {u.unit.line}" + (f" [{u.unit.section}]" if u.unit.section else "")
            lines.append(f"  [{mark}] {where}: {u.unit.text}")
            if u.sentence is None:
                lines.append("      no rg:Sentence quotes this unit")
            for d in u.derived:
                types = ", ".join(d.types)
                lines.append(f"      -> {short(d.node)}" + (f' "{d.label}"' if d.label else "") + (f" ({types})" if types else ""))
            if u.no_fact_reason is not None:
                lines.append(f"      no fact: {u.no_fact_reason}")
            if u.sentence is not None and not u.accounted:
                lines.append(f"      {short(u.sentence)} has no facts and no rg:noFactReason")
        for s in doc.stale:
            lines.append(f"  [STALE] {short(s.node)} [{s.section}]: {s.text}")
        lines.append(f"  {total - missing}/{total} units accounted for, {len(doc.stale)} stale")
    lines.append("coverage complete" if report.complete else "coverage incomplete")
    return "\n".join(lines) + "\n"


def render_json(report: CoverageReport) -> str:
    """The report as JSON, one object per document with its units and stale sentences."""
    return json.dumps(
        {
            "complete": report.complete,
            "documents": [
                {
                    "document": str(doc.document),
                    "title": doc.title,
                    "localCopy": str(doc.local_copy),
                    "units": [
                        {
                            "position": u.unit.position,
                            "line": u.unit.line,
                            "section": u.unit.section,
                            "text": u.unit.text,
                            "sentence": None if u.sentence is None else str(u.sentence),
                            "accounted": u.accounted,
                            "derived": [
                                {"node": str(d.node), "label": d.label, "types": list(d.types)} for d in u.derived
                            ],
                            "noFactReason": u.no_fact_reason,
                        }
                        for u in doc.units
                    ],
                    "stale": [{"node": str(s.node), "section": s.section, "text": s.text} for s in doc.stale],
                }
                for doc in report.documents
            ],
        },
        indent=2,
        ensure_ascii=False,
    ) + "\n"


def select_documents(local_copies: Mapping[URIRef, Path], source: str) -> tuple[URIRef, ...]:
    """The documents ``source`` names: a document IRI (full, prefixed or bare local name),
    the slug of its data folder, or the path of its local copy. ParameterError lists the
    choices if none matches."""
    by_slug = {path.parent.name: doc for doc, path in local_copies.items()}
    if source in by_slug:
        return (by_slug[source],)
    candidate = Path(source)
    if candidate.exists():
        resolved = candidate.resolve()
        for doc, path in local_copies.items():
            if path == resolved or path.parent == resolved:
                return (doc,)
    try:
        iri = parse_iri(source)
    except ValueError:
        iri = None
    if iri in local_copies:
        return (iri,)
    choices = ", ".join(sorted(by_slug)) or "none"
    raise ParameterError("source", f"no source document {source!r}; available: {choices}")
