"""The theme's own query parameters live together with the widgets' URL state:
a page opened from a search result (Material adds ?h=<words> to highlight them)
shows no "invalid setting" notice in any widget, and the widget keeps working."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser_helpers import wait_for_widgets

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDGETS = [
    pytest.param(
        "ipaas/comparison-matrix/",
        ".ip-mx-controls:not([hidden])",
        ".ip-mx-notice",
        "&compare=boomi,n8n",
        id="matrix",
    ),
    pytest.param(
        "tco/calculator/",
        "form.tco-form fieldset.tco-live:not([disabled])",
        ".tco-notice",
        "&years=5",
        id="calculator",
    ),
    pytest.param(
        "connectors/cheat-sheet/", ".ip-cs-controls", ".ip-cs-notice", "&facet=auth", id="cheat-sheet"
    ),
    pytest.param(
        "reliability/retry-backoff/", ".ip-backoff-svg", ".ip-backoff-notice", "&clients=20", id="backoff"
    ),
]


@pytest.mark.parametrize(("path", "ready", "notice", "own"), WIDGETS)
def test_search_highlight_parameter_is_not_reported(
    page: Any, site_url: str, path: str, ready: str, notice: str, own: str
) -> None:
    page.goto(f"{site_url}{path}?h=retry+limits{own}")
    wait_for_widgets(page)
    page.locator(ready).first.wait_for(state="attached")
    page.wait_for_timeout(300)
    notices = page.locator(notice)
    for i in range(notices.count()):
        shown = notices.nth(i)
        assert shown.is_hidden() or not shown.inner_text().strip(), shown.inner_text()
    # The widget's own parameter next to it is still read.
    assert own.lstrip("&").split("=")[0] in page.url


@pytest.mark.parametrize(("path", "ready", "notice", "own"), WIDGETS)
def test_an_unknown_value_is_still_reported_next_to_the_theme_parameter(
    page: Any, site_url: str, path: str, ready: str, notice: str, own: str
) -> None:
    name = own.lstrip("&").split("=")[0]
    page.goto(f"{site_url}{path}?h=retry&{name}=%3Cnot-valid%3E")
    wait_for_widgets(page)
    page.locator(ready).first.wait_for(state="attached")
    shown = page.locator(notice).first
    shown.wait_for()
    text = shown.inner_text()
    listed = text.split(": ", 1)[1].split(". ")[0].rstrip(".")
    named = [part.split(" ")[0] for part in listed.split(", ")]
    assert name in named
    assert "h" not in named
