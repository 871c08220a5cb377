"""The inferred-graph cache: reused while the inputs are unchanged, never stale after a change."""

import tempfile

from click.testing import CliRunner

from relgraph.cache import CACHE_DIR
from relgraph.cli import cli

NEW_VISIT = """
rgd:visit-2019 a rg:Visit ;
    rdfs:label "Abe's second visit"@en ;
    rg:visitor rgd:abe ;
    rg:destination rgd:latvia ;
    rg:statedIn rgd:visits-s1 .
"""


FACTS = "SELECT ?fact WHERE { ?fact a rg:Fact } ORDER BY ?fact"


def facts(root):
    """The members of rg:Fact: only reasoning makes a visit one (rg:Visit ⊑ rg:Fact)."""
    query = root / "facts.rq"
    query.write_text(FACTS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--project", str(root), "query", str(query), "--format", "csv"])
    assert result.exit_code == 0, result.output
    return result.stdout.split()[1:]


def test_query_reuses_the_cached_inferences_until_an_input_changes(good):
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    entries = sorted((good / CACHE_DIR).iterdir())
    assert len(entries) == 1 and entries[0].suffix == ".nt"
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    assert sorted((good / CACHE_DIR).iterdir()) == entries

    data = good / "data" / "visits" / "facts.ttl"
    data.write_text(data.read_text(encoding="utf-8") + NEW_VISIT, encoding="utf-8")
    assert facts(good) == [
        "https://w3id.org/relgraph/id/visit-2018",
        "https://w3id.org/relgraph/id/visit-2019",
    ]
    assert len(list((good / CACHE_DIR).iterdir())) == 2


def test_a_corrupt_cache_entry_is_recomputed(good):
    first = facts(good)
    (entry,) = (good / CACHE_DIR).iterdir()
    entry.write_text("this is not N-Triples\n", encoding="utf-8")
    assert facts(good) == first
    assert entry.read_text(encoding="utf-8") != "this is not N-Triples\n"



def test_a_cache_that_cannot_be_written_does_not_stop_a_query(good, monkeypatch):
    # Root ignores folder modes, so a read-only cache folder is simulated where the write fails.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    assert list((good / CACHE_DIR).iterdir()) == []
