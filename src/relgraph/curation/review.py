"""``relgraph review``: a document sentence by sentence, with its draft candidates and what is
already curated (the facts stated in each sentence, as ``relgraph coverage`` shows them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from ..coverage import DerivedThing, coverage
from ..errors import InputError
from ..project import LoadedProject
from ..sources import TextUnit
from ..terms import short
from .candidates import Candidate, Draft, document_folder, read_draft


@dataclass(frozen=True)
class SentenceReview:
    """One sentence: its candidates and what the curated data says of it."""

    unit: TextUnit
    sentence: URIRef | None
    candidates: tuple[Candidate, ...]
    curated: tuple[DerivedThing, ...]
    no_fact_reason: str | None


@dataclass(frozen=True)
class DocumentReview:
    """A document under review."""

    slug: str
    document: URIRef
    title: str | None
    draft: Path
    has_draft: bool
    sentences: tuple[SentenceReview, ...]
    elsewhere: tuple[Candidate, ...]
    """Candidates stated in no sentence of the document (or in none at all)."""

    @property
    def candidate_count(self) -> int:
        """Distinct candidates (one stated in two sentences is shown under both)."""
        return len({c.id for s in self.sentences for c in s.candidates} | {c.id for c in self.elsewhere})


def review(loaded: LoadedProject, slug: str) -> DocumentReview:
    """The review of the document ``data/SLUG`` of ``loaded``."""
    folder = document_folder(loaded.project, slug).resolve()
    documents = sorted(d for d, copy in loaded.local_copies.items() if Path(copy).parent == folder)
    if not documents:
        raise InputError("no rg:SourceDocument with an rg:localCopy here (document.ttl)", path=folder)
    document = documents[0]
    draft: Draft = read_draft(folder)
    report = coverage(loaded.asserted, loaded.local_copies, documents=(document,)).documents[0]
    by_sentence: dict[URIRef, list[Candidate]] = {}
    for candidate in draft.candidates:
        for sentence in candidate.stated_in:
            by_sentence.setdefault(sentence, []).append(candidate)
    placed: set[str] = set()
    sentences = []
    for unit in report.units:
        here = tuple(by_sentence.get(unit.sentence, ())) if isinstance(unit.sentence, URIRef) else ()
        placed.update(c.id for c in here)
        sentences.append(SentenceReview(unit.unit, unit.sentence if isinstance(unit.sentence, URIRef) else None,
                                        here, unit.derived, unit.no_fact_reason))
    elsewhere = tuple(c for c in draft.candidates if c.id not in placed)
    return DocumentReview(slug, document, report.title, draft.path, draft.path.is_file(), tuple(sentences), elsewhere)


def _candidate_lines(candidate: Candidate, indent: str) -> list[str]:
    confidence = "" if candidate.confidence is None else f" {candidate.confidence:.2f}"
    head = f"{indent}+ {candidate.id} [{candidate.rule or '?'}{confidence}] {short(candidate.node)}"
    if candidate.label:
        head += f' "{candidate.label}"'
    if candidate.types:
        head += f" ({', '.join(candidate.types)})"
    lines = [head]
    lines += [f"{indent}    {line}" for line in candidate.summary]
    lines += [f"{indent}    note: {note}" for note in candidate.notes]
    return lines


def render_text(result: DocumentReview) -> str:
    """Each sentence, what is curated (``->``) and each candidate (``+ ID``)."""
    lines = [f"{short(result.document)}" + (f" {result.title!r}" if result.title else "") + f" ({result.slug})"]
    if not result.has_draft:
        lines.append(f"  no draft ({result.draft.name}): `relgraph draft {result.slug}` proposes candidates")
    for s in result.sentences:
        where = f"{s.unit.position} line {s.unit.line}" + (f" [{s.unit.section}]" if s.unit.section else "")
        lines.append(f"  {where}: {s.unit.text}")
        for d in s.curated:
            types = ", ".join(d.types)
            lines.append(f"      -> {short(d.node)}" + (f' "{d.label}"' if d.label else "") + (f" ({types})" if types else ""))
        if s.no_fact_reason is not None:
            lines.append(f"      no fact: {s.no_fact_reason}")
        for c in s.candidates:
            lines += _candidate_lines(c, "      ")
    if result.elsewhere:
        lines.append("  candidates stated in no sentence of the document:")
        for c in result.elsewhere:
            lines += _candidate_lines(c, "      ")
    curated = sum(1 for s in result.sentences if s.curated or s.no_fact_reason is not None)
    with_candidates = sum(1 for s in result.sentences if s.candidates)
    lines.append(
        f"  {len(result.sentences)} sentences: {curated} curated, {with_candidates} with candidates; "
        f"{result.candidate_count} candidates"
    )
    return "\n".join(lines) + "\n"


def _candidate_json(c: Candidate) -> dict:
    return {
        "id": c.id,
        "node": str(c.node),
        "kind": c.kind,
        "rule": c.rule,
        "confidence": c.confidence,
        "types": list(c.types),
        "label": c.label,
        "summary": list(c.summary),
        "notes": list(c.notes),
        "statedIn": [str(s) for s in c.stated_in],
    }


def to_json(result: DocumentReview) -> dict:
    """The review as plain JSON data (the web page renders the same)."""
    return {
        "slug": result.slug,
        "document": str(result.document),
        "title": result.title,
        "draft": result.draft.name if result.has_draft else None,
        "sentences": [
            {
                "position": s.unit.position,
                "line": s.unit.line,
                "section": s.unit.section,
                "text": s.unit.text,
                "sentence": None if s.sentence is None else str(s.sentence),
                "curated": [{"node": str(d.node), "label": d.label, "types": list(d.types)} for d in s.curated],
                "noFactReason": s.no_fact_reason,
                "candidates": [_candidate_json(c) for c in s.candidates],
            }
            for s in result.sentences
        ],
        "elsewhere": [_candidate_json(c) for c in result.elsewhere],
    }


def render_json(result: DocumentReview) -> str:
    """:func:`to_json`, serialized."""
    return json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n"
