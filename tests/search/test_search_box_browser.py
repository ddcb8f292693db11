"""The search box works on every page type, also after in-site navigation.

Material's instant navigation swaps the page without reloading it; the search
box, its keyboard shortcuts, section deep links and the highlight on the
target page must keep working on the page reached that way.
"""

from __future__ import annotations

import pytest

from tests.search.search_box import open_search, search_groups

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Page type -> a page of that type reached by clicking through the site.
PAGE_TYPES = {
    "section index": "connectors/",
    "guide": "reliability/retry-backoff/",
    "connector": "connectors/salesforce/",
    "data table": "ipaas/comparison-matrix/",
    "glossary": "reference/glossary/",
    "API reference": "reference/api/macros/",
    "calculator": "tco/calculator/",
}


def navigate_in_site(page, site_url: str, path: str) -> None:
    """From the home page, follow an in-site link to ``path`` without a reload."""
    page.goto(site_url, wait_until="networkidle")
    # Instant navigation takes over links once the theme has read the sitemap.
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('sitemap.xml'))"
    )
    page.wait_for_timeout(200)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.evaluate(
        """(path) => {
          const link = document.createElement("a");
          link.href = path;
          link.textContent = "go";
          document.querySelector("article").append(link);
          link.click();
        }""",
        path,
    )
    page.wait_for_url(site_url + path)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_search_after_in_site_navigation(page, site_url: str, path: str) -> None:
    navigate_in_site(page, site_url, path)
    assert page.evaluate("() => window.__sameDocument === true"), "the link reloaded the page"
    open_search(page)
    groups, _ = search_groups(page, site_url, "nextRecordsUrl")
    assert groups[0].page == "connectors/salesforce/"
    assert "pagination" in groups[0].anchors


def test_s_shortcut_deep_link_and_highlight(page, site_url: str) -> None:
    page.goto(site_url + "events/kafka/", wait_until="networkidle")
    open_search(page, "s")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    groups, _ = search_groups(page, site_url, "sysparm_offset")
    assert groups[0].page == "connectors/servicenow/"
    link = page.locator('.md-search-result__item a.md-search-result__link[href*="#pagination"]').first
    link.click()
    page.wait_for_url("**/connectors/servicenow/**#pagination")
    marks = page.locator("article mark[data-md-highlight]")
    marks.first.wait_for(timeout=5000)
    assert "sysparm" in marks.first.inner_text().lower()


def test_no_index_is_fetched_before_the_first_query(cold_page, site_url: str) -> None:
    page = cold_page
    fetched: list[str] = []
    page.context.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(site_url + "connectors/", wait_until="networkidle")
    assert not [u for u in fetched if "/pagefind/" in u], fetched
    open_search(page)
    search_groups(page, site_url, "Retry-After")
    assert [u for u in fetched if "/pagefind/" in u and u.endswith(".pf_fragment")]


def test_a_table_row_is_a_result_of_its_own(page, site_url: str) -> None:
    page.goto(site_url, wait_until="networkidle")
    open_search(page)
    groups, _ = search_groups(page, site_url, "monthly active rows")
    assert any(g.page == "reference/glossary/" and "term-mar" in g.anchors for g in groups[:3]), groups
    link = page.locator('.md-search-result__item a[href*="reference/glossary/"][href$="#term-mar"]').first
    assert "MAR" in link.inner_text()


def test_a_typo_finds_the_page_it_misspells(cold_page, site_url: str) -> None:
    page = cold_page
    page.goto(site_url, wait_until="networkidle")
    open_search(page, "s")
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    # A query without typos never fetches the spelling list...
    # One search per query (only the last key typed): typed key by key on a fresh
    # page, the settle check could read the list before the first answer came.
    groups, _ = search_groups(page, site_url, "idempotency", every_key=False)
    assert groups[0].page == "reliability/idempotency/"
    assert not [u for u in fetched if u.endswith("search/spelling.json")]
    # ...a misspelt word does, and is searched as the word it misspells.
    groups, _ = search_groups(page, site_url, "idempotncy", every_key=False)
    assert groups[0].page == "reliability/idempotency/"
    assert [u for u in fetched if u.endswith("search/spelling.json")]
