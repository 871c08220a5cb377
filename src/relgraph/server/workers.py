"""A pool of forked worker processes that answer tasks under a time limit that really stops them.

rdflib has no query timeout and a Python thread cannot be stopped, so each task runs in a
worker process forked from the server after the graph is loaded (the graph is shared
copy-on-write, nothing is re-loaded; a store is opened by each worker). A task still running when its time is up is stopped by
killing its worker, which is replaced by a fresh fork; the server's event loop never waits on a
query, so other clients are answered meanwhile.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import resource
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection

from .replies import Reply
from .sandbox import SandboxError, cut_network
from .tasks import Limits, execute

_PR_SET_PDEATHSIG = 1


class QueryTimeout(Exception):
    """A task ran past the time limit; its worker was killed."""


class WorkersBusy(Exception):
    """No worker became free within the time limit."""


class WorkerDied(Exception):
    """A worker ended while running a task (out of memory, say); it was replaced."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    demoted: bool = False


_LOWEST_PRIORITY = 19


def _demote(worker: _Worker) -> None:
    """Lower the CPU priority of a worker running a long task (best effort)."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, _LOWEST_PRIORITY)
        worker.demoted = True
    except OSError:  # the worker is gone already, or the system refuses: leave it as it is
        pass


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server process goes (best effort elsewhere)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def _worker_main(conn: Connection, inherited: list[Connection], backend, limits: Limits,
                 memory_limit: int | None, offline: bool) -> None:
    for other in inherited:  # the server's ends of the pipes: only the server may hold them
        other.close()
    if offline:
        try:
            cut_network()
        except SandboxError as error:  # the query check still refuses SERVICE; say so once per worker
            sys.stderr.write(f"relgraph: warning: query worker not cut off from the network: {error}\n")
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    if memory_limit:
        try:
            # headroom over what the worker already maps (the loaded graph, the libraries)
            with open("/proc/self/statm", encoding="ascii") as statm:
                mapped = int(statm.read().split()[0]) * resource.getpagesize()
            limit = mapped + memory_limit
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass  # no /proc or no such limit here: run without it
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        reply = execute(task, backend, limits)
        try:
            conn.send(reply)
        except OSError:
            return


class WorkerPool:
    """Workers over ``backend`` (see ``backend``); :meth:`run` answers a task or raises within
    ``timeout`` s. ``offline`` workers run in a network namespace of their own (see
    ``sandbox``): for every store but a remote one, which the workers must reach.

    ``size`` workers wait ready; when all are busy, another is forked for the task at once (a
    fork shares the loaded graph, so it costs milliseconds), up to ``max_size``; the extra ones
    end when they are idle again. A task that runs longer than ``demote_after`` s is demoted
    (its worker's CPU priority lowered to the least), so that long queries share the CPU among
    themselves and a cheap query, in a fresh worker at normal priority, is answered at once.
    """

    def __init__(self, backend, limits: Limits, *, size: int, timeout: float,
                 memory_limit: int | None = None, offline: bool = True, max_size: int | None = None,
                 demote_after: float = 0.5) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.backend = backend
        self.limits = limits
        self.size = size
        self.max_size = max(size, max_size or size)
        self.timeout = timeout
        self.memory_limit = memory_limit
        self.offline = offline
        self.demote_after = demote_after
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None

    def _spawn(self) -> _Worker:
        server_end, worker_end = self._context.Pipe()
        inherited = [w.conn for w in self._workers] + [server_end]
        process = self._context.Process(
            target=_worker_main,
            args=(worker_end, inherited, self.backend, self.limits, self.memory_limit, self.offline),
            name="relgraph-worker",
            daemon=True,
        )
        process.start()
        worker_end.close()
        worker = _Worker(process, server_end)
        self._workers.append(worker)
        return worker

    async def start(self) -> None:
        """Fork the ready workers (call from the running event loop)."""
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(self._spawn())

    def _end(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self._workers.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        self._end(worker)
        if len(self._workers) < self.size:
            self._idle.put_nowait(self._spawn())

    def _release(self, worker: _Worker) -> None:
        """Back to the ready workers; an extra one, or one whose priority cannot be raised
        again, ends instead."""
        if worker.demoted:
            try:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, 0)
                worker.demoted = False
            except OSError:  # only a privileged process may raise a priority again
                self._replace(worker)
                return
        if len(self._workers) > self.size:
            self._end(worker)
            return
        self._idle.put_nowait(worker)

    async def _acquire(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except asyncio.QueueEmpty:
            pass
        if len(self._workers) < self.max_size:
            return self._spawn()
        try:
            return await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise WorkersBusy() from None

    async def _receive(self, worker: _Worker) -> Reply:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            done, _ = await asyncio.wait({ready}, timeout=min(self.demote_after, self.timeout))
            if not done:
                _demote(worker)
                await asyncio.wait_for(ready, self.timeout - min(self.demote_after, self.timeout))
        finally:
            loop.remove_reader(fd)
            if not ready.done():
                ready.cancel()
        return worker.conn.recv()

    async def run(self, task) -> Reply:
        """The worker's reply to ``task``. QueryTimeout, WorkersBusy or WorkerDied otherwise."""
        assert self._idle is not None, "start() the pool first"
        worker = await self._acquire()
        try:
            worker.conn.send(task)
            reply = await self._receive(worker)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout() from None
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerDied() from None
        except asyncio.CancelledError:
            self._replace(worker)  # the client went away mid-task: stop the work too
            raise
        self._release(worker)
        return reply

    def busy(self) -> int:
        """Workers running a task now."""
        return len(self._workers) - (self._idle.qsize() if self._idle is not None else 0)

    def pids(self) -> tuple[int, ...]:
        """The process ids of the current workers."""
        return tuple(w.process.pid for w in self._workers)

    async def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            worker.conn.close()  # an idle worker sees EOF and returns
            worker.process.join(1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
        self._workers.clear()
