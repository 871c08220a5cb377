"""``relgraph draft SLUG``: propose the entities and facts of data/SLUG/source.txt as data/SLUG/draft.ttl.

The text is cut by the project's splitter (relgraph.sources.split_text); each sentence is
read by the mention finder (gazetteer and cue words, spaCy PhraseMatchers on a blank English
pipeline), the date grammar (relgraph.curation.dates) and the fact rules (one builder per
kind of statement, triggers in rules/facts.json). Every candidate is a node in the
project's ontology, with rg:statedIn its sentence and its draft marks (rgc:candidate,
rgc:rule, rgc:confidence, rgc:kind, rgc:note). A draft is a proposal: nothing loads it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from ..errors import InputError
from ..export import write_atomic
from ..project import Project, parse_turtle
from ..sources import split_text
from ..vocab import RG, RGD
from .dates import DateValue, find_dates, last_value
from .facts import BUILDERS, Context, trigger_phrases
from .gazetteer import Gazetteer, normalize
from .mentions import MentionFinder
from .registry import RGC, Registry

DRAFT_FILE = "draft.ttl"
_TITLE = re.compile(r"^=\s*(.*?)\s*=\s*$", re.MULTILINE)
_PAIR = re.compile(r"^(.+?)\s*[–—-]\s*(.+?)\s+relations$", re.IGNORECASE)
_HEADING_DIRECTION = re.compile(r"\bfrom\s+(.+?)\s+to\s+(.+?)$", re.IGNORECASE)


@dataclass(frozen=True)
class DraftSummary:
    """What ``draft`` proposed: counts for the command's summary."""

    path: Path
    sentences: int
    entities: Counter
    facts: Counter
    empty_sentences: tuple[int, ...]

    def render(self) -> str:
        lines = [f"wrote {self.path}", f"sentences: {self.sentences}",
                 f"candidates: {sum(self.entities.values()) + sum(self.facts.values())} "
                 f"({sum(self.entities.values())} entities, {sum(self.facts.values())} facts)"]
        for title, counts in (("entities", self.entities), ("facts", self.facts)):
            for name, count in sorted(counts.items()):
                lines.append(f"  {title[:-1] if title == 'facts' else 'entity'} {name}: {count}")
        empty = ", ".join(f"s{n:02d}" for n in self.empty_sentences) or "none"
        lines.append(f"sentences with no candidate: {len(self.empty_sentences)} ({empty})")
        return "\n".join(lines) + "\n"


def _data_graph(project: Project) -> Graph:
    graph = Graph()
    for path in project.data_files:
        if path.name != DRAFT_FILE:
            graph += parse_turtle(path)
    return graph


def _ontology(project: Project) -> Graph:
    graph = Graph()
    for path in project.ontology_files:
        graph += parse_turtle(path)
    return graph


class Drafter:
    """Drafts documents against one project's ontology and data (built once, reused per document)."""

    def __init__(self, *, ontology: Graph, data: Graph) -> None:
        self.ontology = ontology
        self.data = data

    def draft_text(self, text: str, *, document_slug: str) -> Graph:
        """The draft graph for ``text`` (the content of a source.txt) of document ``document_slug``."""
        gazetteer = Gazetteer(ontology=self.ontology, data=self.data)
        pair = self._pair(text, gazetteer)
        finder = MentionFinder(gazetteer)
        registry = Registry(gazetteer, document_slug=document_slug)
        triggers = {}
        for kind in BUILDERS:
            matcher = PhraseMatcher(finder.nlp.vocab, attr="NORM")
            phrases = sorted(set(trigger_phrases(kind)))
            matcher.add(kind, list(finder.nlp.pipe(phrases)))
            triggers[kind] = matcher
        document = RGD[document_slug]
        relations: dict[frozenset, URIRef] = {}

        def relation(a: URIRef, b: URIRef, sentence: URIRef | None) -> URIRef | None:
            key = frozenset((a, b))
            if key in relations:
                if sentence is not None:
                    registry.state_in(relations[key], sentence)
                return relations[key]
            existing = gazetteer.find_relation(a, b, self.data)
            if existing is not None:
                relations[key] = existing
                return existing
            if sentence is None:
                return None
            iri = registry.new_fact("diplomatic-relations", RG.DiplomaticRelation,
                                    f"{gazetteer.entities[a].label}–{gazetteer.entities[b].label} relations",
                                    rule="relations-lead", confidence=0.8, sentence=sentence)
            for party in (a, b):
                registry.add(iri, RG.party, party)
            relations[key] = iri
            return iri

        previous_date: DateValue | None = None
        previous_states: list[URIRef] = []
        self.empty: list[int] = []
        for unit in split_text(text):
            sentence = URIRef(f"{document}/sentence/s{unit.position:02d}")
            doc = finder.doc(unit.text)
            mentions = finder.find(doc)
            dates = find_dates(unit.text, previous=previous_date)
            heading_from, heading_to = self._heading(unit.section, gazetteer)
            ctx = Context(registry=registry, finder=finder, sentence=sentence, text=unit.text, doc=doc,
                          mentions=mentions, dates=dates, pair=pair, heading_from=heading_from,
                          heading_to=heading_to, previous_states=previous_states, relation=relation)
            before = {iri: list(c.sentences) for iri, c in registry.candidates.items()}
            for mention in mentions:
                if mention.kind == "mission":
                    ctx.mission(mention)
                elif mention.kind == "body" and mention.iri is None:
                    ctx.resolve(mention, kind="body", cls=mention.cls)
            for kind, builder in BUILDERS.items():
                spans = filter_spans([doc[start:end] for _key, start, end in triggers[kind](doc)])
                if spans:
                    builder(ctx, sorted(spans, key=lambda s: s.start))
            for mention in dates:
                if mention.value is None and mention.note:
                    for fact in ctx.made:
                        if not any((fact, p, None) in registry.graph for p in (RG.date, RG.startDate, RG.attestedAt)):
                            registry.note(fact, mention.note)
            touched = any(sentence in c.sentences and sentence not in before.get(iri, []) for iri, c in registry.candidates.items())
            if not touched:
                self.empty.append(unit.position)
            previous_date = last_value(dates) or previous_date
            states = ctx.states()
            previous_states[:] = states or previous_states
        return registry.finish()

    @staticmethod
    def _state(name: str, gazetteer: Gazetteer) -> URIRef | None:
        for iri in gazetteer.names.get(normalize(name.strip()), []):
            if gazetteer.kind_of(gazetteer.entities[iri], "state"):
                return iri
        return gazetteer.state_of_adjective(name.strip())

    def _pair(self, text: str, gazetteer: Gazetteer) -> tuple[URIRef, URIRef] | None:
        """The two states of a title "A–B relations"; a name no list knows is taken as a new state."""
        title = _TITLE.search(text)
        match = _PAIR.match(title.group(1)) if title else None
        if match is None:
            return None
        states = []
        for name in (match.group(1).strip(), match.group(2).strip()):
            state = self._state(name, gazetteer)
            if state is None and name[:1].isupper():
                state = gazetteer.add_reference(name, RG.State)
            states.append(state)
        a, b = states
        return (a, b) if a is not None and b is not None and a != b else None

    def _heading(self, section: str, gazetteer: Gazetteer) -> tuple[URIRef | None, URIRef | None]:
        last = section.split(" > ")[-1] if section else ""
        match = _HEADING_DIRECTION.search(last)
        if match is None:
            return None, None
        return self._state(match.group(1), gazetteer), self._state(match.group(2), gazetteer)


def draft(project: Project, slug: str) -> DraftSummary:
    """Write data/SLUG/draft.ttl (atomically) from data/SLUG/source.txt; InputError if there is none."""
    folder = project.root / "data" / slug
    source = folder / "source.txt"
    if not source.is_file():
        raise InputError(f"no document {slug!r} here (no source.txt)", path=source)
    try:
        text = source.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", path=source) from None
    drafter = Drafter(ontology=_ontology(project), data=_data_graph(project))
    graph = drafter.draft_text(text, document_slug=slug)
    path = folder / DRAFT_FILE
    header = (f"# Draft of data/{slug}/source.txt, proposed by `relgraph draft {slug}`: candidates to review,\n"
              "# never loaded by build, query, validate, export or serve. rgc: marks are the draft's own.\n")
    write_atomic(path, header.encode("utf-8") + graph.serialize(format="turtle").encode("utf-8"))
    return summarize(graph, path=path, sentences=len(split_text(text)), empty=drafter.empty)


def summarize(graph: Graph, *, path: Path, sentences: int, empty: list[int]) -> DraftSummary:
    entities: Counter = Counter()
    facts: Counter = Counter()
    for node, kind in graph.subject_objects(RGC.kind):
        classes = sorted(str(c).rsplit("#", 1)[-1] for c in graph.objects(node, RDF.type))
        (entities if str(kind) == "entity" else facts)[classes[0] if classes else "?"] += 1
    return DraftSummary(path=path, sentences=sentences, entities=entities, facts=facts, empty_sentences=tuple(empty))
