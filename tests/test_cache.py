"""The inferred-graph cache: reused while the inputs are unchanged, never stale after a change."""

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


def test_query_reuses_the_cached_store_until_an_input_changes(good):
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    entries = sorted((good / CACHE_DIR).glob("store-*"))
    assert len(entries) == 1 and entries[0].is_dir()
    made = sorted((p.name, p.stat().st_mtime_ns) for p in entries[0].iterdir())
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    assert sorted((good / CACHE_DIR).glob("store-*")) == entries
    assert sorted((p.name, p.stat().st_mtime_ns) for p in entries[0].iterdir()) == made  # opened, not written

    data = good / "data" / "visits" / "facts.ttl"
    data.write_text(data.read_text(encoding="utf-8") + NEW_VISIT, encoding="utf-8")
    assert facts(good) == [
        "https://w3id.org/relgraph/id/visit-2018",
        "https://w3id.org/relgraph/id/visit-2019",
    ]
    (entry,) = (good / CACHE_DIR).glob("store-*")  # the store of the old inputs is gone
    assert entry != entries[0]


def test_the_memory_store_keeps_the_cached_inferences_until_an_input_changes(good):
    query = good / "facts.rq"
    query.write_text(FACTS, encoding="utf-8")
    args = ["--project", str(good), "query", str(query), "--format", "csv", "--store", "memory"]
    assert CliRunner().invoke(cli, args).stdout.split()[1:] == ["https://w3id.org/relgraph/id/visit-2018"]
    (entry,) = (good / CACHE_DIR).glob("inferred-*")
    assert entry.suffix == ".nt"
    data = good / "data" / "visits" / "facts.ttl"
    data.write_text(data.read_text(encoding="utf-8") + NEW_VISIT, encoding="utf-8")
    assert len(CliRunner().invoke(cli, args).stdout.split()[1:]) == 2
    (again,) = (good / CACHE_DIR).glob("inferred-*")  # the entry of the old inputs is gone
    assert again != entry


def test_an_edited_shapes_file_leaves_one_checked_marker(good):
    """The cache keeps the marker of the current shapes only: the edited file's old one goes."""
    validate = ["--project", str(good), "validate"]
    assert CliRunner().invoke(cli, validate).exit_code == 0
    (before,) = (good / CACHE_DIR).glob("shapes-ok-*")
    shapes = good / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert CliRunner().invoke(cli, validate).exit_code == 0
    (after,) = (good / CACHE_DIR).glob("shapes-ok-*")
    assert after != before


def test_a_damaged_cached_store_is_made_again(good):
    first = facts(good)
    (entry,) = (good / CACHE_DIR).glob("store-*")
    for part in entry.iterdir():
        if part.is_file():
            part.write_bytes(b"this is not a store\n")
    assert facts(good) == first
    (again,) = (good / CACHE_DIR).glob("store-*")
    assert again == entry and not any(p.read_bytes() == b"this is not a store\n" for p in again.iterdir() if p.is_file())


def test_a_cache_that_cannot_be_written_does_not_stop_a_query(good):
    # Root ignores folder modes: a file where the cache folder would be stops every write.
    (good / CACHE_DIR).write_text("not a folder\n", encoding="utf-8")
    assert facts(good) == ["https://w3id.org/relgraph/id/visit-2018"]
    assert (good / CACHE_DIR).read_text(encoding="utf-8") == "not a folder\n"


def test_a_corrupt_inferred_graph_in_the_cache_is_recomputed(good):
    query = good / "facts.rq"
    query.write_text(FACTS, encoding="utf-8")
    args = ["--project", str(good), "query", str(query), "--format", "csv", "--store", "memory"]
    first = CliRunner().invoke(cli, args).stdout
    (entry,) = (good / CACHE_DIR).glob("inferred-*")
    entry.write_text("this is not N-Triples\n", encoding="utf-8")
    assert CliRunner().invoke(cli, args).stdout == first
    assert entry.read_text(encoding="utf-8") != "this is not N-Triples\n"


def test_a_stored_query_broken_after_a_build_is_still_refused_by_the_next(good, tmp_path):
    """A catalogue that parsed is remembered by the digest of its texts: a changed query is parsed again."""
    out = ["--project", str(good), "build", "--out", str(tmp_path / "out")]
    assert CliRunner().invoke(cli, out).exit_code == 0
    assert len(list((good / CACHE_DIR).glob("queries-ok-*"))) == 1
    broken = good / "queries" / "broken.rq"
    broken.write_text("# title: Broken\nSELECT ?s WHERE { ?s a rg:Visit\n", encoding="utf-8")
    result = CliRunner().invoke(cli, out)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"relgraph: error: query 'broken' ({broken}): line ")
    broken.unlink()
    assert CliRunner().invoke(cli, out).exit_code == 0


def test_a_forged_parse_marker_never_lets_a_rule_reach_out(good, tmp_path):
    """The marker that a catalogue parsed skips rdflib's parse only: a derive- rule with SERVICE
    is still refused by the build (exit 2, naming the rule), whatever the cache folder says."""
    from relgraph.queries import catalogue_marker, read_query

    rule = good / "queries" / "derive-outbound.rq"
    rule.write_text(
        "# title: Outbound\nCONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }\n",
        encoding="utf-8",
    )
    queries = [read_query(path) for path in sorted((good / "queries").glob("*.rq"), key=lambda p: p.stem)]
    marker = catalogue_marker(queries, good / CACHE_DIR)
    marker.parent.mkdir(exist_ok=True)
    marker.touch()
    result = CliRunner().invoke(cli, ["--project", str(good), "build", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"relgraph: error: query 'derive-outbound' ({rule}): SERVICE is not allowed\n"
    assert not (tmp_path / "out").exists()
