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

PER_UNIT_DECIMALS = {"below_one": 4, "from_one": 2}
"""Decimals of a cost per transaction: more below one dollar, where cents hide the difference."""

UNIT_NAMES = {"transactions": "transactions a month", "mar": "MAR a month"}
"""The volume a break-even volume is measured in, by measure."""

BREAK_EVEN = {
    "stays_cheaper": "{cheaper} stays the cheaper of the two for all {years} years",
    "same_throughout": "they cost the same throughout",
    "same_start": "they start at the same cost and {cheaper} is cheaper from then on",
    "becomes_cheaper": "{cheaper} becomes the cheaper of the two in month {month}",
    "volume_irrelevant": "neither total depends on {unit}, so there is no break-even volume",
    "volume_outside": "the {years}-year totals do not meet between {low} and {high} {unit}",
    "volume": "the {years}-year totals are equal at about {volume} {unit}",
    "same_approach": "pick two different approaches",
}
"""Break-even clauses. A page joins two with "; "; the calculator shows each as a sentence."""

QUOTE_REASONS = {
    "licence": "sold by quote; the licence shown is an estimate",
    "above_self_serve": "above the top self-serve tier ({ceiling} units a month)",
}
"""Why an approach's price must come from a sales quote."""


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
        "units": UNIT_NAMES,
        "break_even": BREAK_EVEN,
        "quote": QUOTE_REASONS,
    }
