"""The evaluation set, typed into the built site's search box in Chromium.

One page, every query: the figures are the ones the benchmark reports for the
chosen engine (benchmarks/results/search-quality-*.md). Thresholds are the
measured figures rounded down, so a ranking regression fails the test.
"""

from __future__ import annotations

import statistics

import pytest

from tests.search.evaluation_set import load_must_find, load_queries, rank, score
from tests.search.search_box import open_search, search_groups

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Floors just under the last measurement on the evaluation set (182 queries,
# 2026-11-30: top-1 0.929, top-3 0.995, MRR 0.958, after table rows became
# sections, glossary terms weighed as headings, typos searched again as the
# nearest common word). Two more queries out of the top 3, or two more out of
# first place, fail the test: raise these floors as ranking improves, never
# lower them silently.
TOP3 = 0.985
TOP1 = 0.92
MRR = 0.95
MEDIAN_MS = 150


@pytest.mark.heavy
def test_evaluation_set_ranks_the_expected_pages_first(page, site_url: str) -> None:
    queries = load_queries()
    page.goto(site_url, wait_until="networkidle")
    open_search(page)
    ranks, misses, timings = [], [], []
    for query in queries:
        # One search per query (the last key typed), so the whole set runs in well under a minute.
        groups, ms = search_groups(page, site_url, query.q, quiet_ms=60, every_key=False)
        position = rank(query, groups)
        ranks.append(position)
        timings.append(ms)
        if position is None or position > 3:
            misses.append(f"{query.q!r} -> {[g.page for g in groups[:3]]}")
    result = score(ranks)
    summary = (
        f"top-1 {result.top1:.3f}, top-3 {result.top3:.3f}, MRR {result.mrr:.3f}, "
        f"keystroke to results median {statistics.median(timings):.0f} ms; not in the top 3: {misses}"
    )
    print(summary)
    assert result.top3 >= TOP3, summary
    assert result.top1 >= TOP1, summary
    assert result.mrr >= MRR, summary
    assert statistics.median(timings) <= MEDIAN_MS, summary


def test_each_must_find_query_finds_its_page(page, site_url: str) -> None:
    """Topic, platform, connector and widget pages a reader reaches through search (must_find.yaml)."""
    page.goto(site_url, wait_until="networkidle")
    open_search(page)
    lost = []
    for must in load_must_find():
        groups, _ = search_groups(page, site_url, must.q, quiet_ms=60, every_key=False)
        if not must.found(groups):
            lost.append(f"{must.q!r} -> {[g.page for g in groups[:5]]}, expected one of {list(must.pages)}")
    assert not lost, f"not within their first result pages: {lost}"
