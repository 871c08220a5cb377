"""The ontology documented for people at /ontology: pyLODE's page, each class with its SHACL
shapes, the diagram, made once per change of the ontology and offline."""

from __future__ import annotations

import re
import shutil
import socket

import httpx
import pytest
from server_fixtures import ROOT

from relgraph import ontology_docs

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def page(server) -> str:
    response = httpx.get(server.url + "/ontology", headers=HTML, timeout=120)
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def test_the_page_is_made_by_pylode_from_the_ontology(page):
    assert "<title>relgraph ontology</title>" in page
    assert 'id="pylode"' in page and "OntPub" in page
    assert "<code>https://w3id.org/relgraph/ontology#Visit</code>" in page
    assert len(re.findall(r' id="Visit"', page)) == 1  # the hash IRI rg:Visit lands on its entry
    assert 'href="#Event"' in page  # the ontology's own terms link within the page


def test_each_class_lists_its_shapes(page):
    entry = page[page.index(' id="Visit"'):]
    entry = entry[: entry.index('class="property entity"', 20)]
    assert "SHACL shapes" in entry and "rgsh:Visit" in entry and "rg:toState" in entry
    assert "A visit has exactly one state visited" in entry  # the shape's own message
    assert "訪問" in entry and "vizīte" in entry  # the labels in Japanese and Latvian


def test_the_diagram_and_its_script_are_served(page, server):
    assert '<pre class="mermaid" id="diagram-source">' in page and "flowchart LR" in page
    for asset in ("/static/vendor/mermaid/mermaid.min.js", "/static/ontology.js", "/static/vendor/mermaid/LICENSE"):
        assert httpx.get(server.url + asset).status_code == 200, asset
    external = [a for a in ("http://", "https://") if f'src="{a}' in page]
    assert external == []


def test_rdf_is_still_served_at_ontology(server):
    response = httpx.get(server.url + "/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert httpx.get(server.url + "/ontology", params={"format": "nope"}, headers=HTML).status_code == 400


def test_the_page_is_cached_by_the_ontology_digest_and_made_offline(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "data").mkdir()

    def refuse(*args, **kwargs):
        raise AssertionError(f"pyLODE used the network: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    first = ontology_docs.ontology_page(project)
    assert first.made and first.path.name.startswith("ontology-") and first.path.read_bytes() == first.html
    again = ontology_docs.ontology_page(project)
    assert not again.made and again.html == first.html
    shapes = project / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8").replace(
        "A visit has exactly one state visited", "A visit has one and only one state visited"), encoding="utf-8")
    changed = ontology_docs.ontology_page(project)
    assert changed.made and changed.path != first.path
    assert b"A visit has one and only one state visited" in changed.html
    assert sorted(changed.path.parent.glob("ontology-*")) == [changed.path]  # the old page is gone


def test_a_message_never_becomes_markup():
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

    ex = "http://example.org/o#"
    ontology = Graph()
    ontology.add((URIRef(ex + "C"), RDF.type, OWL.Class))
    shapes = Graph()
    shape, prop = URIRef(ex + "CShape"), URIRef(ex + "CShape-p")
    shapes.add((shape, SH.targetClass, URIRef(ex + "C")))
    shapes.add((shape, SH.property, prop))
    shapes.add((prop, SH.path, URIRef(ex + "p")))
    shapes.add((prop, SH.message, Literal("<script>alert(1)</script> *bold*")))
    notes = [str(o) for o in ontology_docs.documentation_graph(ontology, shapes).objects(URIRef(ex + "C"), SKOS.note)]
    assert len(notes) == 1 and "&lt;script&gt;" in notes[0] and "<script>" not in notes[0] and "\\*bold\\*" in notes[0]
