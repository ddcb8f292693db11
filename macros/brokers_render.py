"""Render the broker capability comparison and per-broker fact boxes."""

from __future__ import annotations

from macros import datasets
from macros.html import esc, fact_value, page_href, table
from macros.models.brokers import CAPABILITIES, Broker, BrokerCatalog


def _catalog() -> BrokerCatalog:
    catalog = datasets.load("brokers")
    assert isinstance(catalog, BrokerCatalog)
    return catalog


def _broker_heading(broker: Broker, from_url: str) -> str:
    """Broker name, linked to its page when there is one."""
    name = esc(broker.name)
    if broker.page:
        name = f'<a href="{esc(page_href(broker.page, from_url))}">{name}</a>'
    return name


def broker_comparison(from_url: str = "", catalog: BrokerCatalog | None = None) -> str:
    """Render the comparison: one row per capability, one column per broker.

    Args:
        from_url: URL of the page that shows the table (for relative links).
        catalog: The data to render; defaults to ``brokers.yaml``.

    Returns:
        An HTML table; each row has the anchor ``capability-<field>``.
    """
    catalog = catalog or _catalog()
    brokers = catalog.brokers
    header_row = ["Capability", *[b.name for b in brokers]]
    rows = [
        [
            esc(label),
            *[fact_value(getattr(b.facts, field)) for b in brokers],
        ]
        for field, label in CAPABILITIES.items()
    ]
    kinds = [
        ["What it is", *[f"{_broker_heading(b, from_url)}<br><small>{esc(b.kind)}</small>" for b in brokers]]
    ]
    return table(
        "Message brokers and event services compared",
        header_row,
        kinds + rows,
        table_id="broker-comparison",
        row_ids=["capability-kind", *[f"capability-{field.replace('_', '-')}" for field in CAPABILITIES]],
    )


def broker_facts(broker_id: str, from_url: str = "", catalog: BrokerCatalog | None = None) -> str:
    """Render one broker's facts as a two-column table (for that broker's own page).

    Args:
        broker_id: The broker to show, for example ``"kafka"``.
        from_url: URL of the page that shows the table (for relative links).
        catalog: The data to render; defaults to ``brokers.yaml``.

    Returns:
        An HTML table with one row per capability.
    """
    catalog = catalog or _catalog()
    broker = catalog.broker(broker_id)
    comparison = page_href("events/broker-comparison.md", from_url)
    rows = [[esc(label), fact_value(getattr(broker.facts, field))] for field, label in CAPABILITIES.items()]
    rendered = table(
        f"{broker.name} at a glance",
        ["Capability", broker.name],
        rows,
        table_id=f"broker-{broker.id}-facts",
    )
    link = f'<a href="{esc(comparison)}">broker comparison</a>'
    return f'{rendered}\n<p class="ip-note">Compare with other brokers: {link}.</p>'
