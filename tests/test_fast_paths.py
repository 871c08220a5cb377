"""The default `validate` and `build` take the fast engines, and give the reference's answer.

`relgraph validate` checks the shapes in the project's cached Oxigraph store (the in-store
validator) and `relgraph build` reasons with `reasonable` and validates there too; pyshacl and
owlrl stay the references (`--store memory`, `build(engine="owlrl", validator="pyshacl")`).
Here the two give the same output on the project, on the project with violations, and on a
synthetic world (reasoning there: tests/test_store_reasoning_scale.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from rdflib.namespace import RDFS

from project_copies import copy_real_project
from relgraph.build import RELEASE_FILES, build
from relgraph.cli import cli
from relgraph.project import Project
from relgraph.validation.in_store import validate_in_store
from relgraph.stores import open_store
from relgraph.synth import synthesize
from relgraph.validation.reference import validate
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_real_project(tmp_path / "project")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def _break(root: Path) -> None:
    facts = root / "data" / "japan-latvia-relations" / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    assert 'rg:date "2006-04"^^xsd:gYearMonth' in text
    facts.write_text(text.replace('rg:date "2006-04"^^xsd:gYearMonth', 'rg:date "2006-13"^^xsd:gYearMonth'), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_validate_by_default_says_what_pyshacl_says(project, fmt):
    fast, reference = run(project, "validate", "--format", fmt), run(project, "validate", "--store", "memory", "--format", fmt)
    assert (fast.exit_code, fast.stdout) == (reference.exit_code, reference.stdout) and fast.exit_code == 0
    _break(project)
    fast, reference = run(project, "validate", "--format", fmt), run(project, "validate", "--store", "memory", "--format", fmt)
    assert (fast.exit_code, fast.stdout) == (reference.exit_code, reference.stdout) and fast.exit_code == 1
    assert "2006-13" in fast.stdout
    assert any(p.name.startswith("store-") for p in (project / ".relgraph-cache").iterdir())


def test_build_by_default_writes_the_reference_release(project, tmp_path):
    fast = build(Project.discover(project), out_dir=tmp_path / "fast")
    reference = build(Project.discover(project), out_dir=tmp_path / "reference", engine="owlrl", validator="pyshacl")
    assert fast.ok and reference.ok
    for name in RELEASE_FILES:
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "reference" / name).read_bytes(), name
    assert (fast.asserted_triples, fast.inferred_triples, fast.class_counts) == (
        reference.asserted_triples, reference.inferred_triples, reference.class_counts
    )


def test_build_by_default_fails_as_the_reference_fails(project, tmp_path):
    _break(project)
    fast = build(Project.discover(project), out_dir=tmp_path / "fast")
    reference = build(Project.discover(project), out_dir=tmp_path / "reference", engine="owlrl", validator="pyshacl")
    assert not fast.ok and not reference.ok and fast.written == reference.written == ()
    assert fast.validation.violations == reference.validation.violations != ()


def test_the_in_store_validator_says_what_pyshacl_says_on_a_synthetic_world(tmp_path):
    project = Project.discover(Path(__file__).resolve().parents[1])
    ontology, shapes = project.load().ontology, project.load_shapes()
    world = synthesize(states=5, seed=7)
    labelled = sorted(s for s, o in world.subject_objects(RDFS.label) if getattr(o, "language", None) == "en")
    for subject in labelled[:3]:  # two English labels: a violation of the label shape
        world.add((subject, RDFS.label, Literal(f"another name of {subject.split('/')[-1]}", lang="en")))
    reference = validate(data=world, ontology=ontology, shapes=shapes)
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        store.replace({GRAPH_ONTOLOGY: ontology, GRAPH_ASSERTED: world, GRAPH_INFERRED: world.__class__()})
        fast = validate_in_store(store, shapes=shapes)
    assert not reference.conforms and len(reference.violations) >= 3
    assert (fast.conforms, fast.violations) == (reference.conforms, reference.violations)
