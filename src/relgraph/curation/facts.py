"""The fact rules: one builder per kind of statement, reading the sentence's mentions and dates.

Each kind's trigger phrases are data (``rules/facts.json``), matched by a spaCy PhraseMatcher
on the normalized text; its builder picks the participants from the mentions around the
trigger, the date nearest to it in the same clause, and proposes the fact node in the shape
a curator writes (see data/*/facts.ttl and ontology/shapes.ttl).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, XSD
from spacy.tokens import Doc, Span

from ..vocab import RG
from .dates import DateMention
from .gazetteer import normalize
from .mentions import CUES, Mention, MentionFinder, load_rules, rg_class
from .registry import Registry

RULES = load_rules("facts.json")
CURRENCIES = load_rules("currencies.json")
_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s+|\s+while\s+|\s+whereas\s+|\s+and\s+(?=(?:in|on|since)\s+[0-9])")


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
        for pool in ([m for m in inside if not m.relative], inside, [m for m in self.dates if m.end_char <= start]):
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


def literal(value) -> Literal:
    return Literal(value.value, datatype=XSD[value.datatype])


def _token_at(doc: Doc, char: int) -> int:
    for token in doc:
        if token.idx >= char:
            return token.i
    return len(doc)


# Builders -----------------------------------------------------------------------------


def _parties(ctx: Context) -> tuple[URIRef, URIRef] | None:
    states = [s for s in ctx.states() if s is not None]
    if len(states) >= 2:
        return states[0], states[1]
    if len(states) == 1 and ctx.other(states[0]) is not None:
        return states[0], ctx.other(states[0])
    return ctx.pair


def _relations_event(kind: str, verb: str) -> Callable[[Context, list[Span]], None]:
    def build(ctx: Context, triggers: list[Span]) -> None:
        parties = _parties(ctx)
        if parties is None:
            return
        a, b = (ctx.use_state(s) for s in parties)
        relation = ctx.relation(a, b, ctx.sentence)
        if relation is None:
            return
        fact = ctx.fact("relations", kind, rg_class(RULES[kind]["class"]), f"{ctx.label(a)} and {ctx.label(b)} {verb} diplomatic relations")
        ctx.registry.add(fact, RG.relation, relation)
        ctx.date(fact, ctx.date_for(triggers))
    return build


def build_relations_lead(ctx: Context, triggers: list[Span]) -> None:
    if ctx.pair and set(ctx.pair) <= set(ctx.states()):
        ctx.relation(ctx.use_state(ctx.pair[0]), ctx.use_state(ctx.pair[1]), ctx.sentence)


def build_recognition(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["recognition"]
    trigger = triggers[0]
    text = normalize(ctx.text)
    cls = next((rg_class(c) for phrase, c in rule["modifiers"].items() if phrase in text), rg_class(rule["class"]))
    before = ctx.doc[max(trigger.start - 2, 0):trigger.start].text.lower()
    passive = any(word in before.split() for word in ("was", "were", "been", "is", "be"))
    actors = ctx.of_kind("state", "organization", "body")
    if passive:
        recognized = ctx.states(before=trigger.start_char)[-1:] or ctx.previous_states[:1]
        by = [m for m in actors if m.start >= trigger.end_char and re.search(r"\bby\s+(?:the\s+)?$", ctx.text[trigger.end_char:m.start])]
        recognizer = by[0] if by else None
    else:
        recognized = ctx.states(after=trigger.end_char)[:1]
        if not recognized and re.search(r"\b(it|them)\b", ctx.text[trigger.end_char:trigger.end_char + 12]):
            recognized = ctx.previous_states[:1]
        subject = [m for m in actors if m.end <= trigger.start_char]
        recognizer = subject[-1] if subject else None
    if not recognized:
        return
    recognized_state = ctx.use_state(recognized[0])
    fact = ctx.fact("recognition", "recognition", cls, f"{ctx.label(recognized_state)} recognized")
    ctx.registry.add(fact, RG.recognizedState, recognized_state)
    if recognizer is not None and recognizer.iri != recognized[0]:
        if recognizer.kind == "state":
            by_state = ctx.use_state(recognizer.iri)
            ctx.registry.add(fact, RG.recognizingState, by_state)
            relation = ctx.relation(by_state, recognized_state, None) if ctx.pair and {by_state, recognized_state} == set(ctx.pair) else None
            if relation is not None:
                ctx.registry.add(fact, RG.relation, relation)
        else:
            ctx.registry.add(fact, RG.recognizingBody, ctx.resolve(recognizer, kind="organization" if recognizer.kind == "organization" else "body", cls=RG.Organization))
    if any(phrase in text for phrase in rule["renewed"]):
        ctx.registry.add(fact, RG.renewed, Literal(True))
    ctx.date(fact, ctx.date_near(trigger.start_char))


def _nearest_mission(ctx: Context, trigger: Span, *, window: int = 60) -> Mention | None:
    missions = [m for m in ctx.of_kind("mission") if min(abs(m.start - trigger.end_char), abs(trigger.start_char - m.end)) <= window]
    return min(missions, key=lambda m: min(abs(m.start - trigger.end_char), abs(trigger.start_char - m.end)), default=None)


def _mission_event(kind: str, verb: str, short: str) -> Callable[[Context, list[Span]], None]:
    def build(ctx: Context, triggers: list[Span]) -> None:
        done = set()
        for trigger in triggers:
            mention = _nearest_mission(ctx, trigger)
            mission = None if mention is None else ctx.mission(mention)
            if mission is None or mission in done:
                continue
            done.add(mission)
            fact = ctx.fact(short, kind, rg_class(RULES[kind]["class"]), f"{ctx.label(mission)} {verb}")
            ctx.registry.add(fact, RG.mission, mission)
            entity = ctx.registry.entity(mission)
            parties = (entity.links.get(RG.sendingState), entity.links.get(RG.hostState))
            if ctx.pair and set(parties) == set(ctx.pair):
                relation = ctx.relation(ctx.pair[0], ctx.pair[1], None)
                if relation is not None:
                    ctx.registry.add(fact, RG.relation, relation)
            ctx.date(fact, ctx.date_near(trigger.start_char))
    return build


def build_mission_moved(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    mention = _nearest_mission(ctx, trigger)
    mission = None if mention is None else ctx.mission(mention)
    if mission is None:
        return
    after = ctx.text[trigger.end_char:]
    ends = {}
    for word, seat_prop, state_prop in (("from", RG.fromSeat, RG.fromHostState), ("to", RG.toSeat, RG.toHostState)):
        match = re.search(rf"\b{word}\s+", after)
        if match is None:
            continue
        at = trigger.end_char + match.end()
        target = next((m for m in ctx.mentions if m.start == at or (m.start > at and m.start - at <= 4)), None)
        if target is None:
            continue
        if target.kind == "state":
            ends[state_prop] = ctx.use_state(target.iri)
        elif target.kind in ("settlement", "name"):
            ends[seat_prop] = target
    if RG.toSeat not in ends and RG.toHostState not in ends:
        return
    fact = ctx.fact("mission-moved", "mission-moved", RG.MissionRelocation, f"{ctx.label(mission)} moves")
    ctx.registry.add(fact, RG.mission, mission)
    for prop, value in ends.items():
        if isinstance(value, Mention):
            country = ends.get(RG.toHostState if prop == RG.toSeat else RG.fromHostState)
            value = ctx.place(value, country=country)
        if value is not None:
            ctx.registry.add(fact, prop, value)
    ctx.date(fact, ctx.date_near(trigger.start_char))


def build_accreditation(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    missions = [m for m in ctx.of_kind("mission") if m.end <= trigger.start_char]
    targets = ctx.states(after=trigger.end_char)
    if not missions or not targets:
        return
    mission = ctx.mission(missions[-1])
    if mission is None:
        return
    for target in targets:
        state = ctx.use_state(target)
        if state == ctx.registry.entity(mission).links.get(RG.hostState):
            continue
        fact = ctx.fact("accreditation", "accreditation", RG.ConcurrentAccreditation,
                        f"{ctx.label(mission)} accredited to {ctx.label(state)}")
        ctx.registry.add(fact, RG.mission, mission)
        ctx.registry.add(fact, RG.accreditedTo, state)
        ctx.date(fact, ctx.date_near(trigger.start_char), prop=RG.startDate)


def build_envoy(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["envoy"]
    text = normalize(ctx.text)
    for office in ctx.of_kind("office"):
        cue = office.extra["cue"]
        if not (cue.get("envoy") or cue.get("consular")):
            continue
        state = office.extra["state"]
        if state is None:
            continue
        state = ctx.use_state(state)
        cls = rg_class(cue["class"])
        links = {RG.officeOf: state}
        label = f"{cue['label']} of {ctx.label(state)}"
        accredited = office.extra["accredited"] or ctx.other(state)
        if cue.get("envoy"):
            if accredited is None:
                continue
            accredited = ctx.use_state(accredited)
            links[RG.accreditedTo] = accredited
            label += f" to {ctx.label(accredited)}"
        office_iri = ctx.registry.propose_entity(label, cls, kind="office", rule="office-cue", confidence=0.7,
                                                 sentence=ctx.sentence, links=links)
        window = normalize(ctx.text[max(0, office.start - 30):office.start])
        first = "first" in window.split()
        resident = None
        if any(word in text for word in rule["non_resident"]):
            resident = False
        elif any(word in window.split() for word in rule["resident"]):
            resident = True
        residence_value = None
        residence = re.search(r"\b(?:" + "|".join(map(re.escape, rule["residence"])) + r")\s+", text)
        if residence is not None:
            target = next((m for m in ctx.mentions if m.start >= residence.end() and m.start - residence.end() <= 4), None)
            if target is not None:
                residence_value = ctx.use_state(target.iri) if target.kind == "state" else ctx.place(target, country=None)
        if resident is None and residence_value is not None and accredited is not None and cue.get("envoy"):
            resident = (ctx.country_of(residence_value) or residence_value) == accredited
        person = office.extra.get("person")
        if person:
            holder = ctx.registry.propose_entity(person, RG.Person, kind="person", rule="office-cue",
                                                 confidence=0.7, sentence=ctx.sentence)
        else:
            modifiers = [w for w in ctx.text[max(0, office.start - 30):office.start].split()
                         if normalize(w) in ("first", "permanent", "resident", "non-resident", "new", "second")]
            description = " ".join(modifiers + [office.text])
            if residence_value is not None:
                description += f" resident in {ctx.label(residence_value)}"
            description = "the " + description[:1].lower() + description[1:] if description[:1].islower() else description
            holder = ctx.registry.propose_entity(description, RG.Person, kind="person", rule="envoy-description",
                                                 confidence=0.5, sentence=ctx.sentence)
        known = ctx.registry.gazetteer.find_holding(holder, office_iri) or ctx.registry.holdings.get((holder, office_iri))
        if known is not None:
            ctx.registry.state_in(known, ctx.sentence)
            continue
        fact = ctx.fact("envoy", "envoy", RG.OfficeHolding, f"{ctx.label(holder)} as {label}")
        ctx.registry.holdings[(holder, office_iri)] = fact
        ctx.registry.add(fact, RG.holder, holder)
        ctx.registry.add(fact, RG.office, office_iri)
        if first:
            ctx.registry.add(fact, RG.ordinal, Literal(1))
        if resident is not None:
            ctx.registry.add(fact, RG.resident, Literal(resident))
        if residence_value is not None:
            ctx.registry.add(fact, RG.residence, residence_value)
        starts = any(phrase in text for phrase in rule["start"])
        ctx.date(fact, ctx.date_near(office.start), prop=RG.startDate if starts else RG.attestedAt)


def _office_state_default(ctx: Context, offices: list[Mention], *, to_state: URIRef | None) -> URIRef | None:
    if ctx.heading_from is not None:
        return ctx.heading_from
    named = [o.extra["state"] for o in offices if o.extra["state"] is not None]
    if named:
        return ctx.other(named[0])
    return ctx.other(to_state)


def build_visit(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["visit"]
    trigger = triggers[0]
    text = normalize(ctx.text)
    if any(t.start_char > trigger.start_char for t in ctx.registry.port_call_triggers.get(ctx.sentence, [])):
        return
    offices = [o for o in ctx.of_kind("office", before=trigger.start_char) if o.extra.get("person")]
    people = [m for m in ctx.of_kind("person", before=trigger.start_char)]
    after_states = [s for s in ctx.states(after=trigger.end_char)]
    places = [m for m in ctx.of_kind("settlement", "name", after=trigger.end_char)
              if m.kind == "settlement" or re.search(r"\b(to|in|visited|toured|and|at)\s*$", ctx.text[:m.start])]
    to_state = after_states[0] if after_states else None
    if to_state is None:
        for place in places:
            if place.iri is not None and ctx.country_of(place.iri) is not None:
                to_state = ctx.country_of(place.iri)
                break
    subject_states = ctx.states(before=trigger.start_char, adjectives=True)
    from_state = next((o.extra["state"] for o in offices if o.extra["state"]), None)
    if from_state is None and subject_states:
        from_state = subject_states[0]
    if from_state is None:
        from_state = ctx.heading_from or ctx.other(to_state)
    if to_state is None:
        to_state = ctx.heading_to if ctx.heading_to != from_state else None
        to_state = to_state or ctx.other(from_state)
    if from_state is None or to_state is None or from_state == to_state or not (offices or people or subject_states):
        return
    from_state, to_state = ctx.use_state(from_state), ctx.use_state(to_state)
    cls = next((rg_class(c) for phrase, c in rule["modifiers"].items() if phrase in text), RG.Visit)
    who = offices[0].extra["person"] if offices else (people[0].text if people else ctx.label(from_state))
    fact = ctx.fact("visit", "visit", cls, f"Visit of {who} to {ctx.label(to_state)}")
    if any(word in text for word in rule["military"]):
        ctx.registry.add_type(fact, RG.MilitaryVisit)
    date = ctx.date_near(trigger.start_char)
    default = from_state
    for office in offices:
        holding = ctx.holding(office, date=date, default_state=default)
        if holding is not None:
            ctx.registry.add(fact, RG.visitorCapacity, holding)
    for person in people:
        ctx.registry.add(fact, RG.visitor, person.iri)
    ctx.registry.add(fact, RG.fromState, from_state)
    ctx.registry.add(fact, RG.toState, to_state)
    for place in places:
        iri = ctx.place(place, country=to_state)
        if iri is not None and ctx.country_of(iri) in (None, to_state):
            ctx.registry.add(fact, RG.destination, iri)
    ctx.date(fact, date)
    ctx.registry.visits[ctx.sentence] = fact


def build_meeting(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    offices = [o for o in ctx.of_kind("office") if o.extra.get("person")]
    people = ctx.of_kind("person")
    if len(offices) + len(people) < 1:
        return
    date = ctx.date_near(trigger.start_char)
    names = [o.extra["person"] for o in offices] + [p.text for p in people]
    fact = ctx.fact("meeting", "meeting", RG.Meeting, "Meeting of " + " and ".join(names))
    named = [o.extra["state"] for o in offices if o.extra["state"] is not None]
    for office in offices:
        default = ctx.other(named[0]) if named and office.extra["state"] is None else None
        holding = ctx.holding(office, date=date, default_state=default)
        if holding is not None:
            ctx.registry.add(fact, RG.participantCapacity, holding)
    for person in people:
        ctx.registry.add(fact, RG.participant, person.iri)
    for place in ctx.of_kind("settlement", after=trigger.end_char):
        if re.search(r"\bin\s*$", ctx.text[:place.start]):
            iri = ctx.place(place, country=None)
            if iri is not None:
                ctx.registry.add(fact, RG.location, iri)
    visit = ctx.registry.visits.get(ctx.sentence)
    if visit is not None:
        ctx.registry.add(fact, RG.duringVisit, visit)
    ctx.date(fact, date)


_SUBJECT_STOP = re.compile(r",|;|\.(?:\s|$)|\s+(?:in|at|during)\s+(?=[A-Z0-9]|the\s+[A-Z])|\s+(?:which|that|by|between|with|was|were)\s+|\s+on\s+(?=[0-9]|the\s+[0-9]|[A-Z][a-z]+\s+[0-9])|\s+and\s+(?=an?\s|the\s)")


def build_agreement(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    words = ctx.finder.agreement_words
    doc = ctx.doc
    found = []
    multi = sorted((w for w in words if " " in w), key=len, reverse=True)
    def cue_at(token) -> str | None:
        rest = normalize(ctx.text[token.idx:])
        for phrase in multi:
            if rest.startswith(phrase):
                return phrase
        norm = token.norm_
        return norm if norm in words else (norm[:-1] if norm.endswith("s") and norm[:-1] in words else None)
    for token in doc[trigger.end:]:
        if cue_at(token):
            found.append(token)
    if not found:
        for token in doc[:trigger.start]:
            if cue_at(token):
                found.append(token)
    parties = _parties(ctx)
    if parties is None:
        return
    a, b = (ctx.use_state(s) for s in parties)
    for token in found[:3]:
        cue = cue_at(token)
        cls = words[cue]
        cue_end = token.idx + len(cue)
        name_start = token.i
        while name_start > 0 and ctx.finder._is_name_token(doc[name_start - 1]) and doc[name_start - 1].text not in ("The", "A", "An"):
            name_start -= 1
        rest = ctx.text[cue_end:]
        subject = None
        match = re.match(r"\s+(?:on|for|concerning|regarding|about|of|to)\s+(?:the\s+)?", rest)
        if match:
            tail = rest[match.end():]
            stop = _SUBJECT_STOP.search(tail)
            subject = (tail[:stop.start()] if stop else tail).strip().rstrip(".") or None
            if subject and len(subject.split()) > 10:
                subject = " ".join(subject.split()[:10])
        if subject is None:
            modifiers = []
            for previous in reversed(doc[max(0, token.i - 3):token.i]):
                if not previous.is_alpha or previous.norm_ in ("a", "an", "the", "new", "bilateral", "two", "this", "that") or previous.text[:1].isupper():
                    break
                modifiers.insert(0, previous.text)
            subject = " ".join(modifiers) or None
        if token.text[:1].isupper() and name_start < token.i:
            label = doc[name_start:token.i + 1].text
            if subject and subject[:1].isupper():
                label += rest[:match.end()] + subject if match else ""
        elif subject:
            label = f"{ctx.label(a)}–{ctx.label(b)} {cue} on {subject}"
        else:
            continue
        agreement = ctx.registry.propose_entity(label, cls, kind="agreement", rule="agreement-cue", confidence=0.6,
                                                sentence=ctx.sentence)
        if subject and agreement in ctx.registry.candidates and (agreement, RG.agreementSubject, None) not in ctx.registry.graph:
            ctx.registry.add(agreement, RG.agreementSubject, Literal(subject, lang="en"))
        fact = ctx.fact("agreement", "agreement-signed", RG.AgreementSigning, f"{ctx.label(a)} and {ctx.label(b)} sign the {label}")
        ctx.registry.add(fact, RG.agreement, agreement)
        ctx.registry.add(fact, RG.party, a)
        ctx.registry.add(fact, RG.party, b)
        for place in ctx.of_kind("settlement"):
            if re.search(r"\bin\s*$", ctx.text[:place.start]):
                iri = ctx.place(place, country=None)
                if iri is not None:
                    ctx.registry.add(fact, RG.location, iri)
                break
        ctx.date(fact, ctx.date_near(trigger.start_char))


def build_membership(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["membership"]
    trigger = triggers[0]
    text = normalize(ctx.text)
    organizations = ctx.of_kind("organization", after=trigger.start_char)
    if not organizations:
        return
    members = ctx.states(before=trigger.start_char)
    if not members or any(phrase in normalize(ctx.text[:trigger.start_char]) for phrase in rule["both"]):
        if any(phrase in text for phrase in rule["both"]) and ctx.pair:
            members = list(ctx.pair)
        elif not members:
            members = ctx.previous_states[:1]
    starts = any(phrase in text for phrase in rule["start"])
    for org in organizations:
        organization = ctx.resolve(org, kind="organization", cls=RG.InternationalOrganization)
        later = [d for d in ctx.dates if d.start >= org.end]
        date = later[0] if later and starts else None
        for member in members:
            member = ctx.use_state(member)
            key = (member, organization)
            fact = ctx.registry.memberships.get(key)
            if fact is None:
                fact = ctx.fact("membership", "membership", RG.Membership,
                                f"{ctx.label(member)}'s membership of the {ctx.label(organization)}")
                ctx.registry.memberships[key] = fact
                ctx.registry.add(fact, RG.member, member)
                ctx.registry.add(fact, RG.organization, organization)
            else:
                ctx.registry.state_in(fact, ctx.sentence)
            if date is not None and (fact, RG.startDate, None) not in ctx.registry.graph:
                ctx.date(fact, date, prop=RG.startDate)


def build_sister_cities(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    candidates = [m for m in ctx.mentions if m.kind in ("settlement", "name") and not m.text.startswith(("Sister", "Twin"))]
    start_names = ctx.finder.name_after(ctx.doc, 0)
    if start_names is not None and ctx.doc[0].text not in ctx.finder.not_names and not any(m.start == 0 for m in ctx.mentions):
        candidates.append(Mention("name", start_names.start_char, start_names.end_char, start_names.text, label=start_names.text,
                                  rule="proper-name", confidence=0.45, extra={"token_start": 0, "token_end": start_names.end}))
    known = sorted(candidates, key=lambda m: (m.kind != "settlement", abs(m.start - trigger.start_char)))[:2]
    if len(known) < 2:
        return
    known.sort(key=lambda m: m.start)
    partners = [ctx.place(m, country=None) for m in known]
    if None in partners or partners[0] == partners[1]:
        return
    fact = ctx.fact("sister-cities", "sister-cities", RG.SisterCityPartnership,
                    f"{ctx.label(partners[0])}–{ctx.label(partners[1])} sister-city partnership")
    for partner in partners:
        ctx.registry.add(fact, RG.partner, partner)
    ctx.date(fact, ctx.date_for(triggers), prop=RG.startDate)


_MONEY = re.compile(
    r"(?P<sign>US\$|¥|€|£|\$|₩|₹|(?<![A-Za-z])(?:USD|EUR|JPY|GBP|SEK|NOK|DKK|PLN|CHF|CNY|KRW|CLP)(?![A-Za-z]))?\s?"
    r"(?P<number>[0-9]+(?:[.,][0-9]+)*)\s?(?P<mult>thousand|million|billion|trillion|bn|m)?\b\s*"
    r"(?P<word>(?:US |U\.S\. )?dollars|yen|euros?|pounds(?: sterling)?|won|yuan|swedish kronor|kronor|krone|zloty|rupees|francs)?",
    re.IGNORECASE,
)


def _amounts(text: str) -> list[tuple[int, Decimal, str]]:
    found = []
    for match in _MONEY.finditer(text):
        code = None
        if match["sign"]:
            code = CURRENCIES["signs"].get(match["sign"].upper()) or CURRENCIES["signs"].get(match["sign"])
        if match["word"]:
            code = code or CURRENCIES["words"].get(match["word"].lower())
        if code is None:
            continue
        number = Decimal(match["number"].replace(",", ""))
        if match["mult"]:
            number *= CURRENCIES["multipliers"][match["mult"].lower()]
        found.append((match.start(), number, code))
    return found


def _products(ctx: Context, text: str) -> list[str]:
    rule = RULES["trade"]
    cue = re.search(r"\b(?:" + "|".join(map(re.escape, sorted(rule["lists"], key=len, reverse=True))) + r")\s+(?:of\s+)?", text)
    if cue is None:
        return []
    tail = re.split(r"[.;]|,\s+(?:while|whereas|and\s+(?:imports|exports))|\s+while\s+", text[cue.end():])[0]
    lead = re.compile(r"^(?:" + "|".join(map(re.escape, sorted(rule["lists"], key=len, reverse=True))) + r")\s+(?:of\s+)?")
    while lead.match(tail):
        tail = lead.sub("", tail, count=1)
    items = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+as well as\s+", tail)
    return [re.sub(r"^(?:the|of)\s+", "", item.strip()) for item in items if item.strip() and len(item.split()) <= 4
            and not re.search(r"[0-9]", item)]


def build_trade(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["trade"]
    lower = ctx.text.lower()
    amounts = _amounts(ctx.text)
    possessive = re.search(r"\b([A-Z][\w-]*(?:\s[A-Z][\w-]*)*)'s\s+(?:trade|exports|imports|total)", ctx.text)
    states = ctx.states(adjectives=True)
    subject = None
    if possessive:
        subject = next((m.iri for m in ctx.of_kind("state", "adjective") if m.start == possessive.start(1)), None)
    subject = subject or (states[0] if states else None)
    partner = next((s for s in states if s != subject), None) or ctx.other(subject)
    if subject is None or partner is None:
        return
    subject, partner = ctx.use_state(subject), ctx.use_state(partner)
    for position, amount, currency in amounts:
        head = lower[:position]
        exports = max((head.rfind(w) for w in rule["exports"]), default=-1)
        imports = max((head.rfind(w) for w in rule["imports"]), default=-1)
        if exports < 0 and imports < 0:
            continue
        exporter, importer = (subject, partner) if exports > imports else (partner, subject)
        fact = ctx.fact("trade", "trade", RG.TradeFlow, f"{ctx.label(exporter)}'s exports to {ctx.label(importer)}")
        ctx.registry.add(fact, RG.exporter, exporter)
        ctx.registry.add(fact, RG.importer, importer)
        ctx.registry.add(fact, RG.amount, Literal(amount, datatype=XSD.decimal))
        ctx.registry.add(fact, RG.currency, Literal(currency))
        years = [d for d in ctx.dates if d.value is not None and d.start < position]
        if years:
            ctx.date(fact, years[-1])
        elif ctx.registry.last_trade_year is not None:
            ctx.registry.note(fact, f"year taken from the sentence before ({ctx.registry.last_trade_year.value})")
            ctx.date(fact, DateMention(0, 0, "", ctx.registry.last_trade_year))
        else:
            ctx.registry.note(fact, "date left out: the sentence gives no year for the trade figure")
        ctx.registry.trade[(exporter, importer)] = fact
    if amounts and ctx.dates:
        ctx.registry.last_trade_year = next((d.value for d in ctx.dates if d.value is not None), None)
    # Products: each clause about exports or imports, in this sentence or the one after the figures.
    for clause in re.split(r",\s+while\s+|;\s+|,\s+whereas\s+|\s+while\s+", ctx.text):
        low = clause.lower()
        is_export = any(re.search(rf"\b{w}\b", low) for w in rule["exports"])
        is_import = any(re.search(rf"\b{w}\b", low) for w in rule["imports"])
        if is_export == is_import:
            continue
        flow = ctx.registry.trade.get((subject, partner) if is_export else (partner, subject))
        if flow is None:
            continue
        prop = RG.principalProduct if any(w in low for w in rule["principal"]) else RG.product
        for name in _products(ctx, clause):
            product = ctx.registry.propose_entity(name, RG.ProductCategory, kind="product", rule="product-list",
                                                  confidence=0.6, sentence=ctx.sentence)
            ctx.registry.add(flow, prop, product)
            ctx.registry.state_in(flow, ctx.sentence)


def build_assistance(ctx: Context, triggers: list[Span]) -> None:
    rule = RULES["assistance"]
    classes = {"technical cooperation": RG.TechnicalCooperation, "cultural grant aid": RG.CulturalGrantAid}
    text = normalize(ctx.text)
    for trigger in triggers:
        phrase = normalize(trigger.text)
        cls = classes.get(phrase, RG.AssistanceProgram)
        clause_start, clause_end = ctx.clause(trigger.start_char)
        clause = normalize(ctx.text[clause_start:clause_end])
        event = next((c for words, c in ((rule["suspended"], RG.AssistanceSuspension), (rule["terminated"], RG.AssistanceTermination))
                      if any(re.search(rf"\b{w}\b", clause) for w in words)), None)
        if event is not None:
            program = next((p for p in reversed(ctx.registry.facts_of(cls))), None)
            if program is None:
                continue
            fact = ctx.fact("assistance-event", "assistance", event, f"{ctx.label(program)} {'suspended' if event == RG.AssistanceSuspension else 'terminated'}")
            ctx.registry.add(fact, RG.underProgram, program)
            ctx.date(fact, ctx.date_near(trigger.start_char))
            continue
        donor = ctx.state_before(trigger.start_char)
        recipients = ctx.states(after=trigger.end_char)
        recipient = recipients[0] if recipients else ctx.other(donor)
        if donor is None or recipient is None or donor == recipient:
            continue
        donor, recipient = ctx.use_state(donor), ctx.use_state(recipient)
        key = (cls, donor, recipient)
        if key in ctx.registry.programs:
            ctx.registry.state_in(ctx.registry.programs[key], ctx.sentence)
            continue
        fact = ctx.fact("assistance", "assistance", cls, f"{ctx.label(donor)}'s {trigger.text} to {ctx.label(recipient)}")
        ctx.registry.programs[key] = fact
        ctx.registry.add(fact, RG.donor, donor)
        ctx.registry.add(fact, RG.recipient, recipient)
        if "since" in text:
            ctx.date(fact, ctx.date_near(trigger.start_char), prop=RG.startDate)
    del text


def build_cultural_event(ctx: Context, triggers: list[Span]) -> None:
    classes = RULES["cultural-event"]["classes"]
    organizers = ctx.of_kind("mission", "body")
    for trigger in triggers:
        cls = rg_class(classes[normalize(trigger.text)])
        start = trigger.start
        while start > 0 and start > trigger.start - 2 and (ctx.doc[start - 1].is_alpha and ctx.doc[start - 1].norm_ not in ("and", "the", "a", "as", "of", "in", "such", "including", "with", "held", "organized")):
            start -= 1
        phrase = ctx.doc[start:trigger.end].text
        fact = ctx.fact("event", "cultural-event", cls, phrase[:1].upper() + phrase[1:])
        after = ctx.text[trigger.end_char:trigger.end_char + 40]
        where = re.match(r"\s+(?:in|at)\s+", after)
        if where:
            target = next((m for m in ctx.mentions if m.start == trigger.end_char + where.end()), None)
            if target is not None:
                value = ctx.use_state(target.iri) if target.kind == "state" else ctx.place(target, country=None)
                if value is not None:
                    ctx.registry.add(fact, RG.location, value)
        if organizers:
            organizer = organizers[0]
            value = ctx.mission(organizer) if organizer.kind == "mission" else ctx.resolve(organizer, kind="body", cls=RG.Organization)
            if value is not None:
                ctx.registry.add(fact, RG.organizer, value)
        ctx.date(fact, ctx.date_near(trigger.start_char))


def build_port_call(ctx: Context, triggers: list[Span]) -> None:
    trigger = triggers[0]
    ctx.registry.port_call_triggers[ctx.sentence] = triggers
    ships = ctx.of_kind("ship")
    if not ships:
        return
    ship = ships[0]
    flag = ship.extra["flag"] or next(iter(ctx.states(before=ship.start, adjectives=True)), None)
    places = [m for m in ctx.of_kind("settlement", "name", after=trigger.end_char)]
    after_states = ctx.states(after=trigger.end_char)
    destination_state = after_states[0] if after_states else None
    if flag is None:
        flag = ctx.other(destination_state) or ctx.heading_from
    if flag is None:
        return
    flag = ctx.use_state(flag)
    if destination_state is None and places and places[0].iri is not None:
        destination_state = ctx.country_of(places[0].iri)
    destination_state = destination_state or ctx.other(flag)
    if destination_state is None or destination_state == flag:
        return
    destination_state = ctx.use_state(destination_state)
    vessel = ctx.resolve(ship, kind="ship", cls=ship.cls, links={RG.flagState: flag})
    fact = ctx.fact("port-call", "port-call", RG.PortCall, f"Port call of the {ship.label} in {ctx.label(destination_state)}")
    if ship.cls == RG.Warship or any(w in normalize(ctx.text) for w in RULES["visit"]["military"]):
        ctx.registry.add_type(fact, RG.MilitaryVisit)
    ctx.registry.add(fact, RG.vessel, vessel)
    ctx.registry.add(fact, RG.fromState, flag)
    ctx.registry.add(fact, RG.toState, destination_state)
    if places:
        iri = ctx.place(places[0], country=destination_state)
        if iri is not None and ctx.country_of(iri) in (None, destination_state):
            ctx.registry.add(fact, RG.destination, iri)
    ctx.date(fact, ctx.date_near(trigger.start_char))


BUILDERS: dict[str, Callable[[Context, list[Span]], None]] = {
    "relations-lead": build_relations_lead,
    "relations-established": _relations_event("relations-established", "establish"),
    "relations-reestablished": _relations_event("relations-reestablished", "re-establish"),
    "relations-ended": _relations_event("relations-ended", "end"),
    "recognition": build_recognition,
    "mission-opened": _mission_event("mission-opened", "opened", "mission-opened"),
    "mission-closed": _mission_event("mission-closed", "closed", "mission-closed"),
    "mission-moved": build_mission_moved,
    "accreditation": build_accreditation,
    "envoy": build_envoy,
    "port-call": build_port_call,
    "visit": build_visit,
    "meeting": build_meeting,
    "agreement-signed": build_agreement,
    "membership": build_membership,
    "sister-cities": build_sister_cities,
    "trade": build_trade,
    "assistance": build_assistance,
    "cultural-event": build_cultural_event,
}
"""Kind of statement -> its builder, in the order they run on a sentence (a port call before a visit)."""


def trigger_phrases(kind: str) -> list[str]:
    rule = RULES[kind]
    if kind == "trade":
        return rule["exports"] + rule["imports"]
    if kind == "cultural-event":
        return list(rule["classes"])
    return rule.get("phrases", [])


__all__ = ["BUILDERS", "CUES", "Context", "trigger_phrases"]
