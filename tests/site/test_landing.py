"""Links land: the target is fully visible below the sticky header.

Heading anchors and glossary terms, on a desktop and a 390 px phone, on a fresh
load, on a hash change and after in-site navigation (the theme's instant
navigation); and Back/Forward never show an anchor of another page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_helpers import assert_landed

pytestmark = [pytest.mark.slow, pytest.mark.browser]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

HEADING_PAGE = "reliability/retry-backoff/"
HEADINGS = ("see-the-schedule", "the-code")
GLOSSARY_PAGE = "reference/glossary/"
TERMS = ("term-cdc", "term-idempotency-key")


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, page: Any) -> Iterator[Any]:
    page.set_viewport_size(VIEWPORTS[request.param])
    yield page


def ids_on(page: Any) -> set[str]:
    return set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))


@pytest.mark.parametrize(("path", "fragments"), [(HEADING_PAGE, HEADINGS), (GLOSSARY_PAGE, TERMS)])
def test_a_fresh_load_lands_on_the_target(sized_page: Any, site_url: str, path: str, fragments) -> None:
    for fragment in fragments:
        sized_page.goto(f"{site_url}{path}#{fragment}")
        assert_landed(sized_page, fragment)


@pytest.mark.parametrize(("path", "fragments"), [(HEADING_PAGE, HEADINGS), (GLOSSARY_PAGE, TERMS)])
def test_a_hash_change_lands_on_the_target(sized_page: Any, site_url: str, path: str, fragments) -> None:
    sized_page.goto(site_url + path)
    for fragment in reversed(fragments):
        sized_page.evaluate("id => { location.hash = id; }", fragment)
        assert_landed(sized_page, fragment)


def test_in_site_navigation_lands_on_the_target(sized_page: Any, site_url: str) -> None:
    sized_page.goto(site_url + "connectors/salesforce/")
    sized_page.evaluate("window.__sameDocument = true")
    sized_page.locator('article a[href$="connectors/#what-every-guides-code-shares"]').first.click()
    sized_page.wait_for_url("**/connectors/#what-every-guides-code-shares")
    assert sized_page.evaluate("window.__sameDocument") is True, "instant navigation did not take over"
    assert_landed(sized_page, "what-every-guides-code-shares")


def test_back_and_forward_never_show_another_pages_anchor(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}{HEADING_PAGE}#see-the-schedule")
    assert_landed(page, "see-the-schedule")
    page.mouse.wheel(0, 1200)
    page.wait_for_timeout(400)
    page.evaluate("window.__sameDocument = true")
    page.locator('.md-sidebar--primary a[href$="circuit-breaker/"]').first.click()
    page.wait_for_url("**/reliability/circuit-breaker/**")
    page.wait_for_timeout(400)
    for step in (page.go_back, page.go_forward, page.go_back):
        step()
        page.wait_for_timeout(500)
        fragment = page.url.partition("#")[2]
        if fragment:
            assert fragment in ids_on(page), f"{page.url} carries an anchor this page does not have"
    assert page.evaluate("window.__sameDocument") is True
