"""Every stored query of the project, with its exact expected answer for each document.

The expected answers live beside the tests as golden files, per document (see goldens.py):
``tests/golden/<document>/<query>.csv`` (SPARQL 1.1 CSV for SELECT) or ``<query>.nt`` (sorted
N-Triples for CONSTRUCT), the answer over that document alone with the parameters of its
``parameters.json`` (the pair of states it is about). They were checked by hand against the
source; a change to the data or a query that changes an answer must change its golden file in the
same commit. ``RELGRAPH_REGENERATE_GOLDEN=1 pytest tests/test_queries.py`` rewrites them. Adding a
document changes none of them: over the whole graph, every golden row is still there.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from goldens import (
    CATALOGUE,
    GOLDEN,
    PARAMETERS,
    answer,
    assert_contains,
    document_dataset,
    golden_documents,
    golden_path,
    parameters,
    params_for,
    project_dataset,
)
from relgraph.errors import ParameterError
from relgraph.results import run_query

ROOT = Path(__file__).resolve().parents[1]
SEED = "japan-latvia-relations"
CASES = [(document, name) for document in golden_documents() for name in CATALOGUE.names()]


@pytest.fixture(scope="module")
def datasets():
    """The dataset of each document alone, made once."""
    made = {}

    def get(document: str):
        if document not in made:
            made[document] = document_dataset(ROOT, document)
        return made[document]

    return get


@pytest.fixture(scope="module")
def dataset(datasets):
    """The seed document alone: the answers below are the seed's, whatever else data/ holds."""
    return datasets(SEED)


@pytest.fixture(scope="module")
def whole():
    return project_dataset(ROOT)


@pytest.mark.parametrize(("document", "name"), CASES)
def test_stored_query_gives_its_expected_answer(datasets, document, name):
    actual = answer(datasets(document), name, **params_for(document, name))
    path = golden_path(document, name)
    if os.environ.get("RELGRAPH_REGENERATE_GOLDEN"):
        path.write_bytes(actual)
    assert path.is_file(), f"no golden answer for {name}: write {path}"
    assert actual == path.read_bytes()


@pytest.mark.parametrize(("document", "name"), CASES)
def test_the_whole_graph_keeps_every_answer_of_each_document(whole, document, name):
    assert_contains(answer(whole, name, **params_for(document, name)), golden_path(document, name).read_bytes(), name=name)


def test_every_golden_file_belongs_to_a_query_and_a_document():
    assert golden_documents(), "no golden answers"
    for document in golden_documents():
        assert (ROOT / "data" / document).is_dir(), f"tests/golden/{document}/ names no folder of data/"
        names = sorted(p.stem for p in (GOLDEN / document).iterdir() if p.name != PARAMETERS)
        assert names == sorted(CATALOGUE.names()), document


def test_each_document_gives_every_parameter_of_every_query():
    for document in golden_documents():
        given = parameters(document)
        assert sorted(given) == sorted(q.name for q in CATALOGUE.list() if q.params), document
        for name, values in given.items():
            assert sorted(values) == sorted(p.name for p in CATALOGUE.get(name).params), (document, name)


def test_every_query_documents_its_title_description_and_parameters():
    for query in CATALOGUE.list():
        assert query.title and query.title != query.name, query.name
        assert query.description, query.name
        text = query.path.read_text(encoding="utf-8")
        for param in query.params:
            assert f"?{param.name}" in text, (query.name, param.name)


def test_the_two_states_are_parameters_not_text():
    """The code and the queries know nothing of Japan or Latvia: only parameter defaults do."""
    for query in CATALOGUE.list():
        body = "\n".join(
            line for line in query.path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
        )
        assert "japan" not in body.lower() and "latvia" not in body.lower(), query.name
    for path in (ROOT / "src").rglob("*.py"):
        for literal in code_strings(path):
            assert "japan" not in literal.lower() and "latvia" not in literal.lower(), (path, literal)


def code_strings(path: Path) -> list[str]:
    """The string constants of a module's code, docstrings (and their examples) excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_swapping_the_states_turns_the_balance_around(dataset):
    assert answer(dataset, "trade-balance", stateA="latvia", stateB="japan").decode().splitlines() == [
        "year,currency,exports,imports,balance",
        "2018,JPY,8860000000.0,7320000000.0,1540000000.0",
    ]


def test_another_pair_of_states_has_its_own_answer(dataset):
    # Japan's embassy in Sweden is accredited to Latvia: Japan–Sweden shares that mission,
    # but no visit, trade or partnership.
    assert answer(dataset, "visits", stateB="sweden").decode().splitlines() == [
        "date,visit,visitor,visitorLabel,office,officeLabel,fromState,toState,destination,occasion,occasionLabel"
    ]
    embassies = answer(dataset, "embassies", stateB="sweden").decode().splitlines()
    assert [row.split(",")[0] for row in embassies[1:]] == [
        "https://w3id.org/relgraph/id/embassy-of-japan-in-sweden"
    ]


def test_source_of_a_fact_by_parameter(dataset):
    rows = answer(dataset, "source-of-fact", fact="visit-2025-05-rinkevics-to-japan").decode().splitlines()
    assert [row.split(",")[1] for row in rows[1:]] == ["20", "21"]
    assert "He attened Expo 2025 in Osaka, Kansai." in rows[2]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stateC": "japan"}, "stateC"),
        ({"stateA": "not an iri"}, "stateA"),
    ],
)
def test_bad_parameters_are_refused_by_name(dataset, params, message):
    with pytest.raises(ParameterError, match=message):
        run_query(CATALOGUE.get("visits"), dataset, params=params)
