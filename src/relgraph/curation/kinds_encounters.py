"""The rules for people and ships that go somewhere: visits, meetings, port calls, and cultural events."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..vocab import RG
from .context import RULES, Context
from .gazetteer import normalize
from .mentions import rg_class


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
    located = False
    for place in ctx.of_kind("settlement", after=trigger.end_char):
        if re.search(r"\bin\s*$", ctx.text[:place.start]):
            iri = ctx.place(place, country=None)
            if iri is not None:
                ctx.registry.add(fact, RG.location, iri)
                located = True
    visit = ctx.registry.visits.get(ctx.sentence)
    if visit is not None and not located and re.search(r",\s+where\s+", ctx.text[:trigger.start_char]):
        # "visited Helsinki, where he held talks": the meeting is at the visit's one destination
        destinations = list(ctx.registry.graph.objects(visit, RG.destination))
        if len(destinations) == 1:
            ctx.registry.add(fact, RG.location, destinations[0])
    if visit is not None:
        ctx.registry.add(fact, RG.duringVisit, visit)
    ctx.date(fact, date)


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
