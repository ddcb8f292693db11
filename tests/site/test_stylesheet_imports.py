"""Stylesheets are written as @import rules, and the theme's scripts start after the first paint."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from hooks import stylesheet_imports


def test_stylesheet_links_become_imports() -> None:
    html = '<head><link rel="stylesheet" href="../assets/stylesheets/site.css"></head>'
    assert stylesheet_imports.as_imports(html) == (
        '<head><style>@import url("../assets/stylesheets/site.css");</style></head>'
    )


def test_other_links_are_left_alone() -> None:
    html = (
        '<link rel="icon" href="assets/favicon.svg">'
        '<link rel="stylesheet" href="print.css" media="print">'
        '<link rel="stylesheet" href="x.css) ; @import url(evil.css">'
    )
    assert stylesheet_imports.as_imports(html) == html


def test_template_pages_are_rewritten_too() -> None:
    html = '<link rel="stylesheet" href="/assets/a.css">'
    expected = '<style>@import url("/assets/a.css");</style>'
    assert stylesheet_imports.on_post_template(html, "404.html", {}) == expected


def test_built_pages_link_no_stylesheet_and_run_no_script_early(site_dir: Path) -> None:
    pages = (
        "index.html",
        "404.html",
        "ipaas/comparison-matrix/index.html",
        "reference/api/macros/index.html",
    )
    for name in pages:
        html = (site_dir / name).read_text(encoding="utf-8")
        assert '<link rel="stylesheet"' not in html, name
        assert "@import url(" in html, name
        # The theme's bundle and extra_javascript wait as preload hints (overrides/main.html).
        assert "<script src=" not in html, name
        hints = re.findall(r'<link rel="preload" as="script" data-after-paint href="([^"]+)">', html)
        assert len(hints) == 2 and "bundle." in hints[0] and hints[1].endswith("widgets.js"), name


# Records when the theme's bundle is added to the page, to compare with the first paint.
WATCH_BUNDLE = """
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.tagName === "SCRIPT" && /bundle\\.[0-9a-f]+\\.min\\.js$/.test(node.src || "")) {
      window.__bundleAddedAt = window.__bundleAddedAt || performance.now();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "ipaas/comparison-matrix/", "reference/api/macros-schemas/"])
def test_theme_starts_after_first_paint_and_loads_each_file_once(page, site_url: str, path: str) -> None:
    requests: Counter[str] = Counter()
    page.on("request", lambda request: requests.update([request.url]))
    page.add_init_script(WATCH_BUNDLE)
    page.goto(site_url + path, wait_until="load")
    # The theme is running: its instant navigation has made links absolute.
    page.wait_for_function(
        "document.querySelector('.md-header__button.md-logo').getAttribute('href').startsWith('http')"
    )
    page.wait_for_load_state("networkidle")
    paint = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    added = page.evaluate("window.__bundleAddedAt")
    assert added is not None and paint < added
    assert page.evaluate("document.querySelectorAll('link[data-after-paint][href]').length") == 0
    assets = {url: n for url, n in requests.items() if "/assets/" in url}
    assert any(url.endswith(".css") for url in assets) and any("bundle." in url for url in assets)
    assert all(n == 1 for n in assets.values()), {u: n for u, n in assets.items() if n > 1}
