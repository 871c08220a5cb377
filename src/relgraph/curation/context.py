"""What a fact rule reads: one sentence, its mentions and dates, and the document around it.

:class:`Context` answers the questions every rule asks (the states named before or after a
trigger, the date nearest to it in its clause, the entity a mention stands for) and proposes
the entities and office holdings the rules need, through the draft's :class:`Registry`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD
from spacy.tokens import Doc, Span

from ..vocab import RG
from .dates import DateMention
from .mentions import Mention, MentionFinder, load_rules, rg_class
from .registry import Registry

RULES = load_rules("facts.json")
_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+while\s+|\s+whereas\s+|\s+and\s+(?=(?:in|on|since)\s+[0-9])"
                     r"|\s+and\s+(?=(?:was\s+|were\s+|then\s+)?(?:resumed|restored|re-established|reestablished|broken|severed|closed|reopened|opened|signed|moved)\b)")


@dataclass
class Context:
    """One sentence being drafted, with what the document around it tells."""

    registry: Registry
    finder: MentionFinder
    sentence: URIRef
    text: str
    doc: Doc
    mentions: list[Mention]
    dates: list[DateMention]
    pair: tuple[URIRef, URIRef] | None
    heading_from: URIRef | None
    heading_to: URIRef | None
    previous_states: list[URIRef]
    relation: Callable[[URIRef, URIRef, URIRef], URIRef | None]
    made: list[URIRef] = field(default_factory=list)

    # Mentions -------------------------------------------------------------------

    def of_kind(self, *kinds: str, before: int | None = None, after: int | None = None) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds
                and (before is None or m.end <= before) and (after is None or m.start >= after)]

    def states(self, *, before: int | None = None, after: int | None = None, adjectives: bool = False) -> list[URIRef]:
        kinds = ("state", "adjective") if adjectives else ("state",)
        found: list[URIRef] = []
        for mention in self.of_kind(*kinds, before=before, after=after):
            if mention.iri not in found:
                found.append(mention.iri)
        return found

    def other(self, state: URIRef | None) -> URIRef | None:
        if self.pair and state in self.pair:
            return self.pair[1] if self.pair[0] == state else self.pair[0]
        return None

    def use_state(self, state: URIRef | None) -> URIRef | None:
        return None if state is None else self.registry.reference_entity(state, rule="state-name", sentence=self.sentence)

    def clause(self, position: int) -> tuple[int, int]:
        start, end = 0, len(self.text)
        for match in _CLAUSE.finditer(self.text):
            if match.end() <= position:
                start = match.end()
            elif match.start() >= position:
                end = min(end, match.start())
        return start, end

    def date_for(self, triggers: list[Span]) -> DateMention | None:
        """The date of the first trigger that has one (a sentence may repeat its trigger word)."""
        return next(filter(None, (self.date_near(t.start_char) for t in triggers)), None)

    def date_near(self, position: int) -> DateMention | None:
        """The date for a trigger at ``position``: in its clause, an absolute one first, the nearest."""
        start, end = self.clause(position)
        def distance(m: DateMention) -> int:
            return max(m.start - position, position - m.end_char, 0)
        inside = [m for m in self.dates if m.start >= start and m.end_char <= end]
        # A date that frames the sentence ("In 2018, ...") also dates its later clauses, but not across a semicolon.
        framing = [m for m in self.dates if m.end_char <= start and ";" not in self.text[m.end_char:start]]
        for pool in ([m for m in inside if not m.relative], inside, framing):
            if pool:
                return min(pool, key=distance)
        return None

    # Entities --------------------------------------------------------------------

    def resolve(self, mention: Mention, *, kind: str, cls: URIRef, links: dict | None = None) -> URIRef:
        if mention.iri is not None:
            return self.registry.use(mention.iri, rule="reference-list", sentence=self.sentence)
        return self.registry.propose_entity(mention.label or mention.text, mention.cls or cls, kind=kind,
                                            rule=mention.rule, confidence=mention.confidence,
                                            sentence=self.sentence, links=links)

    def place(self, mention: Mention, *, country: URIRef | None) -> URIRef | None:
        if mention.kind == "state":
            return None
        links = {RG.country: country} if country is not None and mention.iri is None else None
        kind = "region" if mention.kind == "region" else "settlement"
        return self.resolve(mention, kind=kind, cls=mention.cls or RG.City, links=links)

    def country_of(self, place: URIRef | None) -> URIRef | None:
        entity = None if place is None else self.registry.entity(place)
        return None if entity is None else entity.links.get(RG.country)

    def label(self, iri: URIRef | None) -> str:
        entity = None if iri is None else self.registry.entity(iri)
        if entity is None and iri is not None:
            return str(self.registry.graph.value(iri, RDFS.label) or "?")
        return "?" if entity is None else entity.label

    def state_before(self, position: int) -> URIRef | None:
        """The state named last before ``position`` (the subject of a verb there, most often)."""
        before = self.of_kind("state", before=position)
        return before[-1].iri if before else None

    def mission(self, mention: Mention) -> URIRef | None:
        if mention.iri is not None:
            self.registry.state_in(mention.iri, self.sentence)
            return mention.iri
        extra = mention.extra
        sending = extra["sending"]
        if sending is None:
            before = self.states(before=mention.start) or self.states(before=mention.start, adjectives=True)
            before = before or [o.extra["state"] for o in self.of_kind("office", before=mention.start) if o.extra["state"]]
            sending = before[-1] if before else None
        seat = extra["seat"]
        host = extra["host"] or self.country_of(seat)
        if host is None and sending is not None:
            host = self.other(sending)
        if sending is None or host is None or sending == host:
            return None
        sending, host = self.use_state(sending), self.use_state(host)
        gaz = self.registry.gazetteer
        if seat is None and extra["seat_name"]:
            seat = self.registry.propose_entity(extra["seat_name"], RG.City, kind="settlement", rule="mission-cue",
                                                confidence=0.6, sentence=self.sentence, links={RG.country: host})
        for entity in gaz.entities.values():
            if gaz.kind_of(entity, "mission") and entity.links.get(RG.sendingState) == sending \
                    and entity.links.get(RG.hostState) == host and (seat is None or entity.links.get(RG.seat) in (None, seat)) \
                    and (mention.cls in entity.classes or not entity.classes & gaz.subclasses(RG.Consulate)):
                self.registry.state_in(entity.iri, self.sentence)
                return entity.iri
        type_label = next(str(l) for l in self.registry.gazetteer.ontology.objects(mention.cls, RDFS.label) if l.language == "en")
        where = self.label(seat) if seat is not None else self.label(host)
        label = f"{type_label[:1].upper()}{type_label[1:]} of {self.label(sending)} in {where}"
        links = {RG.sendingState: sending, RG.hostState: host}
        if seat is not None:
            links[RG.seat] = seat
        return self.registry.propose_entity(label, mention.cls, kind="mission", rule="mission-cue",
                                            confidence=0.7, sentence=self.sentence, links=links)

    def holding(self, office: Mention, *, date: DateMention | None, default_state: URIRef | None,
                start: bool = False) -> URIRef | None:
        """The office holding of a "Title Name" mention (holder and office reused where known)."""
        extra = office.extra
        state = extra["state"] or default_state
        person = extra.get("person")
        if state is None or person is None:
            return None
        state = self.use_state(state)
        cue = extra["cue"]
        cls = rg_class(cue["class"])
        links = {RG.officeOf: state}
        label = f"{cue['label']} of {self.label(state)}"
        if cue.get("envoy"):
            accredited = extra["accredited"] or self.other(state)
            if accredited is None:
                return None
            links[RG.accreditedTo] = self.use_state(accredited)
            label += f" to {self.label(accredited)}"
        office_iri = self.registry.propose_entity(label, cls, kind="office", rule="office-cue", confidence=0.7,
                                                  sentence=None, links=links)
        holder = self.registry.propose_entity(person, RG.Person, kind="person", rule="office-cue", confidence=0.7,
                                              sentence=self.sentence)
        known = self.registry.gazetteer.find_holding(holder, office_iri) or self.registry.holdings.get((holder, office_iri))
        if known is not None:
            self.registry.state_in(known, self.sentence)
            iri = known
        else:
            iri = self.registry.new_fact("holding", RG.OfficeHolding, f"{person} as {label}", rule="office-holder",
                                         confidence=0.7, sentence=self.sentence)
            self.registry.holdings[(holder, office_iri)] = iri
            self.registry.add(iri, RG.holder, holder)
            self.registry.add(iri, RG.office, office_iri)
            self.made.append(iri)
        if date is not None and date.value is not None and iri in self.registry.candidates:
            prop = RG.startDate if start else RG.attestedAt
            if (iri, RG.startDate, None) not in self.registry.graph or prop == RG.attestedAt:
                self.registry.add(iri, prop, literal(date.value))
        return iri

    def fact(self, short: str, kind: str, cls: URIRef, label: str, *, confidence: float | None = None) -> URIRef:
        iri = self.registry.new_fact(short, cls, label, rule=kind, confidence=confidence or RULES[kind].get("confidence", 0.6),
                                     sentence=self.sentence)
        self.made.append(iri)
        return iri

    def date(self, fact: URIRef, mention: DateMention | None, *, prop: URIRef = RG.date) -> None:
        if mention is None:
            return
        if mention.value is None:
            self.registry.note(fact, mention.note or "date left out")
            return
        if mention.end is not None:
            self.registry.add(fact, RG.startDate, literal(mention.value))
            self.registry.add(fact, RG.endDate, literal(mention.end))
        else:
            self.registry.add(fact, prop, literal(mention.value))


def parties(ctx: Context) -> tuple[URIRef, URIRef] | None:
    """The two states of a bilateral statement: those it names, completed by the document's pair."""
    states = [s for s in ctx.states() if s is not None]
    if len(states) >= 2:
        return states[0], states[1]
    if len(states) == 1 and ctx.other(states[0]) is not None:
        return states[0], ctx.other(states[0])
    return ctx.pair


def literal(value) -> Literal:
    return Literal(value.value, datatype=XSD[value.datatype])


def _token_at(doc: Doc, char: int) -> int:
    for token in doc:
        if token.idx >= char:
            return token.i
    return len(doc)
