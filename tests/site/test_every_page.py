"""Every page, one test each: it loads from 127.0.0.1 alone and axe-core finds nothing serious in it.

The list of pages comes from ``docs/`` (one page per Markdown file, plus
``404.html``), so each page is its own test without building the site first;
``test_the_page_list_matches_the_build`` keeps the list honest. Each page is
loaded once for both checks: the ``page`` fixture records every request to
another host (and aborts it), and axe-core runs on the loaded page once its widgets have started. Widget
tests audit other states of a widget (compare views, dark mode); its first state
is audited here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_helpers import axe_serious_violations, wait_for_widgets

DOCS = Path(__file__).resolve().parents[2] / "docs"


def page_path(source: Path) -> str:
    """Site-relative address of the page built from ``source`` (directory URLs)."""
    relative = source.relative_to(DOCS).with_suffix("")
    if relative.name == "index":
        relative = relative.parent
    return "" if relative == Path(".") else relative.as_posix() + "/"


PAGES = [*sorted(page_path(source) for source in DOCS.rglob("*.md")), "404.html"]
CHROME_AUDITED = {"", "404.html", *(p for p in PAGES if p.count("/") == 1)}
"""Pages audited whole: home, 404 and each section's first page (its navigation
expanded). On the others axe audits the page's content: the header, navigation
and footer come from the same template. The token spans of code blocks are left
out everywhere: their colours come from the token class alone, and
test_code_contrast_browser.py audits every class the site uses, light and dark."""
CONTENT = ".md-content"


def built_pages(site_dir: Path) -> set[str]:
    """Addresses of the built pages, leaving out redirect stubs."""
    found = {"404.html"} if (site_dir / "404.html").exists() else set()
    for index in site_dir.rglob("index.html"):
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8")[:2000]:
            continue
        folder = index.parent.relative_to(site_dir)
        found.add("" if folder == Path(".") else folder.as_posix() + "/")
    return found


def test_page_path_follows_directory_urls() -> None:
    assert page_path(DOCS / "index.md") == ""
    assert page_path(DOCS / "cdc/index.md") == "cdc/"
    assert page_path(DOCS / "cdc/debezium.md") == "cdc/debezium/"


def test_the_page_list_matches_the_build(site_dir: Path) -> None:
    assert set(PAGES) == built_pages(site_dir)


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.rstrip("/") or "home")
def test_page_loads_locally_and_has_no_serious_accessibility_violations(
    page, site_url: str, third_party_requests: list[str], path: str
) -> None:
    # "load", not "networkidle" (half a second of silence per page): the page
    # fixture's guard sees a request to another host whenever it is made, up to
    # the end of the test (after the audit), and test_airgap.py scans every built
    # page, stylesheet and script for other hosts.
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    wait_for_widgets(page)  # the audit sees the widgets as a reader does
    assert third_party_requests == [], f"{path}: requests to other hosts"
    within = None if path in CHROME_AUDITED else CONTENT
    assert axe_serious_violations(page, within=within, skip_code_tokens=True) == []
