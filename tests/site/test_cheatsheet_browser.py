"""The connector cheat sheet: stable anchors, the no-JS page, filters and comparison
with state in the URL, copy links, print layout, accessibility, and search for the
connector pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from macros import datasets
from tests.browser_helpers import WIDGET, axe_serious_violations

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "cheatsheet.js"
ANCHORS = Path(__file__).with_name("connector_anchors.txt")
PATH = "connectors/cheat-sheet/"
MAX_PRINTED_PAGES = 4


def published_anchors() -> list[str]:
    return [line.strip() for line in ANCHORS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_widget_script_sets_no_html_and_evaluates_nothing() -> None:
    # Its size budget (gzipped, as served) is in test_script_budgets.py.
    source = SCRIPT.read_text(encoding="utf-8")
    assert "innerHTML" not in source and "eval(" not in source


def test_no_published_anchor_disappears() -> None:
    """Wiki pages link to these anchors: removing or renaming one breaks them.

    Adding a connector or facet is fine (add its anchors to the list); removing
    one needs a redirect plan first.
    """
    current = set(datasets.load("connectors").anchors())
    missing = [a for a in published_anchors() if a not in current]
    assert not missing, f"anchors removed from the cheat sheet: {missing}"
    assert len(published_anchors()) >= 8 * 12


@pytest.mark.slow
def test_built_page_has_every_published_anchor(site_dir: Path) -> None:
    html = (site_dir / PATH / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    missing = [a for a in published_anchors() if a not in ids]
    assert not missing, f"anchors missing from the built page: {missing}"


def open_sheet(page: Any, site_url: str, query: str = "") -> None:
    """Open the sheet and unfold its controls, as a reader does."""
    page.goto(site_url + PATH + query)
    page.locator(".ip-cs-controls").wait_for(state="attached")
    if not page.locator(".ip-cs-tools").evaluate("d => d.open"):
        page.locator(".ip-cs-tools summary").click()
    page.locator(".ip-cs-controls").wait_for()


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def visible_sections(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "section[data-connector]:not([hidden])", "els => els.map(e => e.dataset.connector)"
    )


def visible_facets(page: Any, connector: str) -> list[str]:
    return page.eval_on_selector_all(
        f'section[data-connector="{connector}"] tr[data-facet]:not([hidden])',
        "els => els.map(e => e.dataset.facet)",
    )


@pytest.mark.slow
@pytest.mark.browser
def test_without_javascript_every_entry_is_there(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PATH)
        rows = page.locator("tr[data-facet]").count()
        controls = page.locator(".ip-cs-controls").count()
        page.locator(".ip-cs-tools summary").click()
        note = page.locator(".ip-cs-nojs").inner_text()
        text = page.locator("#salesforce-limit-signals").inner_text()
    finally:
        context.close()
    sheet = datasets.load("connectors")
    assert rows == len(sheet.connectors) * len(sheet.facets)
    assert controls == 0
    assert "need JavaScript" in note
    assert "REQUEST_LIMIT_EXCEEDED" in text and "Sforce-Limit-Info" in text


@pytest.mark.slow
@pytest.mark.browser
def test_filters_come_from_the_url_and_go_back_to_it(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "?connector=stripe,hubspot&facet=pagination")
    assert visible_sections(page) == ["stripe", "hubspot"]
    assert visible_facets(page, "stripe") == ["pagination"]
    assert "starting_after" in page.locator("#stripe-pagination").inner_text()
    assert (
        page.locator(".ip-cs-status").inner_text().startswith("Showing 2 of 10 connectors and 1 of 12 facets")
    )

    page.get_by_role("checkbox", name="Zendesk", exact=True).check()
    page.get_by_role("checkbox", name="Rate limits", exact=True).check()
    assert query_of(page) == {"connector": ["stripe,hubspot,zendesk"], "facet": ["rate-limits,pagination"]}
    assert visible_sections(page) == ["stripe", "hubspot", "zendesk"]
    assert visible_facets(page, "zendesk") == ["rate-limits", "pagination"]

    page.get_by_role("button", name="Show everything").click()
    assert query_of(page) == {}
    assert len(visible_sections(page)) == 10
    assert len(visible_facets(page, "workday")) == 12


@pytest.mark.slow
@pytest.mark.browser
def test_compare_one_facet_across_all_connectors(page: Any, site_url: str) -> None:
    open_sheet(page, site_url)
    page.locator(".ip-cs-legend summary").click()
    page.locator("#facet-rate-limits").get_by_role("button", name="Compare across connectors").click()
    assert query_of(page) == {"facet": ["rate-limits"], "view": ["compare"]}
    table = page.locator(".ip-cs-compare-table")
    headers = table.locator("tbody th").all_inner_texts()
    assert headers == [
        "Salesforce",
        "NetSuite",
        "Stripe",
        "Workday",
        "ServiceNow",
        "HubSpot",
        "Zendesk",
        "Shopify",
        "Dynamics 365 / Dataverse",
        "SAP S/4HANA",
    ]
    assert "100 requests/s in live mode" in table.locator("tbody tr").nth(2).inner_text()
    assert page.locator(".ip-cs-sections").is_hidden()
    ids_in_compare = page.eval_on_selector_all(".ip-cs-compare [id]", "els => els.length")
    assert ids_in_compare == 0  # cloned cells must not duplicate anchors

    page.reload()
    page.locator(".ip-cs-compare-table").wait_for()
    assert page.get_by_role("checkbox", name="Compare side by side").is_checked()
    assert axe_serious_violations(page, within=WIDGET) == []


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_parameters_are_ignored_with_a_notice(page: Any, site_url: str) -> None:
    hostile = "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
    open_sheet(page, site_url, f"?connector={hostile},shopify&facet=nope&view=evil")
    notice = page.locator(".ip-cs-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "<img src=x onerror=alert(1)>" in text and "facet “nope”" in text and "view “evil”" in text
    assert page.locator(".ip-cs-notice img").count() == 0
    assert visible_sections(page) == ["shopify"]
    assert len(visible_facets(page, "shopify")) == 12
    assert query_of(page) == {"connector": ["shopify"]}


@pytest.mark.slow
@pytest.mark.browser
def test_controls_start_folded_and_a_shared_view_unfolds_them(page: Any, site_url: str) -> None:
    page.goto(site_url + PATH)
    page.locator(".ip-cs-controls").wait_for(state="attached")
    assert page.locator(".ip-cs-tools").evaluate("d => d.open") is False
    assert page.locator(".ip-cs-nojs").count() == 0
    page.goto(site_url + PATH + "?facet=pagination")
    page.locator(".ip-cs-controls").wait_for()
    assert page.locator(".ip-cs-status").is_visible()


@pytest.mark.slow
@pytest.mark.browser
def test_starting_the_widget_moves_nothing_on_screen(browser: Any, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True)
    try:
        page = context.new_page()
        page.add_init_script(
            "window.__shifts = 0; new PerformanceObserver(list => list.getEntries()"
            ".forEach(e => { if (!e.hadRecentInput) window.__shifts += e.value; }))"
            ".observe({type: 'layout-shift', buffered: true});"
        )
        page.goto(site_url + PATH)
        page.locator(".ip-cs-controls").wait_for(state="attached")
        page.wait_for_timeout(500)
        shifts = page.evaluate("window.__shifts")
    finally:
        context.close()
    assert shifts < 0.01


def opened(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "section[data-connector]:has(details.ip-cs-facts[open])", "els => els.map(e => e.dataset.connector)"
    )


@pytest.mark.slow
@pytest.mark.browser
def test_one_table_starts_open_and_links_open_the_one_they_point_at(page: Any, site_url: str) -> None:
    open_sheet(page, site_url)
    assert opened(page) == ["salesforce"]
    # A phone styles and lays out what is rendered: one connector's table, not ten.
    rendered = page.evaluate(
        "[...document.querySelectorAll('.ip-cs-sections *')].filter(e => e.checkVisibility()).length"
    )
    assert rendered < 250, rendered
    page.locator(".ip-cs-index").get_by_role("link", name="Shopify", exact=True).click()
    expect(page.locator("#shopify-pagination")).to_be_visible()
    page.evaluate("location.hash = '#zendesk-webhooks'")
    expect(page.locator("#zendesk-webhooks")).to_be_visible()
    assert opened(page) == ["salesforce", "zendesk", "shopify"]


@pytest.mark.slow
@pytest.mark.browser
def test_a_filtered_view_opens_the_tables_it_shows(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "?connector=stripe,hubspot")
    assert opened(page) == ["salesforce", "stripe", "hubspot"]
    expect(page.locator("#hubspot-auth")).to_be_visible()
    page.get_by_role("button", name="Show everything").click()
    assert opened(page) == ["salesforce", "stripe", "hubspot"]  # what the reader opened stays open


@pytest.mark.slow
@pytest.mark.browser
def test_printing_opens_every_table_and_gives_the_folds_back(page: Any, site_url: str) -> None:
    open_sheet(page, site_url)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert len(opened(page)) == 10
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert opened(page) == ["salesforce"]


@pytest.mark.slow
@pytest.mark.browser
def test_a_shared_row_link_is_never_hidden_by_a_filter(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "?connector=stripe&facet=pagination#netsuite-rate-limits")
    row = page.locator("#netsuite-rate-limits")
    assert row.is_visible()


@pytest.mark.slow
@pytest.mark.browser
def test_a_facet_link_unfolds_the_legend(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "#facet-delete-detection")
    assert page.locator("#facet-delete-detection").is_visible()


@pytest.mark.slow
@pytest.mark.browser
def test_copy_link_puts_the_anchor_url_on_the_clipboard(page: Any, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_sheet(page, site_url, "?facet=webhooks")
    # One button serves every row: it follows the row anchor that has the focus.
    assert page.locator(".ip-cs-copy").count() == 0
    page.locator("#zendesk-webhooks a.ip-cs-anchor").focus()
    button = page.get_by_role("button", name="Copy link to Zendesk: Webhooks and events")
    button.click()
    expect(button).to_have_text("Copied")  # the clipboard write is asynchronous
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{site_url}{PATH}#zendesk-webhooks"
    assert page.locator(".ip-cs-copy").count() == 1


@pytest.mark.slow
@pytest.mark.browser
def test_the_copy_button_sits_in_the_row_the_address_points_at(page: Any, site_url: str) -> None:
    open_sheet(page, site_url, "#stripe-pagination")
    expect(page.locator("#stripe-pagination .ip-cs-copy")).to_have_accessible_name(
        "Copy link to Stripe: Pagination"
    )
    page.evaluate("location.hash = '#hubspot-auth'")
    expect(page.locator("#hubspot-auth .ip-cs-copy")).to_be_visible()
    assert page.locator(".ip-cs-copy").count() == 1


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_print_layout_drops_the_chrome_and_fits_a_few_pages(page: Any, site_url: str, paper: str) -> None:
    open_sheet(page, site_url)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".ip-cs-controls", ".ip-cs-copy"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.locator("#shopify-gotchas .ip-cs-summary").is_visible()
    pdf = page.pdf(format=paper)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    print(f"cheat sheet printed on {pages} {paper} pages")
    assert 1 <= pages <= MAX_PRINTED_PAGES
