"""The running server's parts: its settings, the loaded graph, the worker pool and the reply cache."""

from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path

from ..stores import parse_spec
from .replies import HttpError, Reply
from .replycache import ReplyCache
from .search import SearchIndex
from .backend import MemoryBackend, StoreBackend
from .tasks import Limits
from .workers import QueryTimeout, WorkerDied, WorkerPool, WorkersBusy


def default_workers() -> int:
    """One worker more than the machine has cores: while the server process reads a request
    and writes an answer, a worker is still at work on each core. Measured on 2 cores with 16
    clients (bench/load.py): 2 workers left the cores idle between tasks, 4 or more only
    made them share the cores."""
    return min((os.cpu_count() or 1) + 1, MAX_WORKERS)


MAX_WORKERS = 8


@dataclass(frozen=True)
class ServerConfig:
    """How ``relgraph serve`` runs; every limit is on by default."""

    project: Path
    timeout: float = 10.0
    """Seconds a query (or any task on the graph) may run before its worker is killed: 503."""
    workers: int = field(default_factory=lambda: default_workers())
    """Worker processes kept ready to answer queries (see :func:`default_workers`)."""
    max_workers: int = MAX_WORKERS
    """Most worker processes at once: when every busy worker runs a long task, more are forked
    for the tasks that wait, up to this many (each under ``memory_limit``; see ``workers``)."""
    per_client: int = 5
    """Requests one client (IP address) may have in flight; 429 with Retry-After beyond."""
    max_rows: int = 10_000
    """Most rows (or triples) in one answer: 422 beyond."""
    max_body: int = 1_000_000
    """Largest request body in bytes: 413 beyond."""
    memory_limit: int | None = 2 * 1024**3
    """Bytes of address space a worker may add to what it maps when forked (None: no limit);
    a query that needs more fails with 503 and its worker is replaced."""
    cache_bytes: int = 64 * 1024**2
    """Bytes of finished replies kept for repeated requests (0: no cache)."""
    store: str | None = None
    """Where the graph is read from: None (the default) for the project's own Oxigraph store in
    its cache folder, as ``relgraph query`` reads it; ``memory`` (loaded into the server),
    ``oxigraph:PATH`` or ``sparql:URL`` (queries run in the store; see ``backend``)."""


class Server:
    """What every handler uses; one per app."""

    def __init__(self, config: ServerConfig, backend: MemoryBackend | StoreBackend) -> None:
        self.config = config
        self.backend = backend
        backend.prepare()  # before the workers fork: each inherits the parsed queries
        self.search_index = SearchIndex.build(backend.labels())
        self.pool = WorkerPool(
            backend, Limits(max_rows=config.max_rows), size=config.workers, max_size=config.max_workers,
            timeout=config.timeout,
            memory_limit=config.memory_limit, offline=config.store is None or not parse_spec(config.store).remote,
        )
        self.cache = ReplyCache(max_bytes=config.cache_bytes)

    async def answer(self, task: Hashable) -> Reply:
        """The reply to ``task`` from the cache or a worker; 503 HttpError when stopped or busy."""
        cached = self.cache.get(task)
        if cached is not None:
            return cached
        try:
            reply = await self.pool.run(task)
        except QueryTimeout:
            raise HttpError(
                503, f"query stopped: it ran longer than this server's time limit of {self.config.timeout:g} s (--timeout)"
            ) from None
        except WorkersBusy:
            raise HttpError(
                503, f"all {self.config.max_workers} query workers stayed busy for {self.config.timeout:g} s; try again later"
            ) from None
        except WorkerDied:
            raise HttpError(503, "the query's worker stopped (out of memory?); it has been replaced") from None
        self.cache.put(task, reply)
        return reply
