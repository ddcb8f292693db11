"""benchmarks/page_budget.py: how far each timing ratio could move in another run."""

from __future__ import annotations

import statistics
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


FLOOR = [load(200, 240), load(300, 180), load(240, 400), load(260, 210), load(220, 300)]
ROUNDS = [[f] for f in FLOOR]
"""The floor loaded once a round."""


def test_a_page_that_moves_with_the_floor_has_no_spread() -> None:
    # Every round, the page costs exactly twice the floor: any resample gives 2.
    page = [load(2 * f.fcp_ms, 2 * f.long_task_ms) for f in FLOOR]
    assert page_budget.ratio_interval(ROUNDS, page, "long_task_ms") == (2.0, 2.0)
    assert page_budget.ratio_interval(ROUNDS, page, "fcp_ms") == (2.0, 2.0)


def test_the_interval_holds_the_ratio_of_medians_and_widens_with_the_noise() -> None:
    steady = [load(300, 600), load(310, 610), load(305, 590), load(295, 600), load(300, 605)]
    noisy = [load(300, 300), load(310, 900), load(305, 450), load(295, 1000), load(300, 600)]
    floor_median = statistics.median(f.long_task_ms for f in FLOOR)
    point = statistics.median(p.long_task_ms for p in noisy) / floor_median
    low, high = page_budget.ratio_interval(ROUNDS, noisy, "long_task_ms")
    assert low < point < high
    steady_low, steady_high = page_budget.ratio_interval(ROUNDS, steady, "long_task_ms")
    assert high - low > 2 * (steady_high - steady_low)


def test_the_interval_is_the_same_in_every_run_of_the_script() -> None:
    page = [load(300, 300), load(310, 900), load(305, 450), load(295, 1000), load(300, 600)]
    first = page_budget.ratio_interval(ROUNDS, page, "long_task_ms")
    assert page_budget.ratio_interval(ROUNDS, page, "long_task_ms") == first
    assert first[0] < first[1]


def test_a_floor_with_almost_no_long_task_counts_as_one_task() -> None:
    floor = [[load(200, 0)], [load(200, 10)], [load(200, 0)]]
    page = [load(200, 100), load(200, 100), load(200, 100)]
    assert page_budget.ratio_interval(floor, page, "long_task_ms") == (2.0, 2.0)


def test_loads_from_different_rounds_are_refused() -> None:
    with pytest.raises(ValueError, match="same rounds"):
        page_budget.ratio_interval([[load(200, 100)]], [load(200, 100), load(200, 100)], "fcp_ms")
    with pytest.raises(ValueError, match="same rounds"):
        page_budget.ratio_interval([], [], "fcp_ms")


def test_the_verdict_says_when_the_interval_straddles_the_budget() -> None:
    assert page_budget.interval_verdict((1.8, 2.4), 2.5) == "within"
    assert page_budget.interval_verdict((1.8, 2.5), 2.5) == "within"
    assert page_budget.interval_verdict((2.6, 3.1), 2.5) == "over"
    assert page_budget.interval_verdict((2.2, 2.9), 2.5) == "either side"


def test_the_interval_table_names_each_page_with_both_budgets() -> None:
    text = page_budget.interval_table(
        [("matrix", (1.05, 1.20), (2.2, 2.9)), ("404", (0.9, 1.4), (1.4, 1.7))], BUDGETS
    )
    lines = text.splitlines()
    assert lines[0].startswith("| page | FCP × floor, 90 % interval | FCP budget |")
    assert lines[2] == "| matrix | 1.05–1.20 | within | 2.20–2.90 | either side |"
    assert lines[3] == "| 404 | 0.90–1.40 | either side | 1.40–1.70 | within |"
