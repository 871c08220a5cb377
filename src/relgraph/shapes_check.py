"""The shapes are checked before they check the data: SHACL's own shapes for SHACL.

A shapes file with ``sh:minCount "many"`` or ``sh:datatype "xsd:date"`` (a string, not an
IRI) is not an error to a SHACL engine: the constraint is ignored and the data "conforms".
pySHACL's meta-validation checks the shapes graph against the W3C's SHACL-SHACL shapes
(https://www.w3.org/TR/shacl/#shacl-shacl); a shapes graph that fails it is an InputError
naming the file and the first shape at fault. The check costs seconds, so a shapes file
that passed is remembered, by the digest of its bytes, in the project's cache folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .cache import keep_only
from .errors import InputError
from .vocab import PREFIXES


_SHAPES_OK = "shapes-ok-"


def check_shapes(shapes: Graph, *, path: Path, cache_dir: Path | None = None) -> None:
    """InputError if ``shapes`` (read from ``path``) is not a valid SHACL shapes graph."""
    marker = None
    if cache_dir is not None:
        marker = cache_dir / f"{_SHAPES_OK}{hashlib.sha256(Path(path).read_bytes()).hexdigest()}"
        if marker.is_file():
            return
    from pyshacl.entrypoints import meta_validate

    conforms, results, _ = meta_validate(shapes, inference="none")
    if not conforms:
        raise InputError(f"not valid SHACL: {_first_problem(results)}", path=path)
    if marker is not None:
        try:
            marker.parent.mkdir(exist_ok=True)
            marker.touch()
        except OSError:
            return  # a read-only checkout checks again next time
        keep_only(marker, _SHAPES_OK)


def _first_problem(results: Graph) -> str:
    problems = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        problems.append(f"{_name(focus)}: {_name(path)} {value.n3() if value is not None else ''}: {message}".replace("  ", " "))
    problems.sort()
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (problems[0] if problems else "the shapes graph does not conform to SHACL-SHACL") + more


def _name(term) -> str:
    if isinstance(term, URIRef):
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(str(namespace)):]}"
        if str(term).startswith(str(SH)):
            return "sh:" + str(term)[len(str(SH)):]
        return f"<{term}>"
    return "a blank node shape" if term is not None else ""
