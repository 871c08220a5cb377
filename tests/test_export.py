import os
import re
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from relgraph import Catalogue, Project, export_project, reason_project, serialize_graph, write_atomic
from relgraph.errors import OutputError
from relgraph.export import context_document, jsonld_context, serialize_dataset
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

FORMATS = ("turtle", "nt", "jsonld", "trig")

_EXPORT_ALL = """
import hashlib, sys
from relgraph import Catalogue, Project, export_project, reason_project
project = Project.discover(sys.argv[1])
loaded = project.load()
inferred = reason_project(loaded, Catalogue.load(project.queries_dir)).inferred
for fmt in ("turtle", "nt", "jsonld", "trig"):
    print(fmt, hashlib.sha256(export_project(loaded, format=fmt, inferred=inferred)).hexdigest())
"""


def _loaded(root):
    project = Project.discover(root)
    loaded = project.load()
    return loaded, reason_project(loaded, Catalogue.load(project.queries_dir)).inferred


def test_same_input_same_bytes_across_processes_and_hash_seeds(good):
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", _EXPORT_ALL, str(good)], capture_output=True, text=True, env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_blank_nodes_get_canonical_short_labels(good):
    loaded, _ = _loaded(good)
    text = export_project(loaded, format="nt").decode()
    assert "_:b0 " in text and "_:b1 " in text and "_:b2" not in text


def test_nt_lines_are_sorted(good):
    lines = export_project(_loaded(good)[0], format="nt").decode().splitlines()
    assert lines == sorted(lines)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_round_trip_is_isomorphic(good, fmt):
    loaded, inferred = _loaded(good)
    original = loaded.ontology + loaded.asserted + inferred
    parsed = Graph().parse(data=export_project(loaded, format=fmt, inferred=inferred), format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert isomorphic(parsed, original)


def test_turtle_to_jsonld_to_graph_is_isomorphic_without_network(good, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    turtle = Graph().parse(good / "data" / "visits" / "facts.ttl")
    jsonld = serialize_graph(turtle, format="jsonld")
    assert isomorphic(Graph().parse(data=jsonld, format="json-ld"), turtle)


def test_trig_keeps_the_named_graphs(good):
    loaded, inferred = _loaded(good)
    dataset = Dataset().parse(data=export_project(loaded, format="trig", inferred=inferred), format="trig")
    parsed = {g.identifier: g for g in dataset.graphs() if len(g)}
    assert set(parsed) == {GRAPH_ONTOLOGY, GRAPH_ASSERTED, GRAPH_INFERRED}
    assert isomorphic(parsed[GRAPH_ASSERTED], loaded.asserted)
    assert isomorphic(parsed[GRAPH_INFERRED], inferred)


def test_without_inferred_only_stated_triples_are_exported(good):
    loaded, inferred = _loaded(good)
    parsed = Graph().parse(data=export_project(loaded, format="nt"), format="nt")
    assert isomorphic(parsed, loaded.ontology + loaded.asserted)


def test_context_document_holds_the_prefixes():
    assert context_document().startswith(b'{\n  "@context": {\n    "dcterms": "http://purl.org/dc/terms/",')
    assert jsonld_context()["rgd"] == "https://w3id.org/relgraph/id/"


def test_dataset_serialization_refuses_triple_formats():
    with pytest.raises(ValueError):
        serialize_dataset({}, format="turtle")


def test_atomic_write_replaces_the_file(tmp_path):
    target = tmp_path / "out.ttl"
    write_atomic(target, b"old\n")
    write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_failed_atomic_write_keeps_the_previous_file_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "out.ttl"
    target.write_bytes(b"previous\n")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError, match=f"cannot write {re.escape(str(target))}: No space left on device"):
        write_atomic(target, b"partial")
    assert target.read_bytes() == b"previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_blank_nodes_in_two_graphs_are_labelled_as_one_dataset_whatever_the_input_order():
    """Two named graphs with blank nodes, one of them shared: the same bytes for any order of
    input and any blank node ids, the shared node one label in both graphs."""
    from rdflib import BNode, Literal, URIRef

    ex = "http://example.org/"

    def graphs(order: int) -> dict:
        shared, own = BNode(f"s{order}"), BNode(f"o{order}")
        first = [(URIRef(ex + "a"), URIRef(ex + "p"), shared), (shared, URIRef(ex + "q"), Literal("x"))]
        second = [(shared, URIRef(ex + "r"), own), (own, URIRef(ex + "q"), Literal("y"))]
        result = {URIRef(ex + "g1"): Graph(), URIRef(ex + "g2"): Graph()}
        for name, triples in zip(result, (first, second)):
            for triple in (triples if order == 0 else reversed(triples)):
                result[name].add(triple)
        return dict(reversed(result.items())) if order else result

    one, other = (serialize_dataset(graphs(order), format="nquads") for order in (0, 1))
    assert one == other
    lines = one.decode().splitlines()
    shared = {re.search(r"_:b\d+", line)[0] for line in lines if "/p>" in line or "/r>" in line and line.startswith("_:")}
    assert len([line for line in lines if "_:b" in line]) == 4 and len(shared) == 1


_TWINS = """
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from relgraph.export import serialize_graph
node, p = BNode(), URIRef("http://example.org/p")
g = Graph()
for value in (Literal("a"), Literal("a", datatype=XSD.string), Literal("Riga", lang="EN")):
    g.add((node, p, value))
print(serialize_graph(g, format="nt").decode(), end="")
"""


def test_literals_beside_blank_nodes_come_back_exactly_whatever_the_hash_seed():
    """Literals rdflib holds apart ("a" and "a"^^xsd:string) or takes as equal ("x"@en and
    "x"@EN) keep their own form through the canonical labelling, in any process."""
    outputs = {
        subprocess.run([sys.executable, "-c", _TWINS], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    lines = outputs.pop().splitlines()
    assert len(lines) == 3 and all(line.startswith("_:b0 <http://example.org/p> ") for line in lines)
    assert {line.split(" ", 2)[2] for line in lines} == {
        '"a" .', '"a"^^<http://www.w3.org/2001/XMLSchema#string> .', '"Riga"@EN .'}


def test_two_graphs_that_differ_in_a_language_tag_are_written_each_as_it_is():
    from rdflib import BNode, Literal, URIRef

    def graph(tag: str) -> Graph:
        g = Graph()
        g.add((BNode(), URIRef("http://example.org/name"), Literal("Riga", lang=tag)))
        return g

    assert b'"Riga"@en .' in serialize_graph(graph("en"), format="nt")
    assert b'"Riga"@EN .' in serialize_graph(graph("EN"), format="nt")
