"""The candidates of one draft: entities and facts as triples, each with its draft marks.

An entity already in the graph is reused (no candidate is written for it); a new one is
proposed once per kind and name, whatever the number of sentences that name it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ..vocab import RG, RGD, bind_prefixes
from .gazetteer import Entity, Gazetteer, normalize, slug

RGC = Namespace("https://w3id.org/relgraph/curation#")


@dataclass
class Candidate:
    """One proposed node: its IRI, kind (entity or fact), the rule that made it and its score."""

    iri: URIRef
    kind: str
    rule: str
    confidence: float
    classes: list[URIRef]
    sentences: list[URIRef] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Registry:
    """Collects the candidates of a document and writes them as one graph."""

    def __init__(self, gazetteer: Gazetteer, *, document_slug: str) -> None:
        self.gazetteer = gazetteer
        self.document_slug = document_slug
        self.graph = Graph()
        bind_prefixes(self.graph)
        self.graph.bind("rgc", RGC)
        self.candidates: dict[URIRef, Candidate] = {}
        self._by_name: dict[tuple[str, str], URIRef] = {}
        self._counts: dict[str, int] = {}
        self._taken = set(gazetteer.taken)
        # What the fact rules remember from one sentence to the next.
        self.holdings: dict[tuple[URIRef, URIRef], URIRef] = {}
        self.memberships: dict[tuple[URIRef, URIRef], URIRef] = {}
        self.programs: dict[tuple[URIRef, URIRef, URIRef], URIRef] = {}
        self.trade: dict[tuple[URIRef, URIRef], URIRef] = {}
        self.visits: dict[URIRef, URIRef] = {}
        self.port_call_triggers: dict[URIRef, list] = {}
        self.relations: dict[frozenset, URIRef] = {}
        self.last_trade_year = None

    # Entities ----------------------------------------------------------------

    def entity(self, iri: URIRef) -> Entity | None:
        return self.gazetteer.entities.get(iri)

    def _fresh(self, local: str) -> URIRef:
        iri, n = RGD[local], 1
        while iri in self._taken or iri in self.candidates:
            n += 1
            iri = RGD[f"{local}-{n}"]
        self._taken.add(iri)
        return iri

    def propose_entity(self, label: str, cls: URIRef, *, kind: str, rule: str, confidence: float,
                       sentence: URIRef | None, links: dict[URIRef, URIRef] | None = None,
                       local: str | None = None) -> URIRef:
        """The IRI for ``label`` as a ``kind``: an existing entity's, or a new candidate's."""
        key = (kind, normalize(label))
        iri = self._by_name.get(key)
        if iri is None:
            for known in self.gazetteer.names.get(normalize(label), []):
                entity = self.gazetteer.entities[known]
                if self.gazetteer.kind_of(entity, kind):
                    iri = known
                    break
        if iri is None:
            reference = self.gazetteer.entities.get(RGD[slug(label)])
            if reference is not None and not reference.existing and self.gazetteer.kind_of(reference, kind):
                iri = reference.iri  # a state or organization from the reference lists
        if iri is None:
            iri = self._fresh(local or slug(label))
            self.gazetteer.entities[iri] = Entity(iri, label, frozenset({cls}), False, dict(links or {}))
        self._by_name[key] = iri
        entity = self.gazetteer.entities[iri]
        if entity.existing:
            return iri
        if iri not in self.candidates:
            for prop, value in (links or {}).items():
                entity.links.setdefault(prop, value)
            self.candidates[iri] = Candidate(iri, "entity", rule, confidence, [cls])
            self.graph.add((iri, RDF.type, cls))
            self.graph.add((iri, RDFS.label, Literal(entity.label, lang="en")))
            for prop, value in entity.links.items():
                self.use(value, rule=rule, sentence=sentence)
                self.graph.add((iri, prop, value))
        else:
            for prop, value in (links or {}).items():
                if (iri, prop, None) not in self.graph:
                    self.graph.add((iri, prop, value))
                    entity.links[prop] = value
        if sentence is not None and sentence not in self.candidates[iri].sentences:
            self.candidates[iri].sentences.append(sentence)
        return iri

    def use(self, iri: URIRef, *, rule: str, sentence: URIRef | None) -> URIRef:
        """``iri`` itself; an entity of the reference lists (a state, a capital) is proposed the first time."""
        entity = self.gazetteer.entities.get(iri)
        if entity is None or entity.existing:
            return iri
        if iri in self.candidates:
            return iri  # a reference entity is stated where it is first used
        return self.propose_entity(entity.label, sorted(entity.classes)[0], kind=self.gazetteer.kind_name(entity),
                                   rule="reference-list" if rule == "state-name" else rule, confidence=0.9,
                                   sentence=sentence)

    def reference_entity(self, iri: URIRef, *, rule: str, sentence: URIRef) -> URIRef:
        return self.use(iri, rule=rule, sentence=sentence)

    # Facts -------------------------------------------------------------------

    def new_fact(self, short: str, cls: URIRef, label: str, *, rule: str, confidence: float,
                 sentence: URIRef) -> URIRef:
        self._counts[short] = self._counts.get(short, 0) + 1
        iri = self._fresh(f"{self.document_slug}-{short}-{self._counts[short]}")
        self.candidates[iri] = Candidate(iri, "fact", rule, confidence, [cls], [sentence])
        self.graph.add((iri, RDF.type, cls))
        self.graph.add((iri, RDFS.label, Literal(label, lang="en")))
        return iri

    def add(self, subject: URIRef, prop: URIRef, value) -> None:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            value = Literal(Decimal(str(value)), datatype=XSD.decimal) if not isinstance(value, int) else Literal(value)
        elif isinstance(value, bool):
            value = Literal(value)
        self.graph.add((subject, prop, value))

    def add_type(self, subject: URIRef, cls: URIRef) -> None:
        self.graph.add((subject, RDF.type, cls))
        if subject in self.candidates and cls not in self.candidates[subject].classes:
            self.candidates[subject].classes.append(cls)

    def state_in(self, subject: URIRef, sentence: URIRef) -> None:
        if subject in self.candidates and sentence not in self.candidates[subject].sentences:
            self.candidates[subject].sentences.append(sentence)

    def note(self, subject: URIRef, text: str) -> None:
        if subject in self.candidates and text not in self.candidates[subject].notes:
            self.candidates[subject].notes.append(text)

    def facts_of(self, cls: URIRef) -> list[URIRef]:
        return [c.iri for c in self.candidates.values() if c.kind == "fact" and cls in c.classes]

    # Output ------------------------------------------------------------------

    def finish(self) -> Graph:
        """The draft graph: every candidate with rg:statedIn and its rgc: marks, numbered in order."""
        graph = self.graph
        for number, candidate in enumerate(self.candidates.values(), start=1):
            iri = candidate.iri
            for sentence in candidate.sentences:
                graph.add((iri, RG.statedIn, sentence))
            graph.add((iri, RGC.candidate, Literal(f"c{number:03d}")))
            graph.add((iri, RGC.rule, Literal(candidate.rule)))
            graph.add((iri, RGC.confidence, Literal(Decimal(f"{candidate.confidence:.2f}"), datatype=XSD.decimal)))
            graph.add((iri, RGC.kind, Literal(candidate.kind)))
            if candidate.kind == "fact" and (iri, RG.basis, None) not in graph:
                graph.add((iri, RG.basis, RG.Stated))  # a rule matched the sentence's own words
            for note in candidate.notes:
                graph.add((iri, RGC.note, Literal(note, lang="en")))
        return graph


__all__ = ["Candidate", "RGC", "Registry"]
