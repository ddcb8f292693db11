"""Search finds the events and CDC pages for their key terms.

Every page's axe check is in test_every_page.py.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.browser_helpers import search_results

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Query -> pages that answer it (the first is the main one).
QUERIES = {
    "acks=all": ["events/kafka/"],
    "ordering key": ["events/pubsub/"],
    "event pattern": ["events/eventbridge/"],
    "snapshot.mode": ["cdc/debezium/"],
    "replication slot": ["cdc/cdc-approaches/", "cdc/debezium/"],
    "MERGE": ["cdc/warehouse-cdc/"],
}


@pytest.mark.parametrize(("query", "expected"), QUERIES.items())
def test_search_puts_the_page_in_the_top_three(page, site_url: str, query: str, expected: list[str]) -> None:
    results = search_results(page, site_url, query)
    top = [r.split("#")[0] for r in results[:3]]
    assert set(expected) & set(top), f"{query!r}: expected one of {expected} in the top 3, got {top}"


def test_broker_csv_download_link_works(page, site_url: str) -> None:
    page.goto(site_url + "events/broker-comparison/", wait_until="networkidle")
    href = page.get_attribute('a[href$="brokers.csv"]', "href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok
    assert response.text().startswith("broker_id,broker,capability_id,capability,value")


def test_comparison_table_is_keyboard_reachable(page, site_url: str) -> None:
    page.goto(site_url + "events/broker-comparison/", wait_until="networkidle")
    region = page.locator("#broker-comparison").locator("xpath=ancestor::div[@role='region']")
    assert region.get_attribute("tabindex") == "0"
    assert page.locator("#broker-comparison tbody tr").count() == 9
