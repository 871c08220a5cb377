"""Linked Data pages, the web page, its assets, search and the timeline, over real HTTP."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from server_fixtures import ROOT

from relgraph.server.served import load_served_graph
from relgraph.server.timeline import render_svg, timeline_events
from relgraph.vocab import RG, RGD

SVG = "{http://www.w3.org/2000/svg}"


def get(server, path, **kwargs):
    return httpx.get(server.url + path, **kwargs)


def test_entity_page_in_html(server):
    response = get(server, "/id/latvia", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert '<h1 lang="en">Latvia</h1>' in page
    assert '<a href="/ontology/State" lang="en" title="rg:State">' in page  # its type, linked
    assert '<a class="wikidata" href="https://www.wikidata.org/wiki/Q211" rel="external">wd:Q211</a>' in page
    assert '<span class="literal" lang="ja">ラトビア</span>' in page
    # facts in both directions, with links to the other end
    assert 'id="outgoing-heading"' in page and 'id="incoming-heading"' in page
    assert '<a href="/id/embassy-of-japan-in-riga" lang="en"' in page
    assert '<a href="/ontology/hostState" lang="en" title="rg:hostState">' in page or "hostState" in page
    assert 'rel="alternate" type="text/turtle" href="/id/latvia.ttl"' in page


def test_fact_page_shows_its_source_sentence(server):
    page = get(server, "/id/kobe-riga-sister-cities").text
    assert "In 1974, when Latvia was still in the Soviet Union, Kobe City became a sister city with the port city of Riga." in page
    assert '<a class="ref" href="#source-1" aria-label="source sentence 1">[1]</a>' in page
    assert "inferred</small>" in page  # prov:wasDerivedFrom comes from reasoning and says so


def test_incoming_facts_carry_the_sentences_of_the_fact_nodes(server):
    page = get(server, "/id/riga").text
    assert "Kobe City became a sister city with the port city of Riga" in page


@pytest.mark.parametrize(
    "how, expected",
    [({"params": {"lang": "ja"}}, "ラトビア"), ({"headers": {"Accept-Language": "lv, en;q=0.5"}}, "Latvija"),
     ({"headers": {"Accept-Language": "fr, de;q=0.9"}}, "Latvia")],
)
def test_labels_in_the_requested_language(server, how, expected):
    response = get(server, "/id/latvia", **how)
    lang = {"ラトビア": "ja", "Latvija": "lv", "Latvia": "en"}[expected]
    assert f'<h1 lang="{lang}">{expected}</h1>' in response.text
    assert response.headers["content-language"] == lang


@pytest.mark.parametrize(
    "path, headers, media, rdflib_format",
    [
        ("/id/latvia", {"Accept": "text/turtle"}, "text/turtle", "turtle"),
        ("/id/latvia", {"Accept": "application/ld+json"}, "application/ld+json", "json-ld"),
        ("/id/latvia", {"Accept": "application/rdf+xml;q=0.9, text/html;q=0.1"}, "application/rdf+xml", "xml"),
        ("/id/latvia.ttl", {"Accept": "text/html"}, "text/turtle", "turtle"),
        ("/id/latvia.jsonld", {}, "application/ld+json", "json-ld"),
        ("/id/latvia.nt", {}, "application/n-triples", "nt"),
        ("/id/latvia.rdf", {}, "application/rdf+xml", "xml"),
    ],
)
def test_entity_as_rdf_by_accept_and_suffix(server, path, headers, media, rdflib_format):
    response = get(server, path, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (RGD.latvia, RDF.type, RG.State) in graph
    assert (RGD.latvia, RDFS.label, Literal("Latvija", lang="lv")) in graph
    assert (RGD["embassy-of-japan-in-riga"], None, RGD.latvia) in graph  # facts pointing to it


def test_sentence_iris_with_slashes_dereference(server):
    response = get(server, "/id/japan-latvia-relations/sentence/s35.ttl")
    assert response.status_code == 200
    assert "Kobe City became a sister city" in response.text


def test_ontology_and_its_terms(server):
    page = get(server, "/ontology", headers={"Accept": "text/html"}, timeout=120).text  # made once, in seconds
    assert re.search(r'<(div|span) class="(property entity|term-anchor)" id="Visit">', page)  # the hash IRI rg:Visit lands here
    whole = Graph().parse(data=get(server, "/ontology.ttl").text, format="turtle")
    assert (RG.Visit, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in whole and len(whole) > 1000
    term = get(server, "/ontology/Visit")
    assert term.status_code == 200 and "rdfs:subClassOf" in term.text
    assert (RG.Visit, RDFS.subClassOf, RG.Event) in Graph().parse(data=get(server, "/ontology/Visit.ttl").text, format="turtle")


@pytest.mark.parametrize("path", ["/id/no-such-thing", "/id/no-such-thing.ttl", "/ontology/NoSuchTerm", "/elsewhere"])
def test_unknown_iris_are_404(server, path):
    response = get(server, path)
    assert response.status_code == 404


def test_unknown_iri_page_is_html_for_a_browser(server):
    response = get(server, "/id/no-such-thing", headers={"Accept": "text/html"})
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert "nothing is known about &lt;https://w3id.org/relgraph/id/no-such-thing&gt;" in response.text


@pytest.mark.parametrize(
    "path, params, headers, status, words",
    [
        ("/id/latvia", {"lang": "xx"}, {}, 400, "parameter 'lang'"),
        ("/id/latvia", {"foo": "1"}, {}, 400, "unknown parameter 'foo'"),
        ("/id/latvia", {}, {"Accept": "image/png"}, 406, "text/html"),
    ],
)
def test_entity_refusals(server, path, params, headers, status, words):
    response = get(server, path, params=params, headers=headers)
    assert response.status_code == status and words in response.text


def test_home_page_is_self_contained(server):
    page = get(server, "/").text
    assert page.startswith('<!doctype html>\n<html lang="en">')
    assert '<label for="stored">Stored query</label>' in page
    assert '<option value="visits">High-level visits</option>' in page
    assert '<div id="timeline-chart" data-spec="/timeline.json"' in page
    assets = re.findall(r'(?:src|href)="([^"#?]+)"', page)
    assert "/static/vendor/yasgui/yasgui.min.js" in assets and "/static/vendor/vega/vega-embed.min.js" in assets
    external = [a for a in assets if a.startswith(("http:", "https:", "//"))]
    assert external == []
    for asset in [a for a in assets if a.startswith("/static/")]:
        assert get(server, asset).status_code == 200, asset


def test_vendored_yasgui_has_its_version_and_license(server):
    license_text = get(server, "/static/vendor/yasgui/LICENSE").text
    assert "MIT License" in license_text and "@zazuko/yasgui 4.6.2" in license_text
    assert get(server, "/static/vendor/yasgui/VERSION").text.startswith("@zazuko/yasgui 4.6.2\nintegrity sha512-")
    script = get(server, "/static/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "sourceMappingURL" not in script.text[-300:]


@pytest.mark.parametrize("text", ["Rujiena", "RŪJIENA", "rūj", "rujiena"])
def test_search_ignores_case_and_diacritics(server, text):
    hits = get(server, "/search", params={"q": text}, headers={"Accept": "application/json"}).json()["hits"]
    assert hits[0]["iri"] == str(RGD.rujiena) and hits[0]["label"] == "Rūjiena" and hits[0]["page"] == "/id/rujiena"


@pytest.mark.parametrize("text, lang", [("ラトビア", "ja"), ("latvija", "lv"), ("Japāna", "lv")])
def test_search_in_every_language(server, text, lang):
    hits = get(server, "/search", params={"q": text, "format": "json"}).json()["hits"]
    assert hits[0]["matchedLang"] == lang


def test_search_page(server):
    page = get(server, "/search", params={"q": "Rujiena"}).text
    assert '<a href="/id/rujiena" lang="en">Rūjiena</a>' in page
    assert get(server, "/search").status_code == 200  # the empty form
    too_long = get(server, "/search", params={"q": "x" * 300, "format": "json"})
    assert too_long.status_code == 400 and "parameter 'q'" in too_long.text


def test_timeline_svg_is_drawn_from_the_graph_and_deterministic(server):
    first = get(server, "/timeline.svg")
    assert first.status_code == 200 and first.headers["content-type"] == "image/svg+xml; charset=utf-8"
    expected = render_svg(timeline_events(load_served_graph(ROOT)), title="Timeline of the relationship")
    assert first.content == expected
    assert render_svg(timeline_events(load_served_graph(ROOT)), title="Timeline of the relationship") == expected
    svg = ElementTree.fromstring(first.content)
    labels = [t.text for t in svg.iter(SVG + "text")]
    for label in ("Japan and Latvia establish diplomatic relations", "Latvia recognized as an independent country"):
        assert any(label in (t or "") for t in labels) or label.startswith("Latvia recognized")
    events = [g for g in svg.iter(SVG + "g") if "event" in g.get("class", "")]
    categories = {g.get("class").split()[1] for g in events}
    assert {"relations", "missions", "visits", "memberships", "partnerships"} <= categories
    assert svg.find(SVG + "title").text == "Timeline of the relationship"
