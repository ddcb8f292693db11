"""The TCO calculator in Chromium: results, URL state, buttons, bad input, no-JS fallback."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PATH = "tco/calculator/"


def open_calculator(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + PATH + query)
    page.locator("form.tco-form fieldset.tco-live:not([disabled])").wait_for()
    if not query:
        # Without inputs in the link, the charts are built when the results scroll into view.
        assert page.locator(".tco-charts svg").count() == 0
        page.locator(".tco-output").scroll_into_view_if_needed()
    page.locator(".tco-charts svg").first.wait_for()


def table_rows(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#tco-results tbody tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent.trim()))",
    )


def set_field(page: Any, name: str, value: str) -> None:
    page.locator(f"form.tco-form [name='{name}']").fill(value)


def query_of(page: Any) -> dict[str, list[str]]:
    """The page's query string, once the calculator has written its pending update."""
    page.locator(".tco-calculator:not([data-url-pending])").wait_for(state="attached")
    return parse_qs(urlsplit(page.url).query)


def test_default_results_match_the_static_fallback(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    rows = table_rows(page)
    assert [r[0] for r in rows][:2] == [
        "n8n self-hosted (Community edition)",
        "Azure Logic Apps (Consumption)",
    ]
    assert rows[0][6] == "$150,400"
    assert rows[-1][0] == "Zapier" and rows[-1][6] == "$1,953,308"
    assert "Quote required" in rows[-1][9]
    # Nine approaches: nine lines in the cumulative chart, nine stacked bars.
    assert page.locator(".tco-charts svg").first.locator("path:not(.tco-band)").count() == 9
    assert "month 29" in page.locator(".tco-pair").inner_text()
    marker = page.locator(".tco-charts circle.tco-marker")
    assert marker.get_attribute("visibility") == "visible"
    # Hiding one of the pair from the chart hides the marker too.
    page.locator("input[name='show'][value='workato']").uncheck()
    assert marker.get_attribute("visibility") == "hidden"
    assert page.locator(".tco-charts svg").first.locator("path:not(.tco-band)").count() == 8


def test_an_input_change_recomputes_and_the_link_reproduces_it(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_field(page, "tx", "5000")
    set_field(page, "steps", "3")
    set_field(page, "flows", "5")
    page.locator("[name='per']").select_option("month")
    for approach_id in ("celigo", "boomi", "workato", "mulesoft"):
        page.locator(f"input[name='show'][value='{approach_id}']").uncheck()
    assert [r[0] for r in table_rows(page)][0] == "Make"
    assert table_rows(page)[0][6] == "$37,194"
    query = query_of(page)
    assert query["tx"] == ["5000"] and query["flows"] == ["5"]
    assert "celigo" not in query["show"][0]
    query_of(page)
    link = page.url
    page.goto(site_url)
    page.goto(link)
    page.locator(".tco-charts svg").first.wait_for()
    assert table_rows(page)[0][:1] == ["Make"] and table_rows(page)[0][6] == "$37,194"
    assert page.locator("[name='steps']").input_value() == "3"


def test_per_day_and_overrides_and_break_even_pair(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_field(page, "tx", "50000")
    page.locator("[name='per']").select_option("day")
    assert table_rows(page)[0][6] == "$150,400"  # 50,000 a day = the default 1.5M a month
    page.locator("details.tco-more summary").click()
    page.locator("[name='lic.workato']").fill("20000")
    workato = next(r for r in table_rows(page) if r[0] == "Workato")
    assert workato[2] == "$20,000"
    page.locator("[name='pa']").select_option("zapier")
    page.locator("[name='pb']").select_option("n8n-self-hosted")
    text = page.locator(".tco-pair").inner_text()
    assert "Zapier vs n8n self-hosted" in text and "transactions a month" in text
    assert query_of(page)["pa"] == ["zapier"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter a number."),
        ("-5", "Must be between 0 and 1,000,000,000."),
        ("abc", "Not a number"),
        ("NaN", "Not a number"),
        ("Infinity", "Not a number"),
        ("1e400", "Too large"),
        ("1e15", "Must be between 0 and 1,000,000,000."),
        ("<script>alert(1)</script>", "Not a number"),
    ],
)
def test_bad_input_shows_an_inline_message_and_keeps_the_last_result(
    page: Any, site_url: str, value: str, message: str
) -> None:
    open_calculator(page, site_url)
    before = table_rows(page)
    set_field(page, "tx", value)
    msg = page.locator("#tco-tx-msg")
    assert message in msg.inner_text()
    assert page.locator("[name='tx']").get_attribute("aria-invalid") == "true"
    assert table_rows(page) == before
    body = page.locator(".tco-calculator").inner_text()
    assert "NaN" not in body.replace(value, "") and "Infinity" not in body.replace(value, "")
    set_field(page, "tx", "1500000")
    assert msg.inner_text() == ""


def test_whole_numbers_and_empty_selection_are_checked(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_field(page, "years", "2.5")
    assert "whole number" in page.locator("#tco-years-msg").inner_text()
    set_field(page, "years", "3")
    page.locator("details.tco-more summary").click()
    page.locator("[name='ms.zapier']").fill("250")
    assert "between 0 and 100" in page.locator("[name='ms.zapier'] ~ .tco-msg").inner_text()
    page.locator("[name='ms.zapier']").fill("")
    checked = page.eval_on_selector_all("input[name='show']:checked", "boxes => boxes.map(b => b.value)")
    for value in checked:
        page.locator(f"input[name='show'][value='{value}']").uncheck()
    assert "at least one approach" in page.locator("#tco-show-msg").inner_text()
    assert len(table_rows(page)) == 1  # the last valid result: only the last remaining approach


def test_hostile_url_parameters_are_ignored_with_a_notice_and_never_injected(
    page: Any, site_url: str
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = (
        "?tx=%3Cscript%3Ealert(1)%3C%2Fscript%3E&steps=NaN&years=1e400&rate=Infinity"
        "&evil=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&show=zapier,%3Cb%3E&pa=%3Csvg%3E"
    )
    open_calculator(page, site_url, query)
    notice = page.locator(".tco-notice")
    assert notice.is_visible()
    assert "evil" in notice.inner_text() and "show" in notice.inner_text()
    assert "Not a number" in page.locator("#tco-tx-msg").inner_text()
    assert "Not a number" in page.locator("#tco-steps-msg").inner_text()
    assert "Too large" in page.locator("#tco-years-msg").inner_text()
    assert page.locator(".tco-calculator script, .tco-calculator img, .tco-calculator b").count() == 0
    assert dialogs == []
    # Valid parts are kept (the one known approach in `show`), invalid values fall back
    # to the defaults: nothing reads NaN or Infinity.
    rows = table_rows(page)
    assert [r[0] for r in rows] == ["Zapier"] and rows[0][6] == "$1,953,308"
    assert "NaN" not in page.locator(".tco-output").inner_text()


def test_download_buttons_and_reset(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_field(page, "flows", "7")
    with page.expect_download() as info:
        page.locator("[data-tco='csv']").click()
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("id,name,build,") and len(lines) == 10
    with page.expect_download() as info:
        page.locator("[data-tco='json']").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["scenario"]["flows"] == 7 and len(data["results"]) == 9
    page.locator("[data-tco='reset']").click()
    assert page.locator("[name='flows']").input_value() == "20"
    assert query_of(page)["flows"] == ["20"]
    assert "reset" in page.locator(".tco-status").inner_text()


def test_copy_link_reports_what_happened(page: Any, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_calculator(page, site_url)
    set_field(page, "steps", "6")
    query_of(page)
    page.locator("[data-tco='copy']").click()
    page.wait_for_function("document.querySelector('.tco-status').textContent.length > 0")
    assert page.locator(".tco-status").inner_text() == "Link copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "steps=6" in copied


def test_without_javascript_the_default_results_and_assumptions_show(browser: Any, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.route(
        "**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort()
    )
    try:
        tab = context.new_page()
        tab.goto(site_url + PATH)
        assert tab.locator("fieldset.tco-live").get_attribute("disabled") is not None
        assert tab.locator("form.tco-form [name='tx']").is_disabled()
        assert "needs JavaScript" in tab.locator(".tco-calculator").inner_text()
        rows = tab.eval_on_selector_all("#tco-results tbody tr th", "ths => ths.map(t => t.textContent)")
        assert len(rows) == 9 and rows[0] == "n8n self-hosted (Community edition)"
        assert tab.locator("table.tco-assumptions > tbody > tr").count() == 9
        # The default scenario's tables are folded; the browser opens the fold without scripts.
        assert tab.locator("table.tco-assumptions").is_hidden()
        tab.locator("details.tco-defaults > summary").click()
        assert tab.locator("table.tco-assumptions").is_visible()
    finally:
        context.close()


def test_the_default_scenario_tables_are_folded_under_their_heading(page: Any, site_url: str) -> None:
    # Folded, they are not styled at start-up (the page's heaviest start-up cost
    # is restyling what it shows); the heading above them stays a link target.
    page.goto(site_url + PATH + "#assumptions-of-the-default-scenario")
    page.locator("form.tco-form fieldset.tco-live:not([disabled])").wait_for()
    fold = page.locator("details.tco-defaults")
    assert fold.get_attribute("open") is None
    assert page.locator("table.tco-assumptions").is_hidden()
    assert page.locator("#assumptions-of-the-default-scenario").is_visible()
    fold.locator("summary").click()
    assert page.locator("table.tco-assumptions > tbody > tr").first.is_visible()


def test_a_typed_decimal_comma_is_rejected_with_a_clear_message(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    before = table_rows(page)
    set_field(page, "steps", "2,5")
    assert "comma" in page.locator("#tco-steps-msg").inner_text().lower()
    assert table_rows(page) == before  # never read as 25
    set_field(page, "tx", "1,500,000")
    assert page.locator("#tco-tx-msg").inner_text() == ""


def test_the_address_holds_the_inputs_of_the_results_shown(page: Any, site_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_calculator(page, site_url)
    set_field(page, "flows", "7")
    assert query_of(page)["flows"] == ["7"]
    shown = table_rows(page)
    set_field(page, "tx", "2,000,000 tasks")
    assert page.locator("[name='tx']").get_attribute("aria-invalid") == "true"
    query = query_of(page)
    assert query["tx"] == ["1500000"] and query["flows"] == ["7"]  # the state behind the results
    page.locator("[data-tco='copy']").click()
    page.wait_for_function("document.querySelector('.tco-status').textContent.length > 0")
    status = page.locator(".tco-status").inner_text()
    assert "invalid" in status.lower() and "copied" in status.lower(), status
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "tx=1500000" in copied and "tasks" not in copied
    page.goto(copied)
    page.locator(".tco-charts svg").first.wait_for()
    assert table_rows(page) == shown
    assert page.locator(".tco-notice").is_hidden()


def test_a_partly_known_show_list_says_what_was_applied(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?show=workato,nope")
    notice = page.locator(".tco-notice").inner_text()
    assert "nope" in notice and "Defaults are used instead" not in notice
    assert [r[0] for r in table_rows(page)] == ["Workato"]


def test_one_year_horizon_reads_in_the_singular(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?years=1")
    body = page.locator(".tco-calculator").inner_text()
    assert "1 years" not in body and "1 year" in body


def test_sensitivity_chart_and_pair_bands_are_drawn(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    tornado = page.locator(".tco-charts svg.tco-tornado")
    assert tornado.locator("rect").count() >= 8  # two halves per input that moves
    caption = page.locator(".tco-charts figure").nth(2).locator("figcaption").inner_text()
    assert "Custom code" in caption  # the first approach of the break-even pair
    bands = page.eval_on_selector_all(
        ".tco-charts path.tco-band", "ps => ps.filter(p => p.getAttribute('d')).length"
    )
    assert bands == 2  # the pair only


def test_a_discount_rate_names_the_discounted_payback(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?disc=10")
    detail = page.locator(".tco-be-detail").inner_text()
    assert "discounted payback" in detail and "undiscounted it is month 29" in detail


def test_tasks_a_month_are_converted_and_the_conversion_is_shown(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.locator("[name='per']").select_option("task")
    set_field(page, "tx", "6,000,000")
    assert "1,500,000 transactions a month × 4 steps" in page.locator(".tco-conv").inner_text()
    assert table_rows(page)[0][6] == "$150,400"  # the same as 1.5 M transactions × 4 steps
    assert query_of(page)["per"] == ["task"]


def test_connected_apps_change_the_boomi_licence(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_field(page, "apps", "80")
    boomi = next(r for r in table_rows(page) if r[0] == "Boomi")
    assert boomi[2] == "$250,000"


def text_heights(tab: Any, selector: str) -> list[float]:
    """Rendered heights in CSS px of the non-empty SVG texts ``selector`` matches."""
    return tab.eval_on_selector_all(
        selector, "ts => ts.filter(t => t.textContent).map(t => t.getBoundingClientRect().height)"
    )


@contextlib.contextmanager
def phone_tab(browser: Any, url: str, ready: str) -> Iterator[Any]:
    """The calculator at ``url`` on a 390 px screen, once ``ready`` is on the page."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        tab = context.new_page()
        tab.goto(url)
        tab.locator(ready).wait_for()
        yield tab
    finally:
        context.close()


def test_charts_keep_12px_text_on_a_phone(browser: Any, site_url: str) -> None:
    with phone_tab(browser, site_url + PATH + "?years=10", ".tco-charts svg.tco-tornado") as tab:
        sizes = text_heights(tab, ".tco-charts svg.tco-chart text")
        assert sizes and min(sizes) >= 12, min(sizes)
        overflow = tab.eval_on_selector_all(
            ".tco-charts svg.tco-chart",
            "ss => ss.filter(s => s.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).length",
        )
        assert overflow == 0


def test_scenario_a_can_be_pinned_and_the_link_holds_both(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.locator("[data-tco='pin']").click()
    assert page.locator(".tco-compare").is_visible()
    set_field(page, "flows", "10")
    rows = page.eval_on_selector_all(
        ".tco-compare table.tco-ab tbody tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))",
    )
    custom = next(r for r in rows if r[0] == "Custom code")
    assert custom[1] == "$504,000" and custom[3].startswith("\u2212")  # fewer flows cost less
    query = query_of(page)
    assert "flows=20" in query["ab"][0] and query["flows"] == ["10"]
    link = page.url
    page.goto(site_url)
    page.goto(link)
    page.locator(".tco-compare table.tco-ab").wait_for()
    again = page.eval_on_selector_all(
        ".tco-compare table.tco-ab tbody tr",
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))",
    )
    assert again == rows
    page.locator(".tco-compare [data-tco='unpin']").click()
    assert page.locator(".tco-compare").is_hidden()
    assert "ab" not in query_of(page)


def test_hostile_values_of_the_new_parameters_fail_safely(page: Any, site_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = (
        "?per=%3Cscript%3E&ent=2&dc.workato=1,5&ur.zapier=-1&ip.boomi=1e400"
        "&ab=tx%3D%253Cimg%2520src%253Dx%2520onerror%253Dalert(3)%253E&risk=NaN&__proto__.x=1"
    )
    open_calculator(page, site_url, query)
    notice = page.locator(".tco-notice").inner_text()
    # The shared notice names five parameters and counts the rest.
    for name in ("per", "ent", "dc.workato", "ur.zapier", "ip.boomi"):
        assert name in notice, (name, notice)
    assert "and 3 more" in notice
    assert page.locator(".tco-calculator img, .tco-calculator script").count() == 0
    assert page.locator(".tco-compare").is_hidden()
    assert table_rows(page)[0][6] == "$150,400"  # the defaults, computed
    assert "NaN" not in page.locator(".tco-calculator").inner_text()
    assert dialogs == []


def charts_drawn(page: Any) -> None:
    """Wait until the charts show the latest inputs (they follow the table by one frame)."""
    page.locator(".tco-calculator:not([data-charts-pending])").wait_for(state="attached")


def pair_chart(page: Any) -> dict[str, Any]:
    """The break-even tornado's visible rows: label, bar widths and end labels, and its base line."""
    charts_drawn(page)
    return page.eval_on_selector(
        ".tco-pair svg.tco-be-tornado",
        """svg => {
          const rows = Array.from(svg.querySelectorAll(':scope > g'))
            .filter(g => g.getAttribute('display') !== 'none');
          const box = svg.getBoundingClientRect();
          const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent);
          return {
            rows: rows.map(g => ({
              label: g.querySelector(':scope > text').textContent,
              widths: Array.from(g.querySelectorAll('rect')).map(r => Number(r.getAttribute('width'))),
              open: Array.from(g.querySelectorAll('rect')).map(r => r.getAttribute('class') === 'tco-open'),
              ends: Array.from(g.querySelectorAll('text')).slice(1).map(t => t.textContent),
            })),
            base: svg.querySelector(':scope > text').textContent,
            title: svg.querySelector(':scope > title').textContent,
            clipped: texts.filter(t => { const r = t.getBoundingClientRect();
              return r.left < box.left - 1 || r.right > box.right + 1; }).map(t => t.textContent),
          };
        }""",
    )


def test_break_even_sensitivity_chart_follows_the_inputs(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    chart = pair_chart(page)
    assert chart["base"] == "now: month 29"
    assert "Custom code vs Workato" in chart["title"]
    labels = [r["label"] for r in chart["rows"]]
    assert "Engineer rates ±30 %" in labels and "Volume ×0.5 – ×2" in labels
    assert sum(max(r["widths"]) > 0 for r in chart["rows"]) >= 3  # most inputs move the month
    assert chart["clipped"] == []
    caption = page.locator(".tco-pair figure figcaption").inner_text()
    assert caption.startswith("Break-even month with one input at its low or high end:")
    # Cheaper engineers push the break-even later; at 10 flows it leaves the horizon at one end.
    set_field(page, "rate", "60")
    moved = pair_chart(page)
    assert moved["base"] != chart["base"] and moved["rows"] != chart["rows"]
    set_field(page, "years", "1")
    short = pair_chart(page)
    assert short["base"] == "now: never within 1 year"
    assert any(all(r["open"]) for r in short["rows"])  # no break-even: open to the horizon's edge
    assert any(e == "none in 1 yr" for r in short["rows"] for e in r["ends"])
    # The same approach twice: no pair, no chart.
    page.locator("[name='pb']").select_option("custom-code")
    assert page.locator(".tco-pair .tco-be-chart").is_hidden()


TYPE_IN_ONE_TASK = """([values, print]) => {
  const root = document.querySelector('.tco-calculator');
  const field = root.querySelector("form.tco-form [name='rate']");
  const base = () => root.querySelector('.tco-pair svg.tco-be-tornado > text').textContent;
  const before = { base: base(), month: root.querySelector('.tco-be-month').textContent };
  for (const value of values) {
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }
  if (print) window.dispatchEvent(new Event('beforeprint'));
  return { before, month: root.querySelector('.tco-be-month').textContent, base: base(),
           total: root.querySelector('#tco-results tbody tr td strong').textContent,
           pending: root.hasAttribute('data-charts-pending') };
}"""


def test_typing_shows_the_totals_at_once_and_the_charts_one_frame_later(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    charts_drawn(page)
    total = table_rows(page)[0][6]
    # Three keystrokes in one task: the table and the break-even sentence follow each of
    # them at once; the charts wait for the frame, then are drawn once, for the last value.
    typed = page.evaluate(TYPE_IN_ONE_TASK, [["6", "60", "600"], False])
    assert typed["total"] != total and typed["month"] != typed["before"]["month"]
    assert typed["pending"] is True and typed["base"] == typed["before"]["base"] == "now: month 29"
    charts_drawn(page)
    settled = pair_chart(page)["base"]
    assert settled != "now: month 29"
    # The same state reached directly draws the same chart.
    open_calculator(page, site_url, "?rate=600")
    assert pair_chart(page)["base"] == settled


def test_printing_draws_charts_that_are_still_waiting_for_their_frame(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    charts_drawn(page)
    # A print started in the same task as a keystroke prints the charts of that keystroke.
    state = page.evaluate(TYPE_IN_ONE_TASK, [["60"], True])
    assert state["pending"] is False and state["base"] != "now: month 29"


def test_break_even_chart_is_readable_on_a_phone(browser: Any, site_url: str) -> None:
    with phone_tab(browser, site_url + PATH + "?years=2&rate=60", ".tco-pair svg.tco-be-tornado") as tab:
        sizes = text_heights(tab, ".tco-pair svg text")
        assert sizes and min(sizes) >= 12, min(sizes)
        assert pair_chart(tab)["clipped"] == []


def test_scenario_compare_lists_the_inputs_that_differ_and_both_break_evens(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.locator("[data-tco='pin']").click()
    assert "A and B have the same inputs." in page.locator(".tco-compare").inner_text()
    set_field(page, "flows", "10")
    page.locator("[name='per']").select_option("day")
    set_field(page, "tx", "10000")
    page.locator("details.tco-more summary").click()
    page.locator("[name='lic.workato']").fill("40000")

    def differences() -> list[list[str]]:
        return page.eval_on_selector_all(
            ".tco-compare table.tco-ab-inputs tbody tr",
            "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))",
        )

    rows = differences()
    assert ["Transactions", "1,500,000 a month", "300,000 a month"] in rows  # 10,000 a day
    assert ["Flows", "20", "10"] in rows
    assert ["Workato licence override (USD a year)", "default", "40,000"] in rows
    assert len(rows) == 3
    words = page.locator(".tco-compare .tco-ab-be").inner_text()
    assert words.startswith("Break-even of Custom code vs Workato: month 29 under A, ")
    assert "month 29 under B" not in words
    link = query_of(page) and page.url
    page.goto(site_url)
    page.goto(link)
    page.locator(".tco-compare table.tco-ab-inputs").wait_for()
    assert differences() == rows
    assert page.locator(".tco-compare .tco-ab-be").inner_text() == words
