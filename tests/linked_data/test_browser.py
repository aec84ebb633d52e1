"""A real browser (Debian's chromium driven by Playwright) on the live server: a resource
page, the query editor running a query, the network page; a hostile label stays text.

Skipped when chromium or Playwright is absent (.ci/run installs chromium when it can).
Screenshots go to the test's temporary folder (and to $KG_SCREENSHOTS when set).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

EVIL = "<script>alert(1)</script>"  # the label conftest adds to WHO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    if os.environ.get("KG_SCREENSHOTS"):
        shutil.copy(path, Path(os.environ["KG_SCREENSHOTS"]) / path.name)


def test_resource_page_shows_labels_and_the_hostile_label_as_text(page, server, tmp_path):
    page.goto(server + "/id/org/who")
    assert page.locator("h1").inner_text() == "World Health Organization"
    assert "Organisation mondiale de la Santé" in page.locator(".label-fr").inner_text()
    assert "Organización Mundial de la Salud" in page.locator(".label-es").inner_text()
    assert EVIL in page.locator(".label-en").inner_text()  # shown as text...
    assert page.locator("main script").count() == 0  # ...never as an element
    page.wait_for_timeout(300)
    assert page.dialogs == []
    _shot(page, tmp_path, "resource-who")
    # a link to a State goes to that State's live page
    page.click("table.facts a[href='/id/state/fra']")
    assert page.locator("h1").inner_text() == "France"


def test_query_editor_runs_a_query_and_shows_rows(page, server, tmp_path):
    page.goto(server + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    query = ('PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n'
             'SELECT ?label WHERE { <https://w3id.org/aicoop/id/org/who> skos:altLabel ?label }')
    page.evaluate("q => window.kgYasgui.getTab().getYasqe().setValue(q)", query)
    page.evaluate("() => window.kgYasgui.getTab().getYasqe().query()")
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() >= 1
    assert EVIL in page.locator(".yasr").inner_text()
    page.wait_for_timeout(300)
    assert page.dialogs == []
    _shot(page, tmp_path, "query-editor")


def test_query_editor_lists_the_shipped_queries(page, server):
    page.goto(server + "/sparql")
    names = page.locator("#examples button").all_inner_texts()
    assert "documents-by-domain" in names and "list-organisations" in names


def test_network_page_links_a_bridge_to_its_evidence(page, server, tmp_path):
    hostile = {}

    def poison(route):
        """The network data with one organisation renamed to the hostile label."""
        resp = route.fetch()
        data = resp.json()
        data["nodes"][0]["name"] = EVIL
        hostile["id"] = data["nodes"][0]["id"]
        route.fulfill(status=200, body=json.dumps(data), content_type="application/json")

    page.route("**/api/network?*", poison)
    # health has no bridge on health evidence alone: the wider view, as --other-domains
    page.goto(server + "/network/health?other_domains=1")
    page.wait_for_selector("body[data-network-ready]", timeout=30_000)
    n = int(page.get_attribute("body", "data-network-ready"))
    assert n >= 5
    # select the best bridge, as a click would
    page.evaluate("""() => { const cy = window.kgNetwork;
        const best = cy.nodes().filter(n => n.data('node').rank === 1)[0];
        best.emit('tap'); }""")
    details = page.locator("#details")
    assert "Bridging rank 1" in details.inner_text()
    links = details.locator("a.evidence")
    assert links.count() >= 1
    href = links.first.get_attribute("href")
    assert href.startswith("/id/")
    page.evaluate("id => window.kgNetwork.getElementById(id).emit('tap')", hostile["id"])
    assert EVIL in details.locator("h2").inner_text()
    assert details.locator("script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == [] and page.errors == []
    _shot(page, tmp_path, "network-health")
    page.goto(server + href)
    assert page.locator("h1").inner_text()
