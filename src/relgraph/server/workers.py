"""A pool of forked worker processes that answer tasks under a time limit that really stops them.

rdflib has no query timeout and a Python thread cannot be stopped, so each task runs in a
worker process forked from the server after the graph is loaded (the graph is shared
copy-on-write, nothing is re-loaded; a store is opened by each worker). A task still running when its time is up is stopped by
killing its worker, which is replaced by a fresh fork; the server's event loop never waits on a
query, so other clients are answered meanwhile.
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import multiprocessing
import os
import resource
import signal
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ..errors import RelgraphError
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


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    task_began: object
    """A shared double: the worker's CPU time (``time.process_time``) when it took its task
    from the pipe; -1 from when a task is sent until then (a fresh worker may still be opening
    its store, which is not the task's CPU)."""
    demoted: bool = False
    long: bool = False
    """Running a task past ``demote_after`` now (demoted or not: the system may refuse)."""
    linger: asyncio.TimerHandle | None = None
    """For an extra worker waiting idle: when it ends if no task comes."""


_LOWEST_PRIORITY = 19


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user and system) the process ``pid`` has used; None where the system does
    not say (no ``/proc``)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()  # after the command name, which may hold spaces
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError):
        return None


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
                 memory_limit: int | None, offline: bool, task_began) -> None:
    for other in inherited:  # the server's ends of the pipes: only the server may hold them
        other.close()
    if offline:
        try:
            cut_network()
        except SandboxError as error:  # the query check still refuses SERVICE; say so once per worker
            sys.stderr.write(f"relgraph: warning: query worker not cut off from the network: {error}\n")
    try:  # a task sent to a worker does not preempt the server process that sends it: the server
        # goes on reading requests and writing answers meanwhile (measured: bench/load.py)
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux: the usual scheduling
        pass
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent()
    warm = getattr(backend, "in_worker", None)
    if warm is not None:  # open the store now, not in the first task's time
        try:
            warm()
        except RelgraphError as error:  # a store that cannot be opened: each task answers 503 with why
            sys.stderr.write(f"relgraph: warning: query worker could not open its store yet: {error}\n")
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
        task_began.value = time.process_time()
        reply = execute(task, backend, limits)
        try:
            conn.send(reply)
        except OSError:
            return


class WorkerPool:
    """Workers over ``backend`` (see ``backend``); :meth:`run` answers a task or raises within
    ``timeout`` s. ``offline`` workers run in a network namespace of their own (see
    ``sandbox``): for every store but a remote one, which the workers must reach.

    ``size`` workers wait ready. With every worker busy, a task waits its turn: a worker that
    finishes goes to the task that has waited longest (first come, first served; no newcomer
    takes it first), and WorkersBusy only if none comes within ``timeout``. Cheap tasks are
    best served so, by a few warm workers: more processes than cores only share the same CPU.
    But once every busy worker runs a long task (past ``demote_after`` s), another is forked
    for the next waiting task (a fork shares the loaded graph, so it costs milliseconds), up to
    ``max_size``, so that long tasks never keep a cheap one waiting; an extra worker ends once
    it has had no task for ``linger`` s. A task that has used ``demote_after`` s of CPU is demoted
    (its worker's CPU priority lowered to the least), so that long queries share the CPU among
    themselves and a cheap query, in a fresh worker at normal priority, is answered at once.
    """

    def __init__(self, backend, limits: Limits, *, size: int, timeout: float,
                 memory_limit: int | None = None, offline: bool = True, max_size: int | None = None,
                 demote_after: float = 0.5, linger: float = 10.0) -> None:
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
        self.linger = linger
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._idle: collections.deque[_Worker] | None = None
        self._waiting: collections.deque[asyncio.Future[_Worker]] = collections.deque()
        self._busy: set[_Worker] = set()

    def _spawn(self) -> _Worker:
        server_end, worker_end = self._context.Pipe()
        inherited = [w.conn for w in self._workers] + [server_end]
        task_began = self._context.Value("d", -1.0, lock=False)
        process = self._context.Process(
            target=_worker_main,
            args=(worker_end, inherited, self.backend, self.limits, self.memory_limit, self.offline, task_began),
            name="relgraph-worker",
            daemon=True,
        )
        process.start()
        worker_end.close()
        worker = _Worker(process, server_end, task_began)
        self._workers.append(worker)
        return worker

    async def start(self) -> None:
        """Fork the ready workers (call from the running event loop)."""
        self._idle = collections.deque()
        for _ in range(self.size):
            self._idle.append(self._spawn())

    def _end(self, worker: _Worker) -> None:
        if worker.linger is not None:
            worker.linger.cancel()
            worker.linger = None
        if worker in self._idle:
            self._idle.remove(worker)
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self._workers.remove(worker)

    def _replace(self, worker: _Worker) -> None:
        self._end(worker)
        if len(self._workers) < self.size or self._live_waiters():
            self._hand_over(self._spawn())

    def _live_waiters(self) -> bool:
        while self._waiting and self._waiting[0].done():  # timed out or cancelled meanwhile
            self._waiting.popleft()
        return bool(self._waiting)

    def _hand_over(self, worker: _Worker) -> None:
        """To the task that has waited longest, else back to the ready workers."""
        if self._live_waiters():
            self._waiting.popleft().set_result(worker)
            return
        self._idle.append(worker)
        if len(self._workers) > self.size:  # an extra one: it ends if it stays idle
            worker.linger = asyncio.get_running_loop().call_later(self.linger, self._end_idle, worker)

    def _end_idle(self, worker: _Worker) -> None:
        worker.linger = None
        if worker in self._idle and len(self._workers) > self.size:
            self._end(worker)

    def _release(self, worker: _Worker) -> None:
        """Back to work (see :meth:`_hand_over`); one whose priority cannot be raised again is
        replaced instead."""
        if worker.demoted:
            try:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, 0)
                worker.demoted = False
            except OSError:  # only a privileged process may raise a priority again
                self._replace(worker)
                return
        self._hand_over(worker)

    def _spare(self) -> None:
        """Fork a worker for the task waiting longest if every busy worker runs a long task."""
        if self._live_waiters() and len(self._workers) < self.max_size and all(w.long for w in self._busy):
            self._hand_over(self._spawn())

    async def _acquire(self) -> _Worker:
        if self._idle and not self._live_waiters():
            worker = self._idle.pop()  # the most recently used: the others may linger out
            if worker.linger is not None:
                worker.linger.cancel()
                worker.linger = None
            return worker
        if len(self._workers) < self.max_size and all(w.long for w in self._busy):
            return self._spawn()
        turn: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            return await asyncio.wait_for(asyncio.shield(turn), self.timeout)
        except TimeoutError:
            if turn.done() and not turn.cancelled():  # given a worker at the last moment: keep it busy
                self._hand_over(turn.result())
            turn.cancel()
            raise WorkersBusy() from None
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._hand_over(turn.result())
            turn.cancel()
            raise

    async def _receive(self, worker: _Worker) -> Reply:
        """The reply, within ``timeout``: past ``demote_after`` s the task is long (a spare may be
        forked, :meth:`_spare`), and it is demoted once it has used ``demote_after`` s of CPU.
        A cheap task slowed by a busy machine, or one waiting on a remote store, is not demoted:
        at the least priority, beside other work at the usual one, it would hardly run again."""
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        deadline, checking, wait = loop.time() + self.timeout, True, self.demote_after
        try:
            while not ready.done():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    if worker.conn.poll():  # the reply came as the time ran out
                        break
                    raise TimeoutError
                done, _ = await asyncio.wait({ready}, timeout=min(wait, remaining) if checking else remaining)
                if done or loop.time() >= deadline:
                    continue
                if not worker.long:
                    worker.long = True
                    self._spare()
                if checking:
                    used = self._cpu_used(worker)
                    if used is None or used >= self.demote_after:
                        _demote(worker)  # attempted once
                        checking = False
                    else:  # look again when it could have used the rest
                        wait = max(self.demote_after - used, 0.05)
        finally:
            loop.remove_reader(fd)
            if not ready.done():
                ready.cancel()
        return worker.conn.recv()

    async def run(self, task) -> Reply:
        """The worker's reply to ``task``. QueryTimeout, WorkersBusy or WorkerDied otherwise."""
        assert self._idle is not None, "start() the pool first"
        worker = await self._acquire()
        self._busy.add(worker)
        try:
            worker.task_began.value = -1.0
            worker.conn.send(task)
            reply = await self._receive(worker)
        except TimeoutError:
            self._busy.discard(worker)
            self._replace(worker)
            raise QueryTimeout() from None
        except (EOFError, OSError):
            self._busy.discard(worker)
            self._replace(worker)
            raise WorkerDied() from None
        except asyncio.CancelledError:
            self._busy.discard(worker)
            self._replace(worker)  # the client went away mid-task: stop the work too
            raise
        self._busy.discard(worker)
        worker.long = False
        self._release(worker)
        return reply

    def _cpu_used(self, worker: _Worker) -> float | None:
        """The CPU seconds the worker has spent on its task: 0 until it has taken it; None where
        the system does not say (the task is then demoted by the time it has run)."""
        now = cpu_seconds(worker.process.pid)
        if now is None:
            return None
        began = worker.task_began.value
        return 0.0 if began < 0 else max(0.0, now - began)

    def busy(self) -> int:
        """Workers running a task now."""
        return len(self._workers) - (len(self._idle) if self._idle is not None else 0)

    def pids(self) -> tuple[int, ...]:
        """The process ids of the current workers."""
        return tuple(w.process.pid for w in self._workers)

    async def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._workers):
            if worker.linger is not None:
                worker.linger.cancel()
            worker.conn.close()  # an idle worker sees EOF and returns
            worker.process.join(1)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)
        self._workers.clear()
