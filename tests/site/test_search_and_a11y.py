"""axe-core finds no serious violation in dark mode, theme chrome included.

Search is checked in tests/search/; every page's own axe check, in the default
scheme, is in test_every_page.py.
"""

from __future__ import annotations

import pytest

from tests.browser_helpers import axe_serious_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_no_serious_violations_in_dark_mode(page, site_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + "patterns/choose-a-pattern/", wait_until="networkidle")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert axe_serious_violations(page) == []
