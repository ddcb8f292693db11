"""Render TCO results and assumptions as HTML tables, and the calculator shell.

The macro :func:`tco_scenario` shows a named or inline scenario on any page;
:func:`tco_calculator` renders the calculator: a form (shown by the script),
the default scenario's results (what readers without JavaScript see) and the
data the script needs, as escaped JSON in ``data-`` attributes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from macros.html import Markup, esc, source_links, table
from macros.models.pricing import Approach, GraduatedUsage, PricingCatalog, SplitCallUsage
from macros.tco import prices
from macros.tco.model import (
    VOLUME_RANGE,
    BreakEven,
    Evaluation,
    Scenario,
    break_even,
    evaluate,
    model_data,
    resolve_params,
    units_per_month,
)
from macros.tco.scenarios import CALCULATOR_DEFAULT, SCENARIOS

UNIT_LABEL = {
    "tasks": "tasks (action steps)",
    "credits": "credits (steps + trigger)",
    "executions": "workflow executions",
    "la_calls": "actions and connector calls",
    "mar": "monthly active rows",
    "ab_credits": "Airbyte credits",
    "none": "no separate usage charge",
}
"""Reader-facing name of each billing unit."""

LIST_ARGS = {"approaches"}
MAP_ARGS = {"build_hours", "maintenance_share", "licence"}


class TcoArgumentError(ValueError):
    """A ``tco_scenario`` argument is unknown or invalid; names page and argument."""


def money(value: float) -> str:
    """Format USD rounded to whole dollars, for example ``$1,953,308``.

    Args:
        value: Amount in USD.

    Returns:
        The formatted amount.
    """
    return f"${value:,.0f}"


def per_unit(value: float | None) -> str:
    """Format a cost per transaction with enough decimals to compare.

    Args:
        value: USD per transaction, or ``None``.

    Returns:
        ``$0.0028``-style text, or an em dash when there is no volume.
    """
    if value is None:
        return "—"
    return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def number(value: float) -> str:
    """Format a count with thousands separators and at most two decimals.

    Args:
        value: The count.

    Returns:
        The formatted count.
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def usage_rule(approach: Approach) -> str:
    """Describe an approach's usage price schedule in one line.

    Args:
        approach: The approach record.

    Returns:
        Plain text, for example ``$69/month incl. 2,000; $0.02 to 100,000; ...``.
    """
    usage = approach.usage
    if isinstance(usage, GraduatedUsage):
        parts = [f"${number(usage.base_monthly)}/month incl. {number(usage.included)}"]
        for tier in usage.tiers:
            upper = f"to {number(tier.upto)}" if tier.upto is not None else "beyond"
            parts.append(f"${tier.rate:g} each {upper}")
        if usage.self_serve_max is not None:
            parts.append(f"self-serve up to {number(usage.self_serve_max)} a month")
        return "; ".join(parts)
    if isinstance(usage, SplitCallUsage):
        return (
            f"${usage.builtin_rate:g} per built-in action ({number(usage.free_builtin)} free a month); "
            f"${usage.standard_rate:g} per standard call ({usage.standard_share:.0%} of calls); "
            f"${usage.enterprise_rate:g} per enterprise call ({usage.enterprise_share:.0%})"
        )
    if approach.licence is not None:
        return "included in the quoted licence"
    return "no usage charge"


def _flags(result: Any) -> Markup | str:
    flags = []
    if result.quote_required:
        flags.append(
            Markup('<span class="tco-flag" title="{}">Quote required</span>').format(result.quote_reason)
        )
    if result.estimate:
        flags.append(
            Markup('<span class="ip-estimate" title="Uses estimated prices or effort">(est.)</span>')
        )
    return Markup(" ").join(flags) or "—"


def results_table(evaluation: Evaluation, caption: str, table_id: str | None = None) -> Markup:
    """Render the results of a scenario, cheapest first.

    Args:
        evaluation: The model's output.
        caption: Table caption.
        table_id: Optional ``id`` of the table.

    Returns:
        An HTML table.
    """
    years = evaluation.scenario.years
    headers = [
        "Approach",
        "Build (one-off)",
        "Licence / yr",
        "Usage / yr",
        "Run and maintain / yr",
        "Infra / yr",
        f"Total ({years} yr)",
        "Low – high",
        "Per transaction",
        "Notes",
    ]
    rows = []
    for r in evaluation.results:
        c = r.costs
        rows.append(
            [
                r.name,
                money(c.build),
                money(c.licence_year),
                money(c.usage_year),
                money(c.run_year),
                money(c.infra_year),
                Markup("<strong>{}</strong>").format(money(c.total)),
                f"{money(r.low_total)} – {money(r.high_total)}",
                per_unit(r.cost_per_transaction),
                _flags(r),
            ]
        )
    return table(caption, headers, rows, table_id=table_id, css_class="ip-table tco-results")


def inputs_table(scenario: Scenario, caption: str) -> Markup:
    """Render the inputs of a scenario.

    Args:
        scenario: The inputs.
        caption: Table caption.

    Returns:
        An HTML table, one row per input.
    """
    rows = [
        ("Transactions a month (T)", number(scenario.transactions_per_month)),
        ("Action steps per transaction (S)", number(scenario.steps_per_transaction)),
        ("Transactions per execution (B)", number(scenario.batch_size)),
        ("Flows (F)", number(scenario.flows)),
        ("Connected apps", number(scenario.apps)),
        ("Monthly active rows (MAR)", number(scenario.mar)),
        ("Rows synced per MAR (churn)", number(scenario.churn)),
        ("Database GB a month", number(scenario.db_gb)),
        ("Horizon (years)", number(scenario.years)),
        ("Engineer cost per hour (r)", money(scenario.engineer_rate)),
        ("Price escalator a year (e)", f"{scenario.escalator:.1%}"),
        ("Discount rate a year (d)", f"{scenario.discount_rate:.1%}"),
    ]
    return table(caption, ["Input", "Value"], rows)


def assumptions_table(scenario: Scenario, pricing: PricingCatalog, caption: str) -> Markup:
    """Render each approach's prices and effort defaults with sources.

    Args:
        scenario: The inputs (for units and overrides).
        pricing: The price catalogue.
        caption: Table caption.

    Returns:
        An HTML table, one row per approach of the scenario.
    """
    headers = [
        "Approach",
        "Meter and units / month",
        "Usage price",
        "Licence / yr",
        "Effort and hosting",
        "Sources",
    ]
    rows = []
    for approach_id in scenario.approaches:
        a = prices.approach(approach_id, pricing)
        p = resolve_params(a, scenario, "default")
        lo = resolve_params(a, scenario, "low")
        hi = resolve_params(a, scenario, "high")
        estimate = Markup(
            ' <span class="ip-estimate" title="Estimate: not published by the vendor">(est.)</span>'
        )
        usage_text = esc(usage_rule(a)) + (estimate if a.usage is not None and a.usage.estimate else "")
        licence: Markup | str = "—"
        if a.licence is not None or a.id in scenario.licence:
            band = f"{money(lo.licence_annual)} – {money(hi.licence_annual)}"
            licence = Markup("{}<br><small>{}</small>").format(money(p.licence_annual), band)
            if a.id not in scenario.licence and a.licence is not None and a.licence.estimate:
                licence += estimate
        effort = (
            f"setup {number(p.setup_hours)} h; build {number(p.build_hours)} h per flow "
            f"({number(lo.build_hours)} – {number(hi.build_hours)}); maintenance {p.maintenance_share:.0%} "
            f"of build a year; operations {number(p.ops_hours)} h a month; "
            f"hosting {money(p.infra_monthly)} a month"
        )
        effort_html = esc(effort) + (estimate if a.effort.estimate else "")
        sources = []
        for part in (a.usage, a.licence, a.effort):
            if part is not None:
                sources.extend(src for src in part.sources if src not in sources)
        rows.append(
            [
                a.name,
                Markup("{}<br>{}").format(
                    UNIT_LABEL[a.billing_unit], number(units_per_month(a.billing_unit, scenario))
                ),
                usage_text,
                licence,
                effort_html,
                Markup("{}<br><small>reviewed {}</small>").format(
                    source_links(sources), a.effort.reviewed.isoformat()
                ),
            ]
        )
    return table(caption, headers, rows, css_class="ip-table tco-assumptions")


def break_even_text(be: BreakEven, a: Approach, b: Approach, years: int) -> str:
    """Say in words what the break-even month means for two approaches.

    Args:
        be: The break-even result.
        a: First approach.
        b: Second approach.
        years: Horizon in years.

    Returns:
        One clause of plain text.
    """
    names = {a.id: a.name, b.id: b.name}
    cheaper = names.get(be.cheaper_later or "", "")
    if be.month is None:
        return f"{cheaper} stays the cheaper of the two for all {years} years"
    if be.month == 0:
        if not cheaper:
            return "they cost the same throughout"
        return f"they start at the same cost and {cheaper} is cheaper from then on"
    return f"{cheaper} becomes the cheaper of the two in month {be.month}"


def break_even_volume_text(be: BreakEven, years: int) -> str:
    """Say in words where the two totals meet as volume changes.

    Args:
        be: The break-even result.
        years: Horizon in years.

    Returns:
        One clause of plain text.
    """
    unit = "MAR a month" if be.measure == "mar" else "transactions a month"
    if not be.volume_matters:
        return f"neither total depends on {unit}, so there is no break-even volume"
    if be.volume is None:
        lo, hi = VOLUME_RANGE[be.measure]
        return f"the {years}-year totals do not meet between {number(lo)} and {number(hi)} {unit}"
    return f"the {years}-year totals are equal at about {number(round(be.volume))} {unit}"


def break_even_list(
    scenario: Scenario, pricing: PricingCatalog, pairs: tuple[tuple[str, str], ...]
) -> Markup:
    """Describe the break-even month and volume of some approach pairs.

    Args:
        scenario: The inputs.
        pricing: The price catalogue.
        pairs: Approach id pairs.

    Returns:
        An HTML list (empty string when there are no pairs).
    """
    items = []
    for a_id, b_id in pairs:
        a, b = prices.approach(a_id, pricing), prices.approach(b_id, pricing)
        be = break_even(a, b, scenario)
        month = break_even_text(be, a, b, scenario.years)
        volume = break_even_volume_text(be, scenario.years)
        items.append(
            Markup("<li><strong>{} vs {}</strong>: {}; {}.</li>").format(a.name, b.name, month, volume)
        )
    return Markup('<ul class="tco-breakeven">{}</ul>').format(Markup("").join(items)) if items else Markup("")


def _coerce(name: str, value: Any) -> Any:
    """Turn macro-friendly values (comma-separated ids) into model values."""
    if name in LIST_ARGS and isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def build_scenario(
    name: str | None, inline: Mapping[str, Any], page: str, pricing: PricingCatalog
) -> Scenario:
    """Make a scenario from a name and/or inline arguments, or fail clearly.

    Args:
        name: A named scenario id, or ``None`` for a fully inline scenario.
        inline: Inline arguments; they override the named scenario's inputs.
        page: Source path of the page, for error messages.
        pricing: The catalogue (approach ids are checked against it).

    Returns:
        The validated scenario.

    Raises:
        TcoArgumentError: Unknown name, unknown argument, invalid value or
            unknown approach id; the message names the page and the argument.
    """
    where = f"{page}: tco_scenario()"
    base: dict[str, Any] = {}
    if name is not None:
        if name not in SCENARIOS:
            raise TcoArgumentError(
                f"{where}: argument 'name': unknown scenario {name!r} (known: {', '.join(SCENARIOS)})"
            )
        base = SCENARIOS[name].scenario.model_dump()
    allowed = set(Scenario.model_fields)
    for key in inline:
        if key not in allowed:
            raise TcoArgumentError(
                f"{where}: unknown argument {key!r} (allowed: {', '.join(sorted(allowed))})"
            )
    values = {**base, **{k: _coerce(k, v) for k, v in inline.items()}}
    try:
        scenario = Scenario.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        arg = str(first["loc"][0]) if first["loc"] else "(scenario)"
        raise TcoArgumentError(f"{where}: argument {arg!r}: {first['msg']}") from None
    known = {a.id for a in pricing.approaches}
    for arg in ("approaches", *sorted(MAP_ARGS)):
        ids = getattr(scenario, arg)
        for approach_id in ids:
            if approach_id not in known:
                listed = ", ".join(sorted(known))
                raise TcoArgumentError(
                    f"{where}: argument {arg!r}: unknown approach {approach_id!r} (known: {listed})"
                )
    return scenario


def tco_scenario(
    name: str | None = None,
    *,
    page: str = "",
    pricing: PricingCatalog,
    show_inputs: bool = True,
    show_results: bool = True,
    **inline: Any,
) -> Markup:
    """Render a scenario's results, break-evens and assumptions (the ``tco_scenario`` macro).

    Args:
        name: A named scenario (see :data:`macros.tco.scenarios.SCENARIOS`).
        page: Source path of the calling page (for error messages).
        pricing: The price catalogue (``pricing.yaml``).
        show_inputs: Also render the inputs table.
        show_results: Render the results table and break-evens (turn off to
            show only the assumptions, for example under the calculator).
        **inline: Scenario fields that replace the named scenario's values.

    Returns:
        HTML: results table, break-even list and assumptions tables.

    Raises:
        TcoArgumentError: An argument is invalid (the build stops).
    """
    scenario = build_scenario(name, inline, page, pricing)
    evaluation = evaluate(scenario, pricing)
    title = SCENARIOS[name].title if name in SCENARIOS else "Scenario"
    pairs = SCENARIOS[name].pairs if name in SCENARIOS and not inline else ()
    parts = []
    if show_results:
        parts.append(results_table(evaluation, f"{title}: results, cheapest first (USD)"))
        parts.append(break_even_list(scenario, pricing, pairs))
    if show_inputs:
        parts.append(inputs_table(scenario, f"{title}: inputs"))
    parts.append(assumptions_table(scenario, pricing, f"{title}: prices and effort assumed"))
    return Markup("\n\n").join(p for p in parts if p)


def tco_defaults(pricing: PricingCatalog) -> Markup:
    """Render the prices and effort defaults of every approach (the ``tco_defaults`` macro).

    Units a month are those of the calculator's default scenario.

    Args:
        pricing: The price catalogue (``pricing.yaml``).

    Returns:
        An HTML table, one row per approach in ``pricing.yaml``.
    """
    scenario = SCENARIOS[CALCULATOR_DEFAULT].scenario.model_copy(
        update={"approaches": tuple(a.id for a in pricing.approaches), "mar": 20_000_000}
    )
    return assumptions_table(scenario, pricing, "Every approach: prices and effort defaults")


def _field(name: str, label: str, value: float, hint: str) -> str:
    return (
        f'<div class="tco-field"><label for="tco-{esc(name)}">{esc(label)}</label>'
        f'<input id="tco-{esc(name)}" name="{esc(name)}" type="text" inputmode="decimal" '
        f'value="{esc(number(value).replace(",", ""))}" aria-describedby="tco-{esc(name)}-msg">'
        f'<small class="tco-hint">{esc(hint)}</small>'
        f'<span class="tco-msg" id="tco-{esc(name)}-msg" role="alert"></span></div>'
    )


def _cell_input(name: str, label: str, placeholder: float) -> str:
    return (
        f'<input name="{esc(name)}" type="text" inputmode="decimal" aria-label="{esc(label)}" '
        f'placeholder="{esc(number(placeholder))}">'
    )


def calculator_form(scenario: Scenario, pricing: PricingCatalog) -> str:
    """Render the calculator's form, disabled until the script starts.

    The form takes its full space from the first paint, so enabling it moves
    nothing on the page; without JavaScript a note says why it is inert.

    Args:
        scenario: Default inputs.
        pricing: The catalogue (one row of overrides per approach).

    Returns:
        HTML of the form.
    """
    general = [
        _field(
            "tx",
            "Transactions",
            scenario.transactions_per_month,
            "per month, or per day below; 0 to 1e9 a month",
        ),
        '<div class="tco-field"><label for="tco-per">Transactions counted per</label>'
        '<select id="tco-per" name="per"><option value="month" selected>month</option>'
        '<option value="day">day (× 30)</option></select></div>',
        _field("steps", "Action steps per transaction", scenario.steps_per_transaction, "0 to 1,000"),
        _field("batch", "Transactions per execution", scenario.batch_size, "batching; 1 to 1,000,000"),
        _field("flows", "Flows", scenario.flows, "whole number, 0 to 10,000"),
        _field("apps", "Connected apps", scenario.apps, "whole number, 0 to 10,000"),
        _field("mar", "Monthly active rows (ELT)", scenario.mar, "0 to 1e11"),
        _field("churn", "Rows synced per MAR", scenario.churn, "0 to 100"),
        _field("gb", "Database GB a month (Airbyte)", scenario.db_gb, "0 to 1e7"),
        _field("years", "Horizon (years)", scenario.years, "whole number, 1 to 10"),
        _field("rate", "Engineer cost (USD per hour)", scenario.engineer_rate, "0 to 2,000"),
        _field("esc", "Price escalator (% a year)", scenario.escalator * 100, "0 to 50"),
        _field("disc", "Discount rate (% a year)", scenario.discount_rate * 100, "0 to 50"),
    ]
    rows, checks = [], []
    for a in pricing.approaches:
        checked = " checked" if a.id in scenario.approaches else ""
        effort = a.effort
        lic = (
            _cell_input(f"lic.{a.id}", f"{a.name} licence override (USD a year)", a.licence.annual.default)
            if a.licence
            else "—"
        )
        build = _cell_input(
            f"bh.{a.id}", f"{a.name} build hours per flow", effort.build_hours_per_flow.default
        )
        share = _cell_input(
            f"ms.{a.id}", f"{a.name} maintenance % a year", effort.maintenance_share.default * 100
        )
        checks.append(
            f'<label><input type="checkbox" name="show" value="{esc(a.id)}"{checked}> {esc(a.name)}</label>'
        )
        cells = f"<td>{build}</td><td>{share}</td><td>{lic}</td>"
        rows.append(f'<tr><th scope="row">{esc(a.name)}</th>{cells}</tr>')
    options = "".join(f'<option value="{esc(a.id)}">{esc(a.name)}</option>' for a in pricing.approaches)
    return (
        '<noscript><p class="tco-notice">The calculator needs JavaScript. Below are the results of its '
        "default scenario, computed when this page was built.</p></noscript>"
        '<form class="tco-form" novalidate aria-label="TCO calculator inputs">'
        '<fieldset class="tco-live" disabled>'
        "<fieldset><legend>Workload and money</legend>"
        f'<div class="tco-grid">{"".join(general)}</div></fieldset>'
        "<fieldset><legend>Approaches to compare</legend>"
        f'<div class="tco-checks">{"".join(checks)}</div>'
        '<span class="tco-msg" id="tco-show-msg" role="alert"></span>'
        '<details class="tco-more"><summary>Per-approach assumptions: build hours, maintenance, '
        "your licence quotes</summary>"
        '<p class="tco-hint">Leave a cell empty to use the default shown. Maintenance is a share of build '
        "effort per year; a licence override replaces the estimate with your quote.</p>"
        '<div class="ip-table-wrap" tabindex="0" role="region" aria-label="Per-approach assumptions">'
        '<table class="ip-table tco-overrides"><thead><tr><th scope="col">Approach</th>'
        '<th scope="col">Build h / flow</th><th scope="col">Maintenance % / yr</th>'
        '<th scope="col">Licence USD / yr</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></details></fieldset>"
        '<fieldset><legend>Break-even between two approaches</legend><div class="tco-grid">'
        f'<div class="tco-field"><label for="tco-pa">First approach</label><select id="tco-pa" name="pa">'
        f"{options}</select></div>"
        f'<div class="tco-field"><label for="tco-pb">Second approach</label><select id="tco-pb" name="pb">'
        f"{options}</select></div></div></fieldset>"
        '<div class="tco-actions"><button type="button" class="md-button" data-tco="copy">Copy link</button>'
        '<button type="button" class="md-button" data-tco="csv">Download CSV</button>'
        '<button type="button" class="md-button" data-tco="json">Download JSON</button>'
        '<button type="button" class="md-button" data-tco="reset">Reset to defaults</button>'
        '<span class="tco-status" role="status"></span></div>'
        '<p class="tco-notice" role="alert" hidden></p>'
        "</fieldset></form>"
    )


def tco_calculator(pricing: PricingCatalog) -> Markup:
    """Render the interactive calculator with its no-JavaScript fallback.

    Args:
        pricing: The price catalogue (``pricing.yaml``).

    Returns:
        HTML: the widget container with the form, the default scenario's
        results (replaced live by the script) and the model data as JSON.
    """
    named = SCENARIOS[CALCULATOR_DEFAULT]
    scenario = named.scenario
    evaluation = evaluate(scenario, pricing)
    catalogue_json = json.dumps(model_data(pricing), separators=(",", ":"))
    defaults_json = json.dumps(
        {**scenario.model_dump(mode="json"), "pair": list(named.pairs[0])}, separators=(",", ":")
    )
    static = results_table(evaluation, f"Default scenario: {named.title} (USD)", table_id="tco-results")
    return Markup(
        f'<div class="tco-calculator" data-widget="tco" data-tco-catalogue="{esc(catalogue_json)}" '
        f'data-tco-defaults="{esc(defaults_json)}">'
        f"{calculator_form(scenario, pricing)}"
        f'<div class="tco-output" aria-live="polite">{static}</div>'
        '<div class="tco-charts"></div>'
        '<div class="tco-pair" aria-live="polite"></div>'
        "</div>"
    )
