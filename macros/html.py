"""Small HTML building blocks shared by the renderers.

HTML is :class:`markupsafe.Markup`; anything else is text and is escaped when it
meets HTML (``Markup.format``, ``Markup.join``, :func:`table`). A data file can
therefore never inject markup into a page, whatever a renderer forgets:
forgetting to escape yields visible tags, never live ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from macros.models.common import Fact, Source, Sourced

__all__ = ["Markup", "esc", "fact_value", "page_href", "provenance", "source_links", "table"]


def esc(value: object) -> Markup:
    """Escape any value for use in HTML text or a quoted attribute.

    Markup passes through unchanged; everything else is turned into text first.

    Args:
        value: Anything printable.

    Returns:
        The escaped text, as markup.
    """
    return escape(value if isinstance(value, Markup) else str(value))


def source_links(sources: Iterable[Source]) -> Markup:
    """Render sources as an inline list of links.

    Args:
        sources: The sources of a fact.

    Returns:
        HTML links separated by a semicolon.
    """
    link = Markup('<a href="{}" rel="noopener">{}</a>')
    return Markup("; ").join(link.format(str(s.url), s.title) for s in sources)


def provenance(item: Sourced) -> str:
    """Describe where a fact comes from, for a tooltip or a caption.

    Args:
        item: Any sourced record.

    Returns:
        Plain text such as ``"Source: Zapier pricing · reviewed 2026-11-20 · estimate"``.
    """
    parts = ["Source: " + ", ".join(s.title for s in item.sources)]
    parts.append(f"reviewed {item.reviewed.isoformat()}")
    if item.confidence:
        parts.append(f"confidence {item.confidence}")
    if item.estimate:
        parts.append("estimate")
    return " · ".join(parts)


def fact_value(fact: Fact) -> Markup:
    """Render a fact's value for a table cell, followed by a source link.

    The link's accessible name says what it is and its ``title`` carries the
    review date, so keyboard and screen-reader users get the same provenance
    as mouse users.

    Args:
        fact: The fact to show.

    Returns:
        HTML for the cell content.
    """
    value = fact.value
    shown = esc(("Yes" if value else "No") if isinstance(value, bool) else value)
    if fact.estimate:
        shown += Markup(
            ' <span class="ip-estimate" title="Estimate: not published by the vendor">(est.)</span>'
        )
    if fact.note:
        shown += Markup(' <span class="ip-note">{}</span>').format(fact.note)
    first = fact.sources[0]
    link = Markup(
        '<a class="ip-src" href="{}" rel="noopener" title="{}"><span class="ip-sr">source: </span>{}</a>'
    ).format(str(first.url), provenance(fact), first.title)
    return shown + Markup("<br>") + link


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Markup | str]],
    *,
    row_headers: bool = True,
    css_class: str = "ip-table",
    table_id: str | None = None,
    row_ids: Sequence[str] | None = None,
) -> Markup:
    """Build an accessible HTML table.

    Args:
        caption: Visible caption (escaped here).
        headers: Column headers (escaped here).
        rows: Rows of cells: :class:`~markupsafe.Markup` is kept as HTML,
            a plain string is text and is escaped here.
        row_headers: Render each row's first cell as ``<th scope="row">``.
        css_class: Class of the ``<table>``.
        table_id: Optional ``id`` of the table.
        row_ids: Optional ``id`` per row, for deep links.

    Returns:
        One HTML block with no blank lines (safe inside Markdown).
    """
    id_attr = f' id="{esc(table_id)}"' if table_id else ""
    # Spaces between header cells: search indexers join adjacent cells' text
    # into one word ("TermStands forMeaning") unless something separates them.
    head = " ".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = []
    for index, row in enumerate(rows):
        cells = []
        for col, cell in enumerate(row):
            if col == 0 and row_headers:
                cells.append(f'<th scope="row">{esc(cell)}</th>')
            else:
                cells.append(f"<td>{esc(cell)}</td>")
        rid = f' id="{esc(row_ids[index])}"' if row_ids else ""
        body.append(f"<tr{rid}>{''.join(cells)}</tr>")
    # Every piece above is escaped or fixed markup, so the whole is markup.
    return Markup(
        f'<div class="ip-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="{esc(css_class)}"{id_attr}><caption>{esc(caption)}</caption> '
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def to_site_root(from_url: str) -> str:
    """The relative prefix from a page back to the site root (``""`` on the home page).

    Args:
        from_url: URL of the page the link appears on (``env.page.url``).

    Returns:
        ``"../"`` once per folder level of ``from_url``, such as ``"../../"``.
    """
    return "../" * (from_url.strip("/").count("/") + 1 if from_url.strip("/") else 0)


def page_href(target: str, from_url: str) -> str:
    """Link from one page to another by relative URL, as MkDocs would.

    Raw HTML emitted by macros is not rewritten by MkDocs, so renderers compute
    relative links themselves. Pages use directory URLs (``a/b.md`` is served
    at ``a/b/``).

    Args:
        target: Docs-relative Markdown path, optionally with ``#anchor``.
        from_url: URL of the page the link appears on (``env.page.url``).

    Returns:
        A relative URL such as ``../../cdc/#snapshots``.
    """
    path, _, anchor = target.partition("#")
    url = path.removesuffix(".md")
    if url == "index" or url.endswith("/index"):
        url = url.removesuffix("index")
    elif url:
        url += "/"
    href = to_site_root(from_url) + url
    href = href or "./"
    return f"{href}#{anchor}" if anchor else href
