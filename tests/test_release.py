"""The release `relgraph build` writes for the real project: its files read back as the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from relgraph.build import RELEASE_FILES, build
from relgraph.project import Project
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("release")
    summary = build(Project.discover(ROOT), out_dir=out)
    assert summary.ok, summary.reasoning.problems or summary.validation.violations
    return out


def test_the_release_holds_every_file(release):
    assert sorted(p.name for p in release.iterdir()) == sorted(RELEASE_FILES)


def test_turtle_ntriples_and_jsonld_are_the_same_graph(release):
    turtle = Graph().parse(release / "relgraph.ttl", format="turtle")
    ntriples = Graph().parse(release / "relgraph.nt", format="nt")
    jsonld = Graph().parse(release / "relgraph.jsonld", format="json-ld")
    assert len(turtle) > 2000
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, jsonld)


def test_the_jsonld_context_file_is_the_documents_context(release):
    document = json.loads((release / "relgraph.jsonld").read_text(encoding="utf-8"))
    context = json.loads((release / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    assert context["@context"]["rgd"] == "https://w3id.org/relgraph/id/"


def test_trig_keeps_ontology_asserted_and_inferred_apart(release):
    dataset = Dataset()
    dataset.parse(release / "relgraph.trig", format="trig")
    names = {graph.identifier for graph in dataset.graphs() if len(graph)}
    assert names == {GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED}
    inferred = Graph().parse(release / "inferred.ttl", format="turtle")
    assert isomorphic(inferred, dataset.graph(GRAPH_INFERRED))
    stated = Graph().parse(release / "relgraph.ttl", format="turtle")
    assert not set(inferred) & set(stated)
    assert isomorphic(stated, dataset.graph(GRAPH_ONTOLOGY) + dataset.graph(GRAPH_ASSERTED))


def test_trig_and_ntriples_name_the_blank_nodes_alike(release):
    """One canonical labelling for the release: relgraph.trig's ontology and asserted graphs are
    relgraph.nt's triples, blank node labels and all (read by a parser that keeps the labels)."""
    import pyoxigraph as ox

    def triples(quads):
        return {(q.subject, q.predicate, q.object) for q in quads}

    stated = triples(ox.parse(path=str(release / "relgraph.nt"), format=ox.RdfFormat.N_TRIPLES))
    graphs = {str(GRAPH_ONTOLOGY), str(GRAPH_ASSERTED)}
    trig = [q for q in ox.parse(path=str(release / "relgraph.trig"), format=ox.RdfFormat.TRIG)]
    assert any(isinstance(q.subject, ox.BlankNode) for q in trig)
    assert triples(q for q in trig if q.graph_name.value in graphs) == stated
