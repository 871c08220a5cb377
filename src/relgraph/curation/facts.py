"""The fact rules: one builder per kind of statement, reading the sentence's mentions and dates.

Each kind's trigger phrases are data (``rules/facts.json``), matched by a spaCy PhraseMatcher
on the normalized text; its builder (in kinds_*.py) picks the participants from the mentions
around the trigger, the date nearest to it in the same clause, and proposes the fact node in
the shape a curator writes (see data/*/facts.ttl and ontology/shapes.ttl).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span

from .context import RULES, Context
from .kinds_diplomacy import (
    build_accreditation,
    build_envoy,
    build_mission_moved,
    build_recognition,
    build_relations_lead,
    mission_event,
    relations_event,
)
from .kinds_encounters import build_cultural_event, build_meeting, build_port_call, build_visit
from .kinds_exchange import build_agreement, build_assistance, build_membership, build_sister_cities, build_trade

BUILDERS: dict[str, Callable[[Context, list[Span]], None]] = {
    "relations-lead": build_relations_lead,
    "relations-established": relations_event("relations-established", "establish"),
    "relations-reestablished": relations_event("relations-reestablished", "re-establish"),
    "relations-ended": relations_event("relations-ended", "end"),
    "recognition": build_recognition,
    "mission-opened": mission_event("mission-opened", "opened", "mission-opened"),
    "mission-closed": mission_event("mission-closed", "closed", "mission-closed"),
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


__all__ = ["BUILDERS", "Context", "trigger_phrases"]
