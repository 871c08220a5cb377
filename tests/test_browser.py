"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

Runs a stored query, sees its results in YASR's table (sorted, paged, raw response), follows an
entity link, opens share links and sees the same results, opens a pair's timeline (Vega-Lite on
a time axis, filtered by kind, saved as SVG), and saves screenshots at desktop and phone widths
into the test's tmp_path (the folder is printed; `pytest -s` shows it). Every request the page
makes must go to the relgraph server itself (the page works offline).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from playwright.sync_api import expect, sync_playwright

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ROWS = "#results table.dataTable tbody tr"
LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 120"


def column(page, index: int) -> list[str]:
    """The texts of column ``index`` (1: the first variable) of the rows drawn now."""
    return page.eval_on_selector_all(ROWS, f"trs => trs.map(tr => tr.children[{index}].textContent.trim())")


def open_page(browser, viewport, requests, errors):
    page = browser.new_page(viewport=viewport, accept_downloads=True)
    page.set_default_timeout(30_000)
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def ran(page, times: int = 1) -> None:
    page.wait_for_selector(f"body[data-ran='{times}']")


def test_run_a_stored_query_and_follow_an_entity_link(server, chromium, tmp_path):
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = open_page(browser, DESKTOP, requests, errors)
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator("#editor .CodeMirror").count() == 1  # YASQE's editor is up
            page.select_option("#stored", "visits")
            assert page.input_value("#param-stateA") == "rgd:japan"
            assert "cm-" in page.inner_html("#editor .CodeMirror-code")  # syntax highlighting
            page.click("#run")
            ran(page)
            assert page.locator(ROWS).count() > 5
            assert page.locator("#downloads a", has_text="csv").get_attribute("href") == "/queries/visits?stateA=rgd%3Ajapan&stateB=rgd%3Alatvia&format=csv"
            # the share link: the stored query's name and its parameters, in the address bar
            assert page.url == server.url + "/?stored=visits&stateA=rgd%3Ajapan&stateB=rgd%3Alatvia"
            assert page.get_attribute("#share", "href") == "/?stored=visits&stateA=rgd%3Ajapan&stateB=rgd%3Alatvia"
            page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
            link = page.locator(ROWS + " a.iri[href^='/id/']").first
            target = link.get_attribute("href")
            assert target.startswith("/id/")
            cell = link.locator("xpath=ancestor::td[1]/div[1]")
            if "expandable" in (cell.get_attribute("class") or ""):
                cell.click()  # YASR's ellipsis: a cell cut short opens on a click, then its link works
                page.wait_for_selector(ROWS + " td > div.expanded")
            link.click()
            page.wait_for_url(server.url + target)
            page.wait_for_selector("h1")
            quote = page.locator(".sources blockquote").first
            assert quote.is_visible()
            assert len(quote.inner_text()) > 20
            assert page.locator("html").get_attribute("lang") == "en"
            page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)
            page.go_back()  # the address holds the query: going back runs it again
            page.wait_for_selector(ROWS)
            assert page.input_value("#stored") == "visits"
        finally:
            browser.close()
    assert (tmp_path / "results.png").stat().st_size > 10_000
    assert (tmp_path / "entity.png").stat().st_size > 10_000
    assert errors == []
    elsewhere = [url for url in requests if not url.startswith(server.url)]
    assert elsewhere == []


def test_sort_page_share_and_raw_response(server, chromium, tmp_path):
    requests, errors = [], []
    print(f"screenshots in {tmp_path}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = open_page(browser, DESKTOP, requests, errors)
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.evaluate("text => document.querySelector('#editor .CodeMirror').CodeMirror.setValue(text)", LABELS)
            page.click("#run")
            ran(page)
            # paging: 120 rows, one page of 50 drawn
            assert page.locator(ROWS).count() == 50
            assert "Showing 1 to 50 of 120 entries" in page.inner_text("#results")
            first_page, first_page_labels = column(page, 1), column(page, 2)
            page.locator("#results .dt-paging button", has_text=re.compile(r"^2$")).click()
            assert "Showing 51 to 100 of 120 entries" in page.inner_text("#results")
            second_page = column(page, 1)
            assert second_page != first_page and page.locator(ROWS).count() == 50
            # sorting by the label column: ascending, then descending; the last page of the
            # descending order is the first page of the ascending order, reversed
            header = page.locator("#results thead th", has_text=re.compile(r"^label$"))
            header.click()
            expect(header).to_have_class(re.compile(r"\bdt-ordering-asc\b"))  # waits for the redraw
            ascending = column(page, 2)
            assert ascending != first_page_labels
            header.click()
            expect(header).to_have_class(re.compile(r"\bdt-ordering-desc\b"))
            assert column(page, 2) != ascending
            page.locator("#results .dt-paging button", has_text=re.compile(r"^3$")).click()
            assert "Showing 101 to 120 of 120 entries" in page.inner_text("#results")
            assert list(reversed(column(page, 2))) == ascending[:20]
            # the share link: the query text in the address; opened again, the same results
            address = page.url
            assert parse_qs(urlsplit(address).query) == {"query": [LABELS]}
            assert address == server.url + "/?" + urlencode({"query": LABELS})
            again = open_page(browser, DESKTOP, requests, errors)
            again.goto(address)
            ran(again)
            assert again.evaluate("document.querySelector('#editor .CodeMirror').CodeMirror.getValue()") == LABELS
            assert column(again, 1) == first_page and "of 120 entries" in again.inner_text("#results")
            again.screenshot(path=str(tmp_path / "desktop-results.png"), full_page=True)
            # the raw response, as the server sent it
            again.click("#results .select_response")
            raw = again.locator("#results .CodeMirror").first
            raw.wait_for()
            assert '"head"' in again.inner_text("#results") and '"bindings"' in again.inner_text("#results")
            # a stored query's share link, opened in a fresh page
            stored = open_page(browser, DESKTOP, requests, errors)
            stored.goto(server.url + "/?stored=memberships&stateA=rgd%3Ajapan&stateB=rgd%3Alatvia")
            ran(stored)
            assert stored.input_value("#stored") == "memberships" and stored.input_value("#param-stateB") == "rgd:latvia"
            assert "organization" in stored.inner_text("#results thead")
            assert stored.locator(ROWS).count() >= 3
        finally:
            browser.close()
    assert (tmp_path / "desktop-results.png").stat().st_size > 20_000
    assert errors == []
    assert [url for url in requests if not url.startswith(server.url)] == []


def test_a_pairs_timeline_on_a_time_axis_at_desktop_and_phone_widths(server, chromium, tmp_path):
    requests, errors = [], []
    print(f"screenshots in {tmp_path}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = open_page(browser, DESKTOP, requests, errors)
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.locator("#pairs a", has_text="Japan and Latvia").click()
            page.wait_for_url(server.url + "/?stateA=japan&stateB=latvia")
            page.wait_for_selector("#timeline-chart[data-ready=true]")
            chart = page.locator("#timeline-chart svg.marks")
            texts = chart.locator("text").all_text_contents()
            assert "Timeline of the relationship of Japan and Latvia" in texts
            years = [t for t in texts if re.fullmatch(r"\d{4}", t)]
            assert {"1940", "2000"} <= set(years) and years == sorted(years)  # a time axis, in years
            assert any(t.startswith("Oct 1996 · ") for t in texts)  # a month as "Oct 1996", never a bare "10"
            assert not any(re.fullmatch(r"\d{1,2}", t) for t in texts)
            rows = len([t for t in texts if " · " in t])
            page.locator("#timeline-chart .vega-bindings input[type=checkbox]").first.uncheck()
            page.wait_for_function(f"[...document.querySelectorAll('#timeline-chart svg text')].filter(t => t.textContent.includes(' · ')).length < {rows}")
            with page.expect_download() as download:
                page.click("#timeline-svg")
            saved = tmp_path / "timeline.svg"
            download.value.save_as(saved)
            assert saved.read_text(encoding="utf-8").lstrip().startswith("<svg") and "1940" in saved.read_text(encoding="utf-8")
            page.locator("#timeline-chart .vega-bindings input[type=checkbox]").first.check()
            page.locator("#timeline").screenshot(path=str(tmp_path / "desktop-timeline.png"))

            phone = open_page(browser, PHONE, requests, errors)
            phone.goto(server.url + "/?stored=people-and-offices")
            ran(phone)
            phone.wait_for_selector("#timeline-chart[data-ready=true]")
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows
            assert phone.eval_on_selector("#stored", "e => e.getBoundingClientRect().right") <= PHONE["width"]
            width = phone.eval_on_selector("#timeline-chart svg.marks", "e => e.getBoundingClientRect().width")
            assert 300 <= width <= PHONE["width"]  # the timeline keeps the screen's width
            phone.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
            phone.locator("#timeline").screenshot(path=str(tmp_path / "phone-timeline.png"))
            # Japanese labels: drawn with a CJK font (the fixture installs fonts-noto-cjk)
            phone.goto(server.url + "/id/latvia?lang=ja")
            phone.wait_for_selector("h1")
            assert phone.inner_text("h1") == "ラトビア"
            phone.screenshot(path=str(tmp_path / "phone-japanese.png"))
        finally:
            browser.close()
    for name in ("desktop-timeline.png", "phone.png", "phone-timeline.png", "phone-japanese.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name
    assert errors == []
    assert [url for url in requests if not url.startswith(server.url)] == []


def test_the_ontology_page_draws_its_diagram(server, chromium, tmp_path):
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = open_page(browser, DESKTOP, requests, errors)
            page.set_default_timeout(120_000)  # the first request makes the page (seconds, once)
            page.goto(server.url + "/ontology#Visit")
            page.wait_for_selector("body[data-diagram]")
            assert page.get_attribute("body", "data-diagram") == "drawn"
            assert page.locator("#diagram svg").count() == 1
            assert "rg:DiplomaticRelation" in page.inner_text("#diagram")
            assert page.locator("#Visit").is_visible()
            page.locator("#diagram").screenshot(path=str(tmp_path / "ontology-diagram.png"))
        finally:
            browser.close()
    assert (tmp_path / "ontology-diagram.png").stat().st_size > 10_000
    assert errors == []
    assert [url for url in requests if not url.startswith(server.url)] == []


def test_an_iri_that_is_not_a_web_address_is_never_a_link(server, chromium):
    """A result holding <javascript:…> (or data:, or any other scheme) shows the IRI as text."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(20_000)
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            page.evaluate("""document.querySelector('#editor .CodeMirror').CodeMirror.setValue(
                'SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,hi> <https://example.org/ok> rgd:latvia } }')""")
            page.click("#run")
            ran(page)
            links = page.eval_on_selector_all("#results table.dataTable a.iri", "as => as.map(a => a.getAttribute('href'))")
            texts = column(page, 1)
            for target in page.locator("#results table.dataTable span[title]").all():
                target.click()
        finally:
            browser.close()
    assert sorted(links) == ["/id/latvia", "https://example.org/ok"]
    assert "<javascript:alert(1)>" in texts and "<data:text/html,hi>" in texts
    assert dialogs == []
