"""``relgraph accept`` and ``relgraph reject``: candidates out of the draft, all at once or not at all.

Accepting a candidate moves its triples (its own and those of the blank nodes it reaches),
without the draft marks (rgc:), to ``entities.ttl`` or ``facts.ttl`` by its ``rgc:kind``;
rejecting drops them. Either way the draft is rewritten without them in the same step.

Every file is written to a temporary sibling first; only when all are complete are they
renamed into place (a rename that fails puts back the files already renamed). An existing
curator's file keeps its bytes, comments and layout: the accepted triples are appended as a
block of sorted, prefixed Turtle. A new file, and the draft, are written whole, sorted.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.term import Node

from ..errors import OutputError, ParameterError
from ..export import canonical_graph
from ..project import Project
from ..vocab import RGD, bind_prefixes
from .candidates import KINDS, RGC, Candidate, Draft, candidate_triples, document_folder, read_draft

_HEADERS = {
    "entities.ttl": "# What the document names: states, organizations, places, people, offices, products.",
    "facts.ttl": "# What the document states, each fact with rg:statedIn its sentence(s).",
}


@dataclass(frozen=True)
class CurationChange:
    """What :func:`accept` or :func:`reject` did."""

    folder: Path
    candidates: tuple[Candidate, ...]
    targets: tuple[tuple[str, str], ...]
    """(candidate id, file name) for each accepted candidate; empty for a rejection."""
    remaining: int
    """Candidates left in the draft."""
    written: tuple[Path, ...]
    removed: tuple[Path, ...]


def _chosen(draft: Draft, ids: Iterable[str], all_: bool) -> tuple[Candidate, ...]:
    ids = tuple(ids)
    if all_ and ids:
        raise ParameterError("ID", "give candidate ids or --all, not both")
    if not all_ and not ids:
        raise ParameterError("ID", "give one or more candidate ids, or --all")
    if not draft.path.is_file():
        raise ParameterError("ID", f"no draft: {draft.path} does not exist (`relgraph draft` writes it)")
    return draft.candidates if all_ else draft.get(ids)


def _turtle(graph: Graph, slug: str, *, marks: bool = False) -> bytes:
    out = canonical_graph(graph)
    out.bind("s", Namespace(f"{RGD}{slug}/sentence/"))
    if marks:
        out.bind("rgc", RGC)
    return out.serialize(format="turtle", encoding="utf-8")


def _without_marks(triples: set[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for triple in triples:
        if not any(str(term).startswith(str(RGC)) for term in triple):
            graph.add(triple)
    return graph


def accept(project: Project, slug: str, ids: Iterable[str] = (), *, all_: bool = False) -> CurationChange:
    """Move the candidates ``ids`` (or all) of ``data/SLUG/draft.ttl`` into entities.ttl / facts.ttl."""
    return _change(project, slug, ids, all_, accepting=True)


def reject(project: Project, slug: str, ids: Iterable[str] = (), *, all_: bool = False) -> CurationChange:
    """Drop the candidates ``ids`` (or all) from ``data/SLUG/draft.ttl``."""
    return _change(project, slug, ids, all_, accepting=False)


def _change(project: Project, slug: str, ids: Iterable[str], all_: bool, *, accepting: bool) -> CurationChange:
    folder = document_folder(project, slug)
    draft = read_draft(folder)
    chosen = _chosen(draft, ids, all_)
    moved: dict[str, set] = {}
    left = Graph()
    left += draft.graph
    for candidate in chosen:
        triples = candidate_triples(draft.graph, candidate.node)
        moved.setdefault(KINDS[candidate.kind], set()).update(triples)
        for triple in triples:
            left.remove(triple)
    outputs: dict[Path, bytes] = {}
    if accepting:
        for name, triples in sorted(moved.items()):
            outputs[folder / name] = _target_bytes(folder / name, _without_marks(triples), slug)
    remaining = len(draft.candidates) - len(chosen)
    removed: tuple[Path, ...] = ()
    if len(left):
        header = f"# The draft of {slug}: the candidates left to review (rewritten by relgraph accept/reject).\n\n"
        outputs[draft.path] = header.encode() + _turtle(left, slug, marks=True)
    else:
        removed = (draft.path,)
    _commit(outputs, removed)
    targets = tuple((c.id, KINDS[c.kind]) for c in chosen) if accepting else ()
    return CurationChange(folder, chosen, targets, remaining, tuple(sorted(outputs)), removed)


def _target_bytes(path: Path, graph: Graph, slug: str) -> bytes:
    block = _turtle(graph, slug)
    if not path.is_file():
        return f"{_HEADERS[path.name]}\n# Written by relgraph accept; edit freely.\n\n".encode() + block
    current = path.read_bytes()
    separator = b"" if current.endswith(b"\n") or not current else b"\n"
    note = f"\n# Accepted from the draft of {slug} (relgraph accept).\n".encode()
    return current + separator + note + block


def _commit(outputs: dict[Path, bytes], removed: tuple[Path, ...]) -> None:
    """Write every output to a temporary sibling, then rename them all into place and remove
    ``removed``; if any step fails, the files are as they were."""
    temps: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps[path] = Path(temp)
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
            os.fchmod(handle, mode)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    except OSError as error:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise OutputError(path, error.strerror or str(error)) from None
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for path in [*outputs, *removed]:
            if path.exists():
                backup = path.parent / f".{path.name}.{os.getpid()}.bak"
                os.link(path, backup)
                backups[path] = backup
        for path in outputs:
            os.replace(temps[path], path)
            done.append(path)
        for path in removed:
            if path.exists():
                path.unlink()
                done.append(path)
    except OSError as error:
        for path in done:
            if path in backups:
                os.replace(backups.pop(path), path)
            else:
                path.unlink(missing_ok=True)
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise OutputError(path, error.strerror or str(error)) from None
    finally:
        for backup in backups.values():
            backup.unlink(missing_ok=True)
