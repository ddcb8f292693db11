"""What a reader downloads for search, measured in the built site's search box.

Ceilings (gzip, as sent over the wire): at most 30 KB for search before the
first query, and at most 150 KB for a first query, which also fetches
Pagefind's code and WebAssembly. The benchmark measures every query of the
evaluation set, at today's size and at ten times the pages
(``benchmarks/search_quality.py``); this test types the heaviest of its last
run (long questions, many-word facts, a typo) into the search box on a fresh
page and counts what the browser fetched.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.search.search_box import open_search, search_groups

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BEFORE_FIRST_QUERY = 30 * 1024
FIRST_QUERY = 150 * 1024
# Among the heaviest first queries of the last benchmark run
# (benchmarks/results/search-quality-*.md): many words (an index chunk each),
# the largest pages first (the cheat sheet), and a typo (the spelling list, and
# a second search).
HEAVIEST = (
    "hubspot 190 requests per 10 seconds",
    "how do I detect deleted records in salesforce",
    "a half-written file was picked up from sftp",
    "connector cheat sheet",
    "webhok receiver",
)
# Files search fetches: the theme's settings-only index, our worker, Pagefind's
# bundle and index, and the spelling list.
SEARCH_FILES = ("/pagefind/", "/search/", "/workers/search-pagefind.js")


def wire_size(path: Path) -> int:
    """Bytes sent for ``path``: gzip for text, file size for Pagefind's compressed files."""
    if path.suffix in {".js", ".json", ".css", ".html"}:
        return len(gzip.compress(path.read_bytes(), compresslevel=6))
    return path.stat().st_size


def search_bytes(site_dir: Path, urls: list[str]) -> dict[str, int]:
    """Bytes of each search file among ``urls`` (each file once)."""
    sizes = {}
    for url in urls:
        path = urlsplit(url).path
        if any(marker in path for marker in SEARCH_FILES):
            file = site_dir / path.lstrip("/")
            sizes[path] = wire_size(file / "index.html" if file.is_dir() else file)
    return sizes


def settle_worker(page, fetched: list[str]) -> None:
    """Wait until the search worker has loaded and fetched the settings-only index.

    The theme starts the worker from its bundle after the page has loaded; on a
    busy machine that can come after the network has been idle for 500 ms, and
    those bytes belong to the page view (the budget before the first query), not
    to the query.
    """
    for _ in range(200):
        if any(urlsplit(url).path.endswith("/search/search_index.json") for url in fetched):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the search worker did not fetch its settings within 10 s: {fetched}")


def test_search_before_the_first_query_stays_small(cold_page, site_dir: Path, site_url: str) -> None:
    page = cold_page
    fetched: list[str] = []
    # Context events: they include the search worker's own requests.
    page.context.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(site_url + "connectors/salesforce/", wait_until="networkidle")
    settle_worker(page, fetched)
    sizes = search_bytes(site_dir, fetched)
    assert not [path for path in sizes if "/pagefind/" in path], f"Pagefind fetched before a query: {sizes}"
    assert 0 < sum(sizes.values()) <= BEFORE_FIRST_QUERY, sizes


@pytest.mark.parametrize("query", HEAVIEST)
def test_a_first_query_downloads_at_most_150_kb(cold_page, site_dir: Path, site_url: str, query: str) -> None:
    page = cold_page
    fetched: list[str] = []
    # Context events: they include the search worker's own requests.
    page.context.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(site_url, wait_until="networkidle")
    settle_worker(page, fetched)
    fetched.clear()
    open_search(page)
    groups, _ = search_groups(page, site_url, query, every_key=False)
    assert groups, f"{query!r} found nothing"
    sizes = search_bytes(site_dir, fetched)
    assert any(path.endswith(".pf_fragment") for path in sizes), "no result fragment was fetched"
    total = sum(sizes.values())
    detail = ", ".join(f"{path.rsplit('/', 1)[-1]} {size / 1024:.1f} KB" for path, size in sizes.items())
    assert total <= FIRST_QUERY, f"{query!r}: {total / 1024:.1f} KB > 150 KB ({detail})"
