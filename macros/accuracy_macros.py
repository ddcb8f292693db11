"""Macros for auditing the site's accuracy: the facts changelog and the reviews due.

Registered from :func:`macros.define_env` with one call, so the core macro
registrations stay untouched. Data is loaded here once per build and passed
to the pure renderers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

from macros import changelog, changelog_render, dataset_schemas, review_due, skill_bundle
from macros.datasets import DATASETS
from macros.html import esc, table, to_site_root

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
"""The site's pages, read for their ``reviewed`` front matter."""


def pages_front_matter(docs_dir: Path = DOCS_DIR) -> dict[str, dict[str, Any]]:
    """Read every page's front matter, keyed by its path under ``docs/``.

    Args:
        docs_dir: Folder of the Markdown pages.

    Returns:
        Page path to front matter.
    """
    return {
        page.relative_to(docs_dir).as_posix(): review_due.front_matter(page.read_text(encoding="utf-8"))
        for page in sorted(docs_dir.rglob("*.md"))
    }


def register(env: Any, on_this_page: Callable[..., Any]) -> None:
    """Load the changelog and register the accuracy macros.

    Args:
        env: The mkdocs-macros environment.
        on_this_page: Wrapper that passes the current page's URL as ``from_url``.

    Raises:
        macros.loader.DataError: The changelog is invalid; the build stops.
    """
    changelog.load.cache_clear()
    log = changelog.load()

    def facts_changelog(from_url: str = "") -> str:
        """Render the facts changelog table."""
        return changelog_render.changelog_table(log, from_url)

    env.macro(on_this_page(facts_changelog), "facts_changelog")

    data: dict[str, BaseModel] = env.variables.get("datasets", {})
    dumped = {name: model.model_dump(mode="json") for name, model in data.items()}
    pages = pages_front_matter()

    def reviews_due(from_url: str = "") -> str:
        """Render the facts and pages reviewed more than nine months before the build."""
        today = dt.date.today()
        items = review_due.due_items(dumped, pages, today)
        return review_due.review_due_table(items, today, from_url)

    env.macro(on_this_page(reviews_due), "reviews_due")
    env.macro(on_this_page(published_outputs), "published_outputs")


def published_outputs(from_url: str = "") -> str:
    """Render the schema of each dataset beside its downloads, and the skill bundle link.

    Args:
        from_url: URL of the page showing the table (for relative links).

    Returns:
        An HTML table and a paragraph.
    """
    root = to_site_root(from_url)
    rows = []
    for d in DATASETS:
        base = f"{root}data/{d.name}"
        schema = root + dataset_schemas.schema_path(d.name)
        rows.append(
            [
                esc(d.title),
                Markup(f'<a href="{esc(base)}.json" download>{esc(d.name)}.json</a>'),
                Markup(f'<a href="{esc(base)}.csv" download>{esc(d.name)}.csv</a>'),
                Markup(f'<a href="{esc(schema)}" download>{esc(d.name)}.schema.json</a>'),
            ]
        )
    zip_href = esc(root + skill_bundle.ZIP_PATH)
    return table(
        "Downloads and their JSON Schemas", ["Dataset", "JSON", "CSV", "JSON Schema"], rows
    ) + Markup(
        f'\n<p><a href="{zip_href}" download>integration-patterns-skill.zip</a>: '
        "<code>SKILL.md</code> with the pattern decision matrix, and one reference file per dataset in "
        "which every figure carries its source and review date.</p>"
    )
