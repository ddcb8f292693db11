"""Render two platforms of the iPaaS matrix side by side, for a solution guide.

The cells come from the same data and the same cell renderer as the
comparison matrix; this module only lays out two columns of it.
"""

from __future__ import annotations

from urllib.parse import quote

from macros.html import esc, page_href
from macros.ipaas_render import cell_html
from macros.models.ipaas import IpaasMatrix


def ipaas_pair(
    matrix: IpaasMatrix,
    first: str,
    second: str,
    criteria: list[str] | None = None,
    from_url: str = "",
) -> str:
    """Render the matrix rows of two platforms as one table, criterion by criterion.

    Args:
        matrix: The comparison matrix (site data).
        first: The first platform's id, for example ``"workato"``.
        second: The second platform's id.
        criteria: Criterion ids to show, in order; all criteria when omitted.
        from_url: URL of the page showing the table (for the link to the matrix).

    Returns:
        An HTML table with one row per criterion and a link to the matrix.

    Raises:
        KeyError: An unknown platform or criterion id (stops the build).
    """
    platforms = {p.id: p for p in matrix.platforms}
    by_id = {c.id: c for c in matrix.criteria}
    for platform_id in (first, second):
        if platform_id not in platforms:
            raise KeyError(f"ipaas_pair: unknown platform {platform_id!r}")
    wanted = criteria or [c.id for c in matrix.criteria]
    unknown = [c for c in wanted if c not in by_id]
    if unknown:
        raise KeyError(f"ipaas_pair: unknown criteria {unknown}")
    a, b = platforms[first], platforms[second]
    rows = []
    for criterion_id in wanted:
        criterion = by_id[criterion_id]
        cells = []
        for platform in (a, b):
            cell = matrix.cell(platform, criterion)
            cells.append(
                f"<td>{cell_html(cell, f'{platform.name}, {criterion.name}')}"
                f"<br><small>reviewed {cell.reviewed.isoformat()}</small></td>"
            )
        rows.append(f'<tr><th scope="row">{esc(criterion.name)}</th>{"".join(cells)}</tr>')
    caption = f"{a.name} and {b.name}: rows of the comparison matrix, with their sources"
    matrix_href = page_href("ipaas/comparison-matrix.md", from_url)
    query = quote(f"{a.name} {b.name}")
    return (
        f'<div class="ip-table-wrap" tabindex="0" role="region" aria-label="{esc(caption)}">'
        f'<table class="ip-table ip-facts"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">Criterion</th><th scope="col">{esc(a.name)}</th>'
        f'<th scope="col">{esc(b.name)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f'<p><a href="{esc(matrix_href)}?q={esc(query)}">'
        "Compare them with the other platforms in the matrix</a></p>"
    )
