"""Render the broker capability comparison and per-broker fact boxes."""

from __future__ import annotations

from macros.html import Markup, fact_value, page_href, table
from macros.models.brokers import CAPABILITIES, Broker, BrokerCatalog


def _broker_heading(broker: Broker, from_url: str) -> Markup:
    """Broker name, linked to its page when there is one."""
    if broker.page:
        return Markup('<a href="{}">{}</a>').format(page_href(broker.page, from_url), broker.name)
    return Markup("{}").format(broker.name)


def broker_comparison(catalog: BrokerCatalog, from_url: str = "") -> Markup:
    """Render the comparison: one row per capability, one column per broker.

    Args:
        catalog: The data to render (``brokers.yaml``).
        from_url: URL of the page that shows the table (for relative links).

    Returns:
        An HTML table; each row has the anchor ``capability-<field>``.
    """
    brokers = catalog.brokers
    header_row = ["Capability", *[b.name for b in brokers]]
    rows = [
        [
            label,
            *[fact_value(getattr(b.facts, field)) for b in brokers],
        ]
        for field, label in CAPABILITIES.items()
    ]
    kinds = [
        [
            "What it is",
            *[
                Markup("{}<br><small>{}</small>").format(_broker_heading(b, from_url), b.kind)
                for b in brokers
            ],
        ]
    ]
    return table(
        "Message brokers and event services compared",
        header_row,
        kinds + rows,
        table_id="broker-comparison",
        row_ids=["capability-kind", *[f"capability-{field.replace('_', '-')}" for field in CAPABILITIES]],
    )


def broker_facts(catalog: BrokerCatalog, broker_id: str, from_url: str = "") -> Markup:
    """Render one broker's facts as a two-column table (for that broker's own page).

    Args:
        catalog: The data to render (``brokers.yaml``).
        broker_id: The broker to show, for example ``"kafka"``.
        from_url: URL of the page that shows the table (for relative links).

    Returns:
        An HTML table with one row per capability.
    """
    broker = catalog.broker(broker_id)
    comparison = page_href("events/broker-comparison.md", from_url)
    rows = [[label, fact_value(getattr(broker.facts, field))] for field, label in CAPABILITIES.items()]
    rendered = table(
        f"{broker.name} at a glance",
        ["Capability", broker.name],
        rows,
        table_id=f"broker-{broker.id}-facts",
    )
    return rendered + Markup(
        '\n<p class="ip-note">Compare with other brokers: <a href="{}">broker comparison</a>.</p>'
    ).format(comparison)
