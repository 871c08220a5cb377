"""The ``relgraph`` console script.

A command line of the form ``relgraph [--project DIR] query NAME [-p NAME=VALUE]... [--format F]``
is answered here, from the project's cached store (:func:`relgraph.project_store.quick_answer`),
without loading click: the whole process is what a curator waits for, and click's import alone
is a fifth of it. Every other line, and every line this path cannot answer (no store yet for the
current inputs, a query the fast path does not take, any error at all), goes to the click CLI
(:mod:`relgraph.cli`), which parses it, answers it or reports the error with its exit code, so
both give the same bytes and the same exit code (tests/test_query_path.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import EXIT_INTERNAL

_VALUED = {"-p": "params", "--param": "params", "--format": "format"}
"""The query options this path takes, each with a value; any other token goes to the CLI."""


def main() -> None:
    """Run ``relgraph`` with ``sys.argv``; exits with the command's code."""
    try:
        answer = quick_query(sys.argv[1:])
    except KeyboardInterrupt:  # as click's standalone mode does
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    if answer is None:
        from .cli import cli

        cli()
        return
    if sys.stdout is None:  # stdout closed: click writes nothing either
        sys.exit(0)
    try:
        sys.stdout.buffer.write(answer)
        sys.stdout.flush()
    except BrokenPipeError:
        # as the CLI does: the reader went away (`relgraph query visits | head`), not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:  # a full disk: the CLI's one line and exit code
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"relgraph: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
    sys.exit(0)


def quick_answer_line(argv: Sequence[str]) -> tuple[str, str, list[str], str | None] | None:
    """``argv`` read as ``[--project DIR] query NAME [-p NAME=VALUE]... [--format F]`` (each
    option also as ``--opt=value``, ``-pVALUE``), as (project dir, NAME, the parameters, the
    format); None for any other line (``--help``, ``--list``, ``--store``, a second NAME...)."""
    args = list(argv)
    project = "."
    if args and (args[0] == "--project" or args[0].startswith("--project=")):
        project, args = _value(args)
        if project is None:
            return None
    if not args or args.pop(0) != "query":
        return None
    name: str | None = None
    params: list[str] = []
    fmt: str | None = None
    while args:
        token = args[0]
        if not token.startswith("-"):
            if name is not None:
                return None
            name = args.pop(0)
            continue
        option = token.split("=", 1)[0] if token.startswith("--") else token[:2]
        if option not in _VALUED:
            return None
        value, args = _value(args, short=option == "-p")
        if value is None:
            return None
        if _VALUED[option] == "params":
            params.append(value)
        else:
            fmt = value
    if name is None:
        return None
    return project, name, params, fmt


def _value(args: list[str], *, short: bool = False) -> tuple[str | None, list[str]]:
    """The value of the option ``args[0]`` (``--opt=value``, ``-pvalue`` or ``--opt value``) and
    the arguments after it; None if it has none."""
    token = args[0]
    if token.startswith("--") and "=" in token:
        return token.split("=", 1)[1], args[1:]
    if short and len(token) > 2:
        return token[2:], args[1:]
    if len(args) < 2:
        return None, args
    return args[1], args[2:]


def quick_query(argv: Sequence[str]) -> bytes | None:
    """The answer ``relgraph`` would write for ``argv``, if it is a query line the cached store
    answers without the CLI; None otherwise (the CLI then runs the line and reports any error)."""
    line = quick_answer_line(argv)
    if line is None:
        return None
    project_dir, name, params, fmt = line
    from .project import Project
    from .project_store import quick_answer
    from .queries import parse_assignments, query_file, read_query

    try:
        project = Project.discover(Path(project_dir))
        path = query_file(project.queries_dir, name)
        if not path.is_file():
            return None
        return quick_answer(project, read_query(path), parse_assignments(params), format=fmt)
    except Exception:  # any error at all: the CLI runs the line again and reports it, as it does
        return None
