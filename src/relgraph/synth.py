"""A synthetic world of bilateral relations, in relgraph's own ontology, for tests and benchmarks.

The world is grown from the project's real data, used as a template: every pair of
related states gets its own copy of the template's facts (relations and their events,
embassies and accreditations, offices and holders, visits and meetings, trade flows,
memberships, grants, partnerships and exchanges, sentences and documents), so the world
uses every class the real data uses and keeps its shape. In each copy

* the template's states become states of the world (the two parties of the template's
  diplomatic relation become the pair; any other state, two other states of the world);
* every other node gets a new IRI under ``rgd:<pair>/``; persons get new names;
* the names of states and persons are replaced in every text (labels, quotes, defects);
* all dates of the copy move by the same number of years (a multiple of four, so 29
  February stays valid; the precision of each date, year, month or day, is kept), and so do
  years written in texts; amounts are scaled;
* labels in languages other than English and links to Wikidata are left out; each label of
  a copied node ends with the pair's slug (`` (p000003)``), so that no two nodes of the world
  share a class and a label (two IRIs for one entity, which validation reports);
* each source document of the template (there may be any number) gets, in each copy, its own
  IRI, its own ``rg:localCopy`` (``sources/<pair>-<node>.txt``) and its own synthetic text:
  its sentences' quotes in order under their section headings, so every ``oa:exact`` is found
  in the text of its own document (:func:`source_texts`). A world has one text per document:
  pairs x documents of the template.

Size: each pair of states contributes the same number of triples (1,158 with the project's
data today; :func:`world_size` gives the exact count) and each state 2 more. Every state is
paired with its next ``min(5, (states - 1) // 2)`` neighbours round a ring, so a world of
``states >= 11`` has ``5 * states`` pairs, 5,792 triples per state: 5 states make 11.6k
triples, 18 states 104k, 173 states 1.0M, 1,727 states 10.0M (:func:`states_for`).

The same ``states`` and ``seed`` give the same bytes (:func:`write_world`).
"""

from __future__ import annotations

import os
import random
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .errors import OutputError
from .progress import SILENT, Progress
from .stores.convert import nt_term
from .vocab import OA, RG, RGD, WD

_DATES = {XSD.gYear, XSD.gYearMonth, XSD.date}
_YEAR_IN_TEXT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SYLLABLES = (
    "ka", "lo", "ri", "ven", "dor", "sa", "mi", "tal", "ber", "no", "va", "zen", "ul", "ast", "ke",
    "lin", "mor", "pe", "qua", "ro", "sel", "ti", "ur", "wen", "ya", "gar", "hel", "io", "jun", "ex",
)
_MAX_PARTNERS = 5
_RENAMED = (RG.Person, RG.City, RG.Town, RG.PortCity, RG.Region)


@dataclass(frozen=True)
class Template:
    """The real data, read once: its triples and what the copies replace in them."""

    triples: tuple[tuple[Node, Node, Node], ...]
    pair: tuple[URIRef, URIRef]
    """The two parties of the template's diplomatic relation."""
    others: tuple[URIRef, ...]
    """The template's other states, sorted."""
    names: dict[URIRef, str]
    """English label of each state and person of the template."""
    persons: tuple[URIRef, ...]
    """The persons and places of the template, which get new names in each copy."""
    types: frozenset[tuple[Node, Node, Node]]
    """The rdf:type triples of those persons and places."""

    @classmethod
    def from_graph(cls, data: Graph) -> Template:
        """The template made from the asserted graph ``data`` (ValueError if it has no
        diplomatic relation between two states)."""
        states = sorted(set(data.subjects(RDF.type, RG.State)))
        relation = min(data.subjects(RDF.type, RG.DiplomaticRelation), default=None)
        parties = sorted(data.objects(relation, RG.party)) if relation is not None else []
        if len(parties) != 2:
            raise ValueError("the template data has no rg:DiplomaticRelation with two rg:party")
        persons = tuple(sorted({s for cls in _RENAMED for s in data.subjects(RDF.type, cls)}))
        names = {}
        for node in (*states, *persons):
            english = sorted(str(o) for o in data.objects(node, RDFS.label) if getattr(o, "language", None) == "en")
            if english:
                names[node] = english[0]
        kept = []
        for s, p, o in data:
            if s in states:
                continue  # the world's states are described once, not per pair
            if isinstance(o, Literal) and o.language not in (None, "en") and p in (RDFS.label, SKOS.altLabel):
                continue
            if isinstance(o, URIRef) and str(o).startswith(str(WD)):
                continue
            kept.append((s, p, o))
        kept.sort(key=lambda t: tuple(x.n3() for x in t))
        return cls(
            triples=tuple(kept),
            pair=(parties[0], parties[1]),
            others=tuple(s for s in states if s not in parties),
            names=names,
            persons=persons,
            types=frozenset((s, RDF.type, RG.Person) for s in persons if (s, RDF.type, RG.Person) in data),
        )

    @classmethod
    def from_project(cls, root: Path | str) -> Template:
        """The template made from the asserted data of the project at ``root``."""
        from .project import Project

        return cls.from_graph(Project.discover(root).load().asserted)


def _default_template() -> Template:
    """The template from the project this module sits in (its source checkout)."""
    root = Path(__file__).resolve().parents[2]
    return Template.from_project(root)


def _name(rng: random.Random, used: set[str], syllables: int) -> str:
    while True:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()
        if name not in used:
            used.add(name)
            return name


@dataclass(frozen=True)
class World:
    """The states of a synthetic world and which pairs of them have relations."""

    seed: int
    names: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]

    @classmethod
    def make(cls, *, states: int, seed: int) -> World:
        """``states`` states (at least 4), each paired with its next neighbours round a ring."""
        if states < 4:
            raise ValueError("a synthetic world needs at least 4 states")
        rng = random.Random(f"world:{seed}")
        used: set[str] = set()
        names = tuple(_name(rng, used, 3) + "ia" for _ in range(states))
        partners = min(_MAX_PARTNERS, (states - 1) // 2)
        pairs = tuple((i, (i + step) % states) for i in range(states) for step in range(1, partners + 1))
        return cls(seed=seed, names=names, pairs=pairs)

    def state(self, index: int) -> URIRef:
        """The IRI of state ``index``."""
        return RGD[f"state-{index:05d}"]

    def state_triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """What the world says about each state: its type and English name."""
        for index, name in enumerate(self.names):
            yield self.state(index), RDF.type, RG.State
            yield self.state(index), RDFS.label, Literal(name, lang="en")


def _pair_triples(template: Template, world: World, number: int) -> Iterator[tuple[Node, Node, Node]]:
    """The template's triples, copied for pair ``number`` of ``world``."""
    a, b = world.pairs[number]
    rng = random.Random(f"pair:{world.seed}:{number}")
    states = len(world.names)
    others = [i for i in rng.sample(range(states), min(states, len(template.others) + 2)) if i not in (a, b)]
    state_map = {template.pair[0]: a, template.pair[1]: b, **dict(zip(template.others, others))}
    years = rng.choice(range(-48, 1, 4))
    scale = rng.uniform(0.5, 2.0)
    slug = f"p{number:06d}"
    used = set(world.names)
    replacements = {template.names[s]: world.names[i] for s, i in state_map.items() if s in template.names}
    for node in template.persons:
        if node in template.names:
            is_person = (node, RDF.type, RG.Person) in template.types
            fresh = f"{_name(rng, used, 2)} {_name(rng, used, 3)}" if is_person else _name(rng, used, 2) + "a"
            replacements[template.names[node]] = fresh
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(replacements, key=len, reverse=True)) + r")\b")
    iris: dict[URIRef, URIRef] = {}

    def iri(node: URIRef) -> URIRef:
        if node in state_map:
            return world.state(state_map[node])
        if not str(node).startswith(str(RGD)):
            return node
        if node not in iris:
            iris[node] = RGD[f"{slug}/n{len(iris):04d}"]
        return iris[node]

    def text(value: str) -> str:
        value = pattern.sub(lambda m: replacements[m[1]], value)
        return _YEAR_IN_TEXT.sub(lambda m: str(int(m[1]) + years), value)

    def document(node: Node) -> str:
        """A name of the copy of a template document, its own in the world: ``p000003-n0012``."""
        return f"{slug}-{str(iri(node)).rsplit('/', 1)[1]}"

    for s, p, o in template.triples:
        if isinstance(o, URIRef):
            if p == DCTERMS.source:
                o = URIRef(f"urn:x-relgraph:synthetic:{world.seed}:{document(s)}")
            else:
                o = iri(o)
        elif isinstance(o, Literal):
            if o.datatype in _DATES:
                o = Literal(_shift(str(o), years), datatype=o.datatype)
            elif o.datatype == XSD.decimal:
                o = Literal(f"{round(float(o) * scale)}.0", datatype=XSD.decimal)
            elif p == RG.localCopy:
                o = Literal(f"sources/{document(s)}.txt")
            elif p == RDFS.label:
                # the copy's own label: two copies of a node (an office, a product) are two nodes,
                # which one label would make duplicates of one another (relgraph.duplicates)
                o = Literal(f"{text(str(o))} ({slug})", lang=o.language)
            elif o.datatype is None:
                o = Literal(text(str(o)), lang=o.language)
        yield iri(s), p, o


def _shift(value: str, years: int) -> str:
    year, rest = value[:4], value[4:]
    return f"{int(year) + years:04d}{rest}"


def pair_count(*, states: int) -> int:
    """How many pairs of states a world of ``states`` states relates."""
    return states * min(_MAX_PARTNERS, (states - 1) // 2)


def world_size(*, states: int, template: Template | None = None) -> int:
    """The exact number of triples of a world of ``states`` states (any seed)."""
    template = template or _default_template()
    return pair_count(states=states) * len(template.triples) + 2 * states


def states_for(size: int, *, template: Template | None = None) -> int:
    """The number of states whose world is closest to ``size`` triples (at least 4)."""
    template = template or _default_template()
    best = 4
    for states in range(4, 100_000):
        if abs(world_size(states=states, template=template) - size) < abs(world_size(states=best, template=template) - size):
            best = states
        if world_size(states=states, template=template) > size:
            break
    return best


def triples(*, states: int, seed: int, template: Template | None = None) -> Iterator[tuple[Node, Node, Node]]:
    """Every triple of the world, states first, then pair by pair (a stream, for any size)."""
    template = template or _default_template()
    world = World.make(states=states, seed=seed)
    yield from world.state_triples()
    for number in range(len(world.pairs)):
        yield from _pair_triples(template, world, number)


def synthesize(*, states: int, seed: int, template: Template | None = None) -> Graph:
    """The world of ``states`` states for ``seed`` as an rdflib Graph (for small worlds).

    >>> graph = synthesize(states=4, seed=1)
    >>> len(graph) == world_size(states=4)
    True
    """
    graph = Graph()
    for triple in triples(states=states, seed=seed, template=template):
        graph.add(triple)
    return graph


def source_texts(graph: Graph) -> dict[str, str]:
    """The synthetic text of each document of ``graph``, by its ``rg:localCopy``: its
    sentences' quotes in ``rg:position`` order, a heading line where the section changes.
    ValueError if two documents name the same local copy (their texts would overwrite)."""
    texts = {}
    for document, copy in sorted(graph.subject_objects(RG.localCopy)):
        if str(copy) in texts:
            raise ValueError(f"two documents have the local copy {str(copy)!r}")
        sentences = []
        for sentence in graph.subjects(OA.hasSource, document):
            quote = graph.value(graph.value(sentence, OA.hasSelector), OA.exact)
            position = graph.value(sentence, RG.position)
            if quote is not None and position is not None:
                sentences.append((int(position), str(graph.value(sentence, RG.section) or ""), str(quote)))
        lines, section = [f"= {graph.value(document, DCTERMS.title) or ''} =", ""], ""
        for _position, heading, quote in sorted(sentences):
            if heading != section:
                section = heading
                lines += ["", f"== {heading} ==", ""]
            lines.append(quote)
        texts[str(copy)] = "\n".join(lines) + "\n"
    return texts


@dataclass(frozen=True)
class WorldFile:
    """What :func:`write_world` wrote."""

    path: Path
    triples: int
    pairs: int
    sources: int


def write_world(
    path: Path,
    *,
    states: int,
    seed: int,
    template: Template | None = None,
    progress: Progress = SILENT,
) -> WorldFile:
    """Write the world as N-Triples (which is also Turtle) to ``path`` and each document's
    synthetic text to ``sources/`` beside it, all atomically; the same arguments give the
    same bytes. Lines are sorted within each pair's block."""
    template = template or _default_template()
    world = World.make(states=states, seed=seed)
    path = Path(path)
    sources = path.parent / "sources"
    try:
        sources.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(path, error.strerror or str(error)) from None
    count = documents = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            block = sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in world.state_triples())
            stream.writelines(block)
            count += len(block)
            with progress.task(f"synth {path.name}", total=len(world.pairs)) as task:
                for number in range(len(world.pairs)):
                    pair = list(_pair_triples(template, world, number))
                    block = sorted({f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n" for s, p, o in pair})
                    stream.writelines(block)
                    count += len(block)
                    documents += _write_sources(pair, sources)
                    task.advance()
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return WorldFile(path=path, triples=count, pairs=len(world.pairs), sources=documents)


def _write_sources(pair: list[tuple[Node, Node, Node]], folder: Path) -> int:
    from .export import write_atomic

    graph = Graph()
    for triple in pair:
        if triple[1] in (RG.localCopy, OA.hasSource, OA.hasSelector, OA.exact, RG.position, RG.section, DCTERMS.title):
            graph.add(triple)
    texts = source_texts(graph)
    for name, content in texts.items():
        write_atomic(folder / Path(name).name, content.encode("utf-8"))
    return len(texts)
