"""Dark mode and readability of the widget pages: axe finds no serious or
critical violation in the theme's dark (slate) scheme, and the retry plot's
markers and axis text are large enough on a desktop and a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_helpers import axe_serious_violations, new_context, use_dark_scheme, wait_for_widgets

pytestmark = [pytest.mark.slow, pytest.mark.browser]

RETRY = "reliability/retry-backoff/"


@pytest.fixture
def dark_page(browser: Any) -> Iterator[Any]:
    context = new_context(browser, "desktop", dark=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        pytest.param("ipaas/comparison-matrix/?compare=workato,boomi", ".ip-mx-controls", id="matrix"),
        pytest.param("tco/calculator/", "form.tco-form fieldset.tco-live:not([disabled])", id="calculator"),
        pytest.param(
            "connectors/cheat-sheet/?view=compare&facet=auth", ".ip-cs-compare-table", id="cheat-sheet"
        ),
        pytest.param(RETRY, ".ip-backoff-svg", id="retry-visualiser"),
        pytest.param("reference/glossary/", "#term-tombstone", id="glossary"),
    ],
)
def test_no_serious_violations_in_dark_mode(dark_page: Any, site_url: str, path: str, ready: str) -> None:
    dark_page.goto(site_url + path)
    wait_for_widgets(dark_page)
    dark_page.locator(ready).first.wait_for()
    use_dark_scheme(dark_page)
    assert dark_page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert axe_serious_violations(dark_page, within=".md-content") == []


@pytest.mark.parametrize(("screen", "smallest"), [("desktop", 11), ("phone", 12)])
def test_retry_plot_text_and_markers_are_readable(
    browser: Any, site_url: str, screen: str, smallest: int
) -> None:
    context = new_context(browser, screen)
    try:
        page = context.new_page()
        page.goto(site_url + RETRY)
        wait_for_widgets(page)
        page.locator(".ip-backoff-svg").wait_for()
        sizes = page.evaluate(
            """() => {
                const svg = document.querySelector(".ip-backoff-svg");
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                const texts = Array.from(svg.querySelectorAll("text"))
                    .map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
                // Each dot is a subpath of two arcs: "a<r>,<r> ...".
                const dots = Array.from(svg.querySelectorAll("path.ip-backoff-first, path.ip-backoff-retry"))
                    .flatMap((p) => [...p.getAttribute("d").matchAll(/a([\\d.]+),/g)])
                    .map((m) => parseFloat(m[1]) * scale);
                const page = document.documentElement;
                return {text: Math.min(...texts), dot: Math.min(...dots),
                        overflow: page.scrollWidth - page.clientWidth};
            }"""
        )
    finally:
        context.close()
    print(f"{screen}: smallest text {sizes['text']:.1f} px, smallest marker radius {sizes['dot']:.1f} px")
    assert sizes["text"] >= smallest
    assert sizes["dot"] >= 2.5
    assert sizes["overflow"] <= 0
