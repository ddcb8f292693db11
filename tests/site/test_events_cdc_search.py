"""The broker comparison: its CSV download and its keyboard-reachable table.

Search for the events and CDC pages is checked with the other must-find queries
(tests/search/must_find.yaml); every page's axe check is in test_every_page.py.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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
