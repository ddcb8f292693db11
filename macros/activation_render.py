"""Render the Reverse ETL comparison, the field mapping table and the security tiers."""

from __future__ import annotations

from macros import datasets
from macros.html import esc, fact_value, page_href, source_links, table
from macros.models.field_mappings import FieldMappingTable, Mapping
from macros.models.reverse_etl import ReverseEtlComparison
from macros.models.security_tiers import SecurityTiers


def reverse_etl_table(comparison: ReverseEtlComparison | None = None) -> str:
    """Render Hightouch vs Census vs a custom build, one sourced fact per cell.

    Args:
        comparison: The data to render; defaults to ``reverse_etl.yaml``.

    Returns:
        An HTML table; each row has the anchor ``retl-<criterion id>``.
    """
    data = comparison or datasets.load("reverse_etl")
    assert isinstance(data, ReverseEtlComparison)
    headers = ["Criterion", *[o.name + (f" ({o.note})" if o.note else "") for o in data.options]]
    rows = [[esc(c.criterion), *[fact_value(c.values[o.id]) for o in data.options]] for c in data.criteria]
    return table(
        "Reverse ETL: Hightouch, Census and a custom build",
        headers,
        rows,
        table_id="reverse-etl-comparison",
        row_ids=[f"retl-{c.id}" for c in data.criteria],
    )


def _mapping_cell(mapping: Mapping) -> str:
    """Show a source field with its transform, or the reason it is unmapped."""
    if mapping.unmapped is not None:
        return f'<span class="ip-unmapped"><strong>Unmapped.</strong> {esc(mapping.unmapped)}</span>'
    transform = f"<br><small>{esc(mapping.transform)}</small>" if mapping.transform else ""
    return f"<code>{esc(mapping.source_field)}</code>{transform}"


def field_mapping_table(from_url: str = "", mappings: FieldMappingTable | None = None) -> str:
    """Render the canonical field mapping table with its CSV and JSON downloads.

    Args:
        from_url: URL of the page showing the table (for the download links).
        mappings: The data to render; defaults to ``field_mappings.yaml``.

    Returns:
        HTML: the table (rows anchored ``field-<name>``) and a download line.
    """
    data = mappings or datasets.load("field_mappings")
    assert isinstance(data, FieldMappingTable)
    headers = [
        "Canonical field",
        "Type",
        "Required",
        *[f"{s.name} {s.object}" for s in data.systems],
    ]
    rows = [
        [
            f"<code>{esc(f.id)}</code><br><small>{esc(f.description)}</small>",
            esc(f.type),
            "Yes" if f.required else "No",
            *[_mapping_cell(f.mappings[s.id]) for s in data.systems],
        ]
        for f in data.fields
    ]
    caption = f"Field mappings for the canonical {data.entity} model, version {data.model_version}"
    html = table(
        caption, headers, rows, table_id="field-mappings", row_ids=[f"field-{f.id}" for f in data.fields]
    )
    base = page_href("data/field_mappings", from_url).rstrip("/")
    refs = source_links(s.docs for s in data.systems)
    return (
        f"{html}\n\n"
        f'<p class="ip-downloads">Download: <a href="{esc(base)}.csv" download>field_mappings.csv</a> · '
        f'<a href="{esc(base)}.json" download>field_mappings.json</a>. Object references: {refs}.</p>'
    )


def security_tiers_table(tiers: SecurityTiers | None = None) -> str:
    """Render what each environment tier allows, one row per capability.

    Args:
        tiers: The data to render; defaults to ``security_tiers.yaml``.

    Returns:
        An HTML table; each row has the anchor ``tier-<capability id>``.
    """
    data = tiers or datasets.load("security_tiers")
    assert isinstance(data, SecurityTiers)
    headers = ["Capability", *[t.name for t in data.tiers], "Sources"]
    rows = [
        [
            esc(c.capability),
            *[esc(c.allowed[t.id]) for t in data.tiers],
            f"{source_links(c.sources)}<br><small>reviewed {c.reviewed.isoformat()}</small>",
        ]
        for c in data.capabilities
    ]
    return table(
        "What each security tier allows",
        headers,
        rows,
        table_id="security-tiers-table",
        row_ids=[f"tier-{c.id}" for c in data.capabilities],
    )
