"""The timeline as the page draws it: a Vega-Lite specification built from the graph, served at
/timeline.json, dates at their precision, a real time axis, a filter per kind."""

from __future__ import annotations

import json

import httpx
import pytest
from server_fixtures import ROOT

from relgraph.server.served import load_served_graph
from relgraph.server.timeline import CATEGORIES, TimelineEvent, When, timeline_events, timeline_spec


@pytest.mark.parametrize(
    "written, start, shown, precision",
    [("1921", "1921-01-01", "1921", "year"), ("1996-10", "1996-10-01", "Oct 1996", "month"),
     ("2006-04", "2006-04-01", "Apr 2006", "month"), ("2018-01-13", "2018-01-13", "13 Jan 2018", "day"),
     ("1991-09-06Z", "1991-09-06", "6 Sep 1991", "day")],
)
def test_a_date_keeps_its_precision_and_reads_unambiguously(written, start, shown, precision):
    assert When.parse(written) == When(start, shown, precision)


@pytest.mark.parametrize("written", ["", "October", "2006-13"])
def test_what_is_not_a_date_is_no_date(written):
    assert When.parse(written) is None


def event(date, label, note="", category="visits"):
    return TimelineEvent(date, category, label, "en", f"/id/{label}", note)


def test_a_period_is_one_row_from_its_start_to_its_end():
    spec = timeline_spec((event("1996-10", "aid", "begins", "assistance"), event("2007", "aid", "ends", "assistance"),
                          event("2004", "nato", "begins", "memberships"), event("1940", "republic", "ends", "history"),
                          event("2006-04", "visit")), title="T")
    rows = {row["label"]: row for row in spec["data"]["values"]}
    assert rows["aid"]["when"] == "Oct 1996 – 2007" and (rows["aid"]["start"], rows["aid"]["end"]) == ("1996-10-01", "2007-01-01")
    assert rows["nato"]["when"] == "since 2004" and rows["nato"]["end"] is None
    assert rows["republic"]["when"] == "until 1940"
    assert rows["visit"]["when"] == "Apr 2006" and rows["visit"]["precision"] == "month"
    assert [row["label"] for row in spec["data"]["values"]] == ["republic", "aid", "nato", "visit"]  # by start
    assert [row["order"] for row in spec["data"]["values"]] == [0, 1, 2, 3]


def test_the_spec_has_a_time_axis_and_a_checkbox_per_kind_shown():
    spec = timeline_spec((event("2006-04", "visit"), event("1921", "opened", category="missions")), title="Timeline")
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["x"]["scale"]["type"] == "utc"
    assert spec["encoding"]["x"]["axis"]["format"] == "%Y"
    order = [name for name, _, _ in CATEGORIES]
    assert spec["encoding"]["color"]["scale"]["domain"] == sorted(["visits", "missions"], key=order.index)
    assert [p["name"] for p in spec["params"]] == ["show_missions", "show_visits"]
    assert all(p["bind"]["input"] == "checkbox" and p["value"] is True for p in spec["params"])
    assert spec["transform"] == [{"filter": "(datum.kind === 'missions' && show_missions) || (datum.kind === 'visits' && show_visits)"}]
    assert spec["encoding"]["href"] == {"field": "href"}
    assert spec["width"] == "container"  # as wide as the page: readable at phone widths


def test_the_project_timeline_is_deterministic_json():
    graph = load_served_graph(ROOT)
    first = json.dumps(timeline_spec(timeline_events(graph), title="T"), sort_keys=True)
    assert first == json.dumps(timeline_spec(timeline_events(load_served_graph(ROOT)), title="T"), sort_keys=True)
    values = json.loads(first)["data"]["values"]
    # every dated fact of the SVG list is a row or a row's bound
    assert {e.label for e in timeline_events(graph)} == {row["label"] for row in values}
    # no month shows as a bare number: a month-precision date reads "Mon YYYY"
    for row in values:
        if row["precision"] == "month":
            assert row["when"].split(" ")[0] in ("since", "until") or row["when"][:3].isalpha(), row


def test_timeline_json_over_http(server):
    response = httpx.get(server.url + "/timeline.json", params={"stateA": "japan", "stateB": "latvia"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    spec = response.json()
    assert spec["title"]["text"] == "Timeline of the relationship of Japan and Latvia"
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v6.json"
    rows = {row["label"]: row for row in spec["data"]["values"]}
    assert rows["Japan and Latvia establish diplomatic relations"]["when"] == "1921"
    ja = httpx.get(server.url + "/timeline.json", params={"lang": "ja"})
    assert ja.status_code == 200 and ja.headers["content-language"] == "ja"
    assert httpx.get(server.url + "/timeline.json", params={"stateA": "japan"}).status_code == 400
    assert httpx.get(server.url + "/timeline.json", params={"pair": "x"}).status_code == 400


def test_vendored_vega_has_its_licences(server):
    for name in ("vega", "vega-lite", "vega-embed", "vega-interpreter"):
        text = httpx.get(server.url + f"/static/vendor/vega/LICENSE.{name}").text
        assert "University of Washington Interactive Data Lab" in text, name
    version = httpx.get(server.url + "/static/vendor/vega/VERSION").text
    assert "vega 6.4.0" in version and "vega-lite 6.4.3" in version and "vega-embed 7.3.0" in version
    for script in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "vega-interpreter.js"):
        response = httpx.get(server.url + "/static/vendor/vega/" + script)
        assert response.status_code == 200 and "sourceMappingURL" not in response.text[-300:], script
