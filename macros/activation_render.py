"""Render the Reverse ETL comparison, the field mapping table and the security tiers."""

from __future__ import annotations

from macros.html import Markup, fact_value, page_href, source_links, table
from macros.models.field_mappings import FieldMappingTable, Mapping
from macros.models.reverse_etl import ReverseEtlComparison
from macros.models.security_tiers import SecurityTiers


def reverse_etl_table(comparison: ReverseEtlComparison) -> Markup:
    """Render Hightouch vs Census vs a custom build, one sourced fact per cell.

    Args:
        comparison: The data to render (``reverse_etl.yaml``).

    Returns:
        An HTML table; each row has the anchor ``retl-<criterion id>``.
    """
    headers = [o.name + (f" ({o.note})" if o.note else "") for o in comparison.options]
    rows = [
        [c.criterion, *[fact_value(c.values[o.id]) for o in comparison.options]] for c in comparison.criteria
    ]
    return table(
        "Reverse ETL: Hightouch, Census and a custom build",
        ["Criterion", *headers],
        rows,
        table_id="reverse-etl-comparison",
        row_ids=[f"retl-{c.id}" for c in comparison.criteria],
    )


def _mapping_cell(mapping: Mapping) -> Markup:
    """Show a source field with its transform, or the reason it is unmapped."""
    if mapping.unmapped is not None:
        return Markup('<span class="ip-unmapped"><strong>Unmapped.</strong> {}</span>').format(
            mapping.unmapped
        )
    cell = Markup("<code>{}</code>").format(mapping.source_field)
    if mapping.transform:
        cell += Markup("<br><small>{}</small>").format(mapping.transform)
    return cell


def field_mapping_table(mappings: FieldMappingTable, from_url: str = "") -> Markup:
    """Render the canonical field mapping table with its CSV and JSON downloads.

    Args:
        mappings: The data to render (``field_mappings.yaml``).
        from_url: URL of the page showing the table (for the download links).

    Returns:
        HTML: the table (rows anchored ``field-<name>``) and a download line.
    """
    headers = [
        "Canonical field",
        "Type",
        "Required",
        *[f"{s.name} {s.object}" for s in mappings.systems],
    ]
    rows = [
        [
            Markup("<code>{}</code><br><small>{}</small>").format(f.id, f.description),
            f.type,
            "Yes" if f.required else "No",
            *[_mapping_cell(f.mappings[s.id]) for s in mappings.systems],
        ]
        for f in mappings.fields
    ]
    caption = f"Field mappings for the canonical {mappings.entity} model, version {mappings.model_version}"
    html = table(
        caption, headers, rows, table_id="field-mappings", row_ids=[f"field-{f.id}" for f in mappings.fields]
    )
    base = page_href("data/field_mappings", from_url).rstrip("/")
    downloads = Markup(
        '<p class="ip-downloads">Download: <a href="{0}.csv" download>field_mappings.csv</a> · '
        '<a href="{0}.json" download>field_mappings.json</a>. Object references: {1}.</p>'
    ).format(base, source_links(s.docs for s in mappings.systems))
    return html + Markup("\n\n") + downloads


def security_tiers_table(tiers: SecurityTiers) -> Markup:
    """Render what each environment tier allows, one row per capability.

    Args:
        tiers: The data to render (``security_tiers.yaml``).

    Returns:
        An HTML table; each row has the anchor ``tier-<capability id>``.
    """
    headers = ["Capability", *[t.name for t in tiers.tiers], "Sources"]
    rows = [
        [
            c.capability,
            *[c.allowed[t.id] for t in tiers.tiers],
            Markup("{}<br><small>reviewed {}</small>").format(
                source_links(c.sources), c.reviewed.isoformat()
            ),
        ]
        for c in tiers.capabilities
    ]
    return table(
        "What each security tier allows",
        headers,
        rows,
        table_id="security-tiers-table",
        row_ids=[f"tier-{c.id}" for c in tiers.capabilities],
    )
