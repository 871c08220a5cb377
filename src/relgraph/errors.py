"""The errors relgraph raises for bad input or usage, each with its exit code.

A failed check (data that does not conform, an inconsistent graph, incomplete
coverage) is a *result*, not an exception: see the reports of ``validate``,
``reason`` and ``coverage``. Exceptions here mean "could not run as asked".

Exit codes (shared by the CLI and documented in its ``--help``):

* 0 — ran, and every check passed
* 1 — ran, and a check failed
* 2 — bad input or usage (these exceptions)
* 3 — internal error (a bug in relgraph)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


class RelgraphError(Exception):
    """Base of every error relgraph reports to a user; ``str()`` is the one-line message."""

    exit_code = EXIT_BAD_INPUT


class InputError(RelgraphError):
    """A file is missing, unreadable or malformed.

    >>> str(InputError("bad syntax", path=Path("data/x.ttl"), line=3, column=7))
    'data/x.ttl:3:7: bad syntax'
    """

    def __init__(
        self,
        reason: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.column = column
        where = "" if path is None else str(path)
        if path is not None and line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}" if where else reason)


class ProjectError(InputError):
    """The directory is not a relgraph project (no ``ontology/`` or ``data/``)."""


class QueryNotFound(RelgraphError):
    """No stored query has this name; the message lists the names there are."""

    def __init__(self, name: str, *, available: Iterable[str]) -> None:
        self.name = name
        self.available = tuple(sorted(available))
        names = ", ".join(self.available) or "(none)"
        super().__init__(f"no query named {name!r}; available: {names}")


class ParameterError(RelgraphError):
    """A parameter (of a query, or an option) is unknown, missing or does not parse.

    >>> str(ParameterError("year", "'20x1' is not an xsd:gYear"))
    "parameter 'year': '20x1' is not an xsd:gYear"
    """

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"parameter {parameter!r}: {reason}")


class QuerySyntaxError(RelgraphError):
    """A SPARQL query does not parse, or uses a feature relgraph refuses (SERVICE, FROM)."""

    def __init__(self, query: str, reason: str, *, path: Path | None = None) -> None:
        self.query = query
        self.path = path
        self.reason = reason
        where = f"query {query!r}" + (f" ({path})" if path is not None else "")
        super().__init__(f"{where}: {reason}")


class OutputError(RelgraphError):
    """A file cannot be written (a missing folder, no permission, a full disk): exit 2."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        super().__init__(f"cannot write {self.path}: {reason}")
