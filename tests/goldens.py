"""The golden answers of the stored queries, per document.

``tests/golden/<document>/`` holds, for the document ``data/<document>/``, the exact answer of every
stored query over that document alone (the ontology and the document's own files, with their
inferences): ``<query>.csv`` (SPARQL 1.1 CSV) for SELECT, ``<query>.nt`` (sorted N-Triples) for
CONSTRUCT. ``parameters.json`` gives the values each query with parameters runs with (the pair
of states the document is about, a fact of it): ``{"visits": {"stateA": "japan", ...}, ...}``.

An answer over one document never changes when another document is added; over the whole graph
it may only grow: every row of each document's golden answer is still in it
(:func:`assert_contains`). ``RELGRAPH_REGENERATE_GOLDEN=1 pytest tests/test_queries.py`` rewrites
the files of every document.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

from rdflib import Dataset

from relgraph.build import inferred_for, query_dataset
from relgraph.project import Project
from relgraph.queries import Catalogue
from relgraph.results import run_query, serialize_result

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
CATALOGUE = Catalogue.load(ROOT / "queries")
PARAMETERS = "parameters.json"


def golden_documents() -> list[str]:
    """The documents that have golden answers (folders of tests/golden/)."""
    return sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def parameters(document: str) -> dict[str, dict[str, str]]:
    """The parameter values of each query for ``document`` (queries without parameters absent)."""
    return json.loads((GOLDEN / document / PARAMETERS).read_text(encoding="utf-8"))


def params_for(document: str, name: str) -> dict[str, str]:
    return parameters(document).get(name, {})


def golden_path(document: str, name: str) -> Path:
    return GOLDEN / document / f"{name}.{'nt' if CATALOGUE.get(name).name.startswith('derive-') else 'csv'}"


def golden(document: str, name: str) -> bytes:
    return golden_path(document, name).read_bytes()


SHARED = "reference"
"""``data/reference/``: general knowledge every document shares (which office heads a state or its
government), loaded with each document."""


def document_files(project: Project, document: str) -> list[Path]:
    """The data files of ``document`` (those under data/<document>/ that the project loads), with
    the shared reference data."""
    data = project.root / "data"
    return [p for p in project.data_files if p.relative_to(data).parts[0] in (document, SHARED)]


def document_dataset(root: Path, document: str) -> Dataset:
    """The ontology and ``document``'s own data, with their inferences, ready to query."""
    project = Project.discover(root)
    loaded = project.load(data_files=document_files(project, document))
    return query_dataset(loaded, inferred_for(project, loaded, CATALOGUE))


def project_dataset(root: Path) -> Dataset:
    """The whole project at ``root``, with its inferences, ready to query."""
    project = Project.discover(root)
    loaded = project.load()
    return query_dataset(loaded, inferred_for(project, loaded, CATALOGUE))


def answer(dataset, name: str, **params: str) -> bytes:
    """The answer to stored query ``name`` as its golden file holds it (CSV or sorted N-Triples)."""
    result = run_query(CATALOGUE.get(name), dataset, params=params)
    return render(result)


def render(result) -> bytes:
    if result.graph is not None:
        lines = sorted(serialize_result(result, format="nt").decode().splitlines())
        return ("\n".join(line for line in lines if line) + "\n").encode()
    return serialize_result(result, format="csv")


def _rows(data: bytes, *, triples: bool) -> tuple[tuple[str, ...], Counter]:
    text = data.decode("utf-8")
    if triples:
        return (), Counter(line for line in text.splitlines() if line)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return tuple(rows[0]) if rows else (), Counter(tuple(row) for row in rows[1:])


def missing_rows(whole: bytes, part: bytes, *, triples: bool) -> list:
    """The rows (or triples) of ``part`` that ``whole`` lacks; a different header is one."""
    whole_header, whole_rows = _rows(whole, triples=triples)
    part_header, part_rows = _rows(part, triples=triples)
    if whole_header != part_header:
        return [("header", part_header, whole_header)]
    return sorted((part_rows - whole_rows).elements())


def assert_contains(whole: bytes, part: bytes, *, name: str) -> None:
    """Every row of ``part`` (a golden answer) is in ``whole`` (the same query over more data)."""
    missing = missing_rows(whole, part, triples=CATALOGUE.get(name).name.startswith("derive-"))
    assert not missing, f"{name}: rows of the document's answer missing from the whole graph's: {missing[:3]}"
