"""Build the ``llms.txt`` sections from the site's navigation and page descriptions.

The ``mkdocs-llmstxt`` plugin writes ``llms.txt``, ``llms-full.txt`` and a
Markdown copy of each listed page. It takes its page list from its
``sections`` option; filling that option from the ``nav`` and from each
page's ``description`` front matter keeps one source for both, so a new page
in the nav appears in ``llms.txt`` with its one-line description.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HOME = "Start here"
"""Section for pages listed at the top level of the nav."""


def _pages(item: Any) -> list[str]:
    """Every Markdown page below one nav item, in nav order."""
    if isinstance(item, str):
        return [item] if item.endswith(".md") else []
    if isinstance(item, dict):
        pages: list[str] = []
        for value in item.values():
            pages += _pages(value)
        return pages
    if isinstance(item, list):
        pages = []
        for inner in item:
            pages += _pages(inner)
        return pages
    return []


def nav_sections(nav: list[Any], describe: Callable[[str], str]) -> dict[str, list[dict[str, str]]]:
    """Group the nav's pages by top-level section, each with its description.

    Args:
        nav: The ``nav`` list from ``mkdocs.yml``.
        describe: Returns a page's one-line description from its path.

    Returns:
        Section title to ``[{page: description}, ...]``, the shape of the
        plugin's ``sections`` option. Top-level pages go under :data:`HOME`.
    """
    sections: dict[str, list[dict[str, str]]] = {}
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            title, value = next(iter(item.items()))
            name = HOME if isinstance(value, str) else str(title)
        else:
            name = HOME
        for page in _pages(item):
            sections.setdefault(name, []).append({page: " ".join(describe(page).split())})
    return sections
