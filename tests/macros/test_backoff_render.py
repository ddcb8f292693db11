"""The no-JavaScript backoff schedule: bounds per strategy, formatting, escaping."""

from __future__ import annotations

import random
import re

import pytest

import snippets.reliability.retry_backoff as rb
from macros import backoff_render as br


@pytest.mark.parametrize(
    ("value", "text"), [(0.5, "0.5"), (2.0, "2"), (2.25, "2.25"), (30, "30"), (100.0, "100")]
)
def test_seconds_format(value: float, text: str) -> None:
    assert br.seconds(value) == text


def test_bounds_double_then_cap() -> None:
    ceilings = [rb.wait_bounds("none", r, 1.0, 30.0) for r in range(7)]
    assert ceilings == [(1, 1), (2, 2), (4, 4), (8, 8), (16, 16), (30, 30), (30, 30)]
    assert rb.wait_bounds("full", 3, 1.0, 30.0) == (0.0, 8.0)
    assert rb.wait_bounds("equal", 3, 1.0, 30.0) == (4.0, 8.0)
    assert rb.wait_bounds("decorrelated", 0, 1.0, 30.0) == (1.0, 3.0)
    assert rb.wait_bounds("decorrelated", 3, 1.0, 30.0) == (1.0, 30.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sometimes", 0, 1.0, 2.0), "unknown strategy"),
        (("full", -1, 1.0, 2.0), "attempt >= 0"),
        (("full", 0, 0.0, 2.0), "base > 0"),
        (("full", 0, 3.0, 2.0), "cap >= base"),
    ],
)
def test_bounds_reject_bad_input(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rb.wait_bounds(*args)


def test_bounds_contain_what_the_snippet_draws() -> None:
    """The table's ranges hold for the jitter functions shown on the page."""
    rng = random.Random(5)
    base, cap = 0.5, 20.0
    for retry in range(8):
        full = rb.wait_bounds("full", retry, base, cap)
        equal = rb.wait_bounds("equal", retry, base, cap)
        for _ in range(100):
            assert full[0] <= rb.full_jitter(retry, base, cap, rng) <= full[1]
            assert equal[0] <= rb.equal_jitter(retry, base, cap, rng) <= equal[1]
    for _ in range(200):
        wait = base
        for retry in range(8):
            wait = rb.decorrelated_jitter(wait, base, cap, rng)
            low, high = rb.wait_bounds("decorrelated", retry, base, cap)
            assert low <= wait <= high


def test_schedule_rows_default() -> None:
    rows = br.schedule_rows(1.0, 30.0, 6)
    assert len(rows) == 5
    assert rows[0] == ["Retry 1 (attempt 2)", "1 s", "0–1 s", "0.5–1 s", "1–3 s", "1 s"]
    assert rows[4] == ["Retry 5 (attempt 6)", "16 s", "0–16 s", "8–16 s", "1–30 s", "31 s"]


def test_schedule_needs_a_retry() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        br.schedule_rows(1.0, 30.0, 1)


def test_widget_container_and_table() -> None:
    html = br.backoff_schedule()
    assert html.startswith('<div class="ip-backoff" data-widget="backoff" data-widget-start="near"')
    assert 'data-base="1" data-cap="30"' in html
    assert 'data-attempts="6"' in html
    # An empty box for the script's controls and chart comes before the table.
    assert html.index('<div class="ip-backoff-live"></div>') < html.index("<table")
    assert 'id="backoff-schedule"' in html
    assert "<caption>Wait before each retry: base 1 s, cap 30 s, 6 attempts</caption>" in html
    assert html.count("<tr>") == 6  # header row and five retries
    assert "\n\n" not in html  # safe inside Markdown
    assert re.search(r"<th scope=\"col\">Full jitter wait</th>", html)
