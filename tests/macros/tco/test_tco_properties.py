"""Property tests of the TCO model over generated scenarios (hypothesis)."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.tco import model
from macros.tco.model import Scenario, approach_costs, break_even, cumulative, usage_per_month
from tests.macros.sitedata import pricing

CATALOG = pricing()
IDS = [a.id for a in CATALOG.approaches]
APPROACH = {a.id: a for a in CATALOG.approaches}


def finite(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


scenarios = st.builds(
    Scenario,
    transactions_per_month=finite(0, 1e9),
    steps_per_transaction=finite(0, 50),
    batch_size=finite(1, 1000),
    flows=st.integers(0, 500),
    apps=st.integers(0, 200),
    mar=finite(0, 1e10),
    churn=finite(0, 20),
    db_gb=finite(0, 1e5),
    years=st.integers(1, 10),
    engineer_rate=finite(0, 500),
    ops_rate=finite(0, 500),
    on_call_monthly=finite(0, 10_000),
    parallel_months=finite(0, 36),
    risk=finite(0, 1),
    enterprise_features=st.booleans(),
    escalator=finite(0, 0.5),
    discount_rate=finite(0, 0.5),
    approaches=st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(scenarios)
def test_totals_are_the_sum_of_their_parts_and_never_negative_or_nan(s: Scenario) -> None:
    for approach_id in s.approaches:
        for level in model.LEVELS:
            c = approach_costs(APPROACH[approach_id], s, level)
            parts = [c.build, c.one_off, c.licence_total, c.usage_total, c.run_total, c.infra_total]
            assert all(math.isfinite(p) and p >= 0 for p in [*parts, c.risk_total])
            assert c.total == sum(parts) + c.risk_total
            # The spec's formula, written independently.
            spec = (1 + s.risk) * (
                c.build
                + c.one_off
                + sum(
                    ((c.licence_year + c.usage_year) * (1 + s.escalator) ** y + c.run_year + c.infra_year)
                    / (1 + s.discount_rate) ** (y + 1)
                    for y in range(s.years)
                )
            )
            assert math.isclose(c.total, spec, rel_tol=1e-9, abs_tol=1e-6)


@settings(max_examples=150, deadline=None)
@given(scenarios, finite(1, 10))
def test_usage_never_decreases_as_volume_grows(s: Scenario, growth: float) -> None:
    bigger = s.model_copy(
        update={
            "transactions_per_month": s.transactions_per_month * growth,
            "mar": s.mar * growth,
            "db_gb": s.db_gb * growth,
        }
    )
    for a in CATALOG.approaches:
        for level in model.LEVELS:
            factor = getattr(a.usage.rate_factor, level) if a.usage else 1.0
            small = usage_per_month(a, model.units_per_month(a.billing_unit, s), factor, s.flows)
            large = usage_per_month(a, model.units_per_month(a.billing_unit, bigger), factor, s.flows)
            assert large >= small - 1e-9 * max(1.0, small)


@settings(max_examples=100, deadline=None)
@given(scenarios, st.sampled_from(IDS), st.sampled_from(IDS))
def test_break_even_month_agrees_with_the_cumulative_totals(s: Scenario, a_id: str, b_id: str) -> None:
    a, b = APPROACH[a_id], APPROACH[b_id]
    series_a, series_b = cumulative(a, s), cumulative(b, s)
    assert len(series_a) == 12 * s.years + 1
    assert math.isclose(series_a[-1], approach_costs(a, s).total, rel_tol=1e-9, abs_tol=1e-6)
    be = break_even(a, b, s)
    start = series_a[0] - series_b[0]
    if be.month is None:
        assert all((x - y > 0) == (start > 0) and x != y for x, y in zip(series_a, series_b, strict=True))
        return
    if be.month == 0:
        assert start == 0
        return
    dearer, cheaper = (series_a, series_b) if start > 0 else (series_b, series_a)
    assert dearer[be.month] <= cheaper[be.month]
    assert all(dearer[m] > cheaper[m] for m in range(be.month))
    assert be.cheaper_later == (a_id if start > 0 else b_id)
    # Every crossing is a change of order, and between crossings the order holds.
    assert be.crossings[0] == be.month
    order = 1 if start > 0 else -1
    for m in range(1, len(series_a)):
        diff = series_a[m] - series_b[m]
        if m in be.crossings:
            assert diff * order <= 0
            order = -order
        else:
            assert diff * order > 0


@settings(max_examples=60, deadline=None)
@given(scenarios, st.sampled_from(IDS), st.sampled_from(IDS))
def test_break_even_volume_is_where_the_totals_meet(s: Scenario, a_id: str, b_id: str) -> None:
    a, b = APPROACH[a_id], APPROACH[b_id]
    be = break_even(a, b, s)
    if be.volume is None:
        return
    lo, hi = model.VOLUME_RANGE[be.measure]
    assert lo <= be.volume <= hi

    def gap(v: float) -> float:
        varied = model.with_volume(s, be.measure, v)
        return approach_costs(a, varied).total - approach_costs(b, varied).total

    step = max(be.volume * 1e-9, 1e-6)
    below, above = gap(max(lo, be.volume - step)), gap(min(hi, be.volume + step))
    scale = max(abs(approach_costs(a, s).total), abs(approach_costs(b, s).total), 1.0)
    # Either the gap changes sign across the volume, or it is zero there (to rounding).
    assert (below <= 0 <= above) or (above <= 0 <= below) or abs(gap(be.volume)) <= 1e-6 * scale


def present_value_factors(years: int, escalator: float, discount: float) -> tuple[float, float]:
    """The two sums the model adds up year by year, in exact rational arithmetic.

    Returns:
        ``Σ (1+e)^y / (1+d)^(y+1)`` (escalated prices) and ``Σ 1 / (1+d)^(y+1)``
        (effort and hosting), for y from 0 to years − 1.
    """
    growth, rate = Fraction(1 + escalator), Fraction(1 + discount)
    escalated = sum(growth**y / rate ** (y + 1) for y in range(years))
    flat = sum(1 / rate ** (y + 1) for y in range(years))
    return float(escalated), float(flat)


@settings(max_examples=100, deadline=None)
@given(scenarios)
def test_a_zero_volume_scenario_costs_exactly_its_fixed_parts(s: Scenario) -> None:
    zero = s.model_copy(update={"transactions_per_month": 0.0, "mar": 0.0, "db_gb": 0.0})
    escalated, flat = present_value_factors(zero.years, zero.escalator, zero.discount_rate)
    for approach_id in zero.approaches:
        a = APPROACH[approach_id]
        c = approach_costs(a, zero)
        base = getattr(a.usage, "base_monthly", 0.0) * getattr(a.usage, "usd_rate", 1.0) if a.usage else 0.0
        keep = 1 - zero.discount.get(approach_id, 0.0)
        if approach_id in zero.usage_rate:
            base = 0.0
        base *= keep
        assert c.units_month == 0
        assert c.usage_month == pytest.approx(base)
        p = model.resolve_params(a, zero, "default")
        rate = zero.engineer_rate
        build = (p.setup_hours + p.build_hours * zero.flows) * rate
        run_year = p.build_hours * zero.flows * p.maintenance_share * rate + p.ops_hours * 12 * zero.ops_rate
        if model.self_run(a):
            run_year += zero.on_call_monthly * 12
        licence = p.licence_annual * keep
        one_off = p.one_off + zero.parallel_months * (licence + base * 12 + p.infra_monthly * 12) / 12
        expected = (1 + zero.risk) * (
            build + one_off + (licence + base * 12) * escalated + (run_year + p.infra_monthly * 12) * flat
        )
        assert c.total == pytest.approx(expected, rel=1e-9, abs=1e-6)
