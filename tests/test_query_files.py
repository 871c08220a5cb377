"""Every stored query is a SPARQL file any tool runs as it is: it declares its prefixes.

relgraph predeclares its prefixes when it runs a query; a file must not rely on that, so that
Oxigraph, Jena, the web editor or any SPARQL tool runs it unchanged. pyoxigraph is given none here.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from relgraph.queries import Catalogue, bind_terms
from relgraph.sparql_text import bind_values_text
from relgraph.stores.answers import oxigraph_term

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = Catalogue.load(ROOT / "queries")


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_a_stored_query_runs_with_no_prefixes_but_its_own(name):
    query = CATALOGUE.get(name)
    store = ox.Store()
    store.query(query.text)  # parses with nothing predeclared (SyntaxError names an unknown prefix)
    values = {k: str(oxigraph_term(v)) for k, v in bind_terms(query, {}).items()}
    store.query(bind_values_text(query.text, values))  # and with its parameters' defaults bound


@pytest.mark.parametrize("name", CATALOGUE.names())
def test_the_catalogue_still_reads_the_header_above_the_prefixes(name):
    query = CATALOGUE.get(name)
    assert query.title != name and query.text.startswith("# title: ")
    header = query.text.split("\nPREFIX ", 1)[0]
    assert all(line.startswith("#") for line in header.splitlines())
    assert [p.name for p in query.params] == [
        line.split(":", 2)[1].strip() for line in header.splitlines() if line.startswith("# param:")
    ]


def test_an_undeclared_prefix_is_an_error_for_an_engine_given_none():
    with pytest.raises(SyntaxError):
        ox.Store().query("SELECT ?s WHERE { ?s a rg:State }")
