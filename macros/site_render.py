"""Render site-wide pages: the list of dataset downloads."""

from __future__ import annotations

from macros.datasets import DATASETS
from macros.html import esc, table


def downloads_table(from_url: str = "") -> str:
    """List every published dataset with its JSON and CSV download links.

    Args:
        from_url: URL of the page showing the table (for relative links).

    Returns:
        An HTML table, one row per dataset.
    """
    depth = from_url.strip("/").count("/") + 1 if from_url.strip("/") else 0
    root = "../" * depth
    rows = []
    for d in DATASETS:
        base = f"{root}data/{d.name}"
        rows.append(
            [
                esc(d.title),
                esc(d.description),
                f'<a href="{esc(base)}.json" download>{esc(d.name)}.json</a> · '
                f'<a href="{esc(base)}.csv" download>{esc(d.name)}.csv</a>',
            ]
        )
    return table("Datasets published by this site", ["Dataset", "What it holds", "Download"], rows)
