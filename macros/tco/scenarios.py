"""Named scenarios: the worked examples and the calculator's defaults.

A scenario is a set of inputs, not a fact, so it lives here as code; every
price it uses comes from ``pricing.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from macros.tco.model import Scenario


@dataclass(frozen=True)
class NamedScenario:
    """A scenario with a title and a one-sentence description.

    Attributes:
        id: Name used in ``tco_scenario(name=...)``.
        title: Human title.
        description: What the workload is.
        scenario: The inputs.
        pairs: Approach pairs whose break-even the page reports.
    """

    id: str
    title: str
    description: str
    scenario: Scenario
    pairs: tuple[tuple[str, str], ...] = ()


IPAAS_DEFAULT = (
    "n8n-self-hosted",
    "logic-apps",
    "celigo",
    "make",
    "boomi",
    "custom-code",
    "workato",
    "mulesoft",
    "zapier",
)
"""Approaches compared by default for application integration."""

SCENARIOS: dict[str, NamedScenario] = {
    s.id: s
    for s in (
        NamedScenario(
            "netsuite-50k",
            "NetSuite and 15 SaaS apps at 50,000 transactions a day",
            "1.5 million transactions a month, 4 action steps each, 20 flows, 16 connected apps, 3 years.",
            Scenario(approaches=IPAAS_DEFAULT),
            pairs=(("custom-code", "workato"), ("custom-code", "mulesoft"), ("n8n-self-hosted", "make")),
        ),
        NamedScenario(
            "small-team",
            "Small team: 5 flows, 5,000 transactions a month",
            "5,000 transactions a month, 3 action steps each, 5 flows, 6 apps, 3 years.",
            Scenario(
                transactions_per_month=5000,
                steps_per_transaction=3,
                flows=5,
                apps=6,
                approaches=("make", "zapier", "logic-apps", "n8n-self-hosted", "custom-code"),
            ),
            pairs=(("zapier", "n8n-self-hosted"), ("zapier", "logic-apps"), ("make", "n8n-self-hosted")),
        ),
        NamedScenario(
            "elt-20m-mar",
            "ELT build vs buy: 6 sources, 20 million MAR a month",
            "20 million monthly active rows, 30 million rows synced (churn 1.5), 6 sources, 3 years.",
            Scenario(
                transactions_per_month=0,
                flows=6,
                apps=6,
                mar=20_000_000,
                churn=1.5,
                approaches=("airbyte-cloud", "dlt", "airbyte-self-hosted", "custom-code", "fivetran"),
            ),
            pairs=(("dlt", "fivetran"), ("airbyte-cloud", "fivetran")),
        ),
    )
}
"""Every named scenario, by id."""

CALCULATOR_DEFAULT = "netsuite-50k"
"""The scenario the calculator opens with (and shows without JavaScript)."""
