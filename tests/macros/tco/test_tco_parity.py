"""The calculator's JavaScript model computes what the Python model computes.

The JavaScript file is loaded into a blank Chromium page and its exported pure
functions are called on 250 seeded, generated scenarios; every cost, band,
flag and break-even must agree with Python to the cent.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import rjsmin

from macros.tco.model import Scenario, break_even, evaluate, model_data
from macros.tco.prices import approach, catalog

ROOT = Path(__file__).resolve().parents[3]
TCO_JS = ROOT / "docs" / "assets" / "javascripts" / "tco.js"
SEED = 20261125
COUNT = 250
COST_FIELDS = (
    "units_month",
    "usage_month",
    "build",
    "licence_year",
    "usage_year",
    "run_year",
    "infra_year",
    "licence_total",
    "usage_total",
    "run_total",
    "infra_total",
    "total",
)


def generate(rng: random.Random, ids: list[str]) -> Scenario:
    """One random scenario, with log-uniform volumes and occasional overrides."""

    def log_uniform(lo: float, hi: float) -> float:
        return 10 ** rng.uniform(lo, hi)

    chosen = tuple(rng.sample(ids, rng.randint(1, 8)))
    overrides: dict[str, dict[str, float]] = {"build_hours": {}, "maintenance_share": {}, "licence": {}}
    for approach_id in chosen:
        if rng.random() < 0.2:
            overrides["build_hours"][approach_id] = round(rng.uniform(0, 300), 1)
        if rng.random() < 0.2:
            overrides["maintenance_share"][approach_id] = round(rng.uniform(0, 0.6), 3)
        if rng.random() < 0.2:
            overrides["licence"][approach_id] = round(rng.uniform(0, 500_000), 2)
    return Scenario(
        transactions_per_month=0 if rng.random() < 0.1 else log_uniform(0, 9),
        steps_per_transaction=rng.choice([0, 1, 2, 3, 4, 7.5, 12, rng.uniform(0, 50)]),
        batch_size=rng.choice([1, 1, 10, rng.uniform(1, 500)]),
        flows=rng.randint(0, 200),
        apps=rng.randint(0, 60),
        mar=0 if rng.random() < 0.2 else log_uniform(3, 10),
        churn=rng.uniform(0, 5),
        db_gb=rng.choice([0, rng.uniform(0, 5000)]),
        years=rng.randint(1, 10),
        engineer_rate=rng.uniform(20, 250),
        escalator=rng.choice([0, 0, rng.uniform(0, 0.2)]),
        discount_rate=rng.choice([0, 0, 0.1, rng.uniform(0, 0.3)]),
        approaches=chosen,
        **overrides,
    )


def python_side(s: Scenario) -> dict[str, Any]:
    results = []
    for r in evaluate(s, catalog()).results:
        results.append(
            {
                "id": r.id,
                "costs": {k: getattr(r.costs, k) for k in COST_FIELDS},
                "low_total": r.low_total,
                "high_total": r.high_total,
                "cost_per_transaction": r.cost_per_transaction,
                "quote_required": r.quote_required,
                "estimate": r.estimate,
            }
        )
    a, b = s.approaches[0], s.approaches[-1]
    be = break_even(approach(a), approach(b), s)
    pair = {
        "month": be.month,
        "cheaper_later": be.cheaper_later,
        "volume": be.volume,
        "measure": be.measure,
        "volume_matters": be.volume_matters,
    }
    return {"results": results, "pair": pair}


JS_SIDE = """([scenarios, cat]) => scenarios.map((s) => {
  const M = window.ipTcoModel;
  const results = M.evaluate(s, cat).map((r) => ({
    id: r.id, costs: r.costs, low_total: r.low_total, high_total: r.high_total,
    cost_per_transaction: r.cost_per_transaction, quote_required: r.quote_required, estimate: r.estimate,
  }));
  const a = M.find(cat, s.approaches[0]), b = M.find(cat, s.approaches[s.approaches.length - 1]);
  const be = M.breakEven(a, b, s);
  return { results, pair: { month: be.month, cheaper_later: be.cheaper_later, volume: be.volume,
    measure: be.measure, volume_matters: be.volume_matters } };
})"""


def same_money(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return abs(x - y) < 0.005


@pytest.mark.slow
@pytest.mark.browser
def test_javascript_model_matches_python_to_the_cent(page: Any) -> None:
    rng = random.Random(SEED)
    ids = [a.id for a in catalog().approaches]
    scenarios = [generate(rng, ids) for _ in range(COUNT)]
    page.set_content("<!doctype html><title>parity</title>")
    page.add_script_tag(content=TCO_JS.read_text(encoding="utf-8"))
    # The same trimmed data the calculator page embeds.
    payload = [[s.model_dump(mode="json") for s in scenarios], model_data(catalog())]
    js_all = page.evaluate(JS_SIDE, payload)
    assert len(js_all) == COUNT
    checked = 0
    for index, (scenario, js) in enumerate(zip(scenarios, js_all, strict=True)):
        py = python_side(scenario)
        where = f"scenario {index}: {scenario.model_dump()}"
        assert [r["id"] for r in js["results"]] == [r["id"] for r in py["results"]], where
        for jr, pr in zip(js["results"], py["results"], strict=True):
            for key in COST_FIELDS:
                assert same_money(jr["costs"][key], pr["costs"][key]), f"{where} {pr['id']}.{key}"
            assert same_money(jr["low_total"], pr["low_total"]), where
            assert same_money(jr["high_total"], pr["high_total"]), where
            assert same_money(jr["cost_per_transaction"], pr["cost_per_transaction"]), where
            assert (jr["quote_required"], jr["estimate"]) == (pr["quote_required"], pr["estimate"]), where
            checked += 1
        jp, pp = js["pair"], py["pair"]
        assert (jp["month"], jp["cheaper_later"], jp["measure"]) == (
            pp["month"],
            pp["cheaper_later"],
            pp["measure"],
        ), where
        assert jp["volume_matters"] == pp["volume_matters"], where
        assert same_money(jp["volume"], pp["volume"]), where
    assert checked > COUNT  # several approaches per scenario were compared


def test_calculator_script_names_no_host_and_sets_no_html() -> None:
    # Its size budget (gzipped, as served) is in tests/site/test_script_budgets.py.
    minified = rjsmin.jsmin(TCO_JS.read_text(encoding="utf-8"))
    assert "http://" not in minified.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in minified  # no CDN, no third-party host
    assert ".innerHTML" not in minified  # text goes in through textContent only
