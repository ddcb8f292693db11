"""Render the facts changelog as an HTML table and as an Atom feed.

Both take the loaded :class:`~macros.models.changelog.Changelog`; neither
reads files. The feed lets wiki owners who link to a figure subscribe to its
corrections.
"""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from markupsafe import Markup

from macros.html import esc, page_href, table
from macros.models.changelog import Change, Changelog

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "changelog.xml"
"""Where the build writes the feed, relative to the site root."""

PAGE_PATH = "reference/changelog.md"
"""The page that shows the changelog."""


def change_id(change: Change) -> str:
    """A stable anchor for one change, from its date, dataset, record and field.

    Args:
        change: The change.

    Returns:
        An id such as ``change-2026-11-30-brokers-eventbridge-facts-max-message-size``.
    """
    raw = f"{change.date.isoformat()}-{change.dataset}-{change.record}-{change.field}"
    return "change-" + re.sub(r"[^a-z0-9]+", "-", raw.lower()).strip("-")


def _what(change: Change, from_url: str) -> str:
    """Name the fact: the page link for prose, dataset · record · field otherwise."""
    if change.dataset == "page":
        link = Markup(f'<a href="{esc(page_href(change.record, from_url))}">{esc(change.record)}</a>')
        return Markup(f"{link} · <code>{esc(change.field)}</code>")
    return Markup(f"{esc(change.dataset)} · {esc(change.record)} · <code>{esc(change.field)}</code>")


def changelog_table(changelog: Changelog, from_url: str = "") -> str:
    """Render every change, newest first, one row each with a deep-link anchor.

    Args:
        changelog: The loaded changelog.
        from_url: URL of the page showing the table (for relative links).

    Returns:
        An HTML table.
    """
    rows = [
        [
            Markup(f'<time datetime="{c.date.isoformat()}">{c.date.isoformat()}</time>'),
            _what(c, from_url),
            esc(c.old),
            esc(c.new),
            esc(c.reason),
            Markup(f'<a href="{esc(c.source.url)}" rel="noopener">{esc(c.source.title)}</a>'),
        ]
        for c in changelog.changes
    ]
    return table(
        "Corrections of sourced facts, newest first",
        ["Date", "Fact", "Was", "Now", "Why", "Source"],
        rows,
        table_id="facts-changelog",
        row_ids=[change_id(c) for c in changelog.changes],
    )


def _timestamp(day: dt.date) -> str:
    """An RFC 3339 timestamp for the start of a day, in UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(changelog: Changelog, site_url: str, *, site_name: str = "Integration Patterns") -> str:
    """Write the changelog as an Atom 1.0 feed (RFC 4287).

    Args:
        changelog: The loaded changelog.
        site_url: The site's base URL (``site_url`` in ``mkdocs.yml``).
        site_name: Shown in the feed's title.

    Returns:
        The feed as UTF-8 XML text. Entries link to their row on the
        changelog page.
    """
    base = site_url.rstrip("/") + "/"
    page = base + PAGE_PATH.removesuffix(".md") + "/"
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", f"{site_name}: what changed in the facts")
    sub(feed, "id", base + FEED_PATH)
    sub(feed, "link", href=base + FEED_PATH, rel="self", type="application/atom+xml")
    sub(feed, "link", href=page, rel="alternate", type="text/html")
    newest = max((c.date for c in changelog.changes), default=dt.date(2026, 1, 1))
    sub(feed, "updated", _timestamp(newest))
    author = sub(feed, "author")
    sub(author, "name", f"{site_name} contributors")
    for change in changelog.changes:
        entry = sub(feed, "entry")
        anchor = change_id(change)
        sub(entry, "title", f"{change.dataset} · {change.record} · {change.field}: {change.new}")
        sub(entry, "id", f"{page}#{anchor}")
        sub(entry, "link", href=f"{page}#{anchor}", rel="alternate", type="text/html")
        sub(entry, "link", href=str(change.source.url), rel="related", title=change.source.title)
        sub(entry, "updated", _timestamp(change.date))
        summary = f"Was: {change.old}. Now: {change.new}. Why: {change.reason} Source: {change.source.title}."
        sub(entry, "summary", summary)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'
