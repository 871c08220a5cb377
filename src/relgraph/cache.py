"""A cache of the inferred graph, so that ``query`` and ``export`` do not re-run the reasoner.

The key is a digest of everything reasoning depends on: the bytes of the ontology and data
files, the ``derive-*`` rules, and the versions of relgraph and owlrl. A changed input gives a
new key, so a stale entry is never read. The cache lives in ``<project>/.relgraph-cache/``; if
it cannot be read or written, reasoning simply runs.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rdflib is imported where it is used: the query path runs without it
    from rdflib import Graph

    from .project import Project

CACHE_DIR = ".relgraph-cache"


def input_digest(files: Iterable[Path]) -> str:
    """SHA-256 over the versions of relgraph and owlrl, the layout of relgraph's stores
    (:data:`STORE_LAYOUT`) and the names and bytes of ``files``."""
    digest = hashlib.sha256(
        f"relgraph {_version('relgraph')}\nowlrl {_version('owlrl')}\nstores {STORE_LAYOUT}\n".encode()
    )
    for path in sorted(Path(f) for f in files):
        content = path.read_bytes()
        digest.update(f"{path.name}\n{len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()


STORE_LAYOUT = 2
"""Raised when what a store holds changes (2: the state is a file beside Oxigraph's, not quads),
so that a cached store of an earlier layout is made again rather than read."""


def keep_only(entry: Path, prefix: str) -> None:
    """Remove the other entries named ``prefix``… beside ``entry`` in its cache folder: those
    made from earlier inputs, which a changed input never reads again (best effort)."""
    try:
        for old in Path(entry).parent.glob(f"{prefix}*"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _version(distribution: str) -> str:
    """The installed version of ``distribution``, read from the name of its ``.dist-info``
    folder (``importlib.metadata`` alone takes longer to import than a query takes to answer)."""
    prefix = distribution.replace("-", "_") + "-"
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as folder:
                for item in folder:
                    if item.name.startswith(prefix) and item.name.endswith(".dist-info"):
                        return item.name[len(prefix):-len(".dist-info")]
        except OSError:
            continue
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def project_inputs(project: Project, rules: Iterable[Path] | None = None) -> list[Path]:
    """The files the graph of ``project`` is made from: ontology, data, the texts its sentences
    are generated from (every ``.txt`` beside a ``document.ttl``, found without parsing it) and
    derive- rules (``rules``: their paths; by default the ``derive-*.rq`` files of its queries
    folder)."""
    if rules is None:
        queries = Path(project.queries_dir)
        rules = sorted(queries.glob("derive-*.rq"), key=lambda p: p.stem) if queries.is_dir() else []
    folders = sorted({Path(p).parent for p in project.data_files if Path(p).name == "document.ttl"})
    texts = [text for folder in folders for text in sorted(folder.glob("*.txt"))]
    return [*project.ontology_files, *project.data_files, *texts, *rules]


def cached_graph(root: Path, files: Iterable[Path], compute: Callable[[], Graph]) -> Graph:
    """The graph ``compute`` returns for these input ``files``, read from the cache when present."""
    from rdflib import Graph
    from rdflib.exceptions import ParserError

    from .errors import OutputError
    from .export import serialize_graph, write_atomic

    entry = Path(root) / CACHE_DIR / f"{_INFERRED}{input_digest(files)}.nt"
    if entry.is_file():
        try:
            return Graph().parse(entry, format="nt")
        except (OSError, ParserError, SyntaxError, ValueError):
            pass  # an unreadable entry is recomputed and rewritten below
    graph = compute()
    try:
        entry.parent.mkdir(exist_ok=True)
        write_atomic(entry, serialize_graph(graph, format="nt"))
    except (OSError, OutputError):
        return graph  # a read-only checkout still answers, only slower
    keep_only(entry, _INFERRED)
    return graph


_INFERRED = "inferred-"
