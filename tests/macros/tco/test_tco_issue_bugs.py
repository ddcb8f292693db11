"""Regression tests for the calculator defects reported in issue 20.

Each test names the defect it pins down. Where the defect lives in the
calculator's script, the test runs the script's exported functions under Node.
"""

from __future__ import annotations

import pytest

from macros.tco import render, spec, text
from macros.tco.model import Scenario, break_even, evaluate
from tests.macros.nodejs import run_node
from tests.macros.sitedata import approach, pricing

PARSE = """
const [cases, spec] = input;
output = cases.map(([raw, min, max, integer]) => lib.parseNumber(raw, min, max, integer, true, spec.text));
"""


def parse_in_script(cases: list[tuple[str, float, float, bool]]) -> list[dict[str, object]]:
    """Run the calculator's number parser on typed texts."""
    return run_node(PARSE, [cases, spec.widget_spec()], "tco.js")


def test_decimal_commas_are_rejected_not_multiplied_by_ten() -> None:
    results = parse_in_script(
        [
            ("2,5", 0, 1000, False),
            ("3,5", 0, 50, False),
            ("87,50", 0, 2000, False),
            ("1,5000", 0, 1e9, False),
            (",5", 0, 1000, False),
        ]
    )
    for result in results:
        assert "value" not in result or result["value"] is None, result
        assert "comma" in str(result["error"]).lower(), result


def test_thousands_commas_in_the_grouped_shape_are_accepted() -> None:
    results = parse_in_script(
        [("1,234,567", 0, 1e9, False), ("1,500,000.5", 0, 1e9, False), ("12,000", 0, 1e9, True)]
    )
    assert [r.get("value") for r in results] == [1234567, 1500000.5, 12000]


def test_an_approach_whose_meter_is_zero_is_not_comparable_and_ranks_last() -> None:
    scenario = Scenario(mar=0, approaches=("fivetran", "airbyte-cloud", "n8n-self-hosted", "zapier"))
    results = evaluate(scenario, pricing()).results
    by_id = {r.id: r for r in results}
    assert not by_id["fivetran"].comparable and not by_id["airbyte-cloud"].comparable
    assert by_id["n8n-self-hosted"].comparable and by_id["zapier"].comparable
    assert [r.id for r in results][-2:] in (["fivetran", "airbyte-cloud"], ["airbyte-cloud", "fivetran"])
    assert render.notes_text(by_id["fivetran"]).startswith("Not comparable for this workload")


def test_row_billed_tools_show_cost_per_mar_not_per_transaction() -> None:
    scenario = Scenario(mar=20_000_000, approaches=("fivetran", "zapier", "custom-code"))
    by_id = {r.id: r for r in evaluate(scenario, pricing()).results}
    assert by_id["fivetran"].unit_basis == "mar"
    assert by_id["zapier"].unit_basis == "transactions"
    fivetran = by_id["fivetran"]
    assert fivetran.cost_per_unit == pytest.approx(fivetran.costs.total / (20_000_000 * 12 * 3))
    assert render.per_unit(fivetran.cost_per_unit, "mar").endswith(text.PER_UNIT_LABELS["mar"])


def test_break_even_reports_every_crossing_when_the_order_changes_twice() -> None:
    scenario = Scenario(
        approaches=("celigo", "n8n-self-hosted"), licence={"celigo": 5000}, escalator=0.5, years=6
    )
    a, b = approach("celigo"), approach("n8n-self-hosted")
    be = break_even(a, b, scenario)
    assert len(be.crossings) == 2
    assert be.crossings[0] == 8 and be.crossings[1] > 60
    assert be.cheaper_at_end == "n8n-self-hosted"
    key, values = render.month_clause(be, a, b, scenario.years)
    sentence = text.sentence(text.BREAK_EVEN[key], values)
    assert "2 times" in sentence and "n8n self-hosted" in sentence, sentence
    assert "becomes the cheaper" not in sentence


def test_one_year_is_singular() -> None:
    a, b = approach("n8n-self-hosted"), approach("custom-code")
    scenario = Scenario(years=1, approaches=("n8n-self-hosted", "custom-code"))
    key, values = render.month_clause(break_even(a, b, scenario), a, b, 1)
    sentence = text.sentence(text.BREAK_EVEN[key], values)
    assert "1 years" not in sentence and "1 year" in sentence, sentence
    caption = text.fill(spec.RESULTS_CAPTION, text.year_slots(1))
    assert "1 years" not in caption and "1 year" in caption


def test_rates_are_written_without_exponents() -> None:
    for a in pricing().approaches:
        assert "e-" not in render.usage_rule(a), a.id
    assert render.usage_rule(approach("logic-apps")).startswith("$0.000025 per built-in action")


def test_tiny_costs_per_unit_keep_significant_digits() -> None:
    assert render.per_unit(4.6e-9, "transactions").startswith("$0.0000000046")
    assert render.per_unit(0.0027851, "transactions").startswith("$0.0028")
    assert "$0.0000 " not in render.per_unit(0.00002, "transactions") + " "


def test_connected_apps_drive_connection_licensed_prices() -> None:
    few = Scenario(apps=3, approaches=("boomi",))
    many = Scenario(apps=80, approaches=("boomi",))
    assert (
        evaluate(few, pricing()).results[0].costs.licence_year
        < evaluate(many, pricing()).results[0].costs.licence_year
    )


def test_usage_price_and_list_price_name_the_same_plan_and_price() -> None:
    symbols = {"USD": "$", "EUR": "€"}
    checked = 0
    for a in pricing().approaches:
        usage = a.usage
        if a.list_price is None or usage is None or usage.scheme != "graduated":
            continue
        price = f"{usage.plan} {symbols[usage.currency]}{usage.base_monthly:g}"
        assert price in str(a.list_price.value), (a.id, price, a.list_price.value)
        checked += 1
    assert checked >= 3


def test_self_serve_note_agrees_with_the_quote_flags() -> None:
    note = render.self_serve_note(Scenario(approaches=("zapier", "make")), pricing())
    results = {r.id: r for r in evaluate(Scenario(approaches=("zapier", "make")), pricing()).results}
    assert results["zapier"].quote_required and not results["make"].quote_required
    above, _, within = note.partition("Within")
    assert "Zapier" in above and "Make" in within
