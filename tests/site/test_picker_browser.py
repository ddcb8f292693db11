"""The pattern picker in Chromium: URL state, hostile parameters, no-JS checklist, a11y."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_helpers import WIDGET, axe_serious_violations

PATH = "patterns/pattern-picker/"


def open_picker(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + PATH + query)
    page.locator(".ip-picker-result[data-pattern]").wait_for()


def result(page: Any) -> tuple[str, str]:
    box = page.locator(".ip-picker-result")
    return box.get_attribute("data-pattern"), box.get_attribute("data-build")


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.evaluate("window.location.href")).query)


@pytest.mark.slow
@pytest.mark.browser
def test_without_javascript_questions_and_decision_table_are_readable(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PATH)
        legends = page.locator(".ip-picker-form legend").all_text_contents()
        rows = page.locator("#picker-decision-table tbody tr").count()
        note = page.locator(".ip-picker-result").text_content()
    finally:
        context.close()
    assert len(legends) == 9 and legends[0].startswith("1. Does the caller wait")
    assert rows == 9
    assert "decision tables" in note


@pytest.mark.slow
@pytest.mark.browser
def test_answers_go_to_the_url_and_a_link_reproduces_the_recommendation(page: Any, site_url: str) -> None:
    open_picker(page, site_url)
    assert result(page) == ("dlt-pipelines", "dlt")
    page.locator("#picker-source-own_db").check()
    page.locator("#picker-freshness-seconds").check()
    page.locator("#picker-skills-other_code").check()
    assert result(page) == ("cdc", "custom")
    text = page.locator(".ip-picker-result").inner_text()
    assert "Runner-up" in text and "slot" in text
    query = query_of(page)
    assert query["source"] == ["own_db"] and query["freshness"] == ["seconds"]
    link = page.evaluate("window.location.href")
    page.goto("about:blank")
    page.goto(link)
    page.locator(".ip-picker-result[data-pattern]").wait_for()
    assert result(page) == ("cdc", "custom")
    assert page.locator("#picker-source-own_db").is_checked()
    # The result region is announced to screen readers and links onwards.
    assert page.locator(".ip-picker-result").get_attribute("aria-live") == "polite"
    hrefs = page.eval_on_selector_all(".ip-picker-links a", "els => els.map(e => e.getAttribute('href'))")
    assert "../../tco/calculator/" in hrefs


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_and_unknown_values_are_ignored_with_a_note(page: Any, site_url: str) -> None:
    hostile = "%3Cimg%20src%3Dx%20onerror%3Dwindow.pwned%3D1%3E"
    open_picker(page, site_url, f"?source={hostile}&waits=yes&bogus={hostile}&{hostile}=1")
    notice = page.locator(".ip-picker-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert "Where does the data live" in text and "does not know" in text
    assert "<img" not in text and "onerror" not in text
    assert page.locator(".ip-picker img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.locator("#picker-source-saas_api").is_checked()  # the default
    assert result(page)[0] == "request-reply"  # the valid answer was kept


@pytest.mark.slow
@pytest.mark.browser
def test_material_search_highlight_is_not_reported(page: Any, site_url: str) -> None:
    open_picker(page, site_url, "?h=picker&direction=out")
    assert page.locator(".ip-picker-notice").is_hidden()
    assert result(page)[0] == "reverse-etl"


@pytest.mark.slow
@pytest.mark.browser
def test_keyboard_use_and_no_serious_accessibility_violations(page: Any, site_url: str) -> None:
    open_picker(page, site_url)
    page.locator("#picker-waits-no").focus()
    page.keyboard.press("ArrowDown")  # radio groups move with the arrow keys
    assert page.locator("#picker-waits-yes").is_checked()
    assert result(page)[0] == "request-reply"
    assert axe_serious_violations(page, within=WIDGET) == []
