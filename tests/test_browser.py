"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

Opens the page, runs a stored query, sees the results table, follows an entity link, sees the
entity's page and its source sentence, and saves screenshots under the test's tmp_path. Every
request the page makes must go to the relgraph server itself (the page works offline).
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def test_run_a_stored_query_and_follow_an_entity_link(server, chromium, tmp_path):
    requests, errors = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(20_000)
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url + "/")
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator("#editor .CodeMirror").count() == 1  # YASQE's editor is up
            page.select_option("#stored", "visits")
            assert page.input_value("#param-stateA") == "rgd:japan"
            assert "cm-" in page.inner_html("#editor .CodeMirror-code")  # syntax highlighting
            page.click("#run")
            page.wait_for_selector("table.results tbody tr")
            rows = page.locator("table.results tbody tr").count()
            assert rows > 5
            assert page.locator("#downloads a", has_text="csv").get_attribute("href") == "/queries/visits?stateA=rgd%3Ajapan&stateB=rgd%3Alatvia&format=csv"
            page.screenshot(path=str(tmp_path / "results.png"), full_page=True)
            link = page.locator("table.results tbody tr:first-child td:nth-child(2) a").first
            target = link.get_attribute("href")
            assert target.startswith("/id/")
            link.click()
            page.wait_for_url(server.url + target)
            page.wait_for_selector("h1")
            quote = page.locator(".sources blockquote").first
            assert quote.is_visible()
            assert len(quote.inner_text()) > 20
            assert page.locator("html").get_attribute("lang") == "en"
            page.screenshot(path=str(tmp_path / "entity.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "results.png").stat().st_size > 10_000
    assert (tmp_path / "entity.png").stat().st_size > 10_000
    assert errors == []
    elsewhere = [url for url in requests if not url.startswith(server.url)]
    assert elsewhere == []


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
            page.wait_for_selector("table.results tbody tr")
            links = page.eval_on_selector_all("table.results a", "as => as.map(a => a.getAttribute('href'))")
            texts = page.eval_on_selector_all("table.results td", "tds => tds.map(td => td.textContent)")
            for target in page.locator("table.results span[title]").all():
                target.click()
        finally:
            browser.close()
    assert sorted(links) == ["/id/latvia", "https://example.org/ok"]
    assert "<javascript:alert(1)>" in texts and "<data:text/html,hi>" in texts
    assert dialogs == []
