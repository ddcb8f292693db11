"""The field-mapping CSV download works from the page that links it.

Search for the Reverse ETL, dlt, mapping and security pages is checked with the
other must-find queries (tests/search/must_find.yaml).
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_field_mapping_csv_download_link_works(page, site_url: str) -> None:
    page.goto(site_url + "mapping/canonical-data-model/", wait_until="networkidle")
    href = page.get_attribute('a[href$="field_mappings.csv"]', "href")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok
    assert response.text().startswith("entity,model_version,canonical_field,")
