"""``build_in_store``: the whole build (load, reason, validate, write) inside an Oxigraph
store gives the in-memory build's answer, and writes nothing when a check fails."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from relgraph import Catalogue, Project, reason_project
from relgraph.build import STORE_RELEASE_FILES, build, build_in_store, project_inputs
from relgraph.cache import input_digest
from relgraph.results import canonical_decimal
from relgraph.stores import open_store

ROOT = Path(__file__).resolve().parents[1]


def _canonical(*graphs: Graph) -> Graph:
    """The triples of ``graphs``, decimals in one form (Oxigraph writes XSD 1.1's)."""
    merged = Graph()
    for graph in graphs:
        for s, p, o in graph:
            merged.add((s, p, canonical_decimal(o)))
    return merged


def test_a_build_in_a_store_writes_the_reference_answer(tmp_path):
    project = Project.discover(ROOT)
    loaded = project.load()
    catalogue = Catalogue.load(project.queries_dir)
    reference = reason_project(loaded, catalogue, engine="owlrl")
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        summary = build_in_store(project, store, out_dir=tmp_path / "out")
        assert store.digest == input_digest(project_inputs(project, catalogue))
    assert summary.ok and summary.reasoning.consistent and summary.validation.conforms
    assert summary.written == tuple(tmp_path / "out" / name for name in STORE_RELEASE_FILES)
    assert [step for step, _ in summary.timings] == ["load", "reason", "validate", "reason+validate", "write"]
    inferred = Graph().parse(tmp_path / "out" / "inferred.nt", format="nt")
    assert set(_canonical(inferred)) == set(_canonical(reference.inferred))
    assert summary.inferred_triples == len(reference.inferred) > 1000
    stated = Graph().parse(tmp_path / "out" / "relgraph.nt", format="nt")
    assert len(stated) == len(loaded.ontology) + len(loaded.asserted)
    assert isomorphic(_canonical(stated), _canonical(loaded.ontology, loaded.asserted))  # blank nodes relabelled
    assert summary.asserted_triples == len(loaded.asserted)
    assert summary.class_counts == build(project, out_dir=tmp_path / "memory").class_counts


def test_a_build_in_a_store_agrees_with_the_memory_build_on_what_fails(make_project, tmp_path):
    for overlay in ("inconsistent", "nonconforming"):
        project = Project.discover(make_project(overlay))
        expected = build(project, out_dir=tmp_path / f"memory-{overlay}")
        with open_store(f"oxigraph:{tmp_path / overlay}") as store:
            summary = build_in_store(project, store, out_dir=tmp_path / f"store-{overlay}")
        assert not summary.ok and summary.written == ()
        assert not (tmp_path / f"store-{overlay}").exists()
        assert summary.reasoning.consistent == expected.reasoning.consistent, overlay
        assert summary.validation.conforms == expected.validation.conforms, overlay
        found = [(v.focus, v.path, v.message, v.focus_label) for v in summary.validation.violations]
        assert found == [(v.focus, v.path, v.message, v.focus_label) for v in expected.validation.violations], overlay
