"""Search finds the Reverse ETL, dlt, mapping and security pages for their key terms.

Every page's axe check is in test_every_page.py.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.browser_helpers import search_results

pytestmark = [pytest.mark.slow, pytest.mark.browser]

QUERIES = {
    "Hightouch": "reverse-etl/",
    "write disposition": "dlt/",
    "schema contract": "dlt/schema-contracts/",
    "crosswalk": "mapping/crosswalks-and-golden-records/",
    "golden record": "mapping/crosswalks-and-golden-records/",
    "schema drift": "mapping/schema-drift/",
    "secrets manager": "security/",
}


@pytest.mark.parametrize(("query", "expected"), QUERIES.items())
def test_search_puts_the_page_in_the_top_three(page, site_url: str, query: str, expected: str) -> None:
    results = search_results(page, site_url, query)
    top = [r.split("#")[0] for r in results[:3]]
    assert expected in top, f"{query!r}: expected {expected} in the top 3, got {top}"


def test_field_mapping_csv_download_link_works(page, site_url: str) -> None:
    page.goto(site_url + "mapping/canonical-data-model/", wait_until="networkidle")
    href = page.get_attribute('a[href$="field_mappings.csv"]', "href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok
    assert response.text().startswith("entity,model_version,canonical_field,")
