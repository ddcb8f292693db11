"""Find the facts and pages whose review is due, before readers see them as stale.

Pages show a staleness notice once their review is 12 months old. Listing
everything reviewed more than 9 months ago gives maintainers three months to
re-check it first. Nothing here reads files: the caller passes the parsed data
and the pages' front matter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from markupsafe import Markup

from macros.fact_diff import sourced_facts
from macros.html import esc, page_href, table

DUE_AFTER_MONTHS = 9
"""Months after a review at which it is listed as due."""


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (clamped to the month's end).

    Args:
        day: The starting date.
        months: How many calendar months to go back.

    Returns:
        The earlier date.
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def front_matter(text: str) -> dict[str, Any]:
    """Parse a page's YAML front matter; an empty dict when it has none.

    Args:
        text: The page's Markdown source.

    Returns:
        The front matter mapping.
    """
    if not text.startswith("---"):
        return {}
    _, _, rest = text.partition("\n")
    block, sep, _ = rest.partition("\n---")
    loaded = yaml.safe_load(block) if sep else None
    return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True, order=True)
class DueItem:
    """One fact or page due for review.

    Attributes:
        reviewed: Its last review date.
        where: ``dataset · record · field`` for a fact, the page path for a page.
        page: Docs-relative page to link, when the item is a page.
    """

    reviewed: dt.date
    where: str
    page: str | None = None


def _as_date(value: Any) -> dt.date | None:
    """Read a review date from parsed YAML or JSON (a date or an ISO string)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def due_items(
    data: Mapping[str, Any],
    pages: Mapping[str, Mapping[str, Any]],
    today: dt.date,
    months: int = DUE_AFTER_MONTHS,
) -> list[DueItem]:
    """List facts and pages last reviewed more than ``months`` before ``today``.

    Args:
        data: Dataset name to its parsed (dumped) content.
        pages: Docs-relative page path to its front matter.
        today: The build date.
        months: Age at which a review is due.

    Returns:
        The due items, oldest first.
    """
    cutoff = months_before(today, months)
    items = []
    for name, raw in data.items():
        for path, fact in sourced_facts(raw):
            reviewed = _as_date(fact.get("reviewed"))
            if reviewed and reviewed < cutoff:
                items.append(DueItem(reviewed, " · ".join((name, *path[1:2], ".".join(path[2:])))))
    for path, meta in pages.items():
        reviewed = _as_date(meta.get("reviewed"))
        if reviewed and reviewed < cutoff:
            items.append(DueItem(reviewed, path, page=path))
    return sorted(items)


def review_due_table(items: Iterable[DueItem], today: dt.date, from_url: str = "") -> str:
    """Render the due items, or a sentence saying nothing is due.

    Args:
        items: From :func:`due_items`.
        today: The build date, shown in the caption.
        from_url: URL of the page showing the table (for relative links).

    Returns:
        HTML.
    """
    cutoff = months_before(today, DUE_AFTER_MONTHS)
    rows = []
    for item in items:
        what = (
            Markup(f'<a href="{esc(page_href(item.page, from_url))}">{esc(item.where)}</a>')
            if item.page
            else esc(item.where)
        )
        rows.append(
            [what, Markup(f'<time datetime="{item.reviewed.isoformat()}">{item.reviewed.isoformat()}</time>')]
        )
    if not rows:
        return (
            f'<p class="ip-review-due">Nothing is due: every fact and page was reviewed on or after '
            f'<time datetime="{cutoff.isoformat()}">{cutoff.isoformat()}</time> '
            f"(built {today.isoformat()}).</p>"
        )
    return table(
        f"Reviews due: last reviewed before {cutoff.isoformat()} (built {today.isoformat()})",
        ["Fact or page", "Last reviewed"],
        rows,
        table_id="review-due",
    )
