"""The calculator's JavaScript model computes and words what the Python model does.

Node loads ``tco.js`` as a module (no browser) and runs its exported model on
600 seeded, generated scenarios with the JSON the page embeds, covering every
input (discounts, own usage rates, one-off lines, parallel run, risk, ops
rate, on-call, enterprise editions, volume-stepped licences and hosting);
every cost, band, flag, comparability, cost per unit and break-even (each
crossing) must agree with Python to the cent, and every formatted amount,
quote reason and break-even sentence must be the same text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import rjsmin

from macros.tco import render, spec, text
from macros.tco.model import Scenario, break_even, evaluate, model_data, pair_sensitivity, sensitivity
from tests.macros.nodejs import run_node
from tests.macros.sitedata import approach, pricing

ROOT = Path(__file__).resolve().parents[3]
TCO_JS = ROOT / "docs" / "assets" / "javascripts" / "tco.js"
SEED = 20261125
COUNT = 600
COST_FIELDS = (
    "units_month",
    "usage_month",
    "build",
    "one_off",
    "licence_year",
    "usage_year",
    "run_year",
    "infra_year",
    "licence_total",
    "usage_total",
    "run_total",
    "infra_total",
    "risk_total",
    "total",
)


def generate(rng: random.Random, ids: list[str]) -> Scenario:
    """One random scenario, with log-uniform volumes and occasional overrides."""

    def log_uniform(lo: float, hi: float) -> float:
        return 10 ** rng.uniform(lo, hi)

    chosen = tuple(rng.sample(ids, rng.randint(1, 8)))
    overrides: dict[str, dict[str, float]] = {
        "build_hours": {},
        "maintenance_share": {},
        "licence": {},
        "discount": {},
        "usage_rate": {},
        "partner": {},
        "training": {},
        "migration": {},
    }
    for approach_id in chosen:
        if rng.random() < 0.2:
            overrides["build_hours"][approach_id] = round(rng.uniform(0, 300), 1)
        if rng.random() < 0.2:
            overrides["maintenance_share"][approach_id] = round(rng.uniform(0, 0.6), 3)
        if rng.random() < 0.2:
            overrides["licence"][approach_id] = round(rng.uniform(0, 500_000), 2)
        if rng.random() < 0.2:
            overrides["discount"][approach_id] = round(rng.uniform(0, 0.6), 3)
        if rng.random() < 0.15:
            overrides["usage_rate"][approach_id] = rng.choice([0, 0.0004, rng.uniform(0, 0.05)])
        if rng.random() < 0.2:
            overrides["partner"][approach_id] = round(rng.uniform(0, 200_000), 2)
        if rng.random() < 0.15:
            overrides["training"][approach_id] = round(rng.uniform(0, 40_000), 2)
        if rng.random() < 0.15:
            overrides["migration"][approach_id] = round(rng.uniform(0, 100_000), 2)
    return Scenario(
        transactions_per_month=0 if rng.random() < 0.1 else log_uniform(0, 9),
        steps_per_transaction=rng.choice([0, 1, 2, 3, 4, 7.5, 12, rng.uniform(0, 50)]),
        batch_size=rng.choice([1, 1, 10, rng.uniform(1, 500)]),
        flows=rng.randint(0, 200),
        apps=rng.randint(0, 100),
        mar=0 if rng.random() < 0.2 else log_uniform(3, 10),
        churn=rng.uniform(0, 5),
        db_gb=rng.choice([0, rng.uniform(0, 5000)]),
        years=rng.randint(1, 10),
        engineer_rate=rng.uniform(20, 250),
        ops_rate=rng.choice([100, rng.uniform(20, 250)]),
        on_call_monthly=rng.choice([0, 0, rng.uniform(0, 5000)]),
        parallel_months=rng.choice([0, 0, 3, rng.uniform(0, 12)]),
        risk=rng.choice([0, 0, 0.1, rng.uniform(0, 0.5)]),
        enterprise_features=rng.random() < 0.3,
        escalator=rng.choice([0, 0, rng.uniform(0, 0.2)]),
        discount_rate=rng.choice([0, 0, 0.1, rng.uniform(0, 0.3)]),
        approaches=chosen,
        **overrides,
    )


def crossing_scenarios(rng: random.Random) -> list[Scenario]:
    """Scenarios whose cheaper approach changes more than once (a cheap licence
    growing fast against a self-hosted tool), around the case reported in issue 20."""
    return [
        Scenario(
            approaches=("celigo", "n8n-self-hosted"),
            licence={"celigo": rng.uniform(3000, 8000)},
            escalator=rng.uniform(0.35, 0.5),
            years=rng.randint(5, 10),
        )
        for _ in range(20)
    ]


def python_side(s: Scenario) -> dict[str, Any]:
    """What the page and the calculator show for one scenario, computed in Python."""
    results = []
    for r in evaluate(s, pricing()).results:
        results.append(
            {
                "id": r.id,
                "costs": {k: getattr(r.costs, k) for k in COST_FIELDS},
                "low_total": r.low_total,
                "high_total": r.high_total,
                "cost_per_unit": r.cost_per_unit,
                "unit_basis": r.unit_basis,
                "comparable": r.comparable,
                "quote_required": r.quote_required,
                "quote_reason": r.quote_reason,
                "estimate": r.estimate,
                "shown": [render.money(getattr(r.costs, k)) for k in COST_FIELDS]
                + [
                    render.money(r.low_total),
                    render.money(r.high_total),
                    render.per_unit(r.cost_per_unit, r.unit_basis),
                ],
            }
        )
    a, b = approach(s.approaches[0]), approach(s.approaches[-1])
    be = break_even(a, b, s)
    clauses = [
        render.month_clause(be, a, b, s.years),
        *render.detail_clauses(be, s.years),
        render.volume_clause(be, s.years),
    ]
    pair = {
        "month": be.month,
        "crossings": list(be.crossings),
        "cheaper_at_end": be.cheaper_at_end,
        "month_low": be.month_low,
        "month_high": be.month_high,
        "discounted": be.discounted,
        "month_undiscounted": be.month_undiscounted,
        "swings": [[w.factor, w.low, w.high] for w in sensitivity(a, s)],
        "pair_swing": render.pair_sensitivity_sentence(pair_sensitivity(a, b, s), s.years),
        "cheaper_later": be.cheaper_later,
        "volume": be.volume,
        "measure": be.measure,
        "volume_matters": be.volume_matters,
        "clauses": [[key, values] for key, values in clauses],
        "sentences": [text.sentence(text.BREAK_EVEN[key], values) for key, values in clauses],
    }
    return {"results": results, "pair": pair}


JS_SIDE = """
const [scenarios, cat, spec] = input;
const M = lib, T = spec.text;
output = scenarios.map((s) => {
  const results = M.evaluate(s, cat, spec).map((r) => ({
    id: r.id, costs: r.costs, low_total: r.low_total, high_total: r.high_total,
    cost_per_unit: r.cost_per_unit, unit_basis: r.unit_basis, comparable: r.comparable,
    quote_required: r.quote_required, quote_reason: r.quote_reason, estimate: r.estimate,
    shown: COST_FIELDS.map((k) => M.money(r.costs[k], T))
      .concat([M.money(r.low_total, T), M.money(r.high_total, T),
        M.perUnit(r.cost_per_unit, r.unit_basis, T)]),
  }));
  const a = M.find(cat, s.approaches[0]), b = M.find(cat, s.approaches[s.approaches.length - 1]);
  const be = M.breakEven(a, b, s, spec);
  const clauses = [M.monthClause(be, a, b, s.years, T)].concat(M.detailClauses(be, s.years, T),
    [M.volumeClause(be, s.years, spec)]);
  const swings = M.sensitivity(a, s, spec).map((w) => [w.factor, w.low, w.high]);
  return { results, pair: { month: be.month, crossings: be.crossings, cheaper_at_end: be.cheaper_at_end,
    month_low: be.month_low, month_high: be.month_high, discounted: be.discounted,
    month_undiscounted: be.month_undiscounted, swings,
    pair_swing: M.pairSensitivitySentence(M.pairSensitivity(a, b, s, spec), s.years, T),
    cheaper_later: be.cheaper_later, volume: be.volume,
    measure: be.measure, volume_matters: be.volume_matters, clauses,
    sentences: clauses.map(([key, values]) => M.sentence(T.break_even[key], values)) } };
});
"""


def same_money(x: float | None, y: float | None) -> bool:
    """Equal to the cent (both missing counts as equal)."""
    if x is None or y is None:
        return x is y
    return abs(x - y) < 0.005


def test_javascript_model_matches_python_to_the_cent_and_the_letter() -> None:
    rng = random.Random(SEED)
    ids = [a.id for a in pricing().approaches]
    scenarios = [generate(rng, ids) for _ in range(COUNT)] + crossing_scenarios(rng)
    # The same JSON the calculator page embeds.
    payload = [[s.model_dump(mode="json") for s in scenarios], model_data(pricing()), spec.widget_spec()]
    js_all = run_node(f"const COST_FIELDS = {list(COST_FIELDS)!r};\n{JS_SIDE}", payload, "tco.js")
    assert len(js_all) == len(scenarios) > COUNT
    checked = sentences = 0
    for index, (scenario, js) in enumerate(zip(scenarios, js_all, strict=True)):
        py = python_side(scenario)
        where = f"scenario {index}: {scenario.model_dump()}"
        assert [r["id"] for r in js["results"]] == [r["id"] for r in py["results"]], where
        for jr, pr in zip(js["results"], py["results"], strict=True):
            for key in COST_FIELDS:
                assert same_money(jr["costs"][key], pr["costs"][key]), f"{where} {pr['id']}.{key}"
            assert same_money(jr["low_total"], pr["low_total"]), where
            assert same_money(jr["high_total"], pr["high_total"]), where
            assert same_money(jr["cost_per_unit"], pr["cost_per_unit"]), where
            assert (jr["unit_basis"], jr["comparable"]) == (pr["unit_basis"], pr["comparable"]), where
            assert (jr["quote_required"], jr["estimate"]) == (pr["quote_required"], pr["estimate"]), where
            assert jr["quote_reason"] == pr["quote_reason"], where
            assert jr["shown"] == pr["shown"], f"{where} {pr['id']}"
            checked += 1
        jp, pp = js["pair"], py["pair"]
        keys = ("month", "crossings", "cheaper_at_end", "cheaper_later", "measure", "volume_matters")
        keys += ("month_low", "month_high", "discounted", "month_undiscounted", "pair_swing")
        for key in (*keys, "clauses", "sentences"):
            assert jp[key] == pp[key], f"{where} pair.{key}"
        assert same_money(jp["volume"], pp["volume"]), where
        assert [w[0] for w in jp["swings"]] == [w[0] for w in pp["swings"]], f"{where} swings"
        for jw, pw in zip(jp["swings"], pp["swings"], strict=True):
            assert same_money(jw[1], pw[1]) and same_money(jw[2], pw[2]), f"{where} swing {pw[0]}"
        sentences += len(pp["sentences"])
    assert checked > COUNT  # several approaches per scenario were compared
    assert sentences >= 2 * len(scenarios)
    # The generator reaches every new input and every kind of outcome.
    assert sum(s.enterprise_features for s in scenarios) > COUNT // 5
    assert sum(bool(s.usage_rate) for s in scenarios) > COUNT // 10
    assert any(len(js["pair"]["crossings"]) > 1 for js in js_all)
    assert any(not r["comparable"] for js in js_all for r in js["results"])
    assert any(key == "discounted" for js in js_all for key, _ in js["pair"]["clauses"])
    assert any(key == "month_range" for js in js_all for key, _ in js["pair"]["clauses"])
    assert sum(len(js["pair"]["swings"]) for js in js_all) > 2 * COUNT


EDGE_VALUES = [
    0,
    0.004999,
    0.005,
    0.03125,
    0.5,
    0.99995,
    1,
    1.005,
    2.5,
    999.995,
    1234.5,
    1953308.4,
    1e9 + 0.5,
    3.7e12,
]
"""Halves, values just under a rounding step, and large amounts."""


def test_number_rules_agree_on_edge_values() -> None:
    t = text.texts()
    python = [
        [
            render.money(v),
            render.per_unit(v, "transactions"),
            render.per_unit(v / 1e7, "mar"),
            text.whole(v),
            text.fixed(v, 2),
            text.fixed(v, 4),
        ]
        for v in EDGE_VALUES
    ]
    driver = (
        f"const T = {json.dumps(t)};\n"
        "output = input.map((v) =>\n"
        "  [lib.money(v, T), lib.perUnit(v, 'transactions', T), lib.perUnit(v / 1e7, 'mar', T),\n"
        "   lib.whole(v), lib.fixed(v, 2), lib.fixed(v, 4)]);"
    )
    assert run_node(driver, EDGE_VALUES, "tco.js") == python
    assert python[3][:2] == ["$0", "$0.0313 per transaction"]  # half up, in both languages
    assert python[3][3] == "0"


def test_volume_conversion_and_list_words_agree() -> None:
    cases = [
        [v, per, steps] for v in (0, 1, 2.5, 1_500_000) for per in spec.PER_OPTIONS for steps in (0, 3, 4.5)
    ]
    python = [spec.volume_per_month(v, per, steps) for v, per, steps in cases]
    driver = (
        "const [cases, spec] = input;\n"
        "output = cases.map(([v, per, steps]) => lib.volumePerMonth(v, per, steps, spec));"
    )
    assert run_node(driver, [cases, spec.widget_spec()], "tco.js") == python
    lists = [[], ["8"], ["8", "70"], ["3", "8", "70"]]
    joined = run_node(
        "output = input[0].map((l) => lib.joinList(l, input[1]));", [lists, text.texts()], "tco.js"
    )
    assert joined == [text.join_list(items) for items in lists]


def test_calculator_script_names_no_host_and_sets_no_html() -> None:
    # Its size budget (gzipped, as served) is in tests/site/test_script_budgets.py.
    minified = rjsmin.jsmin(TCO_JS.read_text(encoding="utf-8"))
    assert "http://" not in minified.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in minified  # no CDN, no third-party host
    assert ".innerHTML" not in minified  # text goes in through textContent only


def test_counts_in_the_scenario_comparison_are_written_as_the_inputs_table_writes_them() -> None:
    values = [*EDGE_VALUES, 7, 7.5, 20, 1_500_000, 0.25]
    assert run_node("output = input.map((v) => lib.number(v));", values, "tco.js") == [
        render.number(v) for v in values
    ]
    assert render.number(1_500_000) == "1,500,000" and render.number(7.5) == "7.50"
