"""Page-specific stylesheets load only where needed, also after instant navigation."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from hooks import page_styles

ROOT = Path(__file__).resolve().parents[2]

HEAD = '<head><link rel="stylesheet" href="../../assets/_mkdocstrings.css"></head>'
BODY = '<body><article class="md-content__inner md-typeset"><h1>T</h1>{}</article></body>'
CONFIG = {"docs_dir": str(ROOT / "docs")}


def fake_page(url: str = "reference/glossary/", **meta) -> SimpleNamespace:
    return SimpleNamespace(url=url, meta=meta, file=SimpleNamespace(src_path="reference/glossary.md"))


def test_api_stylesheet_is_dropped_from_pages_without_api_docs() -> None:
    html = page_styles.on_post_page(HEAD + BODY.format("<p>text</p>"), fake_page(), CONFIG)
    assert "_mkdocstrings.css" not in html


def test_api_stylesheet_moves_into_api_pages() -> None:
    html = page_styles.on_post_page(HEAD + BODY.format('<div class="doc doc-object">'), fake_page(), CONFIG)
    link = '<link rel="stylesheet" href="../../assets/_mkdocstrings.css">'
    assert '<article class="md-content__inner md-typeset">' + link in html
    assert html.count("_mkdocstrings.css") == 1


def test_declared_styles_are_linked_relative_to_the_page() -> None:
    html = page_styles.on_post_page(BODY.format(""), fake_page(url="", styles=["site"]), CONFIG)
    assert '<link rel="stylesheet" href="assets/stylesheets/site.css">' in html


@pytest.mark.parametrize("styles", [["no-such-sheet"], ["../site"], "site", [3]])
def test_bad_style_declarations_fail_the_build(styles) -> None:
    with pytest.raises(PluginError, match="reference/glossary.md: "):
        page_styles.on_post_page(BODY.format(""), fake_page(styles=styles), CONFIG)


@pytest.mark.slow
@pytest.mark.browser
def test_instant_navigation_brings_the_page_stylesheet(page, site_url: str) -> None:
    page.goto(site_url + "reference/glossary/", wait_until="networkidle")
    # Stylesheets are @import rules inside <style> elements (hooks/stylesheet_imports.py).
    loaded = (
        "[...document.styleSheets].flatMap(s => [s.href || '',"
        " ...[...s.cssRules].filter(r => r.styleSheet).map(r => r.styleSheet.href)])"
        ".filter(h => h.includes('_mkdocstrings'))"
    )
    assert page.evaluate(loaded) == []
    page.evaluate("window.__sameDocument = true")
    page.locator('.md-sidebar--primary a[href$="api/macros/"]').first.click()
    page.wait_for_url("**/reference/api/macros/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__sameDocument") is True, "instant navigation did not take over"
    page.wait_for_function(f"{loaded}.length === 1", timeout=10000)
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.doc')).getPropertyValue('--doc-symbol-function-fg-color')"
    )
    assert colour.strip(), "mkdocstrings styles are not applied"
