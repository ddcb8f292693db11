"""benchmarks/page_budget.py: the spread of each page's per-round ratios to the floor."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_budget  # noqa: E402

BUDGETS = {"long_task_ratio_max": 2.5, "fcp_ratio_max": 1.3, "elements_max": 2000, "transferred_kb_max": 350}


def load(fcp_ms: float, long_task_ms: float) -> page_budget.Load:
    return page_budget.Load(
        fcp_ms=fcp_ms, lcp_ms=0, long_task_ms=long_task_ms, elements=100, transferred_kb=60
    )


def test_ratios_are_taken_round_by_round_then_their_quartiles() -> None:
    # The floor is slow in round 2 and the page too: that round's ratio is 2.0,
    # not 600 / 100. Ratios by round: 2.0, 2.0, 3.0, 4.0, 5.0.
    floor = [load(200, 100), load(300, 300), load(200, 100), load(200, 100), load(200, 100)]
    page = [load(200, 200), load(300, 600), load(300, 300), load(400, 400), load(500, 500)]
    assert page_budget.ratio_spread(floor, page, "long_task_ms") == (2.0, 4.0)
    assert page_budget.ratio_spread(floor, page, "fcp_ms") == (1.0, 2.0)


def test_a_floor_with_almost_no_long_task_counts_as_one_task() -> None:
    # Both rounds divide by 50 ms: ratios 2.0 and 3.0.
    floor = [load(200, 0), load(200, 10)]
    page = [load(200, 100), load(200, 150)]
    assert page_budget.ratio_spread(floor, page, "long_task_ms") == (2.25, 2.75)


def test_loads_from_different_rounds_are_refused() -> None:
    with pytest.raises(ValueError, match="same rounds"):
        page_budget.ratio_spread([load(200, 100)], [load(200, 100), load(200, 100)], "fcp_ms")
    with pytest.raises(ValueError, match="same rounds"):
        page_budget.ratio_spread([], [], "fcp_ms")


def test_the_verdict_says_when_the_spread_straddles_the_budget() -> None:
    assert page_budget.spread_verdict((1.8, 2.4), 2.5) == "within"
    assert page_budget.spread_verdict((1.8, 2.5), 2.5) == "within"
    assert page_budget.spread_verdict((2.6, 3.1), 2.5) == "over"
    assert page_budget.spread_verdict((2.2, 2.9), 2.5) == "either side"


def test_the_spread_table_names_each_page_with_both_budgets() -> None:
    text = page_budget.spread_table(
        [("matrix", (1.05, 1.20), (2.2, 2.9)), ("404", (0.9, 1.1), (1.4, 1.7))], BUDGETS
    )
    lines = text.splitlines()
    assert lines[0].startswith("| page | FCP × floor, middle half of rounds | FCP budget |")
    assert lines[2] == "| matrix | 1.05–1.20 | within | 2.20–2.90 | either side |"
    assert lines[3] == "| 404 | 0.90–1.10 | within | 1.40–1.70 | within |"
