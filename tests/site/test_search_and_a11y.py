"""Search finds the right pages, and axe-core finds no serious violations."""

from __future__ import annotations

from pathlib import Path

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


def all_pages(site_dir: Path) -> list[str]:
    return sorted(
        "" if p.parent == site_dir else str(p.parent.relative_to(site_dir)) + "/"
        for p in site_dir.rglob("index.html")
    )


def test_no_serious_accessibility_violations_on_any_page(page, site_dir: Path, site_url: str) -> None:
    failures = {}
    for path in [*all_pages(site_dir), "404.html"]:
        page.goto(site_url + path, wait_until="networkidle")
        found = axe_serious_violations(page)
        if found:
            failures[path or "/"] = found
    assert not failures, failures


def test_no_serious_violations_in_dark_mode(page, site_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + "patterns/choose-a-pattern/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert axe_serious_violations(page) == []
