"""The TCO model agrees with a hand computation from the price records, on the worked examples."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from macros.models.pricing import Approach, GraduatedUsage, Range, SplitCallUsage, Steps
from macros.tco import model
from macros.tco.model import Scenario, approach_costs, break_even, evaluate, graduated
from macros.tco.scenarios import SCENARIOS
from tests.macros.sitedata import approach, pricing


def hand_usage(a: Approach, s: Scenario) -> float:
    """Usage a month from the record, written out as the model's docstring states it."""
    t, steps = s.transactions_per_month, s.steps_per_transaction
    units = {
        "tasks": t * steps,
        "credits": t * (steps + 1),
        "la_calls": t * (steps + 1),
        "executions": t / s.batch_size,
        "mar": s.mar,
        "ab_credits": s.mar * s.churn / 1e6 * 6 + s.db_gb * 4,
        "none": 0.0,
    }[a.billing_unit]
    usage = a.usage
    if usage is None:
        return 0.0
    if getattr(usage, "free_up_to", None) is not None and units <= usage.free_up_to:
        return 0.0
    factor = usage.rate_factor.default
    if isinstance(usage, SplitCallUsage):
        builtin = units * (1 - usage.standard_share - usage.enterprise_share)
        return factor * (
            max(builtin - usage.free_builtin, 0) * usage.builtin_rate
            + units * usage.standard_share * usage.standard_rate
            + units * usage.enterprise_share * usage.enterprise_rate
        )
    connections = max(s.flows, 1) if usage.per_connection else 1
    each = units / connections
    billable, lower, charge = max(each - usage.included, 0), 0.0, 0.0
    for tier in usage.tiers:
        upper = math.inf if tier.upto is None else tier.upto
        charge += max(min(billable, upper) - lower, 0) * tier.rate * factor
        lower = upper
    if usage.per_connection and each > 0:
        charge = max(charge, usage.connection_minimum)
    return (usage.base_monthly + connections * charge) * usage.usd_rate


def hand_step(steps: Steps | None, flat: Range | None, s: Scenario) -> Range:
    """The flat range, or the step-table row covering the scenario's volume."""
    if flat is not None:
        return flat
    assert steps is not None
    tasks = s.transactions_per_month * s.steps_per_transaction
    volume = {
        "tasks": tasks,
        "executions": s.transactions_per_month / s.batch_size,
        "connections": s.apps,
        "flows": s.flows,
        "records": tasks + s.mar * s.churn,
    }[steps.driver]
    return next(row.amount for row in steps.steps if row.upto is None or volume <= row.upto)


def hand_yearly(a: Approach, s: Scenario) -> tuple[float, float, float, float]:
    """Build cost, then year-one licence + usage, run and infrastructure, from the record."""
    e = a.effort
    build_hours = s.build_hours.get(a.id, e.build_hours_per_flow.default)
    share = s.maintenance_share.get(a.id, e.maintenance_share.default)
    listed = hand_step(a.licence.by_volume, a.licence.annual, s).default if a.licence else 0.0
    licence = s.licence.get(a.id, listed)
    rate = s.engineer_rate
    build = (e.setup_hours + build_hours * s.flows) * rate
    run = build_hours * s.flows * share * rate + e.ops_hours_per_month * 12 * s.ops_rate
    infra = hand_step(e.infra_steps, e.infra_monthly, s).default
    return build, licence + hand_usage(a, s) * 12, run, infra * 12


def hand_total(a: Approach, s: Scenario) -> float:
    """The horizon total with exact present-value sums (fractions, not the model's loop)."""
    build, prices, run, infra = hand_yearly(a, s)
    growth, rate = Fraction(1 + s.escalator), Fraction(1 + s.discount_rate)
    escalated = sum(growth**y / rate ** (y + 1) for y in range(s.years))
    flat = sum(1 / rate ** (y + 1) for y in range(s.years))
    return float(build + Fraction(prices) * escalated + Fraction(run + infra) * flat)


def hand_cumulative(a: Approach, s: Scenario) -> list[Fraction]:
    """Cumulative cost by month: the build at month 0, then each year's cost in twelve equal parts."""
    build, prices, run, infra = hand_yearly(a, s)
    growth, rate = Fraction(1 + s.escalator), Fraction(1 + s.discount_rate)
    series = [Fraction(build)]
    for y in range(s.years):
        month = (Fraction(prices) * growth**y + Fraction(run + infra)) / 12 / rate ** (y + 1)
        start = series[-1]
        series.extend(start + month * (m + 1) for m in range(12))
    return series


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_named_scenarios_match_the_hand_computation(name: str) -> None:
    s = SCENARIOS[name].scenario
    results = evaluate(s, pricing()).results
    assert sorted(r.id for r in results) == sorted(s.approaches)
    totals = [r.costs.total for r in results]
    assert totals == sorted(totals)  # cheapest first
    for r in results:
        assert r.costs.total == pytest.approx(hand_total(approach(r.id), s), rel=1e-9), r.id


def test_zapier_usage_is_graduated_after_the_included_tasks() -> None:
    # Tasks = transactions × steps; after the included tasks each tier's slice is billed at its rate.
    s = SCENARIOS["netsuite-50k"].scenario
    zapier = approach("zapier")
    usage = zapier.usage
    assert isinstance(usage, GraduatedUsage)
    c = approach_costs(zapier, s)
    assert c.units_month == s.transactions_per_month * s.steps_per_transaction
    remaining, floor, expected = c.units_month - usage.included, 0.0, usage.base_monthly
    for tier in usage.tiers:
        width = (tier.upto if tier.upto is not None else math.inf) - floor
        expected += min(max(remaining, 0), width) * tier.rate
        remaining -= width
        floor = tier.upto if tier.upto is not None else floor
    assert remaining < 0 or usage.tiers[-1].upto is None
    assert c.usage_month == pytest.approx(expected)


def test_logic_apps_bills_the_trigger_and_splits_by_connector_class() -> None:
    s = SCENARIOS["netsuite-50k"].scenario
    logic_apps = approach("logic-apps")
    usage = logic_apps.usage
    assert isinstance(usage, SplitCallUsage)
    c = approach_costs(logic_apps, s)
    calls = s.transactions_per_month * (s.steps_per_transaction + 1)
    assert c.units_month == calls
    builtin = calls * (1 - usage.standard_share - usage.enterprise_share)
    expected = (
        max(builtin - usage.free_builtin, 0) * usage.builtin_rate
        + calls * usage.standard_share * usage.standard_rate
        + calls * usage.enterprise_share * usage.enterprise_rate
    )
    assert c.usage_month == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "a_id", "b_id"),
    [
        ("netsuite-50k", "custom-code", "workato"),
        ("netsuite-50k", "custom-code", "mulesoft"),
        ("netsuite-50k", "n8n-self-hosted", "make"),
        ("small-team", "zapier", "n8n-self-hosted"),
        ("elt-20m-mar", "dlt", "fivetran"),
    ],
)
def test_break_even_months_and_volumes_of_the_examples(name: str, a_id: str, b_id: str) -> None:
    s, a, b = SCENARIOS[name].scenario, approach(a_id), approach(b_id)
    be = break_even(a, b, s)
    series_a, series_b = hand_cumulative(a, s), hand_cumulative(b, s)
    start = series_a[0] - series_b[0]
    flips = [m for m in range(1, len(series_a)) if (series_a[m] - series_b[m]) * start <= 0]
    assert be.month == (0 if start == 0 else flips[0] if flips else None)
    if be.month is None:
        assert be.cheaper_later == (a_id if start < 0 else b_id)
    elif be.month > 0:
        assert be.cheaper_later == (a_id if start > 0 else b_id)
    rows = {"mar", "ab_credits"}
    assert be.measure == ("mar" if {a.billing_unit, b.billing_unit} & rows else "transactions")
    if be.volume is not None:
        key = "mar" if be.measure == "mar" else "transactions_per_month"
        # Equal totals, or a jump across each other where a price steps up with volume.
        below = s.model_copy(update={key: be.volume * (1 - 1e-9)})
        above = s.model_copy(update={key: be.volume * (1 + 1e-9)})
        gap_below = hand_total(a, below) - hand_total(b, below)
        gap_above = hand_total(a, above) - hand_total(b, above)
        scale = hand_total(a, above) + hand_total(b, above)
        assert gap_below * gap_above <= 0 or abs(gap_below) < 1e-6 * scale


def test_escalator_and_discount_follow_the_formula() -> None:
    s = Scenario(approaches=("workato",), escalator=0.05, discount_rate=0.1, years=3)
    c = approach_costs(approach("workato"), s)
    expected = c.build + sum((150_000 * 1.05**y + c.run_year) / 1.1 ** (y + 1) for y in range(3))
    assert c.total == pytest.approx(expected)


def test_graduated_charges_each_step_only_for_units_inside_it() -> None:
    tiers = [(100.0, 1.0), (200.0, 0.5), (None, 0.1)]
    assert graduated(0, 0, tiers, 1) == 0
    assert graduated(150, 0, tiers, 1) == pytest.approx(100 + 25)
    assert graduated(1150, 50, tiers, 2) == pytest.approx(2 * (100 + 50 + 900 * 0.1))


def test_quote_flags() -> None:
    cat = pricing()
    big = evaluate(SCENARIOS["netsuite-50k"].scenario, cat)
    flags = {r.id: r.quote_reason for r in big.results}
    assert flags["workato"] == "sold by quote; the licence shown is an estimate"
    ceiling = approach("zapier").usage.self_serve_max
    assert flags["zapier"] == f"above the top self-serve tier ({ceiling:,.0f} units a month)"
    assert flags["n8n-self-hosted"] is None
    small = {r.id: r.quote_required for r in evaluate(SCENARIOS["small-team"].scenario, cat).results}
    assert small["zapier"] is False


def test_overrides_replace_every_level_of_the_band() -> None:
    s = Scenario(approaches=("workato",), licence={"workato": 70_000}, build_hours={"workato": 10})
    r = model.evaluate_approach(approach("workato"), s)
    assert r.costs.licence_year == 70_000
    assert model.resolve_params(approach("workato"), s, "high").build_hours == 10


def test_without_transactions_the_cost_is_counted_per_active_row() -> None:
    s = SCENARIOS["elt-20m-mar"].scenario
    r = model.evaluate_approach(approach("dlt"), s)
    assert r.unit_basis == "mar"
    assert r.cost_per_unit == pytest.approx(r.costs.total / (s.mar * 12 * s.years))
    empty = model.evaluate_approach(approach("dlt"), s.model_copy(update={"mar": 0}))
    assert empty.cost_per_unit is None and empty.unit_basis is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("transactions_per_month", -1),
        ("transactions_per_month", float("nan")),
        ("transactions_per_month", float("inf")),
        ("transactions_per_month", 1e12),
        ("years", 0),
        ("flows", 2.5),
        ("escalator", 0.9),
    ],
)
def test_out_of_range_inputs_are_rejected(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        Scenario.model_validate({"approaches": ("dlt",), field: value})


def test_override_outside_its_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="maintenance_share"):
        Scenario(approaches=("dlt",), maintenance_share={"dlt": 2})


def test_bisect_returns_none_without_a_sign_change_and_finds_a_root() -> None:
    assert model.bisect(lambda v: v + 1, 1, 10) is None
    assert model.bisect(lambda v: v - 3, 1, 10) == pytest.approx(3)
    assert model.bisect(lambda v: v - 1, 1, 10) == 1


def test_fivetran_free_plan_and_per_connection_tiers() -> None:
    fivetran = approach("fivetran")
    free = Scenario(approaches=("fivetran",), mar=400_000, flows=6)
    assert approach_costs(fivetran, free).usage_month == 0
    # 6 connections of 1 M MAR each: each one starts again at the first tier's rate.
    paid = Scenario(approaches=("fivetran",), mar=6_000_000, flows=6)
    first_rate = fivetran.usage.tiers[0].rate
    assert approach_costs(fivetran, paid).usage_month == pytest.approx(6 * 1_000_000 * first_rate)
    # A tiny connection still pays the minimum.
    tiny = Scenario(approaches=("fivetran",), mar=600_000, flows=600)
    assert approach_costs(fivetran, tiny).usage_month == pytest.approx(
        600 * fivetran.usage.connection_minimum
    )
