"""`relgraph query` answers from the project's own Oxigraph store, with what it needs only.

The store is made once in the project's cache folder (tests/test_cache.py: kept until an input
changes), then opened read-only; the answer is read from the engine and written by the writers
every store's answers go through. Here: the answers are the golden ones, byte for byte, and the
same as the general path's in every format; the path imports neither rdflib, pyshacl, owlrl,
starlette nor jinja2; the plain tables it keeps beside rdflib's stay equal to them.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.query import Result

from goldens import assert_contains, golden, params_for
from project_copies import copy_real_project
from relgraph.cli import cli
from relgraph.formats import result_format_names
from relgraph.project import Project
from relgraph.project_store import cached_store
from relgraph.queries import Catalogue
from relgraph.results import QueryResult, plain_term, serialize_result
from relgraph.stores import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED = "japan-latvia-relations"
CATALOGUE = Catalogue.load(ROOT / "queries")
SELECTS = [q.name for q in CATALOGUE.list() if not q.is_rule]
NOT_ON_THE_QUERY_PATH = ("rdflib", "pyshacl", "owlrl", "starlette", "jinja2", "uvicorn", "pyparsing", "logging", "decimal")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("query-path"))
    assert cached_store(Project.discover(root)) is not None
    return root


def _query(root: Path, *args: str):
    result = CliRunner().invoke(cli, ["--project", str(root), "query", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_the_default_store_gives_the_golden_answer(project, name):
    """Over the whole graph the answer holds every row of the seed's golden answer (a document
    added beside it may add rows, never take one away)."""
    params = [arg for key, value in params_for(SEED, name).items() for arg in ("-p", f"{key}={value}")]
    if name.startswith("derive-"):
        lines = sorted(_query(project, name, *params, "--format", "nt").decode().splitlines())
        whole = ("\n".join(line for line in lines if line) + "\n").encode()
    else:
        whole = _query(project, name, *params, "--format", "csv")
    assert_contains(whole, golden(SEED, name), name=name)


@pytest.mark.parametrize("fmt", result_format_names())
def test_the_fast_path_writes_what_the_general_path_writes(project, fmt):
    with open_store(f"oxigraph:{cached_store(Project.discover(project))}", read_only=True) as store:
        for name in SELECTS:
            general = serialize_result(store.query(CATALOGUE.get(name)), format=fmt)
            assert _query(project, name, "--format", fmt) == general, name
        swapped = {"stateA": "latvia", "stateB": "japan"}
        general = serialize_result(store.query(CATALOGUE.get("trade-balance"), params=swapped), format=fmt)
    assert _query(project, "trade-balance", "-p", "stateA=latvia", "-p", "stateB=japan", "--format", fmt) == general


def test_an_ask_query_and_a_select_star_on_the_fast_path(project, tmp_path):
    ask = tmp_path / "ask.rq"
    ask.write_text("# param: state: iri = rgd:latvia\nASK { ?state a rg:State }\n", encoding="utf-8")
    assert _query(project, str(ask)) == b"yes\n"
    assert json.loads(_query(project, str(ask), "-p", "state=nowhere", "--format", "json")) == {"head": {}, "boolean": False}
    star = tmp_path / "star.rq"
    star.write_text("# param: state: iri = rgd:latvia\nSELECT * WHERE { ?state a rg:State }\n", encoding="utf-8")
    assert _query(project, str(star), "--format", "csv") == b"state\r\nhttps://w3id.org/relgraph/id/latvia\r\n"


def test_a_query_the_fast_path_does_not_take_is_checked_as_everywhere(project, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?s WHERE { ?s ?p }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "query", str(bad)])
    assert result.exit_code == 2 and "query 'bad'" in result.stderr and "line 1" in result.stderr
    service = tmp_path / "service.rq"
    service.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(project), "query", str(service)])
    assert result.exit_code == 2 and "SERVICE is not allowed" in result.stderr
    result = CliRunner().invoke(cli, ["--project", str(project), "query", "visits", "-p", "stateA=not an iri"])
    assert result.exit_code == 2 and "stateA" in result.stderr


def _imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_the_query_path_imports_only_what_it_needs(project):
    for module in ("relgraph.cli", "relgraph"):  # the click CLI; the console script
        args = [sys.executable, "-X", "importtime", "-m", module, "--project", str(project), "query", "visits"]
        run = subprocess.run(args, capture_output=True, text=True, check=True)
        assert run.stdout == _query(project, "visits").decode()
        imported = _imported(run.stderr)
        assert "pyoxigraph" in imported and "relgraph.stores.answers" in imported
        assert sorted(m for m in imported if m.split(".")[0] in NOT_ON_THE_QUERY_PATH) == []
        assert ("click" in imported) == (module == "relgraph.cli"), "the console script answers it without click"


def _console(root: Path, *args: str, module: str = "relgraph") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, "--project", str(root), *args], capture_output=True, timeout=300)


@pytest.mark.parametrize("args", [
    ("visits",),
    ("visits", "--format", "csv"),
    ("trade-balance", "-p", "stateA=latvia", "--param=stateB=japan", "--format=json"),
    ("trade-balance", "-pstateA=latvia", "--param", "stateB=japan", "--format", "xml"),
    ("memberships", "--format", "tsv", "-p", "stateA=japan"),
])
def test_the_console_script_writes_what_the_cli_writes(project, args):
    from relgraph.console import quick_answer_line

    assert quick_answer_line(["--project", str(project), "query", *args]) is not None, "the fast path takes the line"
    console = _console(project, "query", *args)
    assert console.returncode == 0 and console.stderr == b""
    assert console.stdout == _query(project, *args) != b""


@pytest.mark.parametrize("args", [
    ("query", "nope"),
    ("query", "visits", "-p", "stateA=not an iri"),
    ("query", "visits", "-p", "no-equals-sign"),
    ("query", "visits", "--format", "turtle"),
    ("query", "visits", "--format", "yaml"),
    ("query", "visits", "-p"),
    ("query",),
    ("query", "--list"),
    ("query", "visits", "embassies"),
    ("query", "visits", "--store", "memory"),
    ("validate",),
])
def test_every_other_line_goes_to_the_cli(project, args):
    """Errors, other options and other commands: the console script's exit code, stdout and
    stderr are the click CLI's."""
    console, cli_run = _console(project, *args), _console(project, *args, module="relgraph.cli")
    usage = cli_run.stderr.replace(b"python -m relgraph.cli ", b"python -m relgraph ")  # click names the program
    assert (console.returncode, console.stdout, console.stderr) == (cli_run.returncode, cli_run.stdout, usage)
    assert console.returncode == 0 or b"rror: " in console.stderr, console.stderr


def test_without_a_store_yet_the_console_script_makes_it(tmp_path):
    root = copy_real_project(tmp_path)
    console = _console(root, "query", "embassies", "--format", "csv")
    assert console.returncode == 0, console.stderr
    assert_contains(console.stdout, golden(SEED, "embassies"), name="embassies")
    assert cached_store(Project.discover(root), make=False) is not None
    assert _console(root, "query", "embassies", "--format", "csv").stdout == console.stdout


def test_the_writers_write_what_rdflibs_serializers_write():
    edge = QueryResult(
        "SELECT",
        ("a", "b", "c"),
        (
            (Literal('x\n"y"\t\\', lang="en"), BNode("b1"), None),
            (Literal('q"'), URIRef("urn:x"), Literal("1.5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#double"))),
        ),
    )
    for fmt in ("csv", "json", "xml"):
        rdflib_result = Result("SELECT")
        rdflib_result.vars = [Variable(v) for v in edge.variables]
        rdflib_result.bindings = [{Variable(v): t for v, t in zip(edge.variables, row) if t is not None} for row in edge.rows]
        stream = io.BytesIO()
        rdflib_result.serialize(destination=stream, format=fmt, encoding="utf-8")
        assert serialize_result(edge, format=fmt) == stream.getvalue(), fmt
    assert plain_term(Literal("x", lang="en")).datatype is None


def test_the_plain_tables_equal_rdflibs():
    from relgraph import cli as cli_module
    from relgraph.build import RELEASES, VALIDATORS
    from relgraph.prefixes import NAMESPACES
    from relgraph.reasoning.reference import ENGINES
    from relgraph.stores import GRAPHS
    from relgraph.stores.answers import GRAPHS as PLAIN_GRAPHS
    from relgraph.vocab import PREFIXES

    assert NAMESPACES == {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    assert PLAIN_GRAPHS == tuple(str(g) for g in GRAPHS)
    assert cli_module.ENGINES == ENGINES
    assert cli_module.RELEASE_KINDS == RELEASES
    assert cli_module.VALIDATORS == VALIDATORS
