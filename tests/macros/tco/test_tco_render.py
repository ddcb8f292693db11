"""The tco_scenario and tco_calculator macros: tables, escaping and build errors."""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import ValidationError

import macros
from macros.models.pricing import PricingCatalog
from macros.tco import model, render, spec
from macros.tco.model import Scenario
from macros.tco.render import TcoArgumentError, tco_calculator, tco_scenario
from macros.tco.scenarios import CALCULATOR_DEFAULT, SCENARIOS
from tests.macros.sitedata import pricing


def row_names(fragment: str, table_class: str = "tco-results") -> list[str]:
    table = fragment.split(f'class="ip-table {table_class}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


def test_named_scenario_renders_results_cheapest_first_with_flags_and_breakevens() -> None:
    out = tco_scenario("netsuite-50k", page="tco/worked-examples.md", pricing=pricing())
    assert row_names(out)[:2] == ["n8n self-hosted (Community edition)", "Azure Logic Apps (Consumption)"]
    assert "<strong>$150,400</strong>" in out
    assert "$1,953,308" in out and "Quote required" in out
    assert "Custom code becomes the cheaper of the two in month 29" in out
    assert "NetSuite and 15 SaaS apps at 50,000 transactions a day: inputs" in out
    assert "prices and effort assumed" in out and "https://zapier.com/pricing" in out


def test_inline_arguments_override_a_named_scenario() -> None:
    out = tco_scenario(
        "small-team", page="p.md", pricing=pricing(), approaches="zapier, make", transactions_per_month=50_000
    )
    assert sorted(row_names(out)) == ["Make", "Zapier"]
    assert "tco-breakeven" not in out  # named pairs are only shown for the unmodified scenario


def test_fully_inline_scenario_and_assumptions_only() -> None:
    out = tco_scenario(
        page="p.md",
        pricing=pricing(),
        approaches=["dlt"],
        mar=1e6,
        flows=2,
        show_results=False,
        show_inputs=False,
    )
    assert "tco-results" not in out
    assert row_names(out, "tco-assumptions") == ["dlt (open-source Python library)"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "nope"}, r"docs-page\.md: tco_scenario\(\): argument 'name': unknown scenario 'nope'"),
        ({"name": "small-team", "flowz": 3}, r"docs-page\.md: tco_scenario\(\): unknown argument 'flowz'"),
        (
            {"name": "small-team", "years": 0},
            r"docs-page\.md: tco_scenario\(\): argument 'years': .*greater than",
        ),
        ({"name": "small-team", "transactions_per_month": "lots"}, r"argument 'transactions_per_month'"),
        (
            {"name": "small-team", "approaches": "zapier,mulesofd"},
            r"argument 'approaches': unknown approach 'mulesofd'",
        ),
        ({"name": "small-team", "licence": {"nobody": 5}}, r"argument 'licence': unknown approach 'nobody'"),
        ({"approaches": ""}, r"argument 'approaches'"),
    ],
)
def test_invalid_arguments_name_the_page_and_the_argument(kwargs: dict[str, Any], message: str) -> None:
    name = kwargs.pop("name", None)
    with pytest.raises(TcoArgumentError, match=message):
        tco_scenario(name, page="docs-page.md", pricing=pricing(), **kwargs)


def test_define_env_registers_the_macros_and_passes_the_page_path() -> None:
    registered: dict[str, Any] = {}
    env = SimpleNamespace(
        variables={},
        conf={"docs_dir": "docs"},
        macro=lambda fn, name: registered.__setitem__(name, fn),
        page=SimpleNamespace(url="tco/x/", file=SimpleNamespace(src_path="tco/x.md")),
    )
    macros.define_env(env)
    assert {"tco_scenario", "tco_calculator", "tco_defaults"} <= registered.keys()
    from macros.tco.render import TcoArgumentError as FreshError  # modules are reloaded by define_env

    with pytest.raises(FreshError, match=r"^tco/x\.md: tco_scenario\(\): argument 'years'"):
        registered["tco_scenario"]("small-team", years=99)


def test_data_is_escaped_everywhere() -> None:
    raw = pricing().model_dump(mode="json")
    evil = '<script>alert("x")</script>'
    raw["approaches"][0]["name"] = evil
    hostile = PricingCatalog.model_validate(raw)
    for out in (
        tco_scenario(page="p.md", pricing=hostile, approaches=raw["approaches"][0]["id"], mar=1e6),
        tco_calculator(pricing=hostile),
        render.tco_defaults(pricing=hostile),
    ):
        assert "<script" not in out
        assert "&lt;script&gt;" in out or "&#34;" in out


def test_calculator_embeds_the_catalogue_and_defaults_and_a_no_js_fallback() -> None:
    out = tco_calculator(pricing())
    assert 'data-widget="tco"' in out and "<form" in out and '<fieldset class="tco-live" disabled>' in out
    assert "<noscript>" in out
    catalogue = json.loads(html.unescape(re.search(r'data-tco-catalogue="([^"]+)"', out).group(1)))
    defaults = json.loads(html.unescape(re.search(r'data-tco-defaults="([^"]+)"', out).group(1)))
    assert len(catalogue["approaches"]) == 20
    assert defaults["transactions_per_month"] == 1_500_000 and defaults["pair"] == ["custom-code", "workato"]
    assert row_names(out)[0] == "n8n self-hosted (Community edition)"


def test_formatting_helpers() -> None:
    assert render.money(1953308.4) == "$1,953,308"
    assert render.per_unit(None, None) == "—"
    assert render.per_unit(0.00283, "transactions") == "$0.0028 per transaction"
    assert render.per_unit(1.2, "gb") == "$1.20 per GB"
    assert render.rate(0.000025) == "0.000025" and render.rate(2.5) == "2.5" and render.rate(69.0) == "69"
    assert render.number(2.5) == "2.50"


def test_form_hints_and_script_limits_come_from_the_scenario_schema() -> None:
    widget = spec.widget_spec()
    form = str(tco_calculator(pricing()))
    for field, embedded in zip(spec.INPUTS, widget["inputs"], strict=True):
        assert f'<small class="tco-hint">{field.hint}</small>' in form
        assert (embedded["min"], embedded["max"]) == (field.minimum, field.maximum)
        top = embedded["max"] / embedded["scale"]
        Scenario.model_validate({"approaches": ("dlt",), field.key: top})
        with pytest.raises(ValidationError):
            Scenario.model_validate(
                {"approaches": ("dlt",), field.key: top + (1 if field.integer else top * 1e-6)}
            )
    spec_json = json.loads(html.unescape(re.search(r'data-tco-spec="([^"]+)"', form).group(1)))
    assert spec_json == json.loads(json.dumps(widget))
    assert [o["max"] / o["scale"] for o in widget["overrides"]] == list(model.OVERRIDE_LIMITS.values())


def test_form_is_a_template_that_escapes_what_it_prints() -> None:
    raw = pricing().model_dump(mode="json")
    raw["approaches"][0]["name"] = '"><script>x</script>'
    form = str(
        render.calculator_form(SCENARIOS[CALCULATOR_DEFAULT].scenario, PricingCatalog.model_validate(raw))
    )
    assert "<script>" not in form and "&#34;&gt;&lt;script&gt;" in form
    assert "\n\n" not in form  # one HTML block for Markdown
