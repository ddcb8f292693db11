"""Helpers for browser tests: Material search and axe-core checks."""

from __future__ import annotations

from typing import Any

SERIOUS = {"serious", "critical"}


def search_results(page: Any, site_url: str, query: str, timeout_ms: int = 15000) -> list[str]:
    """Type ``query`` in Material's search box and return the result links in order.

    Material's search reacts to key events, so the query is typed key by key.

    Args:
        page: A Playwright page.
        site_url: Base URL of the served site (ending with ``/``).
        query: What a reader types.
        timeout_ms: How long to wait for the first result.

    Returns:
        Result URLs relative to the site root, without the highlight query
        (``connectors/salesforce/#rate-limits``).
    """
    if not page.url.startswith(site_url):
        page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.wait_for(state="attached")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=timeout_ms)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)"
    )
    results = []
    for href in hrefs:
        path, _, fragment = href.removeprefix(site_url).partition("#")
        path = path.split("?", 1)[0]  # drop Material's ?h= highlight parameter
        results.append(f"{path}#{fragment}" if fragment else path)
    return results


def axe_serious_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the current page; return violations of serious or critical impact.

    Args:
        page: A Playwright page, already loaded.

    Returns:
        The violations (id, impact, help, and the first offending nodes).
    """
    from axe_playwright_python.sync_playwright import Axe

    # Long tables and API entries use `content-visibility: auto`: off-screen they
    # are not painted, and axe cannot read colours it cannot see. Render them as
    # a reader scrolling the page would, then audit.
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    results = Axe().run(page)
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in SERIOUS:
            found.append(
                {
                    "id": violation["id"],
                    "impact": violation["impact"],
                    "help": violation["help"],
                    "nodes": [n.get("target") for n in violation.get("nodes", [])[:5]],
                }
            )
    return found


def target_position(page: Any, fragment: str, timeout_ms: int = 10000) -> dict[str, float]:
    """Wait until the page has scrolled to ``#fragment`` and settled; return where it is.

    Args:
        page: A Playwright page.
        fragment: The anchor's id, without ``#``.
        timeout_ms: How long to wait for the scroll position to stop changing.

    Returns:
        The target's ``top`` and ``bottom`` in the viewport, the sticky header's
        ``header`` bottom edge and the viewport ``height``.
    """
    page.wait_for_function(
        """([id]) => {
            const el = document.getElementById(id);
            if (!el) return false;
            const now = Math.round(el.getBoundingClientRect().top) + ":" + Math.round(scrollY);
            const same = window.__ipLastPosition === now;
            window.__ipLastPosition = now;
            return same;
        }""",
        arg=[fragment],
        polling=150,
        timeout=timeout_ms,
    )
    return page.evaluate(
        """([id]) => {
            const box = document.getElementById(id).getBoundingClientRect();
            const header = document.querySelector(".md-header").getBoundingClientRect();
            return {top: box.top, bottom: box.bottom, header: header.bottom, height: innerHeight};
        }""",
        [fragment],
    )


def assert_landed(page: Any, fragment: str) -> None:
    """Assert ``#fragment`` is fully visible below the sticky header."""
    where = target_position(page, fragment)
    assert where["top"] >= where["header"] - 1, f"#{fragment} is under the header: {where}"
    assert where["bottom"] <= where["height"] + 1, f"#{fragment} is below the screen: {where}"
