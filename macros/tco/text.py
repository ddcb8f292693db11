"""The TCO calculator's words and number rules, written once for Python and the script.

The page renders with these templates and the calculator's script reads the
same templates from the JSON the page embeds (:func:`macros.tco.spec.widget_spec`),
so a sentence or a rounding rule cannot drift between the two. The few lines
that apply a rule (round, group digits, fill a template) exist in both
languages and a parity test runs them side by side under Node.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

CURRENCY = "$"
"""Currency symbol of every amount (the model works in USD)."""

MISSING = "—"
"""Shown where a figure does not exist (cost per transaction with no transactions)."""

PER_UNIT_DECIMALS = {"below_one": 4, "from_one": 2, "most": 15}
"""Decimals of a cost per unit: 2 from one dollar up, 4 below, and more below
a tenth of a cent until two significant digits show (at most ``most``)."""

PER_UNIT_LABELS = {"transactions": "per transaction", "mar": "per MAR", "gb": "per GB"}
"""What a cost per unit is per, by basis (see :func:`macros.tco.model.unit_basis`)."""

YEARS = {"one": "{n} year", "other": "{n} years"}
"""A horizon in words: the plural rule for years."""

UNIT_NAMES = {"transactions": "transactions a month", "mar": "MAR a month"}
"""The volume a break-even volume is measured in, by measure."""

BREAK_EVEN = {
    "stays_cheaper": "{cheaper} stays the cheaper of the two over {years}",
    "same_throughout": "they cost the same throughout",
    "same_start": "they start at the same cost and {cheaper} is cheaper from then on",
    "becomes_cheaper": "{cheaper} becomes the cheaper of the two in month {month}",
    "order_changes": (
        "the cheaper of the two changes {count} times, in months {months}; "
        "{cheaper} is the cheaper at the end"
    ),
    "order_changes_tied": "the cheaper of the two changes {count} times, in months {months}; they end equal",
    "volume_irrelevant": "neither total depends on {unit}, so there is no break-even volume",
    "volume_outside": "the {n}-year totals do not meet between {low} and {high} {unit}",
    "volume": "the {n}-year totals cross at about {volume} {unit}",
    "same_approach": "pick two different approaches",
    "discounted": "with the discount rate this is the discounted payback; undiscounted it is {plain}",
    "month_range": "with every range at its low or its high end it is {low} or {high}",
}
"""Break-even clauses. A page joins two with "; "; the calculator shows each as a sentence."""

MONTH_WORDS = {"month": "month {month}", "never": "never within {years}"}
"""A break-even month in a sentence, or its absence."""

SENSITIVITY_LABELS = {
    "licence": "Licence estimate",
    "rate": "Engineer rates ±30 %",
    "volume": "Volume ×0.5 – ×2",
    "maintenance": "Maintenance share",
    "build": "Build hours",
}
"""Bar labels of the sensitivity (tornado) chart."""

PAIR_SENSITIVITY = {
    "sentence": "Break-even month with one input at its low or high end: {items}",
    "item": "{label} {low} or {high}",
    "labels": {
        "licence": "licence estimates",
        "rate": "engineer rates ±30 %",
        "volume": "volume ×0.5 or ×2",
        "maintenance": "maintenance share",
        "build": "build hours",
    },
}
"""How the break-even month of the pair moves with each input (one sentence)."""

PAIR_CHART = {
    "title": "Break-even month of {a} vs {b} with one input at a time at its low or high end",
    "legend": ["input at its low end", "input at its high end"],
    "month": "{month}",
    "never": "none in {n} yr",
    "base": "now: {words}",
    "tip": "{label}: {low} at the low end, {high} at the high end",
}
"""Words of the break-even sensitivity chart: a bar per input from the break-even month now
to the month at each end of that input; ``never`` labels a bar open to the horizon's edge."""

LIST_JOIN = {"between": ", ", "last": " and "}
"""How a list of months is joined: "8, 30 and 70"."""

QUOTE_REASONS = {
    "licence": "sold by quote; the licence shown is an estimate",
    "above_self_serve": "above the top self-serve tier ({ceiling} units a month)",
    "edition": "enterprise features need {edition}, sold by quote",
}
"""Why an approach's price must come from a sales quote."""

BILLING_UNITS = {
    "tasks": "tasks (action steps)",
    "credits": "credits (steps + trigger)",
    "executions": "workflow executions",
    "la_calls": "actions and connector calls",
    "mar": "monthly active rows",
    "ab_credits": "Airbyte credits",
    "none": "no separate usage charge",
}
"""Reader-facing name of each billing unit."""

CONVERSIONS = {
    "day": "= {tx} transactions a month",
    "task": "= {tx} transactions a month × {steps} steps",
}
"""What the volume field's value means when it is not transactions a month."""

ENTERPRISE = {"label": "Enterprise features (SSO, RBAC, environments)", "yes": "needed", "no": "not needed"}
"""The enterprise features input and its two values, as an inputs table shows them."""

NOT_COMPARABLE = "Not comparable for this workload"
"""Note of an approach whose billing meter is zero in the scenario."""

NOT_COMPARABLE_REASON = "its billing meter ({unit}) is zero in this scenario"
"""Why an approach is not comparable (the tooltip of the note)."""

INPUT_ERRORS = {
    "required": "Enter a number.",
    "not_number": "Not a number: use digits, e.g. 1500000.",
    "comma": (
        "Use a point for decimals (2.5). A comma is read only as a thousands separator, as in 1,234,567."
    ),
    "too_large": "Too large to be a real quantity.",
    "range": "Must be between {min} and {max}.",
    "whole": "Must be a whole number.",
    "per_day": "Must be at most {max} a day.",
    "no_steps": "Tasks need at least one action step per transaction to convert.",
    "no_approach": "Pick at least one approach to compare.",
}
"""Messages under a field the reader typed into (the calculator's script shows them)."""

URL_NOTICES = {
    "ignored": (
        "Ignored link parameters that are unknown or invalid: {names}. Their defaults are used instead."
    ),
    "show": "Ignored unknown approaches in the link: {names}. The others are shown.",
    "value": "The link's value was ignored. {error}",
}
"""Notices about a shared link whose parameters could not all be applied."""

COMPARE = {
    "title": "Scenario A (pinned) against the inputs above (B)",
    "columns": ["Approach", "A: total", "B: total", "B − A"],
    "absent": "not in this scenario",
    "pinned": "Scenario A pinned: change the inputs to compare. The link holds both.",
    "cleared": "Scenario A cleared.",
    "clear": "Clear scenario A",
    "a_years": "A runs {a}, B runs {b}: totals cover different horizons.",
    "inputs_title": "Inputs that differ between A and B",
    "inputs_columns": ["Input", "A", "B"],
    "same_inputs": "A and B have the same inputs.",
    "approaches": "Approaches compared",
    "unset": "default",
    "break_even": "break-even of {a} vs {b}: {month_a} under A, {month_b} under B",
}
"""Words of the A/B scenario comparison."""

STATUS = {
    "invalid": "Fix the marked fields; the results shown are from the last valid inputs.",
    "copied": "Link copied.",
    "copied_invalid": ("Link copied, with the last valid inputs: the fields marked invalid are not in it."),
    "copy_failed": "Copy failed: copy the address bar instead.",
    "copy_manual": "Copy the address bar to share these inputs.",
    "reset": "Inputs reset to the defaults.",
}
"""Status line messages of the calculator's buttons."""


def whole(value: float) -> str:
    """Round half up to a whole number and group the digits by thousands.

    Args:
        value: A finite, non-negative number.

    Returns:
        Text such as ``"1,953,308"``.
    """
    return f"{math.floor(value + 0.5):,}"


def fixed(value: float, decimals: int) -> str:
    """Round half up to ``decimals`` places and group the whole part by thousands.

    The rounding is done on ``value * 10**decimals`` in floating point, the
    same steps the script takes, so both print the same digits.

    Args:
        value: A finite, non-negative number.
        decimals: Places after the point (at least 1).

    Returns:
        Text such as ``"1,200.50"``.
    """
    scaled = math.floor(value * 10**decimals + 0.5)
    units, fraction = divmod(scaled, 10**decimals)
    return f"{units:,}.{fraction:0{decimals}d}"


def year_slots(years: int) -> dict[str, str]:
    """Slots for a horizon: ``n`` (the number) and ``years`` (``1 year``, ``3 years``).

    Args:
        years: Horizon in whole years.

    Returns:
        The slot values.
    """
    words = YEARS["one" if years == 1 else "other"]
    return {"n": str(years), "years": fill(words, {"n": years})}


def join_list(items: list[str]) -> str:
    """Join words as "a, b and c".

    Args:
        items: The words.

    Returns:
        The joined text.
    """
    if len(items) < 2:
        return "".join(items)
    return LIST_JOIN["between"].join(items[:-1]) + LIST_JOIN["last"] + items[-1]


def unit_decimals(value: float) -> int:
    """Decimals of a cost per unit (see :data:`PER_UNIT_DECIMALS`).

    Args:
        value: A finite, non-negative cost per unit.

    Returns:
        The number of decimals to show.
    """
    if value >= 1:
        return PER_UNIT_DECIMALS["from_one"]
    decimals = PER_UNIT_DECIMALS["below_one"]
    while value > 0 and value * 10**decimals < 10 and decimals < PER_UNIT_DECIMALS["most"]:
        decimals += 1
    return decimals


def fill(template: str, values: Mapping[str, object]) -> str:
    """Put values into a template's ``{name}`` slots (no other formatting).

    Args:
        template: Text with ``{name}`` slots.
        values: Text for each slot.

    Returns:
        The filled text.
    """
    return template.format_map({key: str(value) for key, value in values.items()})


def sentence(template: str, values: Mapping[str, object]) -> str:
    """Fill a clause and make it a sentence: capital first letter, full stop.

    A clause that starts with a slot keeps the slot's spelling, so a product
    name at the start ("n8n") is not capitalised.

    Args:
        template: A clause from :data:`BREAK_EVEN`.
        values: Text for each slot.

    Returns:
        The sentence.
    """
    clause = fill(template, values)
    if not template.startswith("{"):
        clause = clause[:1].upper() + clause[1:]
    return clause + "."


def texts() -> dict[str, object]:
    """Everything in this module the calculator's script needs, JSON-ready.

    Returns:
        Currency, rounding rules and templates.
    """
    return {
        "currency": CURRENCY,
        "missing": MISSING,
        "per_unit_decimals": PER_UNIT_DECIMALS,
        "per_unit_labels": PER_UNIT_LABELS,
        "years": YEARS,
        "units": UNIT_NAMES,
        "break_even": BREAK_EVEN,
        "list_join": LIST_JOIN,
        "month_words": MONTH_WORDS,
        "sensitivity": SENSITIVITY_LABELS,
        "pair_sensitivity": PAIR_SENSITIVITY,
        "pair_chart": PAIR_CHART,
        "quote": QUOTE_REASONS,
        "billing_units": BILLING_UNITS,
        "conversions": CONVERSIONS,
        "not_comparable": NOT_COMPARABLE,
        "not_comparable_reason": NOT_COMPARABLE_REASON,
        "input_errors": INPUT_ERRORS,
        "url_notices": URL_NOTICES,
        "status": STATUS,
        "compare": COMPARE,
        "enterprise": ENTERPRISE,
    }
