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


def test_the_audit_reports_serious_violations_it_is_given(page) -> None:
    """A negative control: the helper (violations only, scoped) still finds what is there, and only there."""
    page.set_content(
        "<html lang='en'><body><main><div class='part'>"
        "<p style='color:#bbb;background:#fff'>Pale text nobody can read</p>"
        "<p><button type='button'></button></p>"
        "</div><p class='outside' style='color:#ccc;background:#fff'>Pale text outside the part</p>"
        "</main></body></html>"
    )
    found = {v["id"]: v["nodes"] for v in axe_serious_violations(page, within=".part")}
    assert found.keys() == {"color-contrast", "button-name"}
    assert len(found["color-contrast"]) == 1
    assert "outside" not in str(found)
