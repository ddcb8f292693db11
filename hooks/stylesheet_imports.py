"""MkDocs hook: write the site's stylesheets as ``@import`` rules, not ``<link>`` tags.

At start-up, Material's instant navigation re-assigns every relative ``href``
and ``src`` in the page to make it absolute. For a ``<link rel="stylesheet">``
that re-assignment makes the browser fetch the stylesheet again and restyle the
whole page once it arrives: on the matrix or an API page that one restyle cost
more main-thread time than anything else the theme does. A ``<style>`` element
holding ``@import url(...)`` has no ``href`` to re-assign; it loads and blocks
rendering exactly like the link it replaces, and it works without JavaScript.
"""

from __future__ import annotations

import re
from typing import Any

STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"<>()\\\s]+)">')


def as_imports(html: str) -> str:
    """Replace every plain stylesheet link in ``html`` with an ``@import`` rule.

    Args:
        html: A rendered page.

    Returns:
        The page with each ``<link rel="stylesheet" href="...">`` written as
        ``<style>@import url("...");</style>``. Links with other attributes
        (media, integrity...) are left as they are.
    """
    return STYLESHEET_LINK.sub(lambda match: f'<style>@import url("{match.group(1)}");</style>', html)


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Rewrite the stylesheet links of every Markdown page."""
    return as_imports(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Rewrite the stylesheet links of pages rendered from templates (404.html)."""
    return as_imports(output_content)
