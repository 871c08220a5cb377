from pathlib import Path

import pytest

from relgraph import InputError, Project, ProjectError, parse_turtle
from relgraph.errors import EXIT_BAD_INPUT
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_ONTOLOGY, RG, RGD


def test_discover_finds_ontology_shapes_data_and_queries(good):
    project = Project.discover(good)
    assert project.ontology_files == (good / "ontology" / "mini.ttl",)
    assert project.shapes_file == good / "ontology" / "shapes.ttl"
    assert project.data_files == (good / "data" / "visits" / "facts.ttl",)
    assert project.queries_dir == good / "queries"


@pytest.mark.parametrize("missing", ["ontology", "data"])
def test_discover_refuses_a_directory_without_ontology_or_data(tmp_path, missing):
    for name in {"ontology", "data"} - {missing}:
        (tmp_path / name).mkdir()
    with pytest.raises(ProjectError, match=f"no {missing}/ directory") as caught:
        Project.discover(tmp_path)
    assert caught.value.exit_code == EXIT_BAD_INPUT


def test_load_puts_ontology_and_facts_in_their_named_graphs(good):
    loaded = Project.discover(good).load()
    assert {g.identifier for g in loaded.dataset.graphs()} >= {GRAPH_ONTOLOGY, GRAPH_ASSERTED}
    assert (RG.Visit, None, None) in loaded.ontology
    assert (RG.Visit, None, None) not in loaded.asserted
    assert (RGD["visit-2018"], None, None) in loaded.asserted


def test_load_remembers_the_data_file_of_each_subject(good):
    loaded = Project.discover(good).load()
    assert loaded.stated_in_file[RGD["visit-2018"]] == (good / "data" / "visits" / "facts.ttl",)


def test_load_resolves_local_copies_against_the_turtle_file(good):
    loaded = Project.discover(good).load()
    assert dict(loaded.local_copies) == {RGD["visits-doc"]: (good / "data" / "visits" / "source.txt").resolve()}


def test_malformed_turtle_is_an_input_error_with_path_line_and_column(make_project):
    root = make_project("malformed-turtle")
    with pytest.raises(InputError) as caught:
        Project.discover(root).load()
    error = caught.value
    assert (error.path, error.line, error.column) == (root / "data" / "visits" / "broken.ttl", 6, 5)
    assert str(error) == f"{root}/data/visits/broken.ttl:6:5: bad Turtle: expected '.' or '}}' or ']' at end of statement"


def test_non_utf8_file_is_an_input_error_with_its_position(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(InputError) as caught:
        parse_turtle(path)
    assert (caught.value.line, caught.value.column, caught.value.reason) == (2, 15, "not UTF-8 text")


def test_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        parse_turtle(tmp_path / "absent.ttl")


def test_missing_local_copy_names_the_turtle_file(make_project):
    root = make_project("missing-copy")
    with pytest.raises(InputError, match="missing.txt") as caught:
        Project.discover(root).load()
    assert caught.value.path == root / "data" / "other" / "facts.ttl"


def test_load_with_explicit_data_files_replaces_the_project_data(good, tmp_path):
    other = tmp_path / "one.ttl"
    other.write_text("<https://w3id.org/relgraph/id/a> a <https://w3id.org/relgraph/ontology#State> .\n")
    loaded = Project.discover(good).load(data_files=[other])
    assert len(loaded.asserted) == 1
    assert loaded.stated_in_file[RGD.a] == (Path(other),)


def test_shapes_graph_is_not_loaded_into_the_dataset(good):
    project = Project.discover(good)
    assert len(project.load_shapes()) > 0
    loaded = project.load()
    assert not any("VisitShape" in str(s) for s in loaded.dataset.subjects())
