"""MkDocs hook: small accessibility fixes to the theme's markup.

Material's search overlay has ``role="dialog"`` but no accessible name, which
axe-core and Lighthouse report (``aria-dialog-name``). The hook names it.
"""

from __future__ import annotations

from typing import Any

SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
NAMED_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search"'


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Give the search dialog an accessible name on every page."""
    return output.replace(SEARCH_DIALOG, NAMED_SEARCH_DIALOG + ">", 1)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    """Apply the same fix to pages rendered from static templates (404.html)."""
    return output_content.replace(SEARCH_DIALOG, NAMED_SEARCH_DIALOG + ">", 1)
