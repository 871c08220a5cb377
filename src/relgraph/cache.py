"""A cache of the inferred graph, so that ``query`` and ``export`` do not re-run the reasoner.

The key is a digest of everything reasoning depends on: the bytes of the ontology and data
files, the ``derive-*`` rules, and the versions of relgraph and owlrl. A changed input gives a
new key, so a stale entry is never read. The cache lives in ``<project>/.relgraph-cache/``; if
it cannot be read or written, reasoning simply runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph
from rdflib.exceptions import ParserError


from .errors import OutputError
from .export import serialize_graph, write_atomic

CACHE_DIR = ".relgraph-cache"


def input_digest(files: Iterable[Path]) -> str:
    """SHA-256 over the versions of relgraph and owlrl and the names and bytes of ``files``."""
    digest = hashlib.sha256(f"relgraph {version('relgraph')}\nowlrl {version('owlrl')}\n".encode())
    for path in sorted(Path(f) for f in files):
        content = path.read_bytes()
        digest.update(f"{path.name}\n{len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()


def cached_graph(root: Path, files: Iterable[Path], compute: Callable[[], Graph]) -> Graph:
    """The graph ``compute`` returns for these input ``files``, read from the cache when present."""
    entry = Path(root) / CACHE_DIR / f"inferred-{input_digest(files)}.nt"
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
        pass  # a read-only checkout still answers, only slower
    return graph
