"""Render the iPaaS comparison matrix, its key, and the per-platform fact tables.

The matrix is complete HTML without JavaScript: a captioned table with
column-group and column headers, a row header per platform, and in every cell
the value, its qualifiers and a link to its first source. With JavaScript the
table opens on its first criteria group (the others are in the page, hidden,
and cost the browser next to nothing until shown); ``matrix.js`` reads the
``data-*`` attributes written here to show groups, and to add sorting,
filters, comparison and the provenance popover.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from macros.html import Markup, esc, page_href, provenance
from macros.models.ipaas import NOT_PUBLISHED, Cell, Criterion, IpaasMatrix, Platform

ABBREVIATIONS = {
    "API": "application programming interface",
    "B2B": "business to business",
    "CI/CD": "continuous integration and continuous delivery",
    "EDI": "electronic data interchange",
    "SDK": "software development kit",
}
"""Abbreviations used in column headers, expanded in ``<abbr>`` titles."""

_ABBR_RE = re.compile(r"\b(" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")(?![\w/])")


def _sort_button(criterion_id: str, label_html: str) -> str:
    """A column header's sort button, disabled until the matrix script enables it.

    The controls are in the page from the start so that the script, when it runs,
    changes no cell's content and the browser need not lay the table out again.
    Without JavaScript the stylesheet shows the button as the plain header text.
    """
    return (
        f'<button type="button" class="ip-mx-sort" data-sort="{esc(criterion_id)}" disabled>'
        f"{label_html}</button>"
    )


def _header_text(name: str) -> str:
    """Escape a column name and mark its abbreviations with ``<abbr>``."""
    escaped = str(esc(name))  # plain str: re.sub on markup would escape the tags it adds
    return _ABBR_RE.sub(
        lambda m: f'<abbr title="{esc(ABBREVIATIONS[m.group(1)])}">{m.group(1)}</abbr>', escaped
    )


def _shown_value(cell: Cell) -> str:
    """Format a cell's value: thousands separators for counts, Yes/No for booleans."""
    value = cell.value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return f"{value:,.0f}+" if float(value).is_integer() else f"{value:,}"
    return str(value)


def _sort_key(criterion: Criterion, cell: Cell) -> str:
    """The ``data-sort`` value: option rank, a number, or empty for text columns."""
    if cell.sort_value is not None:
        return f"{cell.sort_value:g}"
    if criterion.external:
        return ""  # no number to sort by (a quote-only price): the script puts it last
    if criterion.options:
        ranks = {o.id: i for i, o in enumerate(criterion.options)}
        return str(ranks[cell.tag]) if cell.tag in ranks else ""
    if criterion.numeric:
        return "" if cell.value == NOT_PUBLISHED else str(cell.value)
    return ""


def cell_html(cell: Cell, label: str, *, titles: bool = True, first_source_only: bool = False) -> Markup:
    """Render the content of one matrix cell.

    The value comes first, as plain text, then the estimate marker and note, then
    one link per source. The cell holds no wrapper elements: the matrix has
    about 400 cells, and every element in them is layout and style work for the
    browser. The first link reads "source", further ones "source 2"... Each
    link's accessible name also names the cell, the source, the review date and
    the confidence: "Workato, Billable unit: source (Workato docs: Tasks usage;
    reviewed 2026-11-25, confidence high)".

    Args:
        cell: The fact to show.
        label: What the cell is about (platform and criterion), for link names.
        titles: Also put the provenance in each link's ``title`` (a hover
            tooltip). The matrix turns this off: its script shows a popover
            with the same text, and two tooltips would compete.
        first_source_only: Link only the first source (the matrix: one link per
            cell keeps its 400 cells light). The link's name says how many
            sources there are; all of them are in the cell's popover, on the
            platform's page and in the JSON download.

    Returns:
        HTML for the inside of the ``<td>``.
    """
    parts = [esc(_shown_value(cell))]
    if cell.estimate:
        parts.append(' <span class="ip-estimate">(estimate)</span>')
    if cell.note:
        parts.append(f' <span class="ip-note">({esc(cell.note)})</span>')
    tip = f' title="{esc(provenance(cell))}"' if titles else ""
    dated = f"reviewed {cell.reviewed.isoformat()}"
    if cell.confidence:
        dated += f", confidence {cell.confidence}"
    links = []
    sources = cell.sources[:1] if first_source_only else cell.sources
    more = len(cell.sources) - len(sources)
    if more:
        dated += f"; {more} more source{'s' if more > 1 else ''} on the platform's page"
    for index, source in enumerate(sources, start=1):
        text = "source" if index == 1 else f"source {index}"
        name = f"{label}: {text} ({source.title}; {dated})"
        # Links are left out of the site search index: "source" on every cell
        # would only add noise to it.
        links.append(
            f'<a class="ip-src" href="{esc(source.url)}" rel="noopener"{tip} '
            f'aria-label="{esc(name)}" data-title="{esc(source.title)}" data-search-exclude>{text}</a>'
        )
    parts.append(" " + " ".join(links))
    return Markup("".join(parts))


def cell_anchor(platform_id: str, criterion_id: str) -> str:
    """The id of a matrix cell, a permanent link target: ``platform-boomi-agent``."""
    return f"platform-{platform_id}-{criterion_id}"


def _check_anchors(matrix: IpaasMatrix) -> None:
    """Fail when two row or cell anchors of the matrix would be the same id.

    Row ``platform-<platform>`` and cell ``platform-<platform>-<criterion>`` ids
    share a prefix, so a platform id that ends like another platform id plus a
    criterion id (``sap`` + ``integration-suite`` next to ``sap-integration-suite``)
    would give two elements one id, and links would land on the wrong one.

    Raises:
        ValueError: Naming the ipaas.yaml records whose anchors collide.
    """
    seen: dict[str, str] = {}
    for platform in matrix.platforms:
        owners = [(f"platform-{platform.id}", f"platform '{platform.id}'")]
        owners += [
            (cell_anchor(platform.id, c.id), f"platform '{platform.id}', criterion '{c.id}'")
            for c in matrix.criteria
        ]
        for anchor, owner in owners:
            if anchor in seen:
                raise ValueError(
                    f"ipaas.yaml: anchor '#{anchor}' of {owner} is also the anchor of {seen[anchor]}; "
                    "rename one of the ids"
                )
            seen[anchor] = owner


def _cell_attrs(
    criterion: Criterion, cell: Cell, *, anchor: str = "", group_label: str = "", later: bool = False
) -> str:
    """Attributes of a matrix cell.

    The script reads criterion, group, tag, sort key and provenance; the
    stylesheet shows ``data-label`` (and ``data-group-label`` on a group's first
    cell) when the matrix is laid out as one card per platform (phones, print).
    ``data-more`` lists the titles of the sources the cell does not link.
    ``later`` marks a cell of a criteria group the table does not open on: it
    is ``hidden`` (see :data:`NO_SCRIPT_STYLE`).
    """
    attrs = {
        "data-c": criterion.id,
        "data-g": criterion.group,
        "data-reviewed": cell.reviewed.isoformat(),
        "data-confidence": cell.confidence or "",
    }
    if anchor:
        attrs["id"] = anchor
    attrs["data-label"] = criterion.name
    if group_label:
        attrs["data-group-label"] = group_label
    if len(cell.sources) > 1:
        attrs["data-more"] = json.dumps([s.title for s in cell.sources[1:]])
    if cell.tag:
        attrs["data-tag"] = cell.tag
    sort = _sort_key(criterion, cell)
    if sort:
        attrs["data-sort"] = sort
    if cell.estimate:
        attrs["data-estimate"] = "true"
    return "".join(f' {k}="{esc(v)}"' for k, v in attrs.items()) + (" hidden" if later else "")


NO_SCRIPT_STYLE = (
    "<noscript data-search-exclude><style>"
    "@media screen{.no-js .md-typeset table.ip-matrix [data-g][hidden]{display:table-cell}}"
    "@media screen and (max-width:599.98px)"
    "{.no-js .md-typeset table.ip-matrix td[data-g][hidden]{display:block}}"
    "</style></noscript>"
)
"""Without JavaScript every criteria group is shown.

The table opens on its first criteria group: the cells and headers of the
other groups are ``hidden`` in the page, so the browser neither styles their
content nor lays them out while it reads the page, and ``matrix.js`` shows a
group when the reader asks for it (or follows a link into it). Without
JavaScript nothing could show them, so this style, read only when scripting is
off, shows them all. Printing shows them all too (``site.css``).

The rules also require the theme's ``no-js`` class, which its script removes:
the theme's in-site navigation reads a fetched page with scripting off, so
the style of this ``<noscript>`` does reach the live page then, and must not
apply there.
"""


def _options_attr(criterion: Criterion) -> str:
    """A ``data-options`` attribute (JSON list of ``[id, label]``) for facet columns."""
    if not criterion.options:
        return ""
    pairs = [[o.id, o.label] for o in criterion.options]
    return f' data-options="{esc(json.dumps(pairs))}"'


def _downloads(from_url: str) -> str:
    """Links to the CSV and JSON downloads, relative to the current page."""
    base = page_href("data/ipaas", from_url).rstrip("/")
    return (
        '<p class="ip-matrix-downloads">Download the whole matrix: '
        f'<a class="md-button" href="{esc(base)}.csv" download>CSV</a> '
        f'<a class="md-button" href="{esc(base)}.json" download>JSON</a> '
        "(generated from the same data at build time; the JSON adds every source and review date).</p>"
    )


def ipaas_matrix(matrix: IpaasMatrix, from_url: str = "") -> Markup:
    """Render the full comparison matrix with its downloads and key.

    Args:
        matrix: The data to render (``ipaas.yaml`` with its list prices).
        from_url: URL of the page that shows the matrix (for relative links).

    Returns:
        One HTML block: a ``data-widget="matrix"`` container holding the
        download links, the table (id ``ipaas-matrix``; rows ``platform-<id>``,
        cells ``platform-<id>-<criterion>``) and the key to the columns.

    Raises:
        ValueError: Two row or cell anchors would be the same id.
    """
    groups = {g.id: g for g in matrix.groups}
    by_group: dict[str, list[Criterion]] = {g.id: [] for g in matrix.groups}
    for criterion in matrix.criteria:
        by_group[criterion.group].append(criterion)

    opened = next(gid for gid, criteria in by_group.items() if criteria)
    later = {gid: "" if gid == opened else " hidden" for gid in by_group}
    corner = _sort_button("platform", "Platform")
    group_row = [f'<th scope="col" rowspan="2" class="ip-m-corner" data-c="platform">{corner}</th>']
    for gid, criteria in by_group.items():
        if criteria:
            group_row.append(
                f'<th scope="colgroup" colspan="{len(criteria)}" id="group-{esc(gid)}" '
                f'data-g="{esc(gid)}" class="ip-m-group"{later[gid]}>{esc(groups[gid].name)}</th>'
            )
    column_row = [
        f'<th scope="col" id="col-{esc(c.id)}" data-c="{esc(c.id)}" data-g="{esc(c.group)}"'
        f"{' data-numeric' if c.numeric else ''}{_options_attr(c)}{later[gid]}>"
        f"{_sort_button(c.id, _header_text(c.name))}</th>"
        for gid in by_group
        for c in by_group[gid]
    ]
    ordered = [c for gid in by_group for c in by_group[gid]]

    _check_anchors(matrix)
    first_in_group = {criteria[0].id: groups[gid].name for gid, criteria in by_group.items() if criteria}
    body = []
    for platform in matrix.platforms:
        name = esc(platform.name)
        link = f'<a href="{esc(page_href(platform.page, from_url))}">{name}</a>'
        pick = (
            f'<input type="checkbox" class="ip-mx-pick" data-pick="{esc(platform.id)}" '
            f'aria-label="Compare {name}" disabled>'
        )
        vendor = f"<small>{esc(platform.vendor)}</small>"
        cells = [f'<th scope="row" data-c="platform">{pick}{link}<br>{vendor}</th>']
        for criterion in ordered:
            cell = matrix.cell(platform, criterion)
            label = f"{platform.name}, {criterion.name}"
            attrs = _cell_attrs(
                criterion,
                cell,
                anchor=cell_anchor(platform.id, criterion.id),
                group_label=first_in_group.get(criterion.id, ""),
                later=criterion.group != opened,
            )
            content = cell_html(cell, label, titles=False, first_source_only=True)
            cells.append(f"<td{attrs}>{content}</td>")
        body.append(
            f'<tr id="platform-{esc(platform.id)}" data-platform="{esc(platform.id)}">{"".join(cells)}</tr>'
        )

    count = len(matrix.platforms)
    caption = (
        f"{count} integration platforms compared on {len(ordered)} criteria in "
        f"{len(by_group)} groups. Each cell links to its first source; every source, the review "
        "date and our confidence are on the platform's page and in the JSON download."
    )
    table = (
        '<div class="ip-matrix-scroll" tabindex="0" role="region" aria-labelledby="ipaas-matrix-caption">'
        '<table class="ip-matrix" id="ipaas-matrix">'
        f'<caption id="ipaas-matrix-caption">{esc(caption)}</caption>'
        f"<thead><tr>{' '.join(group_row)}</tr> <tr>{' '.join(column_row)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    # Empty boxes the script fills (controls, comparison, source popover): filling
    # them restyles only them; adding elements beside the table would restyle it all.
    boxes = (
        '<div class="ip-mx-controls" role="group" aria-label="Matrix view controls" hidden></div>'
        '<section class="ip-mx-compare" aria-label="Side-by-side comparison" hidden></section>'
    )
    return Markup(
        f'<div class="ip-matrix-widget" data-widget="matrix">{_downloads(from_url)}{boxes}'
        f"{NO_SCRIPT_STYLE}{table}"
        f'{criteria_key(matrix)}<div class="ip-mx-pop" role="tooltip" hidden></div></div>'
    )


def criteria_key(matrix: IpaasMatrix) -> Markup:
    """Render the key to the matrix: every column with what it means.

    Args:
        matrix: The data (``ipaas.yaml``).

    Returns:
        A definition list grouped like the table's columns (anchor ``ipaas-key``).
    """
    parts = ['<div class="ip-matrix-key" id="ipaas-key"><p><strong>Key to the columns</strong></p><dl>']
    for group in matrix.groups:
        for criterion in (c for c in matrix.criteria if c.group == group.id):
            options = ""
            if criterion.options:
                labels = ", ".join(o.label for o in criterion.options)
                options = f" <em>Values: {esc(labels)}.</em>"
            parts.append(
                f"<dt>{esc(group.name)}: {_header_text(criterion.name)}</dt>"
                f"<dd>{esc(criterion.description)}{options}</dd>"
            )
    parts.append("</dl></div>")
    return Markup("".join(parts))


def _platform(matrix: IpaasMatrix, platform_id: str) -> Platform:
    for platform in matrix.platforms:
        if platform.id == platform_id:
            return platform
    known = ", ".join(p.id for p in matrix.platforms)
    raise KeyError(f"unknown platform id '{platform_id}' (known: {known})")


def platform_facts(matrix: IpaasMatrix, platform_id: str, from_url: str = "") -> Markup:
    """Render one platform's column of the matrix as a two-column fact table.

    Args:
        matrix: The data (``ipaas.yaml`` with its list prices).
        platform_id: The platform to show.
        from_url: URL of the page showing the table (for the link back to the matrix).

    Returns:
        An HTML table, one row per criterion, grouped by criteria group, then a
        link to the matrix filtered to this platform.

    Raises:
        KeyError: The platform id is unknown.
    """
    platform = _platform(matrix, platform_id)
    rows = []
    for group in matrix.groups:
        criteria = [c for c in matrix.criteria if c.group == group.id]
        if not criteria:
            continue
        rows.append(
            f'<tr class="ip-facts-group"><th scope="colgroup" colspan="2">{esc(group.name)}</th></tr>'
        )
        for criterion in criteria:
            cell = matrix.cell(platform, criterion)
            label = f"{platform.name}, {criterion.name}"
            rows.append(
                f'<tr id="fact-{esc(criterion.id)}"><th scope="row">{_header_text(criterion.name)}</th>'
                f"<td>{cell_html(cell, label)}<br><small>reviewed {cell.reviewed.isoformat()}"
                f"{f', confidence {esc(cell.confidence)}' if cell.confidence else ''}</small></td></tr>"
            )
    caption = f"{platform.name} at a glance: the matrix facts with their sources"
    matrix_href = page_href("ipaas/comparison-matrix.md", from_url)
    return Markup(
        f'<div class="ip-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="ip-table ip-facts"><caption>{esc(caption)}</caption>'
        '<thead><tr><th scope="col">Criterion</th><th scope="col">Fact</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f'<p><a href="{esc(matrix_href)}?q={esc(quote(platform.name))}">See {esc(platform.name)} in the '
        "comparison matrix</a></p>"
    )


def platform_list(matrix: IpaasMatrix, from_url: str = "") -> Markup:
    """Render the list of platform pages with their one-line summaries.

    Args:
        matrix: The data (``ipaas.yaml``).
        from_url: URL of the page showing the list.

    Returns:
        An HTML list, one item per platform.
    """
    items = [
        f'<li><a href="{esc(page_href(p.page, from_url))}">{esc(p.name)}</a> '
        f"({esc(p.vendor)}): {esc(p.summary)}</li>"
        for p in matrix.platforms
    ]
    return Markup(f'<ul class="ip-platform-list">{"".join(items)}</ul>')
