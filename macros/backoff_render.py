"""Render the retry-backoff schedule that the retry page shows without JavaScript.

The bounds come from the retry snippet itself
(:func:`snippets.reliability.retry_backoff.wait_bounds`), so the page shows
what the code it teaches draws. ``docs/assets/javascripts/backoff.js`` repeats
that small kernel for the live plot; a test runs both under Node over many
parameter sets.
"""

from __future__ import annotations

import math

from macros.html import Markup, table
from snippets.reliability.retry_backoff import STRATEGIES, wait_bounds

STRATEGY_LABEL = {
    "none": "No jitter",
    "full": "Full jitter",
    "equal": "Equal jitter",
    "decorrelated": "Decorrelated jitter",
}

DEFAULTS = {"base": 1.0, "cap": 30.0, "attempts": 6}
"""Default parameters: 1 s base, 30 s cap, 6 attempts (5 waits)."""


def seconds(value: float) -> str:
    """Format seconds with at most two decimals and no trailing zeros.

    Args:
        value: A duration in seconds.

    Returns:
        Text such as ``"0.5"``, ``"2"`` or ``"2.25"``.
    """
    # Round half up at the second decimal, as the script's Math.round does.
    hundredths = math.floor(value * 100)
    if value * 100 - hundredths >= 0.5:
        hundredths += 1
    return f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")


def schedule_rows(base: float, cap: float, attempts: int) -> list[list[str]]:
    """Rows of the schedule table: one per retry, one column per strategy.

    Args:
        base: Base delay in seconds.
        cap: Largest wait in seconds.
        attempts: Total attempts, the first one included (at least 2).

    Returns:
        Rows of plain text cells (not yet escaped).

    Raises:
        ValueError: Fewer than 2 attempts.
    """
    if attempts < 2:
        msg = "attempts must be at least 2 (one call and one retry)"
        raise ValueError(msg)
    rows = []
    elapsed = 0.0
    for retry in range(attempts - 1):
        cells = [f"Retry {retry + 1} (attempt {retry + 2})"]
        for strategy in STRATEGIES:
            low, high = wait_bounds(strategy, retry, base, cap)
            cells.append(f"{seconds(low)} s" if low == high else f"{seconds(low)}–{seconds(high)} s")
        elapsed += wait_bounds("none", retry, base, cap)[0]
        cells.append(f"{seconds(elapsed)} s")
        rows.append(cells)
    return rows


def backoff_schedule(
    base: float = DEFAULTS["base"],
    cap: float = DEFAULTS["cap"],
    attempts: int = int(DEFAULTS["attempts"]),
) -> Markup:
    """Render the backoff visualiser's container with its no-JavaScript table.

    The ``data-widget="backoff"`` container makes ``widgets.js`` load the
    interactive plot; without JavaScript the table below is the whole content.

    Args:
        base: Base delay in seconds.
        cap: Largest wait in seconds.
        attempts: Total attempts, the first one included.

    Returns:
        One HTML block with no blank lines.
    """
    headers = [
        "Retry",
        *(f"{STRATEGY_LABEL[s]} wait" for s in STRATEGIES),
        "Start time without jitter",
    ]
    caption = f"Wait before each retry: base {seconds(base)} s, cap {seconds(cap)} s, {attempts} attempts"
    schedule = table(
        caption,
        headers,
        schedule_rows(base, cap, attempts),
        table_id="backoff-schedule",
        css_class="ip-table ip-backoff-table",
    )
    # The script fills the live box: filling it restyles only the box, while adding
    # elements beside the table would restyle the whole widget. The widget sits far
    # down its page, so it starts when the reader comes near it (widgets.js).
    return Markup(
        '<div class="ip-backoff" data-widget="backoff" data-widget-start="near"'
        ' data-base="{}" data-cap="{}" data-attempts="{}">'
        '<div class="ip-backoff-live"></div>{}</div>'
    ).format(seconds(base), seconds(cap), attempts, schedule)
