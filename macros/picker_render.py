"""Render the pattern picker: a checklist form, its data and the decision table.

The questions, options and sentences come from
``snippets/patterns/pattern_picker.py`` and are embedded as JSON for
``docs/assets/javascripts/picker.js``; without JavaScript the form reads as a
checklist and the decision table below it gives the answer.
"""

from __future__ import annotations

import json

from macros.html import esc, page_href, table
from macros.models.patterns import PatternCatalog
from snippets.patterns import pattern_picker as picker

BUILD_PAGES = {
    "ipaas": "ipaas/comparison-matrix.md",
    "dlt": "dlt/index.md",
    "custom": "ipaas/ipaas-vs-custom-code.md",
}
"""Where each build option is discussed."""

SOURCE_PAGES = {
    "saas_api": ("connectors/cheat-sheet.md", "Connector cheat sheet: limits, paging and deletes per API"),
    "saas_webhooks": ("webhooks/receivers.md", "Webhook receivers: signatures, idempotency and replays"),
    "own_db": ("cdc/cdc-approaches.md", "CDC approaches: log-based, trigger and query-based capture"),
    "db_query": ("cdc/cdc-approaches.md", "CDC approaches: query-based capture and its limits"),
    "warehouse": ("reverse-etl/index.md", "Reverse ETL: syncing warehouse data to operational tools"),
    "files": ("dlt/index.md", "dlt pipelines: loading files and APIs incrementally"),
}
"""The reference page for each kind of source."""

COST_PAGE = ("tco/calculator.md", "Estimate the cost with the TCO calculator")

SALESFORCE = ("solutions/salesforce-to-snowflake.md", "Salesforce to Snowflake, scores written back")
DEBEZIUM = ("solutions/debezium-to-snowflake.md", "Debezium: PostgreSQL to Kafka to Snowflake")
GUIDES: dict[str, tuple[tuple[str, str], ...]] = {
    "dlt-pipelines": (SALESFORCE,),
    "webhooks": (
        ("solutions/stripe-webhook-endpoint.md", "A FastAPI webhook endpoint for Stripe"),
        ("solutions/shopify-orders-to-warehouse.md", "Shopify orders to the warehouse"),
    ),
    "batch-file": (("solutions/workday-downstream.md", "Workday to HR and identity systems"),),
    "reverse-etl": (
        ("solutions/bigquery-to-hubspot.md", "Custom Reverse ETL: BigQuery to HubSpot"),
        SALESFORCE,
    ),
    "cdc": (DEBEZIUM,),
    "pub-sub-events": (DEBEZIUM,),
    "request-reply": (
        ("solutions/workato-vs-mulesoft-netsuite.md", "Workato vs MuleSoft for NetSuite"),
        ("solutions/netsuite-salesforce-sync.md", "NetSuite and Salesforce in both directions"),
    ),
}
"""Solution guides that show a pattern end to end, by pattern id."""


def _json_for_script(value: object) -> str:
    """JSON that cannot close the ``<script>`` element it sits in."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def picker_payload(from_url: str, catalog: PatternCatalog) -> dict[str, object]:
    """The picker's texts and links, with links relative to the page.

    Args:
        from_url: URL of the page that shows the picker.
        catalog: The patterns dataset (names and pages).

    Returns:
        A JSON-ready dictionary for ``picker.js``.
    """
    data = picker.picker_data()
    data["patterns"] = [
        {"id": p.id, "name": p.name, "href": page_href(p.page or "patterns/choose-a-pattern.md", from_url)}
        for p in catalog.patterns
    ]
    data["build_links"] = {key: page_href(page, from_url) for key, page in BUILD_PAGES.items()}
    data["source_links"] = {
        key: [page_href(page, from_url), label] for key, (page, label) in SOURCE_PAGES.items()
    }
    data["cost_link"] = [page_href(COST_PAGE[0], from_url), COST_PAGE[1]]
    data["guides"] = {
        pattern: [[page_href(page, from_url), title] for page, title in guides]
        for pattern, guides in GUIDES.items()
    }
    return data


def _form() -> str:
    fieldsets = []
    for number, question in enumerate(picker.QUESTIONS, start=1):
        options = []
        for answer, label in question.options:
            input_id = f"picker-{question.id}-{answer}"
            checked = " checked" if answer == question.default else ""
            options.append(
                f'<label for="{esc(input_id)}"><input type="radio" id="{esc(input_id)}"'
                f' name="{esc(question.id)}" value="{esc(answer)}"{checked}> {esc(label)}</label>'
            )
        fieldsets.append(
            f'<fieldset id="picker-q-{esc(question.id)}"><legend>{number}. {esc(question.text)}</legend>'
            + "".join(options)
            + "</fieldset>"
        )
    return '<form class="ip-picker-form" action="#">' + "".join(fieldsets) + "</form>"


def decision_table(catalog: PatternCatalog, from_url: str = "") -> str:
    """The decision table: the first row whose condition holds gives the pattern.

    Args:
        from_url: URL of the page that shows the table.
        catalog: The patterns dataset (site data).

    Returns:
        An HTML table.
    """
    names = {p.id: p for p in catalog.patterns}
    rows = []
    for order, rule in enumerate(picker.RULES, start=1):
        pattern = names[rule.pattern]
        href = page_href(pattern.page or "patterns/choose-a-pattern.md", from_url)
        rows.append(
            [
                str(order),
                esc(rule.when),
                f'<a href="{esc(href)}">{esc(pattern.name)}</a>',
                esc(rule.reason[:1].upper() + rule.reason[1:]) + ".",
            ]
        )
    build = [
        [
            str(order),
            esc(picker.BUILD_WHEN[reason]),
            esc(picker.BUILD_NAMES[option]),
            esc(picker.BUILD_REASONS[reason][:1].upper() + picker.BUILD_REASONS[reason][1:]) + ".",
        ]
        for order, (reason, option) in enumerate(picker.BUILD_OPTION_OF.items(), start=1)
    ]
    return table(
        "Which pattern: the first row whose condition holds decides",
        ["Order", "When", "Pattern", "Why"],
        rows,
        table_id="picker-decision-table",
    ) + table(
        "Who builds it: the first row that holds decides",
        ["Order", "When", "Build with", "Why"],
        build,
        table_id="picker-build-table",
    )


def pattern_picker(catalog: PatternCatalog, from_url: str = "") -> str:
    """Render the picker: questions as a checklist, the result area and the embedded data.

    Args:
        from_url: URL of the page that shows the picker (for relative links).
        catalog: The patterns dataset (site data).

    Returns:
        One HTML block with no blank lines.
    """
    payload = _json_for_script(picker_payload(from_url, catalog))
    return (
        '<div class="ip-picker" data-widget="picker">'
        + _form()
        + '<p class="ip-picker-notice" role="status" hidden></p>'
        + '<div class="ip-picker-result" aria-live="polite" aria-atomic="true">'
        + "<p>Without JavaScript, read the questions as a checklist and use the decision tables"
        + " below: the first row whose condition holds for your integration gives the answer.</p>"
        + "</div>"
        + f'<script type="application/json" class="ip-picker-data">{payload}</script>'
        + "</div>"
    )
