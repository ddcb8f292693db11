"""The navigation drawer on phones: not rendered while closed, complete when opened.

The theme shows the site's navigation in a drawer below 76.25 em. While the
drawer is closed, site.css keeps its entries out of rendering
(content-visibility), except the path to the current page and its table of
contents, so a phone's first paint and start-up restyles skip them. A reader
must not see any difference: the drawer opens with its whole list and keeps it
while it slides away; a closed drawer takes no keyboard focus; desktop is
unchanged.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import new_context, wait_for_widgets

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "connectors/salesforce/"
NAV = ".md-sidebar--primary"
SLIDE_MS = 250
"""The theme's drawer transition (0.25 s)."""


def nav_link(page: Any, name: str) -> Any:
    """A link of the drawer by its text (a closed drawer's links have no accessible role)."""
    return page.locator(f"{NAV} a.md-nav__link", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))


def rendered(locator: Any) -> bool:
    return locator.evaluate("e => e.checkVisibility()")


def test_the_closed_drawer_is_not_rendered_and_opens_complete(browser: Any, site_url: str) -> None:
    context = new_context(browser, "phone")
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.goto(site_url + PAGE)
        wait_for_widgets(page)
        # Scrolling moves the current heading's entry in the drawer's table of
        # contents (the theme's toc.follow): the theme reads only entries that are
        # rendered. Reading a hidden one would render it anyway, and Chromium says
        # so in the console. (Probing the drawer below does the same, so this is
        # checked first.)
        for _ in range(12):
            page.mouse.wheel(0, 700)
            page.wait_for_timeout(60)
        page.wait_for_timeout(300)
        assert not console, console

        # Site entries (not the table of contents): only the path to this page is rendered.
        counts = page.locator(f"{NAV} a.md-nav__link").evaluate_all(
            "links => links.filter(a => !a.closest('.md-nav--secondary'))"
            ".map(a => a.checkVisibility() ? 1 : 0).reduce((n, v) => [n[0] + v, n[1] + 1], [0, 0])"
        )
        assert counts[1] > 20 and counts[0] <= 2, counts
        netsuite = nav_link(page, "NetSuite")
        assert not rendered(netsuite)
        toc = page.locator(f"{NAV} .md-nav--secondary a.md-nav__link").first
        assert rendered(toc)

        page.locator("label.md-header__button[for='__drawer']").click()
        expect(netsuite).to_be_visible()
        page.wait_for_timeout(SLIDE_MS + 100)  # slid in
        box = netsuite.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        expect(nav_link(page, "Cheat sheet")).to_be_visible()

        page.locator(".md-overlay").click(position={"x": 380, "y": 400})
        page.wait_for_timeout(SLIDE_MS // 3)
        assert rendered(netsuite), "the list vanished while the drawer was still sliding away"
        page.wait_for_timeout(SLIDE_MS + 200)
        assert not rendered(netsuite)
    finally:
        context.close()


def test_a_closed_drawer_keeps_the_keyboard_out(browser: Any, site_url: str) -> None:
    context = new_context(browser, "phone")
    try:
        page = context.new_page()
        page.goto(site_url + PAGE)
        nav_link(page, "NetSuite").focus()
        assert page.evaluate(f"!document.querySelector('{NAV}').contains(document.activeElement)")
    finally:
        context.close()


def test_desktop_navigation_is_rendered_as_before(browser: Any, site_url: str) -> None:
    context = new_context(browser, "desktop")
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(site_url + PAGE)
        expect(nav_link(page, "NetSuite")).to_be_visible()
    finally:
        context.close()
