"""The synthetic world: conforms to the shapes, is consistent, uses every class of the real
data, quotes texts that exist, and is the same bytes for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, XSD

from relgraph import Catalogue, Project, reason, validate
from relgraph.synth import Template, pair_count, source_texts, synthesize, world_size, write_world
from relgraph.vocab import OA, RG

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.from_project(ROOT)


@pytest.fixture(scope="module")
def world(template) -> Graph:
    return synthesize(states=4, seed=7, template=template)


@pytest.fixture(scope="module")
def project():
    return Project.discover(ROOT)


def test_a_small_world_conforms_to_the_shapes(world, project):
    report = validate(data=world, ontology=project.load().ontology, shapes=project.load_shapes())
    assert report.conforms, [v.message for v in report.violations[:5]]
    assert report.violations == ()


def test_a_small_world_is_consistent(world, project):
    loaded = project.load()
    result = reason(ontology=loaded.ontology, asserted=world, rules=Catalogue.load(project.queries_dir).rules(), engine="reasonable")
    assert result.consistent, result.problems[:5]


def test_the_world_uses_every_class_the_real_data_uses(world, project):
    used = set(project.load().asserted.objects(None, RDF.type))
    assert used - set(world.objects(None, RDF.type)) == set()


def test_dates_keep_mixed_precision(world):
    datatypes = {o.datatype for o in world.objects(None, RG.date)} | {o.datatype for o in world.objects(None, RG.startDate)}
    assert {XSD.gYear, XSD.gYearMonth, XSD.date} <= datatypes


def test_every_quote_is_in_its_document_text(world):
    texts = source_texts(world)
    assert len(texts) == pair_count(states=4) == 4
    for sentence, document in world.subject_objects(OA.hasSource):
        quote = str(world.value(world.value(sentence, OA.hasSelector), OA.exact))
        assert quote in texts[str(world.value(document, RG.localCopy))]


def test_size_is_as_documented(world, template):
    assert len(world) == world_size(states=4, template=template)
    assert world_size(states=11, template=template) == 11 * (5 * len(template.triples) + 2)


def test_the_same_seed_gives_the_same_bytes(tmp_path, template):
    first = write_world(tmp_path / "a" / "world.nt", states=5, seed=3, template=template)
    second = write_world(tmp_path / "b" / "world.nt", states=5, seed=3, template=template)
    other = write_world(tmp_path / "c" / "world.nt", states=5, seed=4, template=template)
    assert first.path.read_bytes() == second.path.read_bytes() != other.path.read_bytes()
    assert first.triples == world_size(states=5, template=template) == len(Graph().parse(first.path, format="nt"))
    for text in (tmp_path / "a" / "sources").iterdir():
        assert text.read_bytes() == (tmp_path / "b" / "sources" / text.name).read_bytes()
    assert first.sources == first.pairs == 10


def test_too_small_a_world_is_refused(template):
    with pytest.raises(ValueError, match="at least 4"):
        synthesize(states=3, seed=1, template=template)
