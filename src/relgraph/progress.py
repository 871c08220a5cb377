"""Progress of long work on stderr: a bar when stderr is a terminal, plain lines otherwise.

Library functions take a ``progress`` argument (default :data:`SILENT`); the CLI passes
``Progress()``. Nothing is printed unless a caller asks for it.

>>> import io
>>> out = io.StringIO()
>>> with Progress(stream=out, tty=False).task("load", total=2) as task:
...     task.advance(2)
>>> out.getvalue().splitlines()[0]
'load: 0/2'
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

_BAR_WIDTH = 24


@dataclass
class Task:
    """One step of work with an optional total; ``advance`` as parts finish."""

    progress: Progress
    label: str
    total: int | None
    done: int = 0
    started: float = field(default_factory=time.perf_counter)
    _last_shown: float = 0.0
    _last_tenth: int = -1

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more parts done; redraw if enough time or work has passed."""
        self.done += amount
        self.progress._show(self, final=False)

    def __enter__(self) -> Task:
        self.progress._show(self, final=False, force=True)
        return self

    def __exit__(self, kind, _value, _tb) -> None:
        self.progress._show(self, final=True, interrupted=kind is not None)


@dataclass
class Progress:
    """Writes progress to ``stream``; ``tty`` (default: ask the stream) picks bar or lines.

    Plain lines are written at the start, at every tenth of the total (at most every
    ``interval`` seconds) and at the end, so a log stays short.
    """

    stream: TextIO | None = None
    tty: bool | None = None
    interval: float = 0.2
    enabled: bool = True

    def task(self, label: str, *, total: int | None = None) -> Task:
        """A context manager for one step; the end line says how long it took."""
        return Task(self, label, total)

    def _out(self) -> TextIO:
        return self.stream if self.stream is not None else sys.stderr

    def _is_tty(self) -> bool:
        if self.tty is not None:
            return self.tty
        isatty = getattr(self._out(), "isatty", None)
        return bool(isatty and isatty())

    def _show(self, task: Task, *, final: bool, force: bool = False, interrupted: bool = False) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        fraction = task.done / task.total if task.total else 0.0
        tty = self._is_tty()
        if not (final or force):
            if now - task._last_shown < self.interval:
                return
            if not tty and task.total and task.done * 10 // task.total <= task._last_tenth:
                return
            if not tty and not task.total:
                return
        task._last_shown = now
        task._last_tenth = task.done * 10 // task.total if task.total else 0
        count = f"{task.done}/{task.total}" if task.total else f"{task.done}"
        if final:
            status = "interrupted" if interrupted else "done"
            text = f"{task.label}: {status} in {now - task.started:.2f}s ({count})"
        elif tty and task.total:
            filled = int(_BAR_WIDTH * min(fraction, 1.0))
            text = f"{task.label} [{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {count}"
        else:
            text = f"{task.label}: {count}"
        stream = self._out()
        if tty:
            stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            stream.write(text + "\n")
        stream.flush()


SILENT = Progress(enabled=False)
"""The default: report nothing."""
