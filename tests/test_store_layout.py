"""What an Oxigraph store holds: relgraph's three graphs and nothing else, its state in a file
beside Oxigraph's own, so that queries can take Oxigraph's own union default graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from relgraph.queries import StoredQuery
from relgraph.stores import GRAPH_STORE, GRAPHS, open_store
from relgraph.stores.oxigraph import STATE_FILE
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY

EX = "http://example.org/"


def _graph(*objects: str) -> Graph:
    graph = Graph()
    for value in objects:
        graph.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(value)))
    return graph


def _everything(store) -> list[str]:
    query = StoredQuery(name="all", path=None, title="", description="", params=(), text="SELECT ?o WHERE { ?s ?p ?o }")
    return sorted(str(row[0]) for row in store.query(query).rows)


def test_the_state_is_a_file_beside_oxigraphs_and_no_quad(tmp_path):
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ONTOLOGY: _graph("o"), GRAPH_ASSERTED: _graph("a"), GRAPH_INFERRED: _graph()}, digest="d1")
        assert store.complete and store.digest == "d1"
        assert _everything(store) == ["a", "o"]
    assert json.loads((tmp_path / "kg" / STATE_FILE).read_text(encoding="utf-8")) == {"digest": "d1", "state": "complete"}
    raw = ox.Store.read_only(str(tmp_path / "kg"))
    assert sorted(graph.value for graph in raw.named_graphs()) == sorted(str(g) for g in (GRAPH_ONTOLOGY, GRAPH_ASSERTED))
    with open_store(f"oxigraph:{tmp_path / 'kg'}", read_only=True) as again:
        assert again.complete and again.digest == "d1" and _everything(again) == ["a", "o"]


def test_an_unreadable_state_file_marks_the_store_loading(tmp_path):
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ASSERTED: _graph("a")}, digest="d1")
    (tmp_path / "kg" / STATE_FILE).write_text("{not json", encoding="utf-8")
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        assert not store.complete and store.digest is None


def test_a_store_of_the_earlier_layout_keeps_its_state_and_loses_its_bookkeeping_quads(tmp_path):
    """A store written before the state file: its marks in GRAPH_STORE become the file."""
    raw = ox.Store(str(tmp_path / "kg"))
    marks = ox.NamedNode(str(GRAPH_STORE))
    node = ox.NamedNode("https://w3id.org/relgraph/store#this")
    raw.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("a"), ox.NamedNode(str(GRAPH_ASSERTED))))
    raw.add(ox.Quad(node, ox.NamedNode("https://w3id.org/relgraph/store#state"), ox.Literal("complete"), marks))
    raw.add(ox.Quad(node, ox.NamedNode("https://w3id.org/relgraph/store#inputDigest"), ox.Literal("d0"), marks))
    del raw
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        assert store.complete and store.digest == "d0"
        assert _everything(store) == ["a"]
    assert not list(ox.Store.read_only(str(tmp_path / "kg")).quads_for_pattern(None, None, None, marks))


def test_a_store_holding_other_graphs_is_queried_over_relgraphs_alone(tmp_path):
    with open_store(f"oxigraph:{tmp_path / 'kg'}") as store:
        store.replace({GRAPH_ASSERTED: _graph("a")}, digest="d1")
        store.native.add(ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), ox.Literal("theirs"), ox.NamedNode(EX + "other")))
        store.native.add(ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), ox.Literal("default"), ox.DefaultGraph()))
        assert _everything(store) == ["a"]
    assert len(GRAPHS) == 3
