"""Print layouts of the widget pages, rendered with Chromium's print media:
the matrix prints every criteria group and every criterion for every platform,
the calculator prints its inputs as a summary with the results and charts but
no buttons, and its folded default-scenario tables."""

from __future__ import annotations

from typing import Any

import pytest

from macros import datasets
from macros.models.ipaas import IpaasMatrix
from tests.browser_helpers import printed_pages

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _matrix() -> IpaasMatrix:
    matrix = datasets.load("ipaas")
    assert isinstance(matrix, IpaasMatrix)
    return matrix


def test_matrix_prints_every_group_and_criterion_for_every_platform(page: Any, site_url: str) -> None:
    matrix = _matrix()
    page.goto(site_url + "ipaas/comparison-matrix/")
    page.locator(".ip-mx-controls").wait_for()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    shown = page.evaluate(
        """() => Array.from(document.querySelectorAll("#ipaas-matrix tbody tr")).map((row) => {
            const cells = Array.from(row.cells).slice(1);
            return {
                platform: row.dataset.platform,
                shown: getComputedStyle(row).display !== "none",
                labels: cells.filter((c) => getComputedStyle(c).display !== "none"
                        && c.getBoundingClientRect().height > 0)
                    .map((c) => getComputedStyle(c, "::before").content),
                widest: Math.max(...cells.map((c) => c.getBoundingClientRect().right)),
            };
        })"""
    )
    page_width = page.evaluate("document.documentElement.clientWidth")
    groups = {g.id: g.name for g in matrix.groups}
    assert [row["platform"] for row in shown] == [p.id for p in matrix.platforms]
    for row in shown:
        assert row["shown"], row["platform"]
        assert len(row["labels"]) == len(matrix.criteria), row["platform"]
        text = " ".join(row["labels"])
        for criterion in matrix.criteria:
            assert criterion.name in text, (row["platform"], criterion.id)
        for name in groups.values():
            assert name in text, (row["platform"], name)
        assert row["widest"] <= page_width, row["platform"]  # nothing cut off at the right
    for hidden in (".ip-mx-controls", ".ip-matrix-downloads", "#ipaas-matrix thead"):
        assert page.locator(hidden).first.is_hidden(), hidden
    pdf = page.pdf(format="A4")
    print(f"matrix printed on {printed_pages(pdf)} A4 pages")
    assert printed_pages(pdf) >= 2


def test_calculator_prints_inputs_results_and_charts_without_buttons(page: Any, site_url: str) -> None:
    page.goto(site_url + "tco/calculator/")
    page.locator("form.tco-form fieldset.tco-live:not([disabled])").wait_for()
    page.locator(".tco-output").scroll_into_view_if_needed()  # the charts are drawn when seen
    page.locator(".tco-charts svg").first.wait_for()
    page.emulate_media(media="print")
    for hidden in (".tco-actions", ".tco-hint", "details.tco-more"):
        assert page.locator(hidden).first.is_hidden(), hidden
    buttons = page.eval_on_selector_all(
        ".tco-calculator button, .tco-calculator .md-button",
        "els => els.filter((e) => e.getClientRects().length > 0).length",
    )
    assert buttons == 0
    # Inputs: a compact summary of label and value.
    assert page.locator("label[for='tco-tx']").is_visible()
    assert page.locator("#tco-tx").is_visible()
    assert page.locator("#tco-years").input_value() == "3"
    form_height = page.eval_on_selector(".tco-form", "el => el.getBoundingClientRect().height")
    # Approaches left out of the comparison are not listed.
    unchecked = page.eval_on_selector_all(
        ".tco-checks label",
        "els => els.filter((l) => !l.querySelector('input').checked && l.getClientRects().length).length",
    )
    assert unchecked == 0
    assert page.locator("#tco-results").is_visible()
    assert page.locator(".tco-charts svg").first.is_visible()
    # The default scenario's tables print although they are folded on screen.
    assert page.locator("details.tco-defaults").get_attribute("open") is None
    assert page.locator("table.tco-assumptions > tbody > tr").first.is_visible()
    assert page.locator("details.tco-defaults > summary").is_hidden()
    page.emulate_media(media="screen")
    screen_height = page.eval_on_selector(".tco-form", "el => el.getBoundingClientRect().height")
    print(f"calculator form: {screen_height:.0f} px on screen, {form_height:.0f} px printed")
    assert form_height < screen_height / 2
    page.emulate_media(media="print")
    pages = printed_pages(page.pdf(format="A4"))
    print(f"calculator page printed on {pages} A4 pages")
    assert 1 <= pages <= 6  # the page's explanations print too
