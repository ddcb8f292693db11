"""The TCO model: pure functions from a scenario and the price data to costs.

Every function here has a twin of the same name in the calculator's
JavaScript (``docs/assets/javascripts/tco.js``); a parity test runs both on
generated scenarios and requires agreement to the cent. To make that possible
the arithmetic is written in one fixed order, powers are built by repeated
multiplication, and nothing is rounded until display.

Formulas (T transactions a month, S action steps per transaction, B
transactions per execution, F flows, r integration developer cost per hour,
o platform/ops engineer cost per hour, Y years, e price escalator, d discount
rate, k negotiated discount, p parallel-run months, q risk adjustment):

* units a month: tasks = T·S; credits = T·(S+1); executions = T/B;
  Logic Apps calls = T·(S+1); MAR; Airbyte credits = rows/1e6·6 + GB·4.
* usage a month: (base + graduated(units − included) over the tiers) · USD rate · (1 − k),
  or units · the reader's own rate · (1 − k).
* licence a year: flat, or the step of a volume table; plus the paid edition
  of a self-hosted tool when enterprise features are needed; · (1 − k).
* infrastructure a month: flat, or the step of a volume table.
* build = (setup hours + build hours per flow · F) · r, paid once at the start.
* one-off = partner + training + migration (the reader's lines) + p · (licence + usage + infra a year) / 12.
* run and maintain a year = build hours · F · maintenance share · r + ops hours · 12 · o
  (+ on-call a month · 12 for self-run tools).
* subtotal = build + one-off + Σ_{y<Y} [(licence + usage)·(1+e)^y + run + infra] / (1+d)^(y+1);
  total = subtotal + q · subtotal.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from macros.models.common import StrictModel
from macros.models.pricing import (
    Approach,
    GraduatedUsage,
    PricingCatalog,
    Range,
    SplitCallUsage,
    Steps,
)
from macros.tco import prices, text

Level = Literal["low", "default", "high"]
"""Which end of each range to use: the band is low / default / high."""

LEVELS: tuple[Level, ...] = ("low", "default", "high")

BISECTION_STEPS = 60
"""Iterations of the break-even volume bisection (enough for double precision)."""

VOLUME_RANGE = {"transactions": (1.0, 5e7), "mar": (1.0, 5e9)}
"""Search interval of the break-even volume, per measure, in units a month."""

OVERRIDE_LIMITS = {
    "build_hours": 10_000.0,
    "maintenance_share": 1.0,
    "licence": 1e8,
    "discount": 1.0,
    "usage_rate": 1000.0,
    "partner": 1e8,
    "training": 1e8,
    "migration": 1e8,
}
"""Largest value of each per-approach override (the smallest is 0)."""

ROW_UNITS = ("mar", "ab_credits")
"""Billing units counted in rows rather than in transactions."""

SENSITIVITY = {"rate_swing": 0.3, "volume_low": 0.5, "volume_high": 2.0}
"""How far the sensitivity chart moves engineer rates (±30 %) and volume (×0.5, ×2)."""

SENSITIVITY_FACTORS = ("licence", "rate", "volume", "maintenance", "build")
"""Inputs the sensitivity chart varies one at a time, in tie order."""


class Scenario(StrictModel):
    """The inputs of one TCO comparison.

    Every field has a documented range; a value outside it is rejected with a
    message naming the field (the calculator applies the same limits).

    Attributes:
        transactions_per_month: Business transactions a month (T).
        steps_per_transaction: Action steps per transaction, loop items included (S).
        batch_size: Transactions handled by one workflow execution (B).
        flows: Flows or integrations to build (F).
        apps: Connected applications (drives connection-licensed prices).
        mar: Monthly active rows, for ELT approaches.
        churn: Rows synced per monthly active row (Airbyte bills rows synced).
        db_gb: Gigabytes a month read from database and file sources (Airbyte).
        years: Horizon in whole years (Y).
        engineer_rate: Integration developer cost, USD per hour (r): build and maintenance.
        ops_rate: Platform or operations engineer cost, USD per hour (o): operations hours.
        on_call_monthly: On-call allowance, USD a month, for self-run tools.
        parallel_months: Months the new approach's platform costs are paid
            while the old system still runs (a one-off).
        risk: Risk adjustment added to the total, 0.1 = 10 % (TEI-style).
        enterprise_features: SSO, RBAC or environments are needed: self-hosted
            tools switch to their paid edition.
        escalator: Yearly increase of licence and usage prices (e), 0.05 = 5 %.
        discount_rate: Yearly discount rate for present value (d).
        approaches: Approach ids to compare, in display order.
        build_hours: Override of build hours per flow, by approach id.
        maintenance_share: Override of the yearly maintenance share, by approach id.
        licence: Override of the yearly licence (a real quote), by approach id.
        discount: Negotiated discount on licence and usage, by approach id.
        usage_rate: The reader's own price per billing unit, by approach id.
        partner: One-off implementation partner cost, USD, by approach id.
        training: One-off training cost, USD, by approach id.
        migration: One-off migration or exit cost, USD, by approach id.
    """

    transactions_per_month: float = Field(default=1_500_000, ge=0, le=1e9, allow_inf_nan=False)
    steps_per_transaction: float = Field(default=4, ge=0, le=1000, allow_inf_nan=False)
    batch_size: float = Field(default=1, ge=1, le=1e6, allow_inf_nan=False)
    flows: int = Field(default=20, ge=0, le=10_000)
    apps: int = Field(default=16, ge=0, le=10_000)
    mar: float = Field(default=0, ge=0, le=1e11, allow_inf_nan=False)
    churn: float = Field(default=1.5, ge=0, le=100, allow_inf_nan=False)
    db_gb: float = Field(default=0, ge=0, le=1e7, allow_inf_nan=False)
    years: int = Field(default=3, ge=1, le=10)
    engineer_rate: float = Field(default=100, ge=0, le=2000, allow_inf_nan=False)
    ops_rate: float = Field(default=100, ge=0, le=2000, allow_inf_nan=False)
    on_call_monthly: float = Field(default=0, ge=0, le=1e6, allow_inf_nan=False)
    parallel_months: float = Field(default=0, ge=0, le=36, allow_inf_nan=False)
    risk: float = Field(default=0, ge=0, le=1, allow_inf_nan=False)
    enterprise_features: bool = False
    escalator: float = Field(default=0, ge=0, le=0.5, allow_inf_nan=False)
    discount_rate: float = Field(default=0, ge=0, le=0.5, allow_inf_nan=False)
    approaches: tuple[str, ...] = Field(min_length=1, max_length=30)
    build_hours: dict[str, float] = Field(default_factory=dict)
    maintenance_share: dict[str, float] = Field(default_factory=dict)
    licence: dict[str, float] = Field(default_factory=dict)
    discount: dict[str, float] = Field(default_factory=dict)
    usage_rate: dict[str, float] = Field(default_factory=dict)
    partner: dict[str, float] = Field(default_factory=dict)
    training: dict[str, float] = Field(default_factory=dict)
    migration: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _override_ranges(self) -> Scenario:
        for name, upper in OVERRIDE_LIMITS.items():
            for key, value in getattr(self, name).items():
                if not (math.isfinite(value) and 0 <= value <= upper):
                    raise ValueError(f"{name}[{key!r}] must be a number from 0 to {upper:g}, got {value!r}")
        if len(set(self.approaches)) != len(self.approaches):
            raise ValueError("approaches must not repeat an id")
        return self


@dataclass(frozen=True)
class Params:
    """One approach's numbers at one level of the band, overrides applied.

    Attributes:
        setup_hours: One-off setup hours.
        build_hours: Build hours per flow.
        maintenance_share: Yearly maintenance as a share of build effort.
        ops_hours: Operations hours a month.
        infra_monthly: Infrastructure, USD a month.
        licence_annual: Licence, USD a year.
        rate_factor: Multiplier on usage rates.
        keep: Share of list price paid after the negotiated discount (1 − k).
        usage_rate: The reader's own price per unit, or ``None``.
        one_off: The reader's one-off lines (partner + training + migration), USD.
    """

    setup_hours: float
    build_hours: float
    maintenance_share: float
    ops_hours: float
    infra_monthly: float
    licence_annual: float
    rate_factor: float
    keep: float
    usage_rate: float | None
    one_off: float


@dataclass(frozen=True)
class Costs:
    """Costs of one approach at one level of the band.

    Yearly figures are for year one, before escalation and discounting; the
    ``*_total`` figures are over the horizon, escalated and discounted, and
    ``total`` is exactly their sum plus ``build`` and ``one_off``.
    """

    units_month: float
    usage_month: float
    build: float
    one_off: float
    licence_year: float
    usage_year: float
    run_year: float
    infra_year: float
    licence_total: float
    usage_total: float
    run_total: float
    infra_total: float
    risk_total: float
    total: float


@dataclass(frozen=True)
class ApproachResult:
    """Everything the results table shows for one approach.

    Attributes:
        id: Approach id.
        name: Human name.
        billing_unit: What the approach bills.
        costs: Costs at the default level.
        low_total: Total with every range at its low end.
        high_total: Total with every range at its high end.
        cost_per_unit: ``total / (volume · 12 · Y)`` in the unit of
            ``unit_basis``; ``None`` when there is no such volume.
        unit_basis: ``transactions``, ``mar`` or ``gb``: what
            ``cost_per_unit`` is per (see :func:`unit_basis`).
        quote_required: True when the price must come from a sales quote.
        quote_reason: Why a quote is needed, or ``None``.
        estimate: True when any price or default used is an estimate.
        comparable: False when the approach bills a meter that is zero in the
            scenario (an ELT tool on a workload without rows): its total
            says nothing about this workload, so it is ranked last.
    """

    id: str
    name: str
    billing_unit: str
    costs: Costs
    low_total: float
    high_total: float
    cost_per_unit: float | None
    unit_basis: str | None
    quote_required: bool
    quote_reason: str | None
    estimate: bool
    comparable: bool


@dataclass(frozen=True)
class BreakEven:
    """Where two approaches cost the same.

    Attributes:
        month: First month (0 = at the start) at which the cumulative cost of
            the approach that starts dearer is no longer above the other's;
            ``None`` if that never happens within the horizon.
        crossings: Every month (from 1) at which the cheaper of the two changes.
        cheaper_at_end: Id of the approach cheaper at the end of the horizon,
            ``None`` when both end equal.
        month_low: The break-even month with every range at its low end.
        month_high: The break-even month with every range at its high end.
        discounted: True when a discount rate is set: ``month`` is then the
            discounted payback month.
        month_undiscounted: With a discount rate, the month without
            discounting; else ``None``.
        cheaper_later: Id of the approach that is cheaper from that month on
            (when ``month`` is ``None``: the one that is cheaper throughout;
            ``None`` when both cost the same throughout).
        volume: Monthly volume at which the two totals are equal, ``None`` if
            the totals do not cross within the search range.
        measure: What ``volume`` counts: ``transactions`` or ``mar``.
        volume_matters: False when neither total changes with that volume
            (so no break-even volume can exist).
    """

    month: int | None
    crossings: tuple[int, ...]
    cheaper_at_end: str | None
    month_low: int | None
    month_high: int | None
    discounted: bool
    month_undiscounted: int | None
    cheaper_later: str | None
    volume: float | None
    measure: Literal["transactions", "mar"]
    volume_matters: bool


@dataclass(frozen=True)
class Evaluation:
    """The model's answer for a whole scenario.

    Attributes:
        scenario: The inputs.
        results: One result per approach, sorted by default total, cheapest first.
    """

    scenario: Scenario
    results: list[ApproachResult] = field(default_factory=list)


def units_per_month(unit: str, scenario: Scenario) -> float:
    """Count the billable units an approach meters in one month.

    Args:
        unit: The approach's billing unit.
        scenario: The inputs.

    Returns:
        Units a month (0 for ``none``).
    """
    t = scenario.transactions_per_month
    s = scenario.steps_per_transaction
    if unit == "tasks":
        return t * s
    if unit in ("credits", "la_calls"):
        return t * (s + 1)
    if unit == "executions":
        return t / scenario.batch_size
    if unit == "mar":
        return scenario.mar
    if unit == "ab_credits":
        return scenario.mar * scenario.churn / 1e6 * 6 + scenario.db_gb * 4
    return 0.0


def driver_volume(driver: str, scenario: Scenario) -> float:
    """Volume a step table is counted in.

    Args:
        driver: ``tasks``, ``executions``, ``connections``, ``flows`` or ``records``.
        scenario: The inputs.

    Returns:
        The driver's volume (a month for rates, a count for apps and flows).
    """
    t = scenario.transactions_per_month
    if driver == "tasks":
        return t * scenario.steps_per_transaction
    if driver == "executions":
        return t / scenario.batch_size
    if driver == "connections":
        return float(scenario.apps)
    if driver == "flows":
        return float(scenario.flows)
    return t * scenario.steps_per_transaction + scenario.mar * scenario.churn


def step_amount(steps: Steps, scenario: Scenario) -> Range:
    """The row of a step table that covers the scenario's volume.

    Args:
        steps: The step table.
        scenario: The inputs.

    Returns:
        The low, default and high amount of the first row whose ``upto`` is at
        least the driver volume (the last row is unbounded).
    """
    volume = driver_volume(steps.driver, scenario)
    for step in steps.steps:
        if step.upto is None or volume <= step.upto:
            return step.amount
    return steps.steps[-1].amount


def licence_at(approach: Approach, scenario: Scenario, level: Level) -> float:
    """List licence a year at one level, before overrides and discount.

    Args:
        approach: The approach record.
        scenario: The inputs.
        level: ``low``, ``default`` or ``high``.

    Returns:
        The flat or stepped licence, plus the paid edition when enterprise
        features are needed and the approach has one.
    """
    amount = 0.0
    licence = approach.licence
    if licence is not None:
        flat = licence.annual
        amount += getattr(flat if flat is not None else step_amount(licence.by_volume, scenario), level)
    edition = approach.enterprise_edition
    if scenario.enterprise_features and edition is not None:
        amount += getattr(edition.annual, level)
    return amount


def infra_at(approach: Approach, scenario: Scenario, level: Level) -> float:
    """Hosting a month at one level: flat, or the step of a volume table.

    Args:
        approach: The approach record.
        scenario: The inputs.
        level: ``low``, ``default`` or ``high``.

    Returns:
        USD a month.
    """
    effort = approach.effort
    flat = effort.infra_monthly
    return getattr(flat if flat is not None else step_amount(effort.infra_steps, scenario), level)


def self_run(approach: Approach) -> bool:
    """Tell whether the reader runs the approach on their own servers.

    Args:
        approach: The approach record.

    Returns:
        True when the record has neither a usage schedule nor a licence.
    """
    return approach.usage is None and approach.licence is None


def graduated(
    units: float, included: float, tiers: Iterable[tuple[float | None, float]], factor: float
) -> float:
    """Price units on a graduated schedule after the included units.

    Each step charges only the units that fall inside it, so the cost never
    decreases as units grow.

    Args:
        units: Units used in the month.
        included: Units already paid by the base fee.
        tiers: ``(upper bound, rate)`` pairs in increasing order; ``None`` is unbounded.
        factor: Multiplier on every rate.

    Returns:
        The usage charge beyond the base fee, in USD.
    """
    billable = max(0.0, units - included)
    cost = 0.0
    previous = 0.0
    for upto, rate in tiers:
        upper = math.inf if upto is None else upto
        if billable > previous:
            cost += (min(billable, upper) - previous) * rate * factor
        previous = upper
    return cost


def usage_per_month(approach: Approach, units: float, factor: float, flows: int = 1) -> float:
    """Monthly usage charge of an approach.

    Args:
        approach: The approach record.
        units: Units a month, from :func:`units_per_month`.
        factor: Multiplier on usage rates (the band).
        flows: Flows, the connections a per-connection schedule spreads units over.

    Returns:
        USD a month; 0 when usage is not billed separately.
    """
    usage = approach.usage
    if isinstance(usage, GraduatedUsage):
        if usage.free_up_to is not None and units <= usage.free_up_to:
            return 0.0  # the vendor's free plan covers it
        tiers = [(t.upto, t.rate) for t in usage.tiers]
        if usage.per_connection:
            connections = max(1.0, float(flows))
            each = units / connections
            charge = graduated(each, usage.included, tiers, factor)
            if each > 0:
                charge = max(charge, usage.connection_minimum)
            return (usage.base_monthly + connections * charge) * usage.usd_rate
        return (usage.base_monthly + graduated(units, usage.included, tiers, factor)) * usage.usd_rate
    if isinstance(usage, SplitCallUsage):
        standard = units * usage.standard_share
        enterprise = units * usage.enterprise_share
        builtin = units - standard - enterprise
        return (
            max(0.0, builtin - usage.free_builtin) * usage.builtin_rate * factor
            + standard * usage.standard_rate * factor
            + enterprise * usage.enterprise_rate * factor
        )
    return 0.0


def resolve_params(approach: Approach, scenario: Scenario, level: Level) -> Params:
    """Pick an approach's numbers at one level of the band and apply overrides.

    An override (a reader's own build hours, maintenance share, quoted
    licence, usage rate, discount or one-off amount) applies at every level.

    Args:
        approach: The approach record.
        scenario: The inputs, with any overrides.
        level: ``low``, ``default`` or ``high``.

    Returns:
        The resolved numbers.
    """
    effort = approach.effort
    licence = licence_at(approach, scenario, level)
    factor = getattr(approach.usage.rate_factor, level) if approach.usage else 1.0
    return Params(
        setup_hours=effort.setup_hours,
        build_hours=scenario.build_hours.get(approach.id, getattr(effort.build_hours_per_flow, level)),
        maintenance_share=scenario.maintenance_share.get(
            approach.id, getattr(effort.maintenance_share, level)
        ),
        ops_hours=effort.ops_hours_per_month,
        infra_monthly=infra_at(approach, scenario, level),
        licence_annual=scenario.licence.get(approach.id, licence),
        rate_factor=factor,
        keep=1.0 - scenario.discount.get(approach.id, 0.0),
        usage_rate=scenario.usage_rate.get(approach.id),
        one_off=scenario.partner.get(approach.id, 0.0)
        + scenario.training.get(approach.id, 0.0)
        + scenario.migration.get(approach.id, 0.0),
    )


def year_weights(scenario: Scenario) -> list[tuple[float, float]]:
    """Escalation and discount weights for each year of the horizon.

    Args:
        scenario: The inputs.

    Returns:
        ``(growth, discount)`` per year ``y``: ``(1+e)^y`` and ``(1+d)^(y+1)``,
        built by repeated multiplication so Python and JavaScript agree.
    """
    weights = []
    growth = 1.0
    discount = 1.0 + scenario.discount_rate
    for _ in range(scenario.years):
        weights.append((growth, discount))
        growth *= 1.0 + scenario.escalator
        discount *= 1.0 + scenario.discount_rate
    return weights


def approach_costs(approach: Approach, scenario: Scenario, level: Level = "default") -> Costs:
    """Compute build, licence, usage, run, infrastructure and total cost.

    Args:
        approach: The approach record.
        scenario: The inputs.
        level: Which end of the ranges to use.

    Returns:
        The costs; ``total`` equals ``build`` plus the four ``*_total`` parts.
    """
    p = resolve_params(approach, scenario, level)
    r = scenario.engineer_rate
    flows = scenario.flows
    units = units_per_month(approach.billing_unit, scenario)
    if p.usage_rate is not None and approach.billing_unit != "none":
        listed = units * p.usage_rate
    else:
        listed = usage_per_month(approach, units, p.rate_factor, flows)
    usage_month = listed * p.keep
    build = (p.setup_hours + p.build_hours * flows) * r
    licence_year = p.licence_annual * p.keep
    usage_year = usage_month * 12
    run_year = p.build_hours * flows * p.maintenance_share * r + p.ops_hours * 12 * scenario.ops_rate
    if self_run(approach):
        run_year += scenario.on_call_monthly * 12
    infra_year = p.infra_monthly * 12
    one_off = p.one_off + scenario.parallel_months * (licence_year + usage_year + infra_year) / 12
    licence_total = usage_total = run_total = infra_total = 0.0
    for growth, discount in year_weights(scenario):
        licence_total += licence_year * growth / discount
        usage_total += usage_year * growth / discount
        run_total += run_year / discount
        infra_total += infra_year / discount
    subtotal = build + one_off + licence_total + usage_total + run_total + infra_total
    risk_total = subtotal * scenario.risk
    return Costs(
        units_month=units,
        usage_month=usage_month,
        build=build,
        one_off=one_off,
        licence_year=licence_year,
        usage_year=usage_year,
        run_year=run_year,
        infra_year=infra_year,
        licence_total=licence_total,
        usage_total=usage_total,
        run_total=run_total,
        infra_total=infra_total,
        risk_total=risk_total,
        total=subtotal + risk_total,
    )


def quote_status(approach: Approach, units: float, scenario: Scenario) -> tuple[bool, str | None]:
    """Decide whether the price must come from a sales quote.

    Args:
        approach: The approach record.
        units: Units a month.
        scenario: The inputs (enterprise features switch to a paid edition).

    Returns:
        ``(required, reason)``.
    """
    if approach.licence is not None:
        return True, text.QUOTE_REASONS["licence"]
    edition = approach.enterprise_edition
    if scenario.enterprise_features and edition is not None and edition.quote:
        return True, text.fill(text.QUOTE_REASONS["edition"], {"edition": edition.name})
    usage = approach.usage
    ceiling = getattr(usage, "self_serve_max", None) if usage else None
    if ceiling is not None and units > ceiling:
        return True, text.fill(text.QUOTE_REASONS["above_self_serve"], {"ceiling": text.whole(ceiling)})
    return False, None


def is_estimate(approach: Approach, scenario: Scenario) -> bool:
    """Tell whether any figure behind an approach's cost is an estimate.

    Args:
        approach: The approach record.
        scenario: The inputs (the paid edition counts only when used).

    Returns:
        True if the usage schedule, licence, effort defaults or paid edition used are estimates.
    """
    parts = [approach.usage, approach.licence, approach.effort]
    if scenario.enterprise_features:
        parts.append(approach.enterprise_edition)
    return any(part is not None and part.estimate for part in parts)


def unit_basis(approach: Approach, scenario: Scenario) -> str | None:
    """Choose what an approach's cost per unit is counted per.

    Row-billed tools are counted per monthly active row (Airbyte per GB when
    only database GB are read); the others per transaction, or per active row
    when the workload has rows and no transactions.

    Args:
        approach: The approach record.
        scenario: The inputs.

    Returns:
        ``transactions``, ``mar``, ``gb`` or ``None`` when the volume is 0.
    """
    if approach.billing_unit in ROW_UNITS:
        if scenario.mar > 0:
            return "mar"
        if approach.billing_unit == "ab_credits" and scenario.db_gb > 0:
            return "gb"
        return None
    if scenario.transactions_per_month > 0:
        return "transactions"
    return "mar" if scenario.mar > 0 else None


def basis_volume(basis: str, scenario: Scenario) -> float:
    """Monthly volume of a cost-per-unit basis.

    Args:
        basis: ``transactions``, ``mar`` or ``gb``.
        scenario: The inputs.

    Returns:
        Transactions, active rows or GB a month.
    """
    if basis == "transactions":
        return scenario.transactions_per_month
    return scenario.mar if basis == "mar" else scenario.db_gb


def evaluate_approach(approach: Approach, scenario: Scenario) -> ApproachResult:
    """Compute the default costs, the band and the flags of one approach.

    Args:
        approach: The approach record.
        scenario: The inputs.

    Returns:
        The result row.
    """
    costs = approach_costs(approach, scenario, "default")
    low = approach_costs(approach, scenario, "low").total
    high = approach_costs(approach, scenario, "high").total
    basis = unit_basis(approach, scenario)
    per_unit = costs.total / (basis_volume(basis, scenario) * 12 * scenario.years) if basis else None
    required, reason = quote_status(approach, costs.units_month, scenario)
    return ApproachResult(
        id=approach.id,
        name=approach.name,
        billing_unit=approach.billing_unit,
        costs=costs,
        low_total=low,
        high_total=high,
        cost_per_unit=per_unit,
        unit_basis=basis,
        quote_required=required,
        quote_reason=reason,
        estimate=is_estimate(approach, scenario),
        comparable=approach.billing_unit == "none" or costs.units_month > 0,
    )


def evaluate(scenario: Scenario, pricing: PricingCatalog) -> Evaluation:
    """Evaluate every approach of a scenario.

    Args:
        scenario: The inputs.
        pricing: The price catalogue.

    Returns:
        Results sorted by default total, cheapest first (ties keep input
        order); approaches not comparable for the workload come last.
    """
    results = [evaluate_approach(prices.approach(a, pricing), scenario) for a in scenario.approaches]
    results.sort(key=lambda r: (not r.comparable, r.costs.total))
    return Evaluation(scenario=scenario, results=results)


def cumulative(approach: Approach, scenario: Scenario, level: Level = "default") -> list[float]:
    """Cumulative cost at the end of each month, month 0 being the build.

    Each month carries one twelfth of its year's escalated, discounted
    running cost, so the last value equals the total (up to rounding).

    Args:
        approach: The approach record.
        scenario: The inputs.
        level: Which end of the ranges to use.

    Returns:
        ``12 · Y + 1`` values, non-decreasing.
    """
    c = approach_costs(approach, scenario, level)
    start = (c.build + c.one_off) * (1 + scenario.risk)
    series = [start]
    running = start
    for growth, discount in year_weights(scenario):
        month = ((c.licence_year + c.usage_year) * growth + c.run_year + c.infra_year) / 12 / discount
        month *= 1 + scenario.risk
        for _ in range(12):
            running += month
            series.append(running)
    return series


def crossings(series_a: list[float], series_b: list[float]) -> list[int]:
    """Every month (from 1) at which the cheaper of two approaches changes.

    A month where the one that was dearer becomes equal or cheaper counts as
    a change; equal costs at the start count as no order yet.

    Args:
        series_a: Cumulative costs of A, from :func:`cumulative`.
        series_b: Cumulative costs of B, same length.

    Returns:
        The months, in order.
    """
    diff = series_a[0] - series_b[0]
    order = 0 if diff == 0 else (1 if diff > 0 else -1)
    months = []
    for month in range(1, len(series_a)):
        diff = series_a[month] - series_b[month]
        if order == 0:
            order = 0 if diff == 0 else (1 if diff > 0 else -1)
        elif (order > 0 and diff <= 0) or (order < 0 and diff >= 0):
            months.append(month)
            order = -order
    return months


def break_even_month(series_a: list[float], series_b: list[float]) -> int | None:
    """First month at which the approach that starts dearer stops being dearer.

    Args:
        series_a: Cumulative costs of A, from :func:`cumulative`.
        series_b: Cumulative costs of B, same length.

    Returns:
        The month index, 0 if both start equal, or ``None`` if the order
        never changes within the horizon.
    """
    start = series_a[0] - series_b[0]
    if start == 0:
        return 0
    for month in range(1, len(series_a)):
        diff = series_a[month] - series_b[month]
        if (start > 0 and diff <= 0) or (start < 0 and diff >= 0):
            return month
    return None


def volume_measure(a: Approach, b: Approach) -> Literal["transactions", "mar"]:
    """Choose the volume that break-even volume varies for a pair.

    Args:
        a: First approach.
        b: Second approach.

    Returns:
        ``mar`` when either bills rows (MAR or Airbyte credits), else ``transactions``.
    """
    return "mar" if a.billing_unit in ROW_UNITS or b.billing_unit in ROW_UNITS else "transactions"


def with_volume(scenario: Scenario, measure: str, volume: float) -> Scenario:
    """Copy a scenario with a different monthly volume.

    Args:
        scenario: The inputs.
        measure: ``transactions`` or ``mar``.
        volume: The new monthly volume.

    Returns:
        The modified copy (validation is skipped: the volume comes from the search range).
    """
    key = "mar" if measure == "mar" else "transactions_per_month"
    return scenario.model_copy(update={key: volume})


def bisect(f: Callable[[float], float], lo: float, hi: float, steps: int = BISECTION_STEPS) -> float | None:
    """Find a root of ``f`` in ``[lo, hi]`` by bisection.

    Args:
        f: A function whose sign differs at the two ends.
        lo: Lower end.
        hi: Upper end.
        steps: Number of halvings.

    Returns:
        The midpoint after ``steps`` halvings, an end where ``f`` is 0, or
        ``None`` when ``f`` has the same sign at both ends.
    """
    f_lo = f(lo)
    f_hi = f(hi)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    if (f_lo > 0) == (f_hi > 0):
        return None
    for _ in range(steps):
        mid = (lo + hi) / 2
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return (lo + hi) / 2


def break_even(a: Approach, b: Approach, scenario: Scenario) -> BreakEven:
    """Break-even month and break-even volume of two approaches.

    Args:
        a: First approach.
        b: Second approach.
        scenario: The inputs.

    Returns:
        The break-even month (from the cumulative series) and volume (by
        bisection of ``total_A(v) − total_B(v)`` over the search range).
    """
    series_a = cumulative(a, scenario)
    series_b = cumulative(b, scenario)
    month = break_even_month(series_a, series_b)
    end = series_a[-1] - series_b[-1]
    if month is None:
        # No crossing: the one that starts cheaper stays cheaper.
        cheaper = a.id if series_a[0] < series_b[0] else b.id
    elif month > 0:
        cheaper = a.id if series_a[0] > series_b[0] else b.id
    else:
        # Same start: the one that ends cheaper is cheaper from then on.
        cheaper = None if end == 0 else (a.id if end < 0 else b.id)
    measure = volume_measure(a, b)
    lo, hi = VOLUME_RANGE[measure]

    def gap(volume: float) -> float:
        varied = with_volume(scenario, measure, volume)
        return approach_costs(a, varied).total - approach_costs(b, varied).total

    plain = None
    if scenario.discount_rate > 0:
        flat = scenario.model_copy(update={"discount_rate": 0.0})
        plain = break_even_month(cumulative(a, flat), cumulative(b, flat))
    return BreakEven(
        month=month,
        crossings=tuple(crossings(series_a, series_b)),
        cheaper_at_end=None if end == 0 else (a.id if end < 0 else b.id),
        month_low=break_even_month(cumulative(a, scenario, "low"), cumulative(b, scenario, "low")),
        month_high=break_even_month(cumulative(a, scenario, "high"), cumulative(b, scenario, "high")),
        discounted=scenario.discount_rate > 0,
        month_undiscounted=plain,
        cheaper_later=cheaper,
        volume=bisect(gap, lo, hi),
        measure=measure,
        volume_matters=gap(lo) != gap(hi),
    )


@dataclass(frozen=True)
class Swing:
    """How far one input moves an approach's total (one bar of the sensitivity chart).

    Attributes:
        factor: Which input (see :data:`SENSITIVITY_FACTORS`).
        low: Total with that input at its low end, the others unchanged.
        high: Total with that input at its high end.
    """

    factor: str
    low: float
    high: float


def _varied(approach: Approach, scenario: Scenario, factor: str, end: Level) -> Scenario | None:
    """The scenario with one input moved to one end, or ``None`` when it cannot move."""
    aid = approach.id
    if factor == "licence":
        fixed = licence_at(approach, scenario, "low") == licence_at(approach, scenario, "high")
        if aid in scenario.licence or fixed:
            return None
        licence = {**scenario.licence, aid: licence_at(approach, scenario, end)}
        return scenario.model_copy(update={"licence": licence})
    if factor == "rate":
        scale = 1 - SENSITIVITY["rate_swing"] if end == "low" else 1 + SENSITIVITY["rate_swing"]
        return scenario.model_copy(
            update={"engineer_rate": scenario.engineer_rate * scale, "ops_rate": scenario.ops_rate * scale}
        )
    if factor == "volume":
        scale = SENSITIVITY["volume_low"] if end == "low" else SENSITIVITY["volume_high"]
        update = {
            "transactions_per_month": scenario.transactions_per_month * scale,
            "mar": scenario.mar * scale,
            "db_gb": scenario.db_gb * scale,
        }
        return scenario.model_copy(update=update)
    key, effort = (
        ("maintenance_share", approach.effort.maintenance_share)
        if factor == "maintenance"
        else ("build_hours", approach.effort.build_hours_per_flow)
    )
    if aid in getattr(scenario, key):
        return None
    return scenario.model_copy(update={key: {**getattr(scenario, key), aid: getattr(effort, end)}})


def sensitivity(approach: Approach, scenario: Scenario) -> list[Swing]:
    """Move each input to its low and high end, one at a time (the tornado chart).

    Licence uses the low and high estimate, engineer rates ±30 %, volume ×0.5
    and ×2, maintenance share and build hours their low and high defaults.
    An input the reader has set per approach (a quote, own hours) is not moved.

    Args:
        approach: The approach record.
        scenario: The inputs.

    Returns:
        One swing per input that can move, widest first (ties in
        :data:`SENSITIVITY_FACTORS` order).
    """
    swings = []
    for factor in SENSITIVITY_FACTORS:
        low = _varied(approach, scenario, factor, "low")
        high = _varied(approach, scenario, factor, "high")
        if low is None or high is None:
            continue
        swings.append(
            Swing(factor, approach_costs(approach, low).total, approach_costs(approach, high).total)
        )
    swings.sort(key=lambda w: -abs(w.high - w.low))
    return swings


@dataclass(frozen=True)
class MonthSwing:
    """How far one input moves the break-even month of a pair.

    Attributes:
        factor: Which input (see :data:`SENSITIVITY_FACTORS`).
        low: Break-even month with that input at its low end (``None``: no crossing).
        high: Break-even month with that input at its high end.
    """

    factor: str
    low: int | None
    high: int | None


def pair_sensitivity(a: Approach, b: Approach, scenario: Scenario) -> list[MonthSwing]:
    """Move each input to its low and high end for both approaches and find the break-even month.

    Args:
        a: First approach.
        b: Second approach.
        scenario: The inputs.

    Returns:
        One entry per input that can move for either approach, in
        :data:`SENSITIVITY_FACTORS` order.
    """
    swings = []
    for factor in SENSITIVITY_FACTORS:
        ends = []
        for end in LEVELS[::2]:  # low, high
            varied = scenario
            for approach in (
                (a,) if factor in ("rate", "volume") else (a, b)
            ):  # scenario-wide inputs move once
                moved = _varied(approach, varied, factor, end)
                if moved is not None:
                    varied = moved
            ends.append(varied)
        if ends[0] is scenario:
            continue  # neither approach lets this input move
        low, high = (break_even_month(cumulative(a, t), cumulative(b, t)) for t in ends)
        swings.append(MonthSwing(factor, low, high))
    return swings


def model_data(pricing: PricingCatalog) -> dict[str, object]:
    """The part of the catalogue the cost model reads, for the calculator's script.

    Sources, review dates and list-price texts are left out: the page shows
    them in its tables, and the script only computes.

    Args:
        pricing: The price catalogue.

    Returns:
        A JSON-ready dict ``{"approaches": [...]}`` with ids, names, billing
        units, usage schedules, licence ranges, effort ranges and estimate flags.
    """
    drop = {"sources", "reviewed", "confidence"}
    approaches = []
    for a in pricing.approaches:
        record = a.model_dump(mode="json", exclude={"list_price", "list_price_monthly_usd", "category"})
        for part in ("usage", "licence", "effort", "enterprise_edition"):
            if record.get(part) is not None:
                record[part] = {k: v for k, v in record[part].items() if k not in drop}
        approaches.append(record)
    return {"approaches": approaches}
