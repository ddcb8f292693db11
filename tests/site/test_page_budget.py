"""The page budgets in benchmarks/budgets.yaml hold for every page template.

Each template is loaded cold on a throttled phone (benchmarks/page_budget.py).
The suite checks the budgets that do not depend on the machine's load: elements
and bytes transferred. The timing budgets (first contentful paint and long-task
time against the theme floor) need a quiet machine, which a parallel test run is
not: `python benchmarks/page_budget.py` measures them, median of five loads, and
fails when a page misses one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_budget  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_the_budgets_file_is_complete(tmp_path: Path) -> None:
    budgets = page_budget.load_budgets()
    assert budgets["elements_max"] == 2000 and budgets["transferred_kb_max"] == 350
    broken = tmp_path / "budgets.yaml"
    broken.write_text("long_task_ratio_max: 2.5\nfcp_ratio_max: lots\n")
    with pytest.raises(ValueError, match="budgets.yaml: missing or non-numeric budget.*fcp_ratio_max"):
        page_budget.load_budgets(broken)


def test_a_page_over_a_budget_is_named_with_its_figure() -> None:
    budgets = page_budget.load_budgets()
    floor = page_budget.Load(fcp_ms=500, lcp_ms=500, long_task_ms=100, elements=100, transferred_kb=60)
    heavy = page_budget.Load(fcp_ms=700, lcp_ms=900, long_task_ms=260, elements=2100, transferred_kb=400)
    misses = page_budget.over_budget("matrix", heavy, floor, budgets)
    assert misses == [
        "matrix: long tasks 260 ms > 250 ms",
        "matrix: first contentful paint 700 ms > 650 ms",
        "matrix: 2100 elements > 2000",
        "matrix: 400 KB > 350 KB",
    ]
    light = page_budget.Load(fcp_ms=640, lcp_ms=700, long_task_ms=240, elements=1999, transferred_kb=349)
    assert page_budget.over_budget("matrix", light, floor, budgets) == []


@pytest.fixture(scope="module")
def served(site_dir: Path) -> Iterator[str]:
    """The built site served with gzip, as the benchmark serves it (bytes are counted compressed)."""
    site_url, site_server = page_budget.serve(site_dir)
    try:
        yield site_url
    finally:
        site_server.shutdown()


@pytest.mark.heavy
def test_every_page_template_is_within_its_size_budgets(served: str, browser: Any) -> None:
    site_url = served
    budgets = page_budget.load_budgets()
    misses = []
    for label, path in page_budget.TEMPLATES.items():
        load = page_budget.measure(browser, site_url + path, timing=False)
        limit = budgets["elements_max"]
        if load.elements > limit:
            misses.append(f"{label}: {load.elements} elements > {limit:.0f}")
        if load.transferred_kb > budgets["transferred_kb_max"]:
            misses.append(f"{label}: {load.transferred_kb:.0f} KB > {budgets['transferred_kb_max']:.0f} KB")
    assert not misses, "\n".join(misses)
