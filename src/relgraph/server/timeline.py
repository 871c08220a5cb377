"""The timeline of the relationship, drawn from the graph: as a Vega-Lite specification (data, not
drawing: the page draws it with the vendored vega-embed on a real time axis) and, for the
``/timeline.svg`` download of old, as an SVG list (the same bytes every time).

Every fact with a date (``rg:date``), a start (``rg:startDate``) or an end (``rg:endDate``)
becomes a row, in date order, coloured by what kind of fact it is. A date keeps the precision it
was written with: ``1996`` is a year, ``1996-10`` a month (shown "Oct 1996"), ``1996-10-12`` a day.
"""

from __future__ import annotations

import re
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


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(r"(?P<year>-?\d{4,})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
"""Named by the specification, never fetched: vega-embed compiles it in the page."""


@dataclass(frozen=True)
class When:
    """A date as written (``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``), at its precision.

    >>> When.parse("1996-10")
    When(start='1996-10-01', shown='Oct 1996', precision='month')
    >>> When.parse("2018-01-13").shown, When.parse("1921").shown
    ('13 Jan 2018', '1921')
    """

    start: str
    """The first day it covers, ISO 8601 (what the time axis places)."""
    shown: str
    precision: str
    """"year", "month" or "day"."""

    @classmethod
    def parse(cls, text: str) -> When | None:
        """The date ``text`` (a timezone suffix is ignored), or None if it is no such date."""
        match = _DATE.match(text)
        if match is None:
            return None
        year, month, day = match["year"], match["month"], match["day"]
        if month is None:
            return cls(f"{year}-01-01", year, "year")
        if not 1 <= int(month) <= 12:
            return None
        name = _MONTHS[int(month) - 1]
        if day is None:
            return cls(f"{year}-{month}-01", f"{name} {year}", "month")
        return cls(f"{year}-{month}-{day}", f"{int(day)} {name} {year}", "day")


def _rows(events: tuple[TimelineEvent, ...]) -> list[dict]:
    """One row per fact: a dated event is a point, a period its start and (if known) its end."""
    rows: dict[tuple, dict] = {}
    for event in events:
        when = When.parse(event.date)
        if when is None:
            continue
        key = (event.category, event.label, event.href, "period" if event.note else "event")
        row = rows.setdefault(key, {"kind": event.category, "label": event.label, "lang": event.lang,
                                    "href": event.href, "start": None, "end": None, "from": None, "to": None})
        if event.note == "ends":
            row["end"], row["to"] = when.start, when.shown
        elif row["start"] is None:
            row["start"], row["from"], row["precision"] = when.start, when.shown, when.precision
    shown = []
    for row in rows.values():
        if row["start"] is None:  # a period whose end alone is known: placed at its end
            row["start"], row["from"], row["precision"] = row["end"], row["to"], "end only"
            row["end"], row["when"] = None, f"until {row['to']}"
        elif row["end"] is not None and row["to"] != row["from"]:
            row["when"] = f"{row['from']} – {row['to']}"
        elif row["end"] is None and any(e.note == "begins" and e.label == row["label"] for e in events):
            row["when"] = f"since {row['from']}"
        else:
            row["when"] = row["from"]
        row["row"] = f"{row['when']} · {row['label']}"
        shown.append(row)
    shown.sort(key=lambda r: (r["start"], r["end"] or "", r["kind"], r["label"]))
    for order, row in enumerate(shown):
        row["order"] = order
    return shown


def timeline_spec(events: tuple[TimelineEvent, ...], *, title: str) -> dict:
    """The timeline as a Vega-Lite specification (a JSON-ready dict, the same for the same events):
    one row per fact on a time axis with years to scale, periods as bars, coloured by kind, with a
    checkbox per kind that shows or hides its facts, and a link from each mark to its page.

    >>> spec = timeline_spec(timeline_events_of([("1996-10", "visits", "A visit")]), title="T")
    >>> spec["data"]["values"][0]["when"], spec["encoding"]["x"]["scale"]["type"]
    ('Oct 1996', 'utc')
    """
    colours = {name: colour for name, colour, _ in CATEGORIES}
    rows = _rows(events)
    used = [name for name, _, _ in CATEGORIES if any(r["kind"] == name for r in rows)]
    shown = " || ".join(f"(datum.kind === '{name}' && show_{name})" for name in used) or "false"
    tooltip = [
        {"field": "label", "title": "fact"},
        {"field": "when", "title": "date"},
        {"field": "precision", "title": "precision"},
        {"field": "kind", "title": "kind"},
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": title, "anchor": "start"},
        "description": f"{len(rows)} dated facts from the graph on a time axis, by kind.",
        "width": "container",
        "height": {"step": 20},
        "data": {"values": rows},
        "params": [{"name": f"show_{name}", "value": True, "bind": {"input": "checkbox", "name": f"{name} "}}
                   for name in used],
        "transform": [{"filter": shown}],
        "encoding": {
            "y": {"field": "row", "type": "nominal", "sort": {"field": "order", "op": "min"}, "title": None,
                  "axis": {"labelLimit": 360, "labelFontSize": 12}},
            "x": {"field": "start", "type": "temporal", "title": None, "scale": {"type": "utc", "nice": True},
                  "axis": {"format": "%Y", "orient": "top", "grid": True, "labelFontSize": 12}},
            "color": {"field": "kind", "type": "nominal", "title": "kind",
                      "scale": {"domain": used, "range": [colours[name] for name in used]},
                      "legend": {"orient": "bottom", "direction": "horizontal", "columns": 4}},
            "href": {"field": "href"},
            "tooltip": tooltip,
        },
        "layer": [
            {"transform": [{"filter": "isValid(datum.end)"}],
             "mark": {"type": "rule", "strokeWidth": 5, "strokeCap": "round", "opacity": 0.6},
             "encoding": {"x2": {"field": "end"}}},
            {"mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "cursor": "pointer"}},
            {"transform": [{"filter": "isValid(datum.end)"}],
             "mark": {"type": "point", "filled": False, "size": 90, "strokeWidth": 2, "cursor": "pointer"},
             "encoding": {"x": {"field": "end", "type": "temporal"}}},
        ],
        "config": {"font": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK JP', sans-serif",
                   "view": {"stroke": None}},
    }


def timeline_events_of(rows: list[tuple[str, str, str]]) -> tuple[TimelineEvent, ...]:
    """Events from (date, category, label) triples, for examples and tests."""
    return tuple(TimelineEvent(date, category, label, "en", None, "") for date, category, label in rows)
