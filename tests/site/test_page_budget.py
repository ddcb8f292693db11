"""The page budgets in benchmarks/budgets.yaml hold for every page template.

Each template and a default one-page Material site (the theme floor, built in
the same run) are loaded cold on a throttled phone (benchmarks/page_budget.py),
median of three loads; a page over any budget fails with the figure it missed.
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
RUNS = 3


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
def served(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    site_url, site_server = page_budget.serve(site_dir)
    floor_url, floor_server = page_budget.serve(page_budget.build_floor(tmp_path_factory.mktemp("floor")))
    try:
        yield site_url, floor_url
    finally:
        site_server.shutdown()
        floor_server.shutdown()


def test_every_page_template_is_within_its_budgets(served: tuple[str, str], browser: Any) -> None:
    site_url, floor_url = served
    budgets = page_budget.load_budgets()
    floor = page_budget.median_load(browser, floor_url, RUNS)
    misses = []
    for label, path in page_budget.TEMPLATES.items():
        load = page_budget.median_load(browser, site_url + path, RUNS)
        misses += page_budget.over_budget(label, load, floor, budgets)
    assert not misses, "\n".join(misses)
