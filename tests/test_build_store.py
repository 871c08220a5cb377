"""``build`` with a store of one's own (load, reason, validate, write the store's dump) gives
the default build's answer, and writes nothing when a check fails."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from relgraph import Catalogue, Project, reason_project
from relgraph.build import STORE_RELEASE_FILES, build, project_inputs
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
        summary = build(project, store, out_dir=tmp_path / "out", release="ntriples")
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
            summary = build(project, store, out_dir=tmp_path / f"store-{overlay}", release="ntriples")
        assert not summary.ok and summary.written == ()
        assert not (tmp_path / f"store-{overlay}").exists()
        assert summary.reasoning.consistent == expected.reasoning.consistent, overlay
        assert summary.validation.conforms == expected.validation.conforms, overlay
        found = [(v.focus, v.path, v.message, v.focus_label) for v in summary.validation.violations]
        assert found == [(v.focus, v.path, v.message, v.focus_label) for v in expected.validation.violations], overlay


def _cli(root: Path, *args: str):
    from click.testing import CliRunner

    from relgraph.cli import cli

    return CliRunner().invoke(cli, ["--project", str(root), *args])


def _release(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_release_is_the_same_bytes_whichever_store_builds_it(good, tmp_path):
    """One pipeline: the default store, the memory store and an Oxigraph store of one's own
    write the same full release, and the N-Triples release is its relgraph.nt (blank nodes
    in the ontology, labelled alike in each)."""
    (good / "ontology" / "mini.ttl").open("a", encoding="utf-8").write(
        "\nrg:Visit rdfs:subClassOf [ a owl:Restriction ; owl:onProperty rg:visitor ; owl:minCardinality 0 ] .\n"
    )
    runs = {
        "default": ("build", "--out", str(tmp_path / "default")),
        "memory": ("build", "--out", str(tmp_path / "memory"), "--store", "memory"),
        "oxigraph": ("build", "--out", str(tmp_path / "oxigraph"), "--store", f"oxigraph:{tmp_path / 'kg'}", "--release", "full"),
        "pyshacl": ("build", "--out", str(tmp_path / "pyshacl"), "--validator", "pyshacl"),
        "owlrl": ("build", "--out", str(tmp_path / "owlrl"), "--reasoner", "owlrl"),
    }
    for name, args in runs.items():
        result = _cli(good, *args)
        assert result.exit_code == 0, (name, result.stderr)
    default = _release(tmp_path / "default")
    assert set(default) == {"relgraph.ttl", "relgraph.nt", "relgraph.jsonld", "context.jsonld", "inferred.ttl", "relgraph.trig"}
    for name in runs:
        assert _release(tmp_path / name) == default, name
    dump = _cli(good, "build", "--out", str(tmp_path / "dump"), "--store", f"oxigraph:{tmp_path / 'kg2'}")
    assert dump.exit_code == 0, dump.stderr
    assert set(_release(tmp_path / "dump")) == set(STORE_RELEASE_FILES)
    assert _release(tmp_path / "dump")["relgraph.nt"] == default["relgraph.nt"]
    assert b"_:b0 " in default["relgraph.nt"] and b"_:b0 " in default["relgraph.trig"]


def test_a_build_leaves_the_store_that_queries_answer_from(good, tmp_path):
    """The default build reasons in the project's cached store; a query after it opens that
    store, and a changed input makes a new one on the next build."""
    cache = good / ".relgraph-cache"
    assert _cli(good, "build", "--out", str(tmp_path / "out")).exit_code == 0
    stores = sorted(cache.glob("store-*"))
    assert len(stores) == 1
    made = stores[0].stat().st_ino
    assert _cli(good, "query", "visits").exit_code == 0
    assert sorted(cache.glob("store-*")) == stores and stores[0].stat().st_ino == made
    facts = good / "data" / "visits" / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8") + '\nrgd:latvia rdfs:comment "A state."@en .\n', encoding="utf-8")
    assert _cli(good, "build", "--out", str(tmp_path / "out")).exit_code == 0
    assert sorted(cache.glob("store-*")) != stores
    assert b'"A state."@en' in (tmp_path / "out" / "relgraph.nt").read_bytes()


def test_a_failing_build_says_the_same_through_every_store_and_validator(make_project, tmp_path):
    for overlay in ("inconsistent", "nonconforming"):
        root = make_project(overlay)
        said = {}
        for name, extra in {
            "default": (), "memory": ("--store", "memory"), "pyshacl": ("--validator", "pyshacl"),
        }.items():
            result = _cli(root, "build", "--out", str(tmp_path / f"{overlay}-{name}"), *extra)
            assert result.exit_code == 1, (overlay, name, result.stderr)
            assert not (tmp_path / f"{overlay}-{name}").exists()
            said[name] = [
                line.replace(f"{overlay}-{name}", "OUT") for line in result.stderr.splitlines()
                if not line.startswith(("timings:", "load memory", "reason ("))  # progress, measures
            ]
        assert said["memory"] == said["default"] == said["pyshacl"], overlay


def test_an_unknown_release_kind_is_refused_naming_the_option(good):
    result = _cli(good, "build", "--release", "zip")
    assert result.exit_code == 2 and "--release" in result.stderr and "zip" in result.stderr


def test_a_build_where_the_cache_cannot_be_written_builds_in_a_store_of_its_own(good, tmp_path):
    """A file where the cache folder would be (root ignores folder modes): the build loads and
    reasons in a temporary store instead, and writes the same release."""
    assert _cli(good, "build", "--out", str(tmp_path / "cached")).exit_code == 0
    shutil.rmtree(good / ".relgraph-cache")
    (good / ".relgraph-cache").write_text("not a folder\n", encoding="utf-8")
    result = _cli(good, "build", "--out", str(tmp_path / "uncached"))
    assert result.exit_code == 0, result.stderr
    assert _release(tmp_path / "uncached") == _release(tmp_path / "cached")
    assert (good / ".relgraph-cache").read_text(encoding="utf-8") == "not a folder\n"


def test_the_library_refuses_an_unknown_release_or_validator_naming_the_parameter(good, tmp_path):
    import pytest

    from relgraph.errors import ParameterError

    for keyword, value in (("release", "zip"), ("validator", "eye")):
        with pytest.raises(ParameterError, match=keyword):
            build(Project.discover(good), out_dir=tmp_path / "out", **{keyword: value})
    assert not (tmp_path / "out").exists()


def test_a_damaged_cached_store_is_made_again_by_the_build(good, tmp_path):
    assert _cli(good, "build", "--out", str(tmp_path / "first")).exit_code == 0
    (store,) = (good / ".relgraph-cache").glob("store-*")
    for part in store.iterdir():
        if part.is_file():
            part.write_bytes(b"this is not a store\n")
    result = _cli(good, "build", "--out", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    assert _release(tmp_path / "again") == _release(tmp_path / "first")
    (remade,) = (good / ".relgraph-cache").glob("store-*")
    assert not any(p.read_bytes() == b"this is not a store\n" for p in remade.iterdir() if p.is_file())
