"""benchmarks/page_budget.py: the order of a round's loads, and a floor loaded several times a round."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_budget  # noqa: E402


def load(long_task_ms: float, fcp_ms: float = 300) -> page_budget.Load:
    return page_budget.Load(
        fcp_ms=fcp_ms, lcp_ms=0, long_task_ms=long_task_ms, elements=100, transferred_kb=60
    )


def test_the_floor_opens_a_round_and_returns_after_every_few_pages() -> None:
    order = page_budget.round_order(["a", "b", "c", "d", "e", "f"], floor_every=4)
    assert order == [None, "a", "b", "c", "d", None, "e", "f"]
    assert page_budget.round_order(["a", "b"], floor_every=1) == [None, "a", None, "b"]
    assert page_budget.round_order([], floor_every=4) == [None]
    with pytest.raises(ValueError, match="at least 1"):
        page_budget.round_order(["a"], floor_every=0)


def test_the_default_round_of_every_template_holds_several_floor_loads() -> None:
    order = page_budget.round_order(list(page_budget.TEMPLATES))
    assert order[0] is None and order[-1] is not None
    assert order.count(None) >= 3
    assert [label for label in order if label is not None] == list(page_budget.TEMPLATES)


def test_rounds_keep_each_floor_load_with_the_pages_of_its_round(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    costs = iter(range(100, 10_000, 10))

    def fake_measure(browser: Any, url: str) -> page_budget.Load:
        loaded.append(url)
        return load(next(costs))

    monkeypatch.setattr(page_budget, "measure", fake_measure)
    urls = {"one": "u1", "two": "u2", "three": "u3"}
    floor_rounds, page_loads = page_budget.load_rounds(None, "floor", urls, runs=2, floor_every=2)
    assert loaded == ["floor", "u1", "u2", "floor", "u3"] * 2
    assert [[f.long_task_ms for f in floors] for floors in floor_rounds] == [[100, 130], [150, 180]]
    assert [p.long_task_ms for p in page_loads["three"]] == [140, 190]
    assert page_budget.floor_median(floor_rounds).long_task_ms == 140


def test_more_floor_loads_a_round_steady_the_ratio() -> None:
    # The round's first floor load swings from 100 to 400 ms; its other two are 250 ms.
    # The page is 500 ms in every round: against the first load alone its ratio moves
    # a lot; against the median of all three loads it stays at 2.
    first = [100, 400, 150, 350, 200, 300, 120]
    page = [load(500) for _ in first]
    alone = page_budget.ratio_interval([[load(f)] for f in first], page, "long_task_ms")
    rounds = [[load(f), load(250), load(250)] for f in first]
    together = page_budget.ratio_interval(rounds, page, "long_task_ms")
    assert together == (2.0, 2.0)
    assert alone[1] - alone[0] > 1.0


def test_a_round_with_no_floor_load_is_refused() -> None:
    with pytest.raises(ValueError, match="no floor load"):
        page_budget.ratio_interval([[load(200)], []], [load(400), load(400)], "long_task_ms")


def test_the_report_says_how_far_the_floor_loads_ranged() -> None:
    rounds = [[load(120, 200), load(360, 260)], [load(240, 230), load(200, 210)]]
    assert page_budget.floor_spread(rounds) == (
        "The floor was loaded 4 times (2 a round); its long-task total ranged 120–360 ms "
        "(median 220) and its first contentful paint 200–260 ms (median 220)."
    )
    with pytest.raises(ValueError, match="no floor load"):
        page_budget.floor_spread([])


class FakeSession:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, float]]] = []

    def send(self, method: str, params: dict[str, float]) -> None:
        self.sent.append((method, params))


class FakeContext:
    def __init__(self) -> None:
        self.session = FakeSession()

    def new_cdp_session(self, page: object) -> FakeSession:
        return self.session


def test_a_comparison_run_can_throttle_the_cpu_another_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_budget, "CPU_THROTTLE", page_budget.BUDGET_CPU_THROTTLE)
    context = FakeContext()
    page_budget.throttle(context, None)
    page_budget.set_cpu_throttle(6)
    page_budget.throttle(context, None)
    rates = [params["rate"] for _, params in context.session.sent]
    assert rates == [4, 6]
    for bad in (0, 0.5, float("nan")):
        with pytest.raises(ValueError, match="at least 1"):
            page_budget.set_cpu_throttle(bad)
    assert page_budget.CPU_THROTTLE == 6
