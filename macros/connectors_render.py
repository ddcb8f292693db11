"""Render the connector cheat sheet and the per-connector fact cards.

The cheat sheet is complete HTML without JavaScript: one section per
connector, one row per facet, each row with a stable anchor
(``#<connector>-<facet>``). Each connector's table is a disclosure and only
the first starts open; a link to a row or a connector opens its table. The
``cheatsheet`` widget only filters, compares and copies links on top of it.
"""

from __future__ import annotations

import re

from macros.html import Markup, esc, page_href, provenance
from macros.models.connectors import Connector, ConnectorSheet, Entry, Facet

_CODE_SPAN = re.compile(r"`([^`]+)`")


def inline(text: str) -> Markup:
    """Escape ``text`` and turn backtick spans into ``<code>`` elements.

    Args:
        text: Plain text from the data file, possibly with `` `code` `` spans.

    Returns:
        Safe HTML.
    """
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(esc(text))))


def entry_meta(entry: Entry) -> Markup:
    """Render an entry's sources, review date and confidence as one line.

    Args:
        entry: The entry to describe.

    Returns:
        HTML for a ``<p class="ip-cs-meta">`` element.
    """
    links = "; ".join(f'<a href="{esc(s.url)}" rel="noopener">{esc(s.title)}</a>' for s in entry.sources)
    # The separator after the sources sits inside their span, so print (which
    # hides sources) does not start the line with a dangling dot.
    sources = f'<span class="ip-cs-sources">Sources: {links} · </span>'
    parts = [f"reviewed {entry.reviewed.isoformat()}"]
    if entry.confidence:
        parts.append(f"confidence {esc(entry.confidence)}")
    if entry.estimate:
        parts.append('<span class="ip-estimate">estimate</span>')
    flag = ""
    if entry.unverified:
        flag = (
            '<strong class="ip-cs-unverified" title="Not published by the vendor, or not confirmed">'
            "Unverified</strong> "
        )
    return Markup(
        f'<p class="ip-cs-meta" title="{esc(provenance(entry))}">{flag}{sources}{" · ".join(parts)}</p>'
    )


def entry_body(entry: Entry) -> Markup:
    """Render an entry's summary, details and provenance.

    Args:
        entry: The entry to render.

    Returns:
        HTML: a summary paragraph, an optional paragraph of details, the meta line. The
        details are sentences, so one paragraph holds them: the cheat sheet renders about
        120 entries and stays under the page's element budget that way.
    """
    details = ""
    if entry.details:
        details = f'<p class="ip-cs-details">{" ".join(inline(d) for d in entry.details)}</p>'
    return Markup(f'<p class="ip-cs-summary">{inline(entry.summary)}</p>{details}{entry_meta(entry)}')


def _facet_row(connector: Connector, facet: Facet) -> str:
    """One table row: the facet (linked to its own anchor) and the entry."""
    anchor = f"{connector.id}-{facet.id}"
    return (
        f'<tr id="{esc(anchor)}" data-facet="{esc(facet.id)}">'
        f'<th scope="row"><a class="ip-cs-anchor" href="#{esc(anchor)}" '
        f'title="Link to {esc(connector.name)}: {esc(facet.title)}">{esc(facet.title)}</a></th>'
        f"<td>{entry_body(connector.entries[facet.id])}</td></tr>"
    )


def _connector_section(connector: Connector, facets: list[Facet], from_url: str, *, open_: bool) -> str:
    """One connector: heading, link to its page, and its facet table in a disclosure.

    The heading stays outside the disclosure, so the connector's anchor, its
    search entry and the page outline do not depend on whether it is open.
    """
    rows = "".join(_facet_row(connector, f) for f in facets)
    guide = esc(page_href(connector.page, from_url))
    name = esc(connector.name)
    return (
        f'<section class="ip-cs-connector" data-connector="{esc(connector.id)}">'
        f'<h2 id="{esc(connector.id)}">{name} '
        f'<a class="headerlink" href="#{esc(connector.id)}" title="Link to {name}">#</a></h2>'
        f'<p class="ip-cs-guide"><a href="{guide}">Full {name} guide</a>'
        f" · vendor: {esc(connector.vendor)}</p>"
        f'<details class="ip-cs-facts"{" open" if open_ else ""}>'
        f"<summary>{name}: all {len(facets)} facets</summary>"
        f'<div class="ip-table-wrap" tabindex="0" role="region" aria-label="{name} facts">'
        f'<table class="ip-table ip-cs-table"><caption>{name}</caption> '
        f'<thead><tr><th scope="col">Facet</th> <th scope="col">What to know</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></details></section>"
    )


def _index(sheet: ConnectorSheet) -> str:
    """Jump links to every connector and the facet legend (with facet anchors)."""
    connectors = " · ".join(f'<a href="#{esc(c.id)}">{esc(c.name)}</a>' for c in sheet.connectors)
    facets = "".join(
        f'<li id="facet-{esc(f.id)}" data-facet="{esc(f.id)}"><strong>{esc(f.title)}</strong>: '
        f"{esc(f.question)}</li>"
        for f in sheet.facets
    )
    return (
        '<nav class="ip-cs-index" aria-label="Cheat sheet contents">'
        f"<p><strong>Connectors:</strong> {connectors}</p>"
        f'<details class="ip-cs-legend"><summary>The {len(sheet.facets)} facets</summary>'
        f"<ul>{facets}</ul></details></nav>"
    )


def cheat_sheet(sheet: ConnectorSheet, from_url: str = "") -> Markup:
    """Render the whole cheat sheet.

    Args:
        sheet: The data to render (``connectors.yaml``).
        from_url: URL of the page that shows it (for relative links).

    Returns:
        One HTML block: the widget container with the index, then one
        section per connector, its facet table in a disclosure that only
        the first connector's starts open. Anchors: ``#<connector>``,
        ``#<connector>-<facet>`` and ``#facet-<facet>``.
    """
    connector_ids = " ".join(c.id for c in sheet.connectors)
    facet_ids = " ".join(f.id for f in sheet.facets)
    # Only the first connector's table starts open: a phone styles and lays out
    # one table instead of ten. Links into a closed one open it (widgets.js).
    sections = "".join(
        _connector_section(c, sheet.facets, from_url, open_=i == 0) for i, c in enumerate(sheet.connectors)
    )
    return Markup(
        f'<div class="ip-cs" data-widget="cheatsheet" data-connectors="{esc(connector_ids)}" '
        f'data-facets="{esc(facet_ids)}">'
        f"{_index(sheet)}"
        # The filter controls go inside this disclosure when the script runs, so
        # they never push the entries down after the first paint.
        '<details class="ip-cs-tools"><summary>Filter, compare and copy links</summary>'
        '<p class="ip-cs-nojs">Filtering and comparing need JavaScript. Every entry is '
        "listed below, and every row has its own link.</p></details>"
        '<p class="ip-cs-print-note">Printed summary: the web page adds details and a source '
        "for every entry.</p>"
        f'<div class="ip-cs-sections">{sections}</div></div>'
    )


def connector_facts(
    sheet: ConnectorSheet,
    connector_id: str,
    facet_ids: str | list[str],
    from_url: str = "",
) -> Markup:
    """Render one connector's entries for some facets, as cards on its own page.

    Args:
        sheet: The data to render (``connectors.yaml``).
        connector_id: The connector, for example ``"salesforce"``.
        facet_ids: One facet id or a list of them, in display order.
        from_url: URL of the page that shows the cards (for relative links).

    Returns:
        HTML cards, each linking to the matching cheat-sheet anchor; kept out
        of the search index on pages other than the connector's own.

    Raises:
        KeyError: Unknown connector or facet (stops the build).
    """
    connector = sheet.connector(connector_id)
    wanted = [facet_ids] if isinstance(facet_ids, str) else list(facet_ids)
    # On any page but the connector's own, the cards repeat facts the connector
    # page and the cheat sheet own: search leads to those, not to the repeat.
    own_page = from_url == connector.page.removesuffix(".md").removesuffix("index").rstrip("/") + "/"
    search = "" if own_page or not from_url else " data-pagefind-ignore"
    cards = []
    for facet_id in wanted:
        facet = sheet.facet(facet_id)
        anchor = f"connectors/cheat-sheet.md#{connector.id}-{facet.id}"
        cards.append(
            f'<div class="ip-cs-card" data-facet="{esc(facet.id)}"{search}>'
            f'<p class="ip-cs-card-title"><strong>{esc(facet.title)}</strong> '
            f'<a href="{esc(page_href(anchor, from_url))}">on the cheat sheet</a></p>'
            f"{entry_body(connector.entries[facet.id])}</div>"
        )
    return Markup("".join(cards))


def connector_list(sheet: ConnectorSheet, from_url: str = "") -> Markup:
    """Render the list of connectors with their pages and one-line auth summary.

    Args:
        sheet: The data to render (``connectors.yaml``).
        from_url: URL of the page that shows the list (for relative links).

    Returns:
        An HTML table, one row per connector.
    """
    rows = "".join(
        f'<tr><th scope="row"><a href="{esc(page_href(c.page, from_url))}">{esc(c.name)}</a></th>'
        f"<td>{inline(c.entries['api-surfaces'].summary)}</td>"
        f"<td>{inline(c.entries['pagination'].summary)}</td></tr>"
        for c in sheet.connectors
    )
    return Markup(
        '<div class="ip-table-wrap" tabindex="0" role="region" aria-label="Connectors">'
        '<table class="ip-table"><caption>Connectors covered</caption>'
        '<thead><tr><th scope="col">Connector</th><th scope="col">Which API</th>'
        f'<th scope="col">Pagination</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )
