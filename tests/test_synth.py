"""The synthetic world: conforms to the shapes, is consistent, uses every class of the real
data, quotes texts that exist, and is the same bytes for the same seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, XSD

from relgraph import Catalogue, Project, reason, validate
from relgraph.synth import Template, pair_count, source_texts, synthesize, world_size, write_world
from relgraph.validation.in_store import validate_in_store
from relgraph.stores import open_store
from relgraph.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY, OA, RG, RGD

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


def documents_of(template: Template) -> int:
    return sum(1 for _s, p, o in template.triples if p == RDF.type and o == RG.SourceDocument)


def test_every_quote_is_in_its_document_text(world, template):
    texts = source_texts(world)
    assert len(texts) == pair_count(states=4) * documents_of(template)
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
    assert first.pairs == pair_count(states=5) == 10
    assert first.sources == first.pairs * documents_of(template) == len(list((tmp_path / "a" / "sources").iterdir()))


def test_too_small_a_world_is_refused(template):
    with pytest.raises(ValueError, match="at least 4"):
        synthesize(states=3, seed=1, template=template)


# -- a template of several documents -------------------------------------------------------------

FIXTURE = ROOT / "tests" / "fixtures" / "documents" / "estonia-portugal-relations"
SHARED = {RGD["european-union"], RGD["nato"]}


def fixture_document(suffix: str = "") -> Graph:
    """The fixture article's graph; with ``suffix``, a second document like it, every node of
    its own (the seed's shared organizations excepted) renamed ``<iri><suffix>``."""
    graph = Graph()
    for path in sorted(FIXTURE.glob("*.ttl")):
        graph.parse(path)
    if not suffix:
        return graph
    own = {s for s in graph.subjects() if s not in SHARED}

    def rename(term):
        return URIRef(f"{term}{suffix}") if term in own else term

    renamed = Graph()
    for s, p, o in graph:
        renamed.add((rename(s), p, rename(o)))
    return renamed


@pytest.fixture(scope="module")
def templates(template) -> dict[int, Template]:
    """Templates of 1, 2 and 3 documents: the project's data, plus the fixture article, plus a
    second article of the same shape."""
    data = Project.discover(ROOT).load().asserted
    two = data + fixture_document()
    return {1: template, 2: Template.from_graph(two), 3: Template.from_graph(two + fixture_document("-b"))}


@pytest.mark.parametrize(("documents", "states"), [(1, 4), (2, 5), (2, 6), (3, 7)])
def test_each_document_has_its_own_text_holding_its_own_quotes(tmp_path, templates, documents, states):
    template = templates[documents]
    assert documents_of(template) == documents
    written = write_world(tmp_path / "world.nt", states=states, seed=5, template=template)
    world = Graph().parse(written.path, format="nt")
    copies = {document: str(copy) for document, copy in world.subject_objects(RG.localCopy)}
    # one document per template document and pair, one text per document, none shared
    assert len(copies) == len(set(world.subjects(RDF.type, RG.SourceDocument))) == pair_count(states=states) * documents
    assert len(set(copies.values())) == len(copies) == written.sources
    assert sorted(p.name for p in (tmp_path / "sources").iterdir()) == sorted(Path(c).name for c in copies.values())
    quotes: dict[URIRef, list[tuple[int, str]]] = {document: [] for document in copies}
    for sentence, document in world.subject_objects(OA.hasSource):
        quote = str(world.value(world.value(sentence, OA.hasSelector), OA.exact))
        quotes[document].append((int(world.value(sentence, RG.position)), quote))
    for document, copy in copies.items():
        text = (tmp_path / copy).read_text(encoding="utf-8")
        assert quotes[document], document
        for _position, quote in quotes[document]:
            assert quote in text, (document, quote)
        # the text is its own document's quotes, in order, and nothing else but headings
        body = [line for line in text.splitlines() if line and not line.startswith("=")]
        assert body == [quote for _position, quote in sorted(quotes[document])], document


def test_a_world_of_two_documents_per_pair_conforms(templates, project, tmp_path):
    # 6 states: enough for the template's two pairs and its two other states in each copy;
    # validated in an Oxigraph store (the same report as pyshacl's, much faster at this size)
    world = synthesize(states=6, seed=2, template=templates[2])
    with open_store(f"oxigraph:{tmp_path / 'store'}") as store:
        store.replace({GRAPH_ONTOLOGY: project.load().ontology, GRAPH_ASSERTED: world, GRAPH_INFERRED: Graph()}, digest="world")
        report = validate_in_store(store, shapes=project.load_shapes())
    assert report.conforms, [v.message for v in report.violations[:5]]
    assert report.violations == ()


def test_synth_takes_its_template_from_the_project(tmp_path):
    """`relgraph --project P synth`: P's documents are the template (the case of issue 13: with
    5 states and two documents it wrote 20 documents but 10 texts)."""
    import shutil
    import subprocess
    import sys

    from project_copies import copy_real_project

    project = copy_real_project(tmp_path / "project")
    shutil.copytree(FIXTURE, project / "data" / FIXTURE.name)
    out = tmp_path / "out"
    out.mkdir()
    command = [sys.executable, "-m", "relgraph.cli", "--project", str(project), "synth", "--states", "5", "-o", "world.nt"]
    done = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "(10 pairs of states, 20 source texts)" in done.stderr
    world = Graph().parse(out / "world.nt", format="nt")
    for sentence, document in world.subject_objects(OA.hasSource):
        quote = str(world.value(world.value(sentence, OA.hasSelector), OA.exact))
        assert quote in (out / str(world.value(document, RG.localCopy))).read_text(encoding="utf-8")
    assert len(list((out / "sources").iterdir())) == 20
