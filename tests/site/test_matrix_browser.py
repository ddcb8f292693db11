"""The iPaaS comparison matrix in Chromium: sorting, facets, comparison, URL state,
hostile parameters, keyboard use, accessibility, print, search, and the script's size."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from macros import datasets
from macros.models.ipaas import NOT_PUBLISHED, IpaasMatrix
from tests.browser_helpers import (
    DESKTOP,
    PHONE,
    WIDGET,
    axe_serious_violations,
    follow_in_site,
    landing_problems,
    new_context,
    search_results,
)

ROOT = Path(__file__).resolve().parents[2]
PATH = "ipaas/comparison-matrix/"
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "matrix.js"


def _matrix() -> IpaasMatrix:
    matrix = datasets.load("ipaas")
    assert isinstance(matrix, IpaasMatrix)
    return matrix


def open_matrix(page: Any, site_url: str, query: str = "") -> None:
    page.goto(site_url + PATH + query)
    page.locator(".ip-mx-controls").wait_for()


def visible_rows(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#ipaas-matrix tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.platform)"
    )


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_matrix_script_never_parses_text_as_html() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


@pytest.mark.slow
def test_page_is_complete_without_javascript(site_dir: Path) -> None:
    html = (site_dir / PATH / "index.html").read_text(encoding="utf-8")

    class Counter(HTMLParser):
        rows = 0
        scopes: set[str] = set()
        caption = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "tr" and a.get("data-platform"):
                self.rows += 1
            if tag == "th" and a.get("scope"):
                self.scopes.add(a["scope"] or "")
            if tag == "caption":
                self.caption = True

    counter = Counter()
    counter.feed(html)
    assert counter.rows == 14
    assert counter.scopes == {"col", "colgroup", "row"}
    assert counter.caption
    assert 'href="../../data/ipaas.csv"' in html
    assert (site_dir / "data" / "ipaas.csv").read_text(encoding="utf-8").count("\n") == 15
    assert '"list_prices"' in (site_dir / "data" / "ipaas.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.slow
@pytest.mark.browser
def test_sorting_by_a_number_column_orders_rows_and_keeps_unknowns_last(
    page: Any, site_url: str, direction: str
) -> None:
    open_matrix(page, site_url, "?hide=none")
    button = page.locator("#col-connectors button")
    button.click()
    if direction == "desc":
        button.click()
    matrix = _matrix()
    counts = {p.id: p.cells["connectors"].value for p in matrix.platforms}
    known = [p.id for p in matrix.platforms if counts[p.id] != NOT_PUBLISHED]
    known.sort(key=lambda pid: counts[pid], reverse=direction == "desc")
    unknown = [p.id for p in matrix.platforms if counts[p.id] == NOT_PUBLISHED]
    assert visible_rows(page) == known + unknown
    assert query_of(page)["sort"] == ["connectors"]
    assert page.locator("#col-connectors").get_attribute("aria-sort") == (
        "ascending" if direction == "asc" else "descending"
    )


@pytest.mark.slow
@pytest.mark.browser
def test_sorting_by_platform_name_and_by_a_ranked_column(page: Any, site_url: str) -> None:
    open_matrix(page, site_url, "?hide=none")
    page.locator("th.ip-m-corner button").click()
    names = {p.id: p.name.lower() for p in _matrix().platforms}
    assert visible_rows(page) == sorted(names, key=lambda pid: names[pid])
    page.locator("#col-edi button").click()
    tags = [
        page.locator(f"#platform-{pid} td[data-c='edi']").get_attribute("data-tag")
        for pid in visible_rows(page)
    ]
    rank = {"yes": 0, "partial": 1, "no": 2}
    assert [rank[t] for t in tags] == sorted(rank[t] for t in tags)


@pytest.mark.slow
@pytest.mark.browser
def test_each_facet_filter_shows_exactly_the_matching_platforms(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    matrix = _matrix()
    checked = 0
    for criterion in (c for c in matrix.criteria if c.options):
        select = page.locator(f"select[data-facet='{criterion.id}']")
        for option in criterion.options:
            select.select_option(option.id)
            expected = [p.id for p in matrix.platforms if p.cells[criterion.id].tag == option.id]
            assert visible_rows(page) == expected, (criterion.id, option.id)
            assert page.locator(".ip-mx-count").inner_text() == f"Showing {len(expected)} of 14 platforms."
            assert query_of(page)[criterion.id] == [option.id]
            checked += 1
        select.select_option("")
    assert checked >= 30
    assert visible_rows(page) == [p.id for p in matrix.platforms]


@pytest.mark.slow
@pytest.mark.browser
def test_text_filter_matches_whole_words_and_combines_with_facets(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    page.locator(".ip-mx-controls input[type='search']").fill("EDIFACT")
    matrix = _matrix()
    expected = [
        p.id
        for p in matrix.platforms
        if any(
            "edifact" in str(c.value).lower() or "edifact" in (c.note or "").lower() for c in p.cells.values()
        )
    ]
    assert visible_rows(page) == expected
    page.locator("select[data-facet='agent']").select_option("yes")
    agent = {p.id: p.cells["agent"].tag for p in matrix.platforms}
    assert visible_rows(page) == [pid for pid in expected if agent[pid] == "yes"]
    assert query_of(page)["q"] == ["EDIFACT"]


@pytest.mark.slow
@pytest.mark.browser
def test_compare_view_shows_the_picked_platforms(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    for pid in ("boomi", "n8n", "logic-apps"):
        page.locator(f"input[data-pick='{pid}']").check()
    table = page.locator(".ip-mx-compare table")
    assert table.locator("thead th").all_inner_texts() == ["Criterion", "Boomi", "n8n", "Azure Logic Apps"]
    assert table.locator("tbody tr:not(.ip-mx-compare-group)").count() == len(_matrix().criteria)
    group_rows = table.locator("tbody tr.ip-mx-compare-group th").all_inner_texts()
    assert [g.lower() for g in group_rows] == [g.name.lower() for g in _matrix().groups]
    assert query_of(page)["compare"] == ["boomi,n8n,logic-apps"]
    page.locator("input[data-pick='zapier']").check()
    assert page.locator("input[data-pick='make']").is_disabled()
    page.get_by_role("button", name="Clear comparison").click()
    assert page.locator(".ip-mx-compare").is_hidden()
    assert "compare" not in query_of(page)


@pytest.mark.slow
@pytest.mark.browser
def test_a_copied_url_restores_the_same_view(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    page.locator("select[data-facet='self-hosted']").select_option("partial")
    page.locator("input[data-group='fit']").check()
    page.locator("#col-learning-curve button").click()
    page.locator("#col-learning-curve button").click()
    page.locator("input[data-group='engineering']").check()
    page.locator("input[data-pick='boomi']").check()
    page.locator("input[data-pick='snaplogic']").check()
    rows = visible_rows(page)
    url = page.url
    assert set(query_of(page)) == {"self-hosted", "sort", "dir", "hide", "compare"}

    page.goto("about:blank")
    page.goto(url)
    page.locator(".ip-mx-controls").wait_for()
    assert visible_rows(page) == rows
    assert page.locator("select[data-facet='self-hosted']").input_value() == "partial"
    assert page.locator("#col-learning-curve").get_attribute("aria-sort") == "descending"
    assert page.locator("#col-cicd").is_visible()
    assert page.locator("#col-sso").is_hidden()
    assert page.locator("input[data-group='engineering']").is_checked()
    assert not page.locator("input[data-group='governance']").is_checked()
    assert page.locator(".ip-mx-compare thead th").all_inner_texts() == ["Criterion", "Boomi", "SnapLogic"]
    assert page.locator(".ip-mx-notice").is_hidden()


@pytest.mark.slow
@pytest.mark.browser
def test_hostile_url_parameters_are_ignored_with_a_notice(page: Any, site_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = (
        "?%3Csvg%20onload%3Dalert(3)%3E=1"
        "&q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"
        "&compare=%3Cscript%3Ealert(2)%3C%2Fscript%3E,boomi"
        "&sort=..%2F..%2Fetc&dir=sideways&edi=maybe"
        "&hide=pricing,%3Cb%3Ex%3C%2Fb%3E"
        "&zapier=" + "x" * 5000
    )
    open_matrix(page, site_url, hostile)
    notice = page.locator(".ip-mx-notice")
    assert notice.is_visible()
    text = notice.inner_text()
    assert text.startswith("Some settings in the address were not valid and were ignored: ")
    assert text.endswith(": <svg onload=alert(3)>, q, compare, sort, dir and 3 more.")
    injected = page.evaluate(
        """() => ({
            handlers: Array.from(document.querySelectorAll("*")).filter(
                (e) => Array.from(e.attributes).some((a) => a.name.startsWith("on"))).length,
            images: document.querySelectorAll("main img[src='x']").length,
            scripts: Array.from(document.scripts).filter((s) => s.text.includes("alert(")).length,
        })"""
    )
    assert injected == {"handlers": 0, "images": 0, "scripts": 0}
    # A hostile parameter name is shown as plain text, never as markup.
    assert "&lt;svg onload=alert(3)&gt;" in notice.inner_html()
    assert visible_rows(page) == [p.id for p in _matrix().platforms]
    assert page.locator(".ip-mx-compare").is_hidden()
    assert page.locator(".ip-mx-controls input[type='search']").input_value() == ""
    assert urlsplit(page.url).query == ""
    assert dialogs == []


@pytest.mark.slow
@pytest.mark.browser
def test_absurd_but_harmless_values_are_ignored(page: Any, site_url: str) -> None:
    open_matrix(page, site_url, "?compare=boomi&q=" + "a" * 81 + "&hide=fit,fit&edi=yes")
    assert page.locator(".ip-mx-notice").inner_text().endswith("ignored: compare, q.")
    assert not page.locator("input[data-group='fit']").is_checked()
    assert visible_rows(page) == [p.id for p in _matrix().platforms if p.cells["edi"].tag == "yes"]


@pytest.mark.slow
@pytest.mark.browser
def test_keyboard_only_use(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    page.locator(".ip-mx-controls input[type='search']").focus()
    page.keyboard.type("Kafka")
    assert len(visible_rows(page)) < 14
    page.keyboard.press("Tab")  # Reset view
    page.keyboard.press("Enter")
    assert len(visible_rows(page)) == 14

    page.locator("#col-list-price button").focus()
    page.keyboard.press("Enter")
    assert query_of(page)["sort"] == ["list-price"]

    pick = page.locator("input[data-pick='workato']")
    pick.focus()
    page.keyboard.press("Space")
    assert pick.is_checked()
    page.locator("input[data-pick='zapier']").focus()
    page.keyboard.press("Space")
    assert page.locator(".ip-mx-compare table").is_visible()

    link = page.locator("#platform-oracle-integration td[data-c='billable-unit'] a.ip-src").first
    link.focus()
    pop = page.locator(".ip-mx-pop")
    assert pop.is_visible()
    assert "Oracle docs: Estimate billing message usage" in pop.inner_text()
    assert "Reviewed 2026-11-25 · confidence high" in pop.inner_text()
    assert link.get_attribute("aria-describedby") == pop.get_attribute("id")
    page.keyboard.press("Escape")
    assert pop.is_hidden()


@pytest.mark.slow
@pytest.mark.browser
def test_popover_on_hover_shows_every_source(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    page.locator("#platform-workato td[data-c='billable-unit']").hover()
    text = page.locator(".ip-mx-pop").inner_text()
    assert "Workato docs: Tasks usage" in text
    assert "Workato docs: Understanding usage, workflows (recipes)" in text


@pytest.mark.slow
@pytest.mark.browser
def test_no_serious_accessibility_violations(page: Any, site_url: str) -> None:
    open_matrix(page, site_url, "?compare=workato,boomi&edi=yes")
    page.locator("#platform-boomi td[data-c='edi'] a.ip-src").focus()
    assert axe_serious_violations(page, within=WIDGET) == []


@pytest.mark.slow
@pytest.mark.browser
def test_print_layout_hides_controls_and_keeps_the_table(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    page.emulate_media(media="print")
    assert page.locator(".ip-mx-controls").is_hidden()
    assert page.locator("#ipaas-matrix tbody tr").count() == 14
    overflow = page.eval_on_selector(".ip-matrix-scroll", "el => getComputedStyle(el).overflow")
    assert overflow == "visible"


@pytest.mark.slow
@pytest.mark.browser
def test_search_for_a_criterion_value_finds_platform_pages(page: Any, site_url: str) -> None:
    results = search_results(page, site_url, "EDI")
    platform_pages = {r.split("#")[0] for r in results if r.startswith("ipaas/platforms/")}
    assert len(platform_pages) >= 3, results


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = new_context(browser, "phone")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_phone_shows_one_card_per_platform_with_labelled_grouped_rows(phone: Any, site_url: str) -> None:
    matrix = _matrix()
    open_matrix(phone, site_url, "?hide=none")
    cards = phone.evaluate(
        """() => Array.from(document.querySelectorAll("#ipaas-matrix tbody tr")).map((row) => ({
            id: row.dataset.platform,
            display: getComputedStyle(row).display,
            right: row.getBoundingClientRect().right,
            labels: Array.from(row.cells).slice(1).map((c) => getComputedStyle(c, "::before").content),
        }))"""
    )
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width  # nothing scrolls sideways
    assert [c["id"] for c in cards] == [p.id for p in matrix.platforms]
    first_of_group = {}
    for criterion in matrix.criteria:
        first_of_group.setdefault(criterion.group, criterion.id)
    groups = {g.id: g.name for g in matrix.groups}
    for card in cards:
        assert card["display"] == "block"
        assert card["right"] <= width
        for criterion, label in zip(matrix.criteria, card["labels"], strict=True):
            assert criterion.name in label
            if first_of_group[criterion.group] == criterion.id:
                assert groups[criterion.group] in label
    # Sources stay reachable: every cell links its first source.
    assert phone.locator("#platform-boomi td a.ip-src").count() == len(matrix.criteria)


@pytest.mark.slow
@pytest.mark.browser
def test_phone_comparison_keeps_platform_names_in_view(phone: Any, site_url: str) -> None:
    open_matrix(phone, site_url, "?compare=boomi,n8n")
    cards = phone.locator(".ip-mx-compare table.ip-mx-compare-cards tbody tr")
    assert cards.count() == 2
    name = cards.first.locator("th")
    assert name.inner_text().startswith("Boomi")
    # Scroll to the middle of the first card: its platform name sticks below the header.
    phone.evaluate(
        """() => {
            const card = document.querySelector(".ip-mx-compare-cards tbody tr");
            const box = card.getBoundingClientRect();
            window.scrollBy(0, box.top + box.height / 2 - innerHeight / 2);
        }"""
    )
    header = phone.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    top = name.evaluate("el => el.getBoundingClientRect().top")
    assert header - 1 <= top <= header + 2
    hit = phone.evaluate(
        """() => {
            const th = document.querySelector(".ip-mx-compare-cards tbody th");
            const r = th.getBoundingClientRect();
            return th.contains(document.elementFromPoint(r.left + 8, r.top + r.height / 2));
        }"""
    )
    assert hit


@pytest.mark.slow
@pytest.mark.browser
def test_desktop_comparison_header_stays_in_view(page: Any, site_url: str) -> None:
    open_matrix(page, site_url, "?compare=boomi,n8n,zapier")
    scroller = page.locator(".ip-mx-compare-scroll")
    scroller.evaluate("el => { el.scrollTop = el.scrollHeight / 2; }")
    head = page.locator(".ip-mx-compare-table thead th").nth(1)
    box = scroller.evaluate("el => el.getBoundingClientRect().top")
    assert abs(head.evaluate("el => el.getBoundingClientRect().top") - box) <= 2
    assert head.inner_text() == "Boomi"


@pytest.mark.slow
@pytest.mark.browser
def test_matrix_cells_carry_stable_anchors(page: Any, site_url: str) -> None:
    matrix = _matrix()
    open_matrix(page, site_url)
    ids = page.eval_on_selector_all("#ipaas-matrix tbody td[id]", "els => els.map((e) => e.id)")
    expected = [f"platform-{p.id}-{c.id}" for p in matrix.platforms for c in matrix.criteria]
    assert ids == expected
    assert len(set(ids)) == len(ids)


@pytest.mark.slow
@pytest.mark.browser
def test_matrix_page_stays_under_2000_elements(page: Any, site_url: str) -> None:
    open_matrix(page, site_url)
    count = page.evaluate("document.getElementsByTagName('*').length")
    print(f"matrix page: {count} elements")
    assert count < 2000


def shown_cells(page: Any) -> dict[str, int]:
    """How many body cells of each criteria group the browser lays out."""
    return page.evaluate(
        """() => {
            const shown = {};
            for (const cell of document.querySelectorAll("#ipaas-matrix tbody td")) {
                if (cell.getClientRects().length) shown[cell.dataset.g] = (shown[cell.dataset.g] || 0) + 1;
            }
            return shown;
        }"""
    )


def group_sizes(matrix: IpaasMatrix, groups: list[str] | None = None) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for criterion in matrix.criteria:
        if groups is None or criterion.group in groups:
            sizes[criterion.group] = sizes.get(criterion.group, 0) + len(matrix.platforms)
    return sizes


@pytest.mark.slow
@pytest.mark.browser
def test_table_opens_on_its_first_group_and_shows_more_on_demand(page: Any, site_url: str) -> None:
    matrix = _matrix()
    first = matrix.groups[0].id
    open_matrix(page, site_url)
    # The other groups are in the page (complete without JavaScript) but not laid out.
    assert shown_cells(page) == group_sizes(matrix, [first])
    assert page.locator("#ipaas-matrix tbody td").count() == len(matrix.criteria) * len(matrix.platforms)
    assert page.locator(f"input[data-group='{first}']").is_checked()
    assert "hide" not in query_of(page)

    page.locator("input[data-group='compliance']").check()
    assert shown_cells(page) == group_sizes(matrix, [first, "compliance"])
    assert page.locator("#group-compliance").is_visible()
    hidden = [g.id for g in matrix.groups if g.id not in (first, "compliance")]
    assert query_of(page)["hide"] == [",".join(hidden)]

    page.get_by_role("button", name="Show all groups").click()
    assert shown_cells(page) == group_sizes(matrix)
    assert query_of(page)["hide"] == ["none"]
    url = page.url
    page.goto("about:blank")
    open_matrix(page, url.split(PATH, 1)[0], url.split(PATH, 1)[1])
    assert shown_cells(page) == group_sizes(matrix)

    page.get_by_role("button", name="Reset view").click()
    assert shown_cells(page) == group_sizes(matrix, [first])
    assert "hide" not in query_of(page)


@pytest.mark.slow
@pytest.mark.browser
def test_an_older_link_that_hides_groups_shows_all_the_others(page: Any, site_url: str) -> None:
    matrix = _matrix()
    open_matrix(page, site_url, "?hide=engineering")
    assert shown_cells(page) == group_sizes(matrix, [g.id for g in matrix.groups if g.id != "engineering"])
    assert query_of(page)["hide"] == ["engineering"]
    assert page.locator(".ip-mx-notice").is_hidden()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.slow
@pytest.mark.browser
def test_without_javascript_every_group_is_shown(browser: Any, site_url: str, screen: str) -> None:
    matrix = _matrix()
    context = browser.new_context(**(PHONE if screen == "phone" else DESKTOP), java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PATH)
        assert shown_cells(page) == group_sizes(matrix)
        heads = page.eval_on_selector_all(
            "#ipaas-matrix thead th", "els => els.filter((e) => !e.getClientRects().length).length"
        )
        assert heads == (len(matrix.criteria) + len(matrix.groups) + 1 if screen == "phone" else 0)
    finally:
        context.close()


def settle(page: Any, target: str) -> None:
    """Wait until the matrix runs, shows ``target`` and the scroll position stops changing."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """(id) => new Promise((done) => {
            let last = "", same = 0;
            const tick = () => {
                const cell = document.getElementById(id);
                const box = document.querySelector(".ip-matrix-scroll");
                const ready = document.querySelector(".ip-mx-controls:not([hidden])");
                const shown = !!(cell && cell.getClientRects().length);
                const now = [scrollY, box.scrollTop, box.scrollLeft, !!ready, shown].join();
                same = now === last && ready && shown ? same + 1 : 0;
                last = now;
                if (same >= 10) done(true); else requestAnimationFrame(tick);
            };
            tick();
        })""",
        arg=target,
    )


@pytest.mark.parametrize("how", ["fresh load", "hash change"])
@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.slow
@pytest.mark.browser
def test_a_link_into_a_group_not_shown_opens_that_group_then_lands(
    browser: Any, site_url: str, screen: str, how: str
) -> None:
    matrix = _matrix()
    first = matrix.groups[0].id
    context = new_context(browser, screen)
    try:
        page = context.new_page()
        target = "platform-jitterbit-audit-logs"  # governance, not the group the table opens on
        if how == "fresh load":
            page.goto(f"{site_url}{PATH}#{target}")
        else:
            open_matrix(page, site_url)
            assert page.locator(f"#{target}").is_hidden()
            page.evaluate("(id) => { location.hash = id; }", target)
        settle(page, target)
        assert shown_cells(page) == group_sizes(matrix, [first, "governance"])
        assert landing_problems(page, f"#{target}") == []
        # The address reproduces the view: the group stays open on reload.
        assert "governance" not in query_of(page)["hide"][0].split(",")
        assert urlsplit(page.url).fragment == target
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_in_site_navigation_opens_on_the_first_group_too(page: Any, site_url: str) -> None:
    """The theme's in-site navigation reads the fetched page with scripting off, so
    its <noscript> style reaches the live page: it must not show the hidden groups."""
    matrix = _matrix()
    page.goto(f"{site_url}patterns/choose-a-pattern/")
    page.wait_for_load_state("load")
    follow_in_site(page, f"{site_url}{PATH}")
    page.wait_for_url(f"**/{PATH}")
    open_matrix_controls = page.locator(".ip-mx-controls:not([hidden])")
    open_matrix_controls.wait_for()
    assert page.evaluate("document.querySelectorAll('noscript').length") >= 1
    assert shown_cells(page) == group_sizes(matrix, [matrix.groups[0].id])
    page.locator("input[data-group='fit']").check()
    assert shown_cells(page) == group_sizes(matrix, [matrix.groups[0].id, "fit"])
