"""ORDER BY on an expression without a value (``STR(?d)`` of an unbound ``?d``): the row sorts
first, as SPARQL 1.1 (15.1) says, on every store; it used to end ``relgraph query`` with
"internal error: TypeError"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

QUERY = """\
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rg: <https://w3id.org/relgraph/ontology#>
SELECT ?entity ?year WHERE {{
  ?entity rdfs:label ?label .
  FILTER (STRSTARTS(STR(?entity), "https://w3id.org/relgraph/id/"))
  OPTIONAL {{ ?entity rg:year ?year }}
}}
ORDER BY {order}(STR(?year)) ?entity
"""
ABE = "https://w3id.org/relgraph/id/abe"
LATVIA = "https://w3id.org/relgraph/id/latvia"
VISIT = "https://w3id.org/relgraph/id/visit-2018"


def query(project: Path, path: Path, spec: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(project), "query", str(path)]
    return subprocess.run([*command, "--format", "csv", "--store", spec], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("ASC", [f"{ABE},", f"{LATVIA},", f"{VISIT},2018"]),
        ("DESC", [f"{VISIT},2018", f"{ABE},", f"{LATVIA},"]),
    ],
)
def test_an_unbound_value_sorts_first(good, tmp_path, kind, order, expected):
    path = tmp_path / "ordered.rq"
    path.write_text(QUERY.format(order=order), encoding="utf-8")
    spec = "memory" if kind == "memory" else f"oxigraph:{tmp_path / 'store'}"
    done = query(good, path, spec)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert done.stdout.splitlines() == ["entity,year", *expected]
