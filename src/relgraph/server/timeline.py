"""The timeline of the relationship, drawn from the graph as an SVG picture (the same bytes every time).

Every fact with a date (``rg:date``), a start (``rg:startDate``) or an end (``rg:endDate``)
becomes a row, in date order, coloured by what kind of fact it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..vocab import RG
from .linked_data import link
from .served import ServedGraph

CATEGORIES: tuple[tuple[str, str, tuple[URIRef, ...]], ...] = (
    ("missions", "#7b3294", (RG.MissionOpening, RG.MissionClosure, RG.Accreditation)),
    ("relations", "#c2185b", (RG.DiplomaticEvent, RG.DiplomaticRelation)),
    ("visits", "#1565c0", (RG.Visit,)),
    ("meetings", "#00838f", (RG.Meeting,)),
    ("memberships", "#2e7d32", (RG.Membership,)),
    ("partnerships", "#ef6c00", (RG.SisterCityPartnership, RG.ExchangeActivity, RG.ExchangeProgram)),
    ("assistance", "#6d4c41", (RG.AssistanceEvent, RG.Program)),
    ("history", "#546e7a", (RG.HistoricalEvent, RG.HistoricalPeriod)),
    ("other", "#9e9e9e", ()),
)
"""(name, colour, classes): a fact takes the first category one of whose classes it belongs to."""

_WHEN = ((RG.date, ""), (RG.startDate, "begins"), (RG.endDate, "ends"))
ROW = 22
TOP = 80
WIDTH = 960
AXIS_X = 130


@dataclass(frozen=True)
class TimelineEvent:
    """One row of the timeline."""

    date: str
    category: str
    label: str
    lang: str | None
    href: str | None
    note: str
    """"begins" or "ends" for the bounds of a period, "" for a dated event."""


def timeline_events(graph: ServedGraph, *, lang: str = "en", facts: frozenset | None = None) -> tuple[TimelineEvent, ...]:
    """The dated facts of the graph (only ``facts``, if given: those of a pair of states),
    sorted by date (as written), category and label."""
    data = graph.dataset
    order = {name: index for index, (name, _, _) in enumerate(CATEGORIES)}
    events = set()
    for prop, note in _WHEN:
        for fact, date in data.subject_objects(prop):
            if not isinstance(date, Literal) or (facts is not None and fact not in facts):
                continue
            types = set(data.objects(fact, RDF.type))
            category = next((name for name, _, classes in CATEGORIES if types & set(classes)), "other")
            shown = link(data, fact, lang)
            events.add(TimelineEvent(str(date), category, shown.label, shown.lang, shown.href, note))
    return tuple(sorted(events, key=lambda e: (e.date, order[e.category], e.label, e.note)))


def render_svg(events: tuple[TimelineEvent, ...], *, title: str) -> bytes:
    """The timeline as a standalone SVG document; links open the resource pages."""
    colours = {name: colour for name, colour, _ in CATEGORIES}
    used = [name for name, _, _ in CATEGORIES if any(e.category == name for e in events)]
    rows = []
    y = TOP
    previous_year = None
    for event in events:
        year = event.date[:4]
        if previous_year is not None and year != previous_year:
            y += 8
        date_text = event.date if year != previous_year else event.date[4:].lstrip("-") or ""
        previous_year = year
        text = event.label if len(event.label) <= 110 else event.label[:109] + "…"
        if event.note:
            text += f" ({event.note})"
        lang = f" xml:lang={quoteattr(event.lang)}" if event.lang else ""
        label = f'<text x="{AXIS_X + 16}" y="{y + 4}"{lang}>{escape(text)}</text>'
        if event.href:
            label = f'<a href={quoteattr(event.href)} target="_top">{label}</a>'
        rows.append(
            f'<g class="event {event.category}">'
            f'<text x="{AXIS_X - 14}" y="{y + 4}" text-anchor="end" class="date">{escape(date_text)}</text>'
            f'<circle cx="{AXIS_X}" cy="{y}" r="5" fill="{colours[event.category]}"/>'
            f"{label}</g>"
        )
        y += ROW
    height = y + 10
    legend = []
    x = 20
    for name in used:
        legend.append(
            f'<rect x="{x}" y="44" width="12" height="12" fill="{colours[name]}"/>'
            f'<text x="{x + 17}" y="54">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    axis = f'<line x1="{AXIS_X}" y1="{TOP - 10}" x2="{AXIS_X}" y2="{max(TOP, y - ROW + 10)}" stroke="#bbb" stroke-width="2"/>'
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
        ' role="img" aria-labelledby="timeline-title timeline-desc" font-family="sans-serif" font-size="13">',
        f'<title id="timeline-title">{escape(title)}</title>',
        f'<desc id="timeline-desc">{len(events)} dated facts from the graph, in date order.</desc>',
        '<rect width="100%" height="100%" fill="#fff"/>',
        f'<text x="20" y="28" font-size="18" font-weight="bold">{escape(title)}</text>',
        *legend,
        axis,
        *rows,
        "</svg>",
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")
