"""Search finds the right pages; axe-core finds no serious violation in dark mode.

Every page's own axe check, in the default scheme, is in test_every_page.py.
"""

from __future__ import annotations

import pytest

from tests.browser_helpers import axe_serious_violations, search_results

pytestmark = [pytest.mark.slow, pytest.mark.browser]

QUERIES = {
    "decision matrix": "patterns/choose-a-pattern/",
    "glossary": "reference/glossary/",
    "data downloads": "reference/data/",
    "choose_pattern": "patterns/choose-a-pattern/",
    "named section": "contributing/",
}


@pytest.mark.parametrize(("query", "expected"), QUERIES.items())
def test_search_shows_the_expected_page_near_the_top(page, site_url: str, query: str, expected: str) -> None:
    results = search_results(page, site_url, query)
    top = [r.split("#")[0] for r in results[:5]]
    assert expected in top, f"{query!r}: expected {expected} in the top 5, got {top}"


def test_no_serious_violations_in_dark_mode(page, site_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + "patterns/choose-a-pattern/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert axe_serious_violations(page) == []
