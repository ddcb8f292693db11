"""Markdown tables sit in a box of their own, so the theme's table wrapper restyles only it."""

from __future__ import annotations

from pathlib import Path

import pytest

from hooks import table_wrappers


def test_plain_tables_are_wrapped() -> None:
    html = "<p>a</p><table><tr><td>1</td></tr></table><table>\n<tr><td>2</td></tr>\n</table>"
    assert table_wrappers.wrap_tables(html) == (
        '<p>a</p><div class="ip-md-table"><table><tr><td>1</td></tr></table></div>'
        '<div class="ip-md-table"><table>\n<tr><td>2</td></tr>\n</table></div>'
    )


def test_tables_with_attributes_are_left_alone() -> None:
    html = '<table class="ip-table"><tr><td>1</td></tr></table>'
    assert table_wrappers.wrap_tables(html) == html


def test_built_pages_have_no_table_directly_in_the_content(site_dir: Path) -> None:
    html = (site_dir / "reliability/retry-backoff/index.html").read_text(encoding="utf-8")
    assert html.count('<div class="ip-md-table"><table>') == html.count("<table>") >= 1


@pytest.mark.slow
@pytest.mark.browser
def test_theme_still_gives_markdown_tables_their_scroll_wrapper(page, site_url: str) -> None:
    page.goto(site_url + "reliability/retry-backoff/")
    wrapped = ".ip-md-table > .md-typeset__scrollwrap > .md-typeset__table > table"
    page.wait_for_selector(wrapped, state="attached")
    assert page.locator(wrapped).count() == page.locator(".md-content table:not([class])").count()
