"""The backoff visualiser's kernel (backoff.js) agrees with the retry snippet, under Node.

The snippet is the one source of the schedule: the page's table is rendered
from :func:`snippets.reliability.retry_backoff.wait_bounds`. The script keeps
a small twin for the live plot; here Node runs it over 800 seeded parameter
sets and every bound must match, and print the same text.
"""

from __future__ import annotations

import random

import snippets.reliability.retry_backoff as rb
from macros import backoff_render as br
from tests.macros.nodejs import run_node

SEED = 20261130
COUNT = 800


def parameter_sets() -> list[dict[str, float | int]]:
    """Seeded parameters over the widget's whole range, with round values mixed in."""
    rng = random.Random(SEED)
    sets = []
    for _ in range(COUNT):
        base = rng.choice([0.01, 0.1, 0.25, 0.5, 1, 2, round(10 ** rng.uniform(-2, 2.7), 3)])
        cap = rng.choice([base, base * 2, 30, 86400, round(base * 10 ** rng.uniform(0, 3), 2)])
        sets.append({"base": base, "cap": max(cap, base), "attempts": rng.randint(2, 15)})
    return sets


DRIVER = """
output = input.map((p) => {
  const rows = [];
  for (let retry = 0; retry < p.attempts - 1; retry++) {
    rows.push(lib.STRATEGIES.map((s) => {
      const [low, high] = lib.bounds(s, retry, p.base, p.cap);
      return [low, high, lib.seconds(low), lib.seconds(high)];
    }));
  }
  // Draws of the live plot, one client per strategy.
  const draws = lib.STRATEGIES.map((strategy, i) =>
    lib.attemptTimes({ strategy, base: p.base, cap: p.cap, attempts: p.attempts }, lib.rng(7 + i)));
  return { strategies: lib.STRATEGIES, rows, draws };
});
"""


def test_script_bounds_and_text_match_the_snippet_over_many_parameter_sets() -> None:
    sets = parameter_sets()
    js_all = run_node(DRIVER, sets, "backoff.js")
    assert len(js_all) == COUNT
    compared = 0
    for params, js in zip(sets, js_all, strict=True):
        base, cap, attempts = params["base"], params["cap"], int(params["attempts"])
        assert tuple(js["strategies"]) == rb.STRATEGIES
        for retry, row in enumerate(js["rows"]):
            for strategy, (low, high, low_text, high_text) in zip(rb.STRATEGIES, row, strict=True):
                expected = rb.wait_bounds(strategy, retry, base, cap)
                assert (low, high) == expected, (params, retry, strategy)
                assert (low_text, high_text) == (br.seconds(expected[0]), br.seconds(expected[1])), params
                compared += 1
        assert len(js["rows"]) == attempts - 1
        # Every wait the plot draws lies within the bounds the table shows.
        for strategy, times in zip(rb.STRATEGIES, js["draws"], strict=True):
            waits = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
            for retry, wait in enumerate(waits):
                low, high = rb.wait_bounds(strategy, retry, base, cap)
                assert low - 1e-9 <= wait <= high + 1e-9, (params, strategy, retry, wait)
    assert compared >= COUNT * 4


def test_the_table_rows_are_built_from_the_snippet_bounds() -> None:
    for params in parameter_sets()[:100]:
        base, cap, attempts = params["base"], params["cap"], int(params["attempts"])
        rows = br.schedule_rows(base, cap, attempts)
        for retry, row in enumerate(rows):
            for strategy, cell in zip(rb.STRATEGIES, row[1:], strict=False):
                low, high = rb.wait_bounds(strategy, retry, base, cap)
                text = f"{br.seconds(low)} s" if low == high else f"{br.seconds(low)}–{br.seconds(high)} s"
                assert cell == text
