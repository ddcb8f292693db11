"""The TCO model: pure functions from a scenario and the price data to costs.

Every function here has a twin of the same name in the calculator's
JavaScript (``docs/assets/javascripts/tco.js``); a parity test runs both on
generated scenarios and requires agreement to the cent. To make that possible
the arithmetic is written in one fixed order, powers are built by repeated
multiplication, and nothing is rounded until display.

Formulas (T transactions a month, S action steps per transaction, B
transactions per execution, F flows, r engineer cost per hour, Y years,
e price escalator, d discount rate):

* units a month: tasks = T·S; credits = T·(S+1); executions = T/B;
  Logic Apps calls = T·(S+1); MAR; Airbyte credits = rows/1e6·6 + GB·4.
* usage a month: base + graduated(units − included) over the tiers.
* build = (setup hours + build hours per flow · F) · r, paid once at the start.
* run and maintain a year = build hours · F · maintenance share · r + ops hours · 12 · r.
* total = build + Σ_{y<Y} [(licence + usage)·(1+e)^y + run + infra] / (1+d)^(y+1).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from macros.models.common import StrictModel
from macros.models.pricing import Approach, GraduatedUsage, PricingCatalog, SplitCallUsage
from macros.tco import prices, text

Level = Literal["low", "default", "high"]
"""Which end of each range to use: the band is low / default / high."""

LEVELS: tuple[Level, ...] = ("low", "default", "high")

BISECTION_STEPS = 60
"""Iterations of the break-even volume bisection (enough for double precision)."""

VOLUME_RANGE = {"transactions": (1.0, 5e7), "mar": (1.0, 5e9)}
"""Search interval of the break-even volume, per measure, in units a month."""

OVERRIDE_LIMITS = {"build_hours": 10_000.0, "maintenance_share": 1.0, "licence": 1e8}
"""Largest value of each per-approach override (the smallest is 0)."""


class Scenario(StrictModel):
    """The inputs of one TCO comparison.

    Every field has a documented range; a value outside it is rejected with a
    message naming the field (the calculator applies the same limits).

    Attributes:
        transactions_per_month: Business transactions a month (T).
        steps_per_transaction: Action steps per transaction, loop items included (S).
        batch_size: Transactions handled by one workflow execution (B).
        flows: Flows or integrations to build (F).
        apps: Connected applications (reported; folded into quoted licences).
        mar: Monthly active rows, for ELT approaches.
        churn: Rows synced per monthly active row (Airbyte bills rows synced).
        db_gb: Gigabytes a month read from database and file sources (Airbyte).
        years: Horizon in whole years (Y).
        engineer_rate: Fully loaded engineer cost, USD per hour (r).
        escalator: Yearly increase of licence and usage prices (e), 0.05 = 5 %.
        discount_rate: Yearly discount rate for present value (d).
        approaches: Approach ids to compare, in display order.
        build_hours: Override of build hours per flow, by approach id.
        maintenance_share: Override of the yearly maintenance share, by approach id.
        licence: Override of the yearly licence (a real quote), by approach id.
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
    escalator: float = Field(default=0, ge=0, le=0.5, allow_inf_nan=False)
    discount_rate: float = Field(default=0, ge=0, le=0.5, allow_inf_nan=False)
    approaches: tuple[str, ...] = Field(min_length=1, max_length=30)
    build_hours: dict[str, float] = Field(default_factory=dict)
    maintenance_share: dict[str, float] = Field(default_factory=dict)
    licence: dict[str, float] = Field(default_factory=dict)

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
    """

    setup_hours: float
    build_hours: float
    maintenance_share: float
    ops_hours: float
    infra_monthly: float
    licence_annual: float
    rate_factor: float


@dataclass(frozen=True)
class Costs:
    """Costs of one approach at one level of the band.

    Yearly figures are for year one, before escalation and discounting; the
    ``*_total`` figures are over the horizon, escalated and discounted, and
    ``total`` is exactly their sum plus ``build``.
    """

    units_month: float
    usage_month: float
    build: float
    licence_year: float
    usage_year: float
    run_year: float
    infra_year: float
    licence_total: float
    usage_total: float
    run_total: float
    infra_total: float
    total: float


@dataclass(frozen=True)
class ApproachResult:
    """Everything the results table shows for one approach.

    Attributes:
        id: Approach id.
        name: Human name.
        costs: Costs at the default level.
        low_total: Total with every range at its low end.
        high_total: Total with every range at its high end.
        cost_per_transaction: ``total / (T · 12 · Y)``; ``None`` when T is 0.
        quote_required: True when the price must come from a sales quote.
        quote_reason: Why a quote is needed, or ``None``.
        estimate: True when any price or default used is an estimate.
    """

    id: str
    name: str
    costs: Costs
    low_total: float
    high_total: float
    cost_per_transaction: float | None
    quote_required: bool
    quote_reason: str | None
    estimate: bool


@dataclass(frozen=True)
class BreakEven:
    """Where two approaches cost the same.

    Attributes:
        month: First month (0 = at the start) at which the cumulative cost of
            the approach that starts dearer is no longer above the other's;
            ``None`` if that never happens within the horizon.
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


def usage_per_month(approach: Approach, units: float, factor: float) -> float:
    """Monthly usage charge of an approach.

    Args:
        approach: The approach record.
        units: Units a month, from :func:`units_per_month`.
        factor: Multiplier on usage rates (the band).

    Returns:
        USD a month; 0 when usage is not billed separately.
    """
    usage = approach.usage
    if isinstance(usage, GraduatedUsage):
        tiers = [(t.upto, t.rate) for t in usage.tiers]
        return usage.base_monthly + graduated(units, usage.included, tiers, factor)
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

    An override (a reader's own build hours, maintenance share or quoted
    licence) replaces the value at every level.

    Args:
        approach: The approach record.
        scenario: The inputs, with any overrides.
        level: ``low``, ``default`` or ``high``.

    Returns:
        The resolved numbers.
    """
    effort = approach.effort
    licence = getattr(approach.licence.annual, level) if approach.licence else 0.0
    factor = getattr(approach.usage.rate_factor, level) if approach.usage else 1.0
    return Params(
        setup_hours=effort.setup_hours,
        build_hours=scenario.build_hours.get(approach.id, getattr(effort.build_hours_per_flow, level)),
        maintenance_share=scenario.maintenance_share.get(
            approach.id, getattr(effort.maintenance_share, level)
        ),
        ops_hours=effort.ops_hours_per_month,
        infra_monthly=getattr(effort.infra_monthly, level),
        licence_annual=scenario.licence.get(approach.id, licence),
        rate_factor=factor,
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
    usage_month = usage_per_month(approach, units, p.rate_factor)
    build = (p.setup_hours + p.build_hours * flows) * r
    licence_year = p.licence_annual
    usage_year = usage_month * 12
    run_year = p.build_hours * flows * p.maintenance_share * r + p.ops_hours * 12 * r
    infra_year = p.infra_monthly * 12
    licence_total = usage_total = run_total = infra_total = 0.0
    for growth, discount in year_weights(scenario):
        licence_total += licence_year * growth / discount
        usage_total += usage_year * growth / discount
        run_total += run_year / discount
        infra_total += infra_year / discount
    total = build + licence_total + usage_total + run_total + infra_total
    return Costs(
        units_month=units,
        usage_month=usage_month,
        build=build,
        licence_year=licence_year,
        usage_year=usage_year,
        run_year=run_year,
        infra_year=infra_year,
        licence_total=licence_total,
        usage_total=usage_total,
        run_total=run_total,
        infra_total=infra_total,
        total=total,
    )


def quote_status(approach: Approach, units: float) -> tuple[bool, str | None]:
    """Decide whether the price must come from a sales quote.

    Args:
        approach: The approach record.
        units: Units a month.

    Returns:
        ``(required, reason)``.
    """
    if approach.licence is not None:
        return True, text.QUOTE_REASONS["licence"]
    usage = approach.usage
    ceiling = getattr(usage, "self_serve_max", None) if usage else None
    if ceiling is not None and units > ceiling:
        return True, text.fill(text.QUOTE_REASONS["above_self_serve"], {"ceiling": text.whole(ceiling)})
    return False, None


def is_estimate(approach: Approach) -> bool:
    """Tell whether any figure behind an approach's cost is an estimate.

    Args:
        approach: The approach record.

    Returns:
        True if the usage schedule, licence or effort defaults are estimates.
    """
    parts = [approach.usage, approach.licence, approach.effort]
    return any(part is not None and part.estimate for part in parts)


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
    tx_total = scenario.transactions_per_month * 12 * scenario.years
    per_tx = costs.total / tx_total if tx_total > 0 else None
    required, reason = quote_status(approach, costs.units_month)
    return ApproachResult(
        id=approach.id,
        name=approach.name,
        costs=costs,
        low_total=low,
        high_total=high,
        cost_per_transaction=per_tx,
        quote_required=required,
        quote_reason=reason,
        estimate=is_estimate(approach),
    )


def evaluate(scenario: Scenario, pricing: PricingCatalog) -> Evaluation:
    """Evaluate every approach of a scenario.

    Args:
        scenario: The inputs.
        pricing: The price catalogue.

    Returns:
        Results sorted by default total, cheapest first (ties keep input order).
    """
    results = [evaluate_approach(prices.approach(a, pricing), scenario) for a in scenario.approaches]
    results.sort(key=lambda r: r.costs.total)
    return Evaluation(scenario=scenario, results=results)


def cumulative(approach: Approach, scenario: Scenario) -> list[float]:
    """Cumulative cost at the end of each month, month 0 being the build.

    Each month carries one twelfth of its year's escalated, discounted
    running cost, so the last value equals the total (up to rounding).

    Args:
        approach: The approach record.
        scenario: The inputs.

    Returns:
        ``12 · Y + 1`` values, non-decreasing.
    """
    c = approach_costs(approach, scenario, "default")
    series = [c.build]
    running = c.build
    for growth, discount in year_weights(scenario):
        month = ((c.licence_year + c.usage_year) * growth + c.run_year + c.infra_year) / 12 / discount
        for _ in range(12):
            running += month
            series.append(running)
    return series


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
    row_units = ("mar", "ab_credits")
    return "mar" if a.billing_unit in row_units or b.billing_unit in row_units else "transactions"


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
    if month is None:
        # No crossing: the one that starts cheaper stays cheaper.
        cheaper = a.id if series_a[0] < series_b[0] else b.id
    elif month > 0:
        cheaper = a.id if series_a[0] > series_b[0] else b.id
    else:
        # Same start: the one that ends cheaper is cheaper from then on.
        end = series_a[-1] - series_b[-1]
        cheaper = None if end == 0 else (a.id if end < 0 else b.id)
    measure = volume_measure(a, b)
    lo, hi = VOLUME_RANGE[measure]

    def gap(volume: float) -> float:
        varied = with_volume(scenario, measure, volume)
        return approach_costs(a, varied).total - approach_costs(b, varied).total

    return BreakEven(
        month=month,
        cheaper_later=cheaper,
        volume=bisect(gap, lo, hi),
        measure=measure,
        volume_matters=gap(lo) != gap(hi),
    )


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
        record = a.model_dump(mode="json", exclude={"list_price", "category"})
        for part in ("usage", "licence", "effort"):
            if record.get(part) is not None:
                record[part] = {k: v for k, v in record[part].items() if k not in drop}
        approaches.append(record)
    return {"approaches": approaches}
