"""The backoff visualiser in Chromium (plot, URL state, bad input, no-JS table), its size,
and search for the reliability pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_helpers import (
    follow_in_site,
    new_context,
    printed_pages,
    target_position,
    wait_for_widgets,
)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "backoff.js"
PATH = "reliability/retry-backoff/"


def test_widget_script_sets_no_html_and_evaluates_nothing() -> None:
    # Its size budget (gzipped, as served) is in test_script_budgets.py.
    source = SCRIPT.read_text(encoding="utf-8")
    assert "innerHTML" not in source and "eval(" not in source


def open_widget(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + PATH + query)
    wait_for_widgets(page)  # the widget starts when the reader scrolls near it
    page.locator(".ip-backoff .ip-backoff-figure svg").wait_for()


def table_rows(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#backoff-schedule tbody tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))",
    )


def peak(page: Any) -> tuple[int, int]:
    text = page.locator(".ip-backoff-summary").inner_text()
    match = re.search(r"holds (\d+) of (\d+) retries", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def drawn(page: Any, kind: str) -> int:
    """How many dots (``dots``) or histogram bars (``bars``) the plot draws: one subpath each."""
    selector = (
        ".ip-backoff-svg path.ip-backoff-bar"
        if kind == "bars"
        else (".ip-backoff-svg path.ip-backoff-first, .ip-backoff-svg path.ip-backoff-retry")
    )
    paths = page.locator(selector).evaluate_all("(paths) => paths.map((p) => p.getAttribute('d'))")
    return sum(d.count("M") for d in paths)


def current_url(page: Any) -> str:
    # Read the address from the document: page.url follows replaceState asynchronously.
    return page.evaluate("window.location.href")


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(current_url(page)).query)


@pytest.mark.slow
@pytest.mark.browser
def test_without_javascript_the_schedule_table_is_there(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PATH)
        rows = table_rows(page)
        # textContent: the table is below the fold, where content-visibility: auto
        # leaves it unrendered (and innerText empty) until a reader scrolls to it.
        caption = page.locator("#backoff-schedule caption").text_content().strip()
    finally:
        context.close()
    assert caption == "Wait before each retry: base 1 s, cap 30 s, 6 attempts"
    assert rows[0] == ["Retry 1 (attempt 2)", "1 s", "0–1 s", "0.5–1 s", "1–3 s", "1 s"]
    assert rows[-1] == ["Retry 5 (attempt 6)", "16 s", "0–16 s", "8–16 s", "1–30 s", "31 s"]


@pytest.mark.slow
@pytest.mark.browser
def test_script_reproduces_the_server_table_and_draws_the_plot(page: Any, site_url: str) -> None:
    open_widget(page, site_url)
    rows = table_rows(page)
    assert len(rows) == 5
    assert rows[0] == ["Retry 1 (attempt 2)", "1 s", "0–1 s", "0.5–1 s", "1–3 s", "1 s"]
    assert rows[-1] == ["Retry 5 (attempt 6)", "16 s", "0–16 s", "8–16 s", "1–30 s", "31 s"]
    # Defaults: full jitter, 50 clients x 6 attempts = 300 dots.
    assert drawn(page, "dots") == 300
    assert drawn(page, "bars") == 40
    # One path per client's retries, one for the first calls, one for the bars.
    assert page.locator(".ip-backoff-svg path").count() == 52
    assert page.locator("#backoff-strategy").input_value() == "full"
    assert peak(page)[1] == 250
    assert page.locator(".ip-backoff-notice").is_hidden()
    # The controls and the chart fill the page's empty box, ahead of the table.
    assert page.locator(".ip-backoff-live > .ip-backoff-form + .ip-backoff-notice").count() == 1
    assert page.locator(".ip-backoff-live > .ip-backoff-figure").count() == 1
    assert "Full jitter, 50 clients" in page.locator(".ip-backoff-svg title").text_content()


@pytest.mark.slow
@pytest.mark.browser
def test_jitter_spreads_the_load_that_no_jitter_piles_up(page: Any, site_url: str) -> None:
    open_widget(page, site_url, "?strategy=none&clients=200&attempts=5")
    none_peak, total = peak(page)
    assert total == 800
    assert none_peak == 200  # every client retries in the same instant
    page.locator("#backoff-strategy").select_option("full")
    full_peak, _ = peak(page)
    assert full_peak < none_peak * 0.75
    page.locator("#backoff-strategy").select_option("decorrelated")
    assert peak(page)[0] < none_peak


@pytest.mark.slow
@pytest.mark.browser
def test_changes_go_to_the_url_and_the_link_reproduces_them(page: Any, site_url: str) -> None:
    open_widget(page, site_url)
    page.locator("#backoff-strategy").select_option("equal")
    page.locator("#backoff-base").fill("0.5")
    page.locator("#backoff-cap").fill("8")
    page.locator("#backoff-attempts").fill("4")
    page.locator("#backoff-clients").fill("10")
    assert query_of(page) == {
        "strategy": ["equal"],
        "base": ["0.5"],
        "cap": ["8"],
        "attempts": ["4"],
        "clients": ["10"],
    }
    rows = table_rows(page)
    assert rows == [
        ["Retry 1 (attempt 2)", "0.5 s", "0–0.5 s", "0.25–0.5 s", "0.5–1.5 s", "0.5 s"],
        ["Retry 2 (attempt 3)", "1 s", "0–1 s", "0.5–1 s", "0.5–4.5 s", "1.5 s"],
        ["Retry 3 (attempt 4)", "2 s", "0–2 s", "1–2 s", "0.5–8 s", "3.5 s"],
    ]
    summary = page.locator(".ip-backoff-summary").inner_text()
    shared = current_url(page)
    page.goto("about:blank")
    page.goto(shared)
    wait_for_widgets(page)
    page.locator(".ip-backoff .ip-backoff-figure svg").wait_for()
    assert page.locator("#backoff-cap").input_value() == "8"
    assert page.locator(".ip-backoff-summary").inner_text() == summary  # same seed, same plot
    assert drawn(page, "dots") == 40


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_link_parameters_are_ignored_with_a_notice(page: Any, site_url: str) -> None:
    open_widget(
        page,
        site_url,
        "?strategy=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&base=-1&attempts=abc&clients=9999&seed=7",
    )
    notice = page.locator(".ip-backoff-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    for name in ("strategy", "base", "attempts", "clients"):
        assert name in text
    assert "seed" not in text
    assert page.locator(".ip-backoff img").count() == 0
    assert page.locator("#backoff-strategy").input_value() == "full"
    assert drawn(page, "dots") == 300


@pytest.mark.slow
@pytest.mark.browser
def test_cap_below_base_in_a_link_is_ignored(page: Any, site_url: str) -> None:
    open_widget(page, site_url, "?base=10&cap=2")
    assert "cap" in page.locator(".ip-backoff-notice").inner_text()
    assert page.locator("#backoff-base").input_value() == "10"
    assert page.locator("#backoff-cap").input_value() == "30"


@pytest.mark.slow
@pytest.mark.browser
def test_bad_form_input_shows_a_message_and_keeps_the_last_plot(page: Any, site_url: str) -> None:
    open_widget(page, site_url)
    before = current_url(page)
    page.locator("#backoff-attempts").fill("40")
    error = page.locator("#backoff-error")
    assert "attempts must be a whole number from 2 to 15" in error.inner_text()
    assert page.locator("#backoff-attempts").get_attribute("aria-invalid") == "true"
    assert current_url(page) == before
    assert len(table_rows(page)) == 5
    page.locator("#backoff-attempts").fill("6")
    page.locator("#backoff-cap").fill("0.5")  # below the 1 s base
    assert "cap must not be below base" in error.inner_text()
    page.locator("button", has_text="Reset").click()
    assert error.inner_text() == ""
    assert page.locator("#backoff-cap").input_value() == "30"


# Registered before the page's scripts: counts the table rows any script removes.
COUNT_REMOVED_ROWS = """
window.__removedRows = 0;
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.removedNodes) if (node.nodeName === "TR") window.__removedRows += 1;
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.slow
@pytest.mark.browser
def test_the_server_table_is_kept_until_its_settings_change(browser: Any, site_url: str) -> None:
    context = new_context(browser)
    try:
        context.add_init_script(COUNT_REMOVED_ROWS)
        page = context.new_page()
        open_widget(page, site_url)
        # Strategy, clients and seed redraw the plot only: the table does not show them.
        page.locator("#backoff-strategy").select_option("none")
        page.locator("#backoff-clients").fill("20")
        assert page.evaluate("window.__removedRows") == 0
        page.locator("#backoff-attempts").fill("4")
        assert page.evaluate("window.__removedRows") == 5
        assert len(table_rows(page)) == 3
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_the_plot_is_redrawn_at_the_figure_s_new_width(page: Any, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_widget(page, site_url)

    def widths() -> tuple[float, float]:
        return page.evaluate(
            "() => [document.querySelector('.ip-backoff-figure').clientWidth,"
            " Number(document.querySelector('.ip-backoff-svg').getAttribute('width'))]"
        )

    figure, drawing = widths()
    assert figure < 390 and drawing == max(300, round(figure))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(
        "() => Number(document.querySelector('.ip-backoff-svg').getAttribute('width')) > 400"
    )
    figure, drawing = widths()
    assert drawing == min(640, round(figure))


@pytest.mark.slow
@pytest.mark.browser
def test_far_down_the_page_the_widget_starts_when_the_reader_comes_near(browser: Any, site_url: str) -> None:
    context = new_context(browser, "phone")
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(site_url + PATH, wait_until="load")
        page.wait_for_timeout(500)
        widget = page.locator(".ip-backoff")
        # Opened at its top, the page shows the table and waits; the script is already here.
        assert widget.get_attribute("data-widget-waiting") == ""
        assert widget.get_attribute("data-widget-ready") is None
        assert page.locator(".ip-backoff-form, .ip-backoff-svg").count() == 0
        assert len(table_rows(page)) == 5
        assert any(url.endswith("/backoff.js") for url in fetched)
        widget.scroll_into_view_if_needed()
        page.locator(".ip-backoff-svg").wait_for()
        assert widget.get_attribute("data-widget-waiting") is None
        assert drawn(page, "dots") == 300
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_link_into_the_widget_starts_it_at_once_and_lands_below_the_header(
    browser: Any, site_url: str
) -> None:
    context = new_context(browser, "phone")
    try:
        page = context.new_page()
        page.goto(site_url + PATH + "?clients=20#backoff-schedule")
        page.locator(".ip-backoff-svg").wait_for()
        where = target_position(page, "backoff-schedule")
        assert drawn(page, "dots") == 120  # the link's 20 clients, 6 attempts each
    finally:
        context.close()
    assert where["header"] <= where["top"] <= where["header"] + 24, where


@pytest.mark.slow
@pytest.mark.browser
def test_a_page_printed_before_the_reader_scrolled_there_has_the_plot(browser: Any, site_url: str) -> None:
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(site_url + PATH, wait_until="load")
        assert page.locator(".ip-backoff[data-widget-waiting]").count() == 1
        unscrolled = page.pdf(format="A4")
        assert drawn(page, "dots") == 300
        page.goto(site_url + PATH, wait_until="load")
        open_widget(page, site_url)
        scrolled = page.pdf(format="A4")
    finally:
        context.close()
    # The plot adds a page: printed without it, the page came out one page shorter.
    assert printed_pages(unscrolled) == printed_pages(scrolled)


@pytest.mark.slow
@pytest.mark.browser
def test_after_in_site_navigation_the_widget_also_waits_for_the_reader(page: Any, site_url: str) -> None:
    page.goto(site_url + "reliability/", wait_until="load")
    follow_in_site(page, site_url + PATH)
    page.wait_for_url("**/" + PATH)
    widget = page.locator(".ip-backoff[data-widget-waiting]")
    widget.wait_for(state="attached")
    assert page.locator(".ip-backoff-svg").count() == 0
    widget.scroll_into_view_if_needed()
    page.locator(".ip-backoff-svg").wait_for()
    assert drawn(page, "dots") == 300


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("fragment", ["the-code", "failure-modes"])
def test_a_heading_below_the_widget_stays_put_when_the_widget_starts(
    browser: Any, site_url: str, fragment: str
) -> None:
    # Opened at its top the widget waits; a jump below it brings it within a screen,
    # and the controls and plot it adds above the heading must not push the heading down.
    context = new_context(browser, "phone")
    try:
        page = context.new_page()
        page.goto(site_url + PATH, wait_until="load")
        page.locator(".ip-backoff[data-widget-waiting]").wait_for(state="attached")
        page.evaluate("id => { location.hash = id; }", fragment)
        page.locator(".ip-backoff-svg").wait_for(state="attached")
        where = target_position(page, fragment)
    finally:
        context.close()
    assert where["header"] <= where["top"] <= where["header"] + 24, where
