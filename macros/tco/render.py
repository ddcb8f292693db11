"""Render TCO results and assumptions as HTML tables, and the calculator shell.

The macro :func:`tco_scenario` shows a named or inline scenario on any page;
:func:`tco_calculator` renders the calculator: a form (shown by the script),
the default scenario's results (what readers without JavaScript see) and the
data the script needs, as escaped JSON in ``data-`` attributes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from macros.html import Markup, esc, source_links, table
from macros.models.pricing import Approach, GraduatedUsage, PricingCatalog, Range, SplitCallUsage, Steps
from macros.tco import prices, spec, text
from macros.tco.model import (
    VOLUME_RANGE,
    ApproachResult,
    BreakEven,
    Evaluation,
    MonthSwing,
    Scenario,
    break_even,
    driver_volume,
    evaluate,
    model_data,
    resolve_params,
    units_per_month,
)
from macros.tco.scenarios import CALCULATOR_DEFAULT, SCENARIOS
from macros.templating import render_template

UNIT_LABEL = text.BILLING_UNITS
"""Reader-facing name of each billing unit (from :mod:`macros.tco.text`)."""

DRIVER_LABEL = {
    "tasks": "tasks a month",
    "executions": "executions a month",
    "connections": "connected apps",
    "flows": "flows",
    "records": "records moved a month",
}
"""Reader-facing name of what a step table is counted in."""

FLAT_LICENCE = "one estimate whatever the volume: the vendor's volume steps are not known"
"""Said of a quoted licence that the model does not step with volume."""

CURRENCY_SYMBOL = {"USD": "$", "EUR": "€"}
"""Symbols of the currencies price plans are published in."""

LIST_ARGS = {"approaches"}
MAP_ARGS = {
    "build_hours",
    "maintenance_share",
    "licence",
    "discount",
    "usage_rate",
    "partner",
    "training",
    "migration",
}


class TcoArgumentError(ValueError):
    """A ``tco_scenario`` argument is unknown or invalid; names page and argument."""


def money(value: float) -> str:
    """Format USD rounded to whole dollars, for example ``$1,953,308``.

    Args:
        value: Amount in USD.

    Returns:
        The formatted amount.
    """
    return text.CURRENCY + text.whole(value)


def per_unit(value: float | None, basis: str | None) -> str:
    """Format a cost per unit with enough decimals to compare, and its unit.

    Args:
        value: USD per unit, or ``None``.
        basis: ``transactions``, ``mar`` or ``gb`` (see :func:`macros.tco.model.unit_basis`).

    Returns:
        ``$0.0028 per transaction``-style text, or an em dash when there is no volume.
    """
    if value is None or basis is None:
        return text.MISSING
    return f"{text.CURRENCY}{text.fixed(value, text.unit_decimals(value))} {text.PER_UNIT_LABELS[basis]}"


def rate(value: float) -> str:
    """Write a unit price in plain decimals, never with an exponent (``0.000025``).

    Args:
        value: The price.

    Returns:
        The digits, without trailing zeros.
    """
    digits = f"{Decimal(repr(value)):f}"
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


def number(value: float) -> str:
    """Format a count with thousands separators and at most two decimals.

    Args:
        value: The count.

    Returns:
        The formatted count.
    """
    return text.whole(value) if float(value).is_integer() else text.fixed(value, 2)


def usage_rule(approach: Approach) -> str:
    """Describe an approach's usage price schedule in one line.

    Args:
        approach: The approach record.

    Returns:
        Plain text, for example ``$69/month incl. 2,000; $0.02 to 100,000; ...``.
    """
    usage = approach.usage
    if isinstance(usage, GraduatedUsage):
        symbol = CURRENCY_SYMBOL.get(usage.currency, usage.currency + " ")
        base = f"{usage.plan} plan: {symbol}{number(usage.base_monthly)}/month incl. {number(usage.included)}"
        if usage.currency != "USD":
            base += f" (at {rate(usage.usd_rate)} USD per {usage.currency})"
        parts = [base]
        for tier in usage.tiers:
            upper = f"to {number(tier.upto)}" if tier.upto is not None else "beyond"
            parts.append(f"{symbol}{rate(tier.rate)} each {upper}")
        if usage.free_up_to is not None:
            parts.append(f"free plan up to {number(usage.free_up_to)} a month")
        if usage.per_connection:
            parts.append(
                f"tiers apply to each connection (flows); at least {symbol}{number(usage.connection_minimum)}"
                " a month per active connection"
            )
        if usage.self_serve_max is not None:
            parts.append(f"self-serve up to {number(usage.self_serve_max)} a month")
        return "; ".join(parts)
    if isinstance(usage, SplitCallUsage):
        return (
            f"${rate(usage.builtin_rate)} per built-in action ({number(usage.free_builtin)} free a month); "
            f"${rate(usage.standard_rate)} per standard call ({usage.standard_share:.0%} of calls); "
            f"${rate(usage.enterprise_rate)} per enterprise call ({usage.enterprise_share:.0%})"
        )
    if approach.licence is not None:
        return "included in the quoted licence"
    return "no usage charge"


def notes_text(result: ApproachResult) -> str:
    """The Notes cell of a result in plain text, as the calculator writes it.

    Args:
        result: One approach's result.

    Returns:
        The notes, or an em dash when there are none.
    """
    parts = []
    if not result.comparable:
        parts.append(text.NOT_COMPARABLE)
    if result.quote_required:
        parts.append("Quote required")
    if result.estimate:
        parts.append("(est.)")
    return " ".join(parts) or text.MISSING


def _flags(result: ApproachResult) -> Markup | str:
    flags = []
    if not result.comparable:
        reason = text.fill(text.NOT_COMPARABLE_REASON, {"unit": text.BILLING_UNITS[result.billing_unit]})
        flags.append(
            Markup('<span class="tco-flag" title="{}">{}</span>').format(reason, text.NOT_COMPARABLE)
        )
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
    slots = text.year_slots(evaluation.scenario.years)
    headers = [text.fill(column, slots) for column in spec.RESULT_COLUMNS]
    rows = []
    for r in evaluation.results:
        c = r.costs
        rows.append(
            [
                r.name,
                money(c.build + c.one_off),
                money(c.licence_year),
                money(c.usage_year),
                money(c.run_year),
                money(c.infra_year),
                Markup("<strong>{}</strong>").format(money(c.total)),
                f"{money(r.low_total)} – {money(r.high_total)}",
                per_unit(r.cost_per_unit, r.unit_basis),
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
        ("Integration developer cost per hour (r)", money(scenario.engineer_rate)),
        ("Platform / ops engineer cost per hour (o)", money(scenario.ops_rate)),
        ("On-call a month, self-run tools", money(scenario.on_call_monthly)),
        ("Parallel-run months", number(scenario.parallel_months)),
        ("Risk adjustment", f"{scenario.risk:.1%}"),
        (text.ENTERPRISE["label"], text.ENTERPRISE["yes" if scenario.enterprise_features else "no"]),
        ("Price escalator a year (e)", f"{scenario.escalator:.1%}"),
        ("Discount rate a year (d)", f"{scenario.discount_rate:.1%}"),
    ]
    return table(caption, ["Input", "Value"], rows)


def step_note(steps: Steps, scenario: Scenario) -> Markup:
    """Say which row of a step table is in force, in one line.

    Args:
        steps: The step table.
        scenario: The inputs.

    Returns:
        ``<small>`` text such as "by tasks a month: step 2 of 3".
    """
    volume = driver_volume(steps.driver, scenario)
    row = next(i for i, s in enumerate(steps.steps, 1) if s.upto is None or volume <= s.upto)
    return Markup("<br><small>steps with {}: step {} of {} (table on How the model works)</small>").format(
        DRIVER_LABEL[steps.driver], row, len(steps.steps)
    )


def step_table(steps: Steps, scenario: Scenario, unit: str, per: str) -> Markup:
    """Render a volume step table, the row in force marked.

    Args:
        steps: The step table.
        scenario: The inputs (which row applies).
        unit: What the amounts are, for the header (``Licence / yr``).
        per: Unit words after each amount (``a year``).

    Returns:
        A small HTML table.
    """
    volume = driver_volume(steps.driver, scenario)
    rows = []
    lower = 0.0
    found = False
    for step in steps.steps:
        upper = "and more" if step.upto is None else f"to {number(step.upto)}"
        in_force = not found and (step.upto is None or volume <= step.upto)
        found = found or in_force
        amount: Range = step.amount
        cells = Markup("<td>{} {}</td><td>{} {} ({} – {})</td>").format(
            number(lower), upper, money(amount.default), per, money(amount.low), money(amount.high)
        )
        mark = Markup(' class="tco-step-now"') if in_force else Markup("")
        rows.append(Markup("<tr{}>{}</tr>").format(mark, cells))
        lower = step.upto or lower
    return Markup(
        '<table class="tco-steps"><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>"
    ).format(DRIVER_LABEL[steps.driver].capitalize(), unit, Markup("").join(rows))


def assumptions_table(
    scenario: Scenario, pricing: PricingCatalog, caption: str, step_tables: bool = False
) -> Markup:
    """Render each approach's prices and effort defaults with sources.

    Args:
        scenario: The inputs (for units and overrides).
        pricing: The price catalogue.
        caption: Table caption.
        step_tables: Show each volume step table in full (else one line
            naming the step in force).

    Returns:
        An HTML table, one row per approach of the scenario.
    """

    def steps_html(steps: Steps, unit: str, per: str) -> Markup:
        return step_table(steps, scenario, unit, per) if step_tables else step_note(steps, scenario)

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
        edition_used = scenario.enterprise_features and a.enterprise_edition is not None
        if a.licence is not None or a.id in scenario.licence or edition_used:
            band = f"{money(lo.licence_annual)} – {money(hi.licence_annual)}"
            licence = Markup("{}<br><small>{}</small>").format(money(p.licence_annual), band)
            if a.id not in scenario.licence and a.licence is not None and a.licence.estimate:
                licence += estimate
            if a.licence is not None and a.licence.by_volume is not None and a.id not in scenario.licence:
                licence += steps_html(a.licence.by_volume, "Licence", "a year")
            elif a.licence is not None and a.id not in scenario.licence:
                licence += Markup("<br><small>{}</small>").format(FLAT_LICENCE)
            if edition_used and a.enterprise_edition is not None:
                licence += Markup("<br><small>includes {}</small>").format(a.enterprise_edition.name)
        else:
            licence = "no licence"
        effort = (
            f"setup {number(p.setup_hours)} h; build {number(p.build_hours)} h per flow "
            f"({number(lo.build_hours)} – {number(hi.build_hours)}); maintenance {p.maintenance_share:.0%} "
            f"of build a year; operations {number(p.ops_hours)} h a month; "
            f"hosting {money(p.infra_monthly)} a month"
        )
        effort_html = esc(effort) + (estimate if a.effort.estimate else "")
        if a.effort.infra_steps is not None:
            effort_html += steps_html(a.effort.infra_steps, "Hosting", "a month")
        sources = []
        for part in (a.usage, a.licence, a.effort, a.enterprise_edition if edition_used else None):
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


Clause = tuple[str, dict[str, str]]
"""A key of :data:`macros.tco.text.BREAK_EVEN` and the values of its slots."""


def month_clause(be: BreakEven, a: Approach, b: Approach, years: int) -> Clause:
    """Pick the clause that says what the break-even month means.

    The calculator's script makes the same choice (``monthClause`` in
    ``tco.js``) from the same templates.

    Args:
        be: The break-even result.
        a: First approach.
        b: Second approach.
        years: Horizon in years.

    Returns:
        The clause's template key and slot values.
    """
    names = {a.id: a.name, b.id: b.name}
    cheaper = names.get(be.cheaper_later or "", "")
    if be.month is None:
        return "stays_cheaper", {"cheaper": cheaper, "years": text.year_slots(years)["years"]}
    if len(be.crossings) > 1:
        values = {"count": str(len(be.crossings)), "months": text.join_list([str(m) for m in be.crossings])}
        if be.cheaper_at_end is None:
            return "order_changes_tied", values
        return "order_changes", {**values, "cheaper": names[be.cheaper_at_end]}
    if be.month == 0:
        return ("same_start", {"cheaper": cheaper}) if cheaper else ("same_throughout", {})
    return "becomes_cheaper", {"cheaper": cheaper, "month": str(be.month)}


def month_words(month: int | None, years: int) -> str:
    """A break-even month as words: ``month 29``, or ``never within 3 years``.

    Args:
        month: The month, or ``None``.
        years: Horizon in years.

    Returns:
        The words.
    """
    if month is None:
        return text.fill(text.MONTH_WORDS["never"], text.year_slots(years))
    return text.fill(text.MONTH_WORDS["month"], {"month": month})


def detail_clauses(be: BreakEven, years: int) -> list[Clause]:
    """Clauses that qualify the break-even month: discounted payback, and its range.

    The calculator's script makes the same choice (``detailClauses`` in ``tco.js``).

    Args:
        be: The break-even result.
        years: Horizon in years.

    Returns:
        Zero, one or two clauses.
    """
    clauses: list[Clause] = []
    if be.discounted and be.month is not None:
        clauses.append(("discounted", {"plain": month_words(be.month_undiscounted, years)}))
    if be.month_low != be.month or be.month_high != be.month:
        clauses.append(
            (
                "month_range",
                {"low": month_words(be.month_low, years), "high": month_words(be.month_high, years)},
            )
        )
    return clauses


def pair_sensitivity_sentence(swings: list[MonthSwing], years: int) -> str:
    """Say how the break-even month moves with each input, in one sentence.

    The calculator's script writes the same sentence (``pairSensitivitySentence`` in ``tco.js``).

    Args:
        swings: From :func:`macros.tco.model.pair_sensitivity`.
        years: Horizon in years.

    Returns:
        The sentence, or an empty string when no input can move.
    """
    words = text.PAIR_SENSITIVITY
    items = [
        text.fill(
            words["item"],
            {
                "label": words["labels"][w.factor],
                "low": month_words(w.low, years),
                "high": month_words(w.high, years),
            },
        )
        for w in swings
    ]
    return text.sentence(words["sentence"], {"items": "; ".join(items)}) if items else ""


def volume_clause(be: BreakEven, years: int) -> Clause:
    """Pick the clause that says where the two totals meet as volume changes.

    The calculator's script makes the same choice (``volumeClause`` in ``tco.js``).

    Args:
        be: The break-even result.
        years: Horizon in years.

    Returns:
        The clause's template key and slot values.
    """
    unit = text.UNIT_NAMES[be.measure]
    if not be.volume_matters:
        return "volume_irrelevant", {"unit": unit}
    if be.volume is None:
        low, high = VOLUME_RANGE[be.measure]
        return "volume_outside", {
            "n": str(years),
            "low": text.whole(low),
            "high": text.whole(high),
            "unit": unit,
        }
    return "volume", {"n": str(years), "volume": text.whole(be.volume), "unit": unit}


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
    key, values = month_clause(be, a, b, years)
    return text.fill(text.BREAK_EVEN[key], values)


def break_even_volume_text(be: BreakEven, years: int) -> str:
    """Say in words where the two totals meet as volume changes.

    Args:
        be: The break-even result.
        years: Horizon in years.

    Returns:
        One clause of plain text.
    """
    key, values = volume_clause(be, years)
    return text.fill(text.BREAK_EVEN[key], values)


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
        clauses = [break_even_text(be, a, b, scenario.years)]
        clauses += [text.fill(text.BREAK_EVEN[k], v) for k, v in detail_clauses(be, scenario.years)]
        clauses.append(break_even_volume_text(be, scenario.years))
        items.append(
            Markup("<li><strong>{} vs {}</strong>: {}.</li>").format(a.name, b.name, "; ".join(clauses))
        )
    return Markup('<ul class="tco-breakeven">{}</ul>').format(Markup("").join(items)) if items else Markup("")


def self_serve_note(scenario: Scenario, pricing: PricingCatalog) -> str:
    """Say which usage-priced approaches are above or within their top self-serve tier.

    The words come from the same comparison that sets the "Quote required"
    flag, so a page's prose cannot contradict its table.

    Args:
        scenario: The inputs.
        pricing: The price catalogue.

    Returns:
        One or two sentences, or an empty string when no approach has a self-serve ceiling.
    """
    above, within = [], []
    for approach_id in scenario.approaches:
        a = prices.approach(approach_id, pricing)
        ceiling = getattr(a.usage, "self_serve_max", None) if a.usage else None
        if ceiling is None:
            continue
        units = units_per_month(a.billing_unit, scenario)
        words = f"{a.name} ({number(units)} {UNIT_LABEL[a.billing_unit].split(' (')[0]} a month"
        words += f" against {number(ceiling)})"
        (above if units > ceiling else within).append(words)
    parts = []
    if above:
        parts.append(f"Above the top self-serve tier, so priced by quote: {text.join_list(above)}.")
    if within:
        parts.append(f"Within the top self-serve tier: {text.join_list(within)}.")
    return " ".join(parts)


def tco_self_serve_note(name: str, *, pricing: PricingCatalog) -> str:
    """Render :func:`self_serve_note` for a named scenario (the ``tco_self_serve_note`` macro).

    Args:
        name: A named scenario id.
        pricing: The price catalogue.

    Returns:
        The sentences.
    """
    return self_serve_note(SCENARIOS[name].scenario, pricing)


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
    return assumptions_table(
        scenario, pricing, "Every approach: prices and effort defaults", step_tables=True
    )


def calculator_form(scenario: Scenario, pricing: PricingCatalog) -> Markup:
    """Render the calculator's form, disabled until the script starts.

    The form takes its full space from the first paint, so enabling it moves
    nothing on the page; without JavaScript a note says why it is inert.
    Labels, hints and limits come from :mod:`macros.tco.spec`, the same
    definition the script reads.

    Args:
        scenario: Default inputs.
        pricing: The catalogue (one row of overrides per approach).

    Returns:
        HTML of the form.
    """
    inputs = [
        {
            "name": f.name,
            "label": f.label,
            "hint": f.hint,
            "value": number(getattr(scenario, f.key) * f.scale).replace(",", ""),
        }
        for f in spec.INPUTS
    ]
    approaches = []
    for a in pricing.approaches:
        defaults = {
            "build_hours": a.effort.build_hours_per_flow.default,
            "maintenance_share": a.effort.maintenance_share.default,
            "licence": None
            if a.licence is None
            else a.licence.annual.default
            if a.licence.annual
            else "by volume",
            "discount": 0 if a.licence or a.usage else None,
            "usage_rate": None if a.billing_unit == "none" else 0,
            "partner": 0,
            "training": 0,
            "migration": 0,
        }
        cells = [
            {
                "name": f"{o.prefix}.{a.id}",
                "prefix": o.prefix,
                "label": text.fill(o.label, {"name": a.name}),
                "placeholder": None
                if defaults[o.key] is None
                else "list price"
                if o.key == "usage_rate"
                else defaults[o.key]
                if isinstance(defaults[o.key], str)
                else number(defaults[o.key] * o.scale),
            }
            for o in spec.OVERRIDES
        ]
        approaches.append(
            {"id": a.id, "name": a.name, "checked": a.id in scenario.approaches, "cells": cells}
        )
    return render_template(
        "tco_form.html",
        inputs=inputs,
        overrides=spec.OVERRIDES,
        approaches=approaches,
        days_per_month=spec.DAYS_PER_MONTH,
        enterprise=scenario.enterprise_features,
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
    spec_json = json.dumps(spec.widget_spec(), separators=(",", ":"), ensure_ascii=False)
    defaults_json = json.dumps(
        {**scenario.model_dump(mode="json"), "pair": list(named.pairs[0])}, separators=(",", ":")
    )
    static = results_table(evaluation, f"Default scenario: {named.title} (USD)", table_id="tco-results")
    return Markup(
        f'<div class="tco-calculator" data-widget="tco" data-tco-catalogue="{esc(catalogue_json)}" '
        f'data-tco-defaults="{esc(defaults_json)}" data-tco-spec="{esc(spec_json)}">'
        f"{calculator_form(scenario, pricing)}"
        f'<div class="tco-output" aria-live="polite">{static}</div>'
        '<div class="tco-charts"></div>'
        '<div class="tco-pair" aria-live="polite"></div>'
        '<div class="tco-compare" aria-live="polite" hidden></div>'
        "</div>"
    )
