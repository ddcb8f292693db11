"""Schema of ``pricing.yaml``: list prices, usage schedules and effort defaults.

One record per approach (an iPaaS platform, a self-run tool or custom code).
The same record feeds the iPaaS matrix (its ``list_price`` fact) and the TCO
model (its ``usage``, ``licence`` and ``effort`` blocks), so a price is written
down exactly once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from macros.models.common import Fact, NonNegative, ReviewDate, Source, Sourced, StrictModel

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
"""Lower-case, hyphenated identifier."""

BillingUnit = Literal["tasks", "credits", "executions", "la_calls", "mar", "ab_credits", "none"]
"""What an approach bills per month.

``tasks`` = T × S (trigger free); ``credits`` = T × (S + 1) (trigger counted);
``executions`` = T / B; ``la_calls`` = T × (S + 1); ``mar`` = monthly active
rows; ``ab_credits`` = rows synced / 1e6 × 6 + GB × 4; ``none`` = no usage meter.
"""

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
"""A fraction between 0 and 1."""

Driver = Literal["tasks", "executions", "connections", "flows", "records"]
"""What a volume-stepped price grows with.

``tasks`` = T × S; ``executions`` = T / B; ``connections`` = connected apps;
``flows`` = flows; ``records`` = T × S + MAR × churn (records moved a month).
"""


class Range(StrictModel):
    """A default with a low and a high bound (low ≤ default ≤ high).

    Attributes:
        low: Optimistic value.
        default: The value the model uses unless the reader overrides it.
        high: Pessimistic value.
    """

    low: NonNegative
    default: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"expected low <= default <= high, got {self.low}, {self.default}, {self.high}")
        return self


class Tier(StrictModel):
    """One step of a graduated price schedule.

    Attributes:
        upto: Upper bound of the step in billable units (after the included
            units); ``None`` means no upper bound.
        rate: Price per unit inside this step, in USD.
    """

    upto: NonNegative | None
    rate: NonNegative


class Step(StrictModel):
    """One row of a step table: the amount charged while the driver is at most ``upto``.

    Attributes:
        upto: Largest driver volume of this row; ``None`` for the last row.
        amount: Low, default and high amount of this row.
    """

    upto: NonNegative | None
    amount: Range


class Steps(StrictModel):
    """A step function of volume: the first row whose ``upto`` covers the driver applies.

    Attributes:
        driver: What the steps are counted in.
        steps: Rows in increasing order; the last has no upper bound.
    """

    driver: Driver
    steps: Annotated[list[Step], Field(min_length=1)]

    @model_validator(mode="after")
    def _rows_increase(self) -> Steps:
        uppers = [s.upto for s in self.steps]
        if uppers[-1] is not None:
            raise ValueError("the last step must have no upper bound (upto: null)")
        bounded = [u for u in uppers[:-1] if u is not None]
        if len(bounded) != len(uppers) - 1 or bounded != sorted(set(bounded)):
            raise ValueError("step upper bounds must be set and strictly increasing")
        return self


class GraduatedUsage(Sourced):
    """A base fee with included units, then graduated per-unit rates.

    Amounts are in the plan's currency; the model converts them to US
    dollars with ``usd_rate``.

    Attributes:
        scheme: Always ``graduated``.
        plan: The vendor's name of the plan modelled (``Teams``, ``Pro``...).
        currency: ISO 4217 code of the plan's prices.
        usd_rate: US dollars per one unit of ``currency`` (exactly 1 for USD).
        base_monthly: Monthly fee, paid whatever the volume.
        included: Units included in the base fee each month.
        tiers: Steps in increasing order; the last one has no upper bound.
        self_serve_max: Highest monthly unit count a published self-serve
            plan covers; above it the vendor sells only by quote.
        per_connection: The tiers apply to each connection's units, not the
            account's (Fivetran since March 2025); the model spreads the units
            evenly over the flows.
        connection_minimum: Smallest charge of a connection with any units.
        free_up_to: Monthly units a free plan covers entirely (no charge at
            or below it); ``None`` when there is no such plan.
        rate_factor: Multiplier on every rate for the low/default/high band
            (1/1/1 for published rates).
    """

    scheme: Literal["graduated"] = "graduated"
    plan: Annotated[str, Field(min_length=1)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    usd_rate: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 1
    base_monthly: NonNegative = 0
    included: NonNegative = 0
    tiers: Annotated[list[Tier], Field(min_length=1)]
    self_serve_max: NonNegative | None = None
    per_connection: bool = False
    connection_minimum: NonNegative = 0
    free_up_to: NonNegative | None = None
    rate_factor: Range = Range(low=1, default=1, high=1)

    @model_validator(mode="after")
    def _tiers_increase(self) -> GraduatedUsage:
        if self.currency == "USD" and self.usd_rate != 1:
            raise ValueError("a USD price needs usd_rate 1")
        uppers = [t.upto for t in self.tiers]
        if uppers[-1] is not None:
            raise ValueError("the last tier must have no upper bound (upto: null)")
        bounded = [u for u in uppers[:-1] if u is not None]
        if len(bounded) != len(uppers) - 1 or bounded != sorted(set(bounded)):
            raise ValueError("tier upper bounds must be set and strictly increasing")
        return self


class SplitCallUsage(Sourced):
    """Per-call pricing split by connector class (Azure Logic Apps Consumption).

    Attributes:
        scheme: Always ``split-calls``.
        builtin_rate: USD per built-in action.
        standard_rate: USD per standard connector call.
        enterprise_rate: USD per enterprise connector call.
        free_builtin: Built-in actions free each month.
        standard_share: Share of calls that use standard connectors.
        enterprise_share: Share of calls that use enterprise connectors.
        rate_factor: Multiplier on every rate for the band.
    """

    scheme: Literal["split-calls"] = "split-calls"
    builtin_rate: NonNegative
    standard_rate: NonNegative
    enterprise_rate: NonNegative
    free_builtin: NonNegative = 0
    standard_share: Share
    enterprise_share: Share
    rate_factor: Range = Range(low=1, default=1, high=1)

    @model_validator(mode="after")
    def _shares(self) -> SplitCallUsage:
        if self.standard_share + self.enterprise_share > 1:
            raise ValueError("standard_share + enterprise_share must not exceed 1")
        return self


class Licence(Sourced):
    """Annual licence for quote-based platforms, in USD per year.

    Exactly one of ``annual`` (a flat licence) and ``by_volume`` (editions
    that grow with the workload) is given.

    Attributes:
        annual: Low, default and high estimate of the yearly licence.
        by_volume: Yearly licence by volume step, when the vendor prices that way.
    """

    annual: Range | None = None
    by_volume: Steps | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Licence:
        if (self.annual is None) == (self.by_volume is None):
            raise ValueError("give exactly one of 'annual' and 'by_volume'")
        return self


class Edition(Sourced):
    """The paid edition a self-hosted tool needs for SSO, RBAC and environments.

    Attributes:
        name: The edition's name.
        annual: Low, default and high yearly licence, in USD.
        quote: True when the edition is sold only by quote.
    """

    name: Annotated[str, Field(min_length=1)]
    annual: Range
    quote: bool = False


class Effort(Sourced):
    """People and infrastructure defaults for one approach.

    Attributes:
        setup_hours: One-off platform setup, in engineer hours.
        build_hours_per_flow: Hours to build one flow (or source).
        maintenance_share: Share of build effort spent each year on maintenance.
        ops_hours_per_month: Monitoring, incidents, upgrades and admin.
        infra_monthly: Hosting cost per month, in USD (self-run options).
        infra_steps: Hosting per month by volume step, instead of ``infra_monthly``.
    """

    setup_hours: NonNegative
    build_hours_per_flow: Range
    maintenance_share: Range
    ops_hours_per_month: NonNegative
    infra_monthly: Range | None = None
    infra_steps: Steps | None = None

    @model_validator(mode="after")
    def _one_infra(self) -> Effort:
        if (self.infra_monthly is None) == (self.infra_steps is None):
            raise ValueError("give exactly one of 'infra_monthly' and 'infra_steps'")
        return self


class MonthlyUsd(Sourced):
    """An entry price normalised to US dollars a month, so the matrix can sort by price.

    The conversion is a sourced fact of its own: the published amount and
    currency, the rate used and the date of that rate.

    Attributes:
        value: US dollars a month; 0 for pay-as-you-go prices with no minimum.
        currency: ISO 4217 code of the published price (``USD``, ``EUR``...).
        amount: The published monthly amount, in ``currency``.
        usd_rate: US dollars per one unit of ``currency`` (exactly 1 for USD).
        rate_date: The date of the exchange rate (for USD, the review date).
    """

    value: NonNegative
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    amount: NonNegative
    usd_rate: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    rate_date: ReviewDate

    @model_validator(mode="after")
    def _converted(self) -> MonthlyUsd:
        if self.currency == "USD" and self.usd_rate != 1:
            raise ValueError("a USD price needs usd_rate 1")
        if abs(round(self.amount * self.usd_rate, 2) - self.value) > 0.005:
            raise ValueError(
                f"value {self.value} is not amount {self.amount} x usd_rate {self.usd_rate}, rounded to cents"
            )
        return self


class Approach(StrictModel):
    """One way to run the integrations: a platform, a tool or custom code.

    Attributes:
        id: Stable identifier used in URLs and by the iPaaS matrix.
        name: Human name.
        category: ``ipaas`` (workflow integration), ``elt`` (data pipelines)
            or ``both``.
        billing_unit: What the vendor meters.
        list_price: Entry or list price summary shown in the iPaaS matrix.
        list_price_monthly_usd: The entry price as US dollars a month, for
            sorting the matrix; absent for quote-only prices.
        usage: Usage price schedule, when usage is billed separately from
            the licence (quote-based platforms fold usage into the licence).
        licence: Annual licence, when the platform is sold by quote.
        effort: Build, run and infrastructure defaults.
        enterprise_edition: The paid edition a self-hosted tool switches to
            when SSO, RBAC or environments are needed.
    """

    id: Slug
    name: str
    category: Literal["ipaas", "elt", "both"]
    billing_unit: BillingUnit
    list_price: Fact | None = None
    list_price_monthly_usd: MonthlyUsd | None = None
    usage: GraduatedUsage | SplitCallUsage | None = Field(default=None, discriminator="scheme")
    licence: Licence | None = None
    effort: Effort
    enterprise_edition: Edition | None = None

    @model_validator(mode="after")
    def _usage_matches_unit(self) -> Approach:
        if self.usage is not None and self.billing_unit == "none":
            raise ValueError("billing_unit 'none' cannot have a usage schedule")
        if isinstance(self.usage, SplitCallUsage) and self.billing_unit != "la_calls":
            raise ValueError("the split-calls scheme needs billing_unit 'la_calls'")
        return self


def _all_sources(approach: Approach) -> list[Source]:
    """Every distinct source an approach's figures cite, in record order."""
    found: list[Source] = []
    parts = (
        approach.list_price,
        approach.usage,
        approach.licence,
        approach.effort,
        approach.enterprise_edition,
    )
    for part in parts:
        if part is not None:
            found.extend(src for src in part.sources if src not in found)
    return found


def _first_range(flat: Range | None, steps: Steps | None) -> Range:
    """The flat range, or the first step's (the smallest volume) for a step table."""
    if flat is not None:
        return flat
    if steps is None:  # the record validators require one of the two
        raise ValueError("a price needs a flat range or a step table")
    return steps.steps[0].amount


class PricingCatalog(StrictModel):
    """The whole ``pricing.yaml`` file.

    Attributes:
        approaches: Every approach the TCO model and the matrix know.
    """

    approaches: Annotated[list[Approach], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> PricingCatalog:
        ids = [a.id for a in self.approaches]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate approach ids: {', '.join(duplicates)}")
        return self

    def csv_rows(self) -> list[dict[str, str]]:
        """Flatten each approach into one CSV row of its headline figures.

        Returns:
            One dict per approach.
        """
        rows = []
        for a in self.approaches:
            usage = a.usage
            licence = _first_range(a.licence.annual, a.licence.by_volume) if a.licence else None
            infra = _first_range(a.effort.infra_monthly, a.effort.infra_steps)
            rows.append(
                {
                    "id": a.id,
                    "name": a.name,
                    "category": a.category,
                    "billing_unit": a.billing_unit,
                    "list_price": str(a.list_price.value) if a.list_price else "",
                    "list_price_estimate": str(a.list_price.estimate).lower() if a.list_price else "",
                    "usage_scheme": usage.scheme if usage else "",
                    "usage_estimate": str(usage.estimate).lower() if usage else "",
                    "licence_default_usd_year": str(licence.default) if licence else "0",
                    "licence_low_usd_year": str(licence.low) if licence else "0",
                    "licence_high_usd_year": str(licence.high) if licence else "0",
                    "licence_by": a.licence.by_volume.driver if a.licence and a.licence.by_volume else "",
                    "setup_hours": str(a.effort.setup_hours),
                    "build_hours_per_flow": str(a.effort.build_hours_per_flow.default),
                    "maintenance_share": str(a.effort.maintenance_share.default),
                    "ops_hours_per_month": str(a.effort.ops_hours_per_month),
                    "infra_monthly_usd": str(infra.default),
                    "infra_by": a.effort.infra_steps.driver if a.effort.infra_steps else "",
                    "sources": "; ".join(f"{src.title} <{src.url}>" for src in _all_sources(a)),
                }
            )
        return rows
