"""The rules for the diplomatic relation itself: its establishment, end and re-establishment, recognition,
missions opened, closed or moved, accreditation, and envoys (ambassadors, chargés d'affaires, consuls)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import Literal
from spacy.tokens import Span

from ..vocab import RG
from .context import RULES, Context, parties
from .gazetteer import normalize
from .mentions import Mention, rg_class


def relations_event(kind: str, verb: str) -> Callable[[Context, list[Span]], None]:
    def build(ctx: Context, triggers: list[Span]) -> None:
        two = parties(ctx)
        if two is None:
            return
        a, b = (ctx.use_state(s) for s in two)
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


def mission_event(kind: str, verb: str, short: str) -> Callable[[Context, list[Span]], None]:
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
        after_office = normalize(ctx.text[office.end:office.end + 24])
        residence = re.match(r"\s*,?\s*(?:" + "|".join(map(re.escape, rule["residence"])) + r")\s+", after_office)
        if residence is not None:
            at = office.end + residence.end()
            target = next((m for m in ctx.mentions if at <= m.start <= at + 4 and m.kind in ("state", "settlement", "name")), None)
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
            description = "the " + description
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
