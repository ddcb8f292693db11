"""The TCO model reproduces the worked examples and its formulas by hand."""

from __future__ import annotations

import math

import pytest

from macros.models.pricing import GraduatedUsage, SplitCallUsage
from macros.tco import model
from macros.tco.model import Scenario, approach_costs, break_even, evaluate, graduated
from macros.tco.scenarios import SCENARIOS
from tests.macros.sitedata import approach, pricing


def totals(name: str) -> dict[str, float]:
    return {r.id: r.costs.total for r in evaluate(SCENARIOS[name].scenario, pricing()).results}


def test_netsuite_example_totals_match_the_hand_computation() -> None:
    got = totals("netsuite-50k")
    expected = {
        "n8n-self-hosted": 150_400,
        "logic-apps": 200_046.4,
        "celigo": 254_400,
        "make": 346_284,
        "boomi": 397_200,
        "custom-code": 504_000,
        "workato": 556_400,
        "mulesoft": 862_000,
        "zapier": 1_953_308,
    }
    assert list(got) == list(expected)  # cheapest first
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=0.01), key


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


def test_small_team_and_elt_examples() -> None:
    small = totals("small-team")
    assert small["make"] == pytest.approx(38_184, abs=1)
    assert small["zapier"] == pytest.approx(46_694, abs=1)
    assert small["custom-code"] == pytest.approx(216_000)
    elt = totals("elt-20m-mar")
    assert elt["airbyte-cloud"] == pytest.approx(42_520)  # 30M rows = 180 credits: $10 + 176 × $2.50 a month
    assert elt["fivetran"] == pytest.approx(271_120)  # 5M × $500/M + 15M × $300/M a month


def test_break_even_months_and_volumes_of_the_examples() -> None:
    big = SCENARIOS["netsuite-50k"].scenario
    be = break_even(approach("custom-code"), approach("workato"), big)
    assert (be.month, be.cheaper_later, be.volume, be.volume_matters) == (29, "custom-code", None, False)
    assert break_even(approach("custom-code"), approach("mulesoft"), big).month == 10
    assert break_even(approach("n8n-self-hosted"), approach("make"), big).month == 5
    small = SCENARIOS["small-team"].scenario
    be = break_even(approach("zapier"), approach("n8n-self-hosted"), small)
    assert be.month is None and be.cheaper_later == "zapier"
    assert be.volume == pytest.approx(32_873, abs=1)
    assert be.measure == "transactions"
    elt = SCENARIOS["elt-20m-mar"].scenario
    assert break_even(approach("dlt"), approach("fivetran"), elt).measure == "mar"


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


def test_cost_per_transaction_is_none_without_transactions() -> None:
    r = model.evaluate_approach(approach("dlt"), SCENARIOS["elt-20m-mar"].scenario)
    assert r.cost_per_transaction is None


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
