"""MkDocs hook: put every Markdown table in a box of its own.

When the theme starts, it moves each plain ``<table>`` into a scrolling wrapper.
The theme's stylesheet has a sibling rule (``table:not([class]) + *``), so moving a
table that sits directly in the page content makes the browser restyle the whole
content. Inside a ``<div class="ip-md-table">`` the move restyles only that box.
"""

from __future__ import annotations

import re
from typing import Any

PLAIN_TABLE = re.compile(r"<table>(.*?)</table>", re.S)


def wrap_tables(html: str) -> str:
    """Wrap each attribute-less ``<table>`` of a rendered Markdown page in a ``div``.

    Args:
        html: The HTML that Markdown produced for one page.

    Returns:
        The same HTML with ``<div class="ip-md-table">`` around every plain table.
        Tables with attributes (rendered by macros) are left as they are.
    """
    return PLAIN_TABLE.sub(lambda m: f'<div class="ip-md-table"><table>{m.group(1)}</table></div>', html)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Wrap the Markdown tables of every page."""
    return wrap_tables(html)
