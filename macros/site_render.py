"""Render site-wide pages: the list of dataset downloads."""

from __future__ import annotations

from macros.datasets import DATASETS
from macros.html import Markup, page_href, table


def downloads_table(from_url: str = "") -> Markup:
    """List every published dataset with its JSON and CSV download links.

    Args:
        from_url: URL of the page showing the table (for relative links).

    Returns:
        An HTML table, one row per dataset.
    """
    links = Markup('<a href="{0}.json" download>{1}.json</a> · <a href="{0}.csv" download>{1}.csv</a>')
    rows = [
        [d.title, d.description, links.format(page_href(f"data/{d.name}", from_url).rstrip("/"), d.name)]
        for d in DATASETS
    ]
    return table("Datasets published by this site", ["Dataset", "What it holds", "Download"], rows)
