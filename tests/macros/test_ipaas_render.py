"""Rendering of the iPaaS matrix and the platform fact tables."""

import re
from html.parser import HTMLParser

from macros import datasets, ipaas_render
from macros.html import esc
from macros.models.ipaas import Cell

MATRIX = datasets.site_data().ipaas


class _Table(HTMLParser):
    """Collect the matrix's header cells, row ids and links."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[dict[str, str | None]] = []
        self.rows: list[str] = []
        self.links: list[str] = []
        self.caption = ""
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "th":
            self.headers.append(a)
        elif tag == "tr" and a.get("data-platform"):
            self.rows.append(a["data-platform"] or "")
        elif tag == "a":
            self.links.append(a.get("href") or "")
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data


def _parse(html: str) -> _Table:
    table = _Table()
    table.feed(html)
    return table


def test_matrix_has_every_platform_and_criterion_with_scopes() -> None:
    matrix = MATRIX
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    parsed = _parse(html)
    assert parsed.rows == [p.id for p in matrix.platforms]
    column_ids = [h.get("data-c") for h in parsed.headers if h.get("scope") == "col"]
    assert column_ids == ["platform", *[c.id for c in matrix.criteria]]
    groups = [h.get("data-g") for h in parsed.headers if h.get("scope") == "colgroup"]
    assert groups == [g.id for g in matrix.groups]
    row_headers = [h for h in parsed.headers if h.get("scope") == "row"]
    assert len(row_headers) == len(matrix.platforms)
    assert f"{len(matrix.platforms)} integration platforms compared on {len(matrix.criteria)} criteria" in (
        parsed.caption
    )
    assert "review date" in parsed.caption


def test_every_cell_links_its_first_source_and_names_the_others() -> None:
    matrix = MATRIX
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    links = set(_parse(html).links)
    for platform in matrix.platforms:
        for criterion in matrix.criteria:
            cell = matrix.cell(platform, criterion)
            assert str(cell.sources[0].url) in links or esc(str(cell.sources[0].url)) in html
    # One link per cell keeps the matrix light; the other sources are named in
    # data-more (the popover) and linked on the platform pages.
    assert html.count('class="ip-src"') == len(matrix.platforms) * len(matrix.criteria)
    workato = re.search(r'<td [^>]*id="platform-workato-billable-unit"[^>]*>', html).group(0)
    assert 'data-more="[&#34;Workato docs: Understanding usage, workflows (recipes)&#34;]"' in workato
    assert 'aria-label="Oracle Integration, Billable unit: source (Oracle docs: Estimate' in html
    assert "1 more source on the platform&#39;s page" in html
    assert (
        'class="ip-src" href="https://docs.oracle.com/' in html
        and " title=" not in html.split("<tbody>")[1].split("</tbody>")[0]
    )
    reviewed = [matrix.cell(p, c).reviewed.isoformat() for p in matrix.platforms for c in matrix.criteria]
    assert re.findall(r'data-reviewed="([0-9-]+)"', html) == reviewed


def test_platform_facts_link_every_source() -> None:
    html = ipaas_render.platform_facts(MATRIX, "workato", from_url="ipaas/platforms/workato/")
    cell = MATRIX.cell(MATRIX.platforms[0], MATRIX.criteria[0])
    for source in cell.sources:
        assert esc(str(source.url)) in html


def test_cells_carry_anchors_and_card_labels() -> None:
    matrix = MATRIX
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    ids = re.findall(r'<td [^>]*id="([^"]+)"', html)
    assert ids == [f"platform-{p.id}-{c.id}" for p in matrix.platforms for c in matrix.criteria]
    labels = re.findall(r'<td [^>]*data-label="([^"]+)"', html)
    assert labels[: len(matrix.criteria)] == [str(esc(c.name)) for c in matrix.criteria]
    firsts = {}
    for criterion in matrix.criteria:
        firsts.setdefault(criterion.group, criterion.id)
    boomi = re.search(r'<tr id="platform-boomi".*?</tr>', html).group(0)
    group_labels = re.findall(r'data-c="([^"]+)"[^>]*data-group-label="([^"]+)"', boomi)
    names = {g.id: g.name for g in matrix.groups}
    assert group_labels == [(cid, str(esc(names[g]))) for g, cid in firsts.items()]


def test_colliding_anchors_fail_with_the_records_named() -> None:
    matrix = MATRIX
    first = matrix.platforms[0]
    criterion = matrix.criteria[0]
    # A platform whose row anchor equals the first platform's first cell anchor.
    twin = matrix.platforms[1].model_copy(update={"id": f"{first.id}-{criterion.id}"})
    broken = matrix.model_copy(update={"platforms": [first, twin, *matrix.platforms[2:]]})
    try:
        ipaas_render.ipaas_matrix(broken)
    except ValueError as error:
        message = str(error)
    else:
        raise AssertionError("colliding anchors were accepted")
    assert "ipaas.yaml" in message
    assert f"#platform-{first.id}-{criterion.id}" in message
    assert f"criterion '{criterion.id}'" in message


def test_platform_names_link_to_their_pages_relatively() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    assert '<a href="../../ipaas/platforms/workato/">Workato</a>' in html
    assert '<a href="../../ipaas/platforms/logic-apps/">Azure Logic Apps</a>' in html


def test_downloads_are_relative_to_the_page() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    assert 'href="../../data/ipaas.csv" download' in html
    assert 'href="../../data/ipaas.json" download' in html


def test_facet_columns_carry_options_and_cells_their_tags() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    header = re.search(r'<th scope="col" id="col-edi"[^>]*>', html).group(0)
    assert 'data-options="[[&#34;yes&#34;, &#34;Yes&#34;]' in header
    zapier = re.search(r'<tr id="platform-zapier".*?</tr>', html).group(0)
    assert '<td data-c="edi" data-g="connectivity"' in zapier
    assert 'data-tag="no" data-sort="2"' in zapier
    assert 'data-c="connectors"' in zapier and 'data-sort="7000"' in zapier


def test_abbreviations_in_headers_are_explained() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    assert '<abbr title="electronic data interchange">EDI</abbr>' in html
    assert '<abbr title="continuous integration and continuous delivery">CI/CD</abbr>' in html
    assert 'id="ipaas-key"' in html
    assert "SOC 2 (an audited controls report)" in html


def test_data_text_is_escaped(monkeypatch) -> None:
    matrix = MATRIX
    hostile = matrix.platforms[0].cells["buyer"].model_copy(update={"value": "<script>alert(1)</script>"})
    cells = {**matrix.platforms[0].cells, "buyer": hostile}
    platforms = [matrix.platforms[0].model_copy(update={"cells": cells}), *matrix.platforms[1:]]
    html = ipaas_render.ipaas_matrix(matrix.model_copy(update={"platforms": platforms}))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cell_shows_estimate_note_and_numbered_sources() -> None:
    cell = Cell.model_validate(
        {
            "value": 1200,
            "note": "vendor claim",
            "estimate": True,
            "reviewed": "2026-11-25",
            "confidence": "low",
            "sources": [
                {"title": "A", "url": "https://a.example/x"},
                {"title": "B", "url": "https://b.example/y"},
            ],
        }
    )
    html = ipaas_render.cell_html(cell, "Demo, Connectors")
    assert html.startswith("1,200+ ")  # the value is plain text: no wrapper element
    assert "(estimate)" in html and "(vendor claim)" in html
    assert 'aria-label="Demo, Connectors: source (A; reviewed 2026-11-25, confidence low)"' in html
    assert 'aria-label="Demo, Connectors: source 2 (B; reviewed 2026-11-25, confidence low)"' in html
    assert "confidence low · estimate" in html
    assert " title=" not in ipaas_render.cell_html(cell, "Demo", titles=False)


def test_platform_facts_cover_every_criterion() -> None:
    matrix = MATRIX
    html = ipaas_render.platform_facts(
        MATRIX, "oracle-integration", from_url="ipaas/platforms/oracle-integration/"
    )
    for criterion in matrix.criteria:
        assert f'id="fact-{criterion.id}"' in html
    assert 'href="../../../ipaas/comparison-matrix/?q=Oracle%20Integration"' in html
    assert "5,000 billing messages an hour" in html


def test_platform_list_links_every_platform() -> None:
    html = ipaas_render.platform_list(MATRIX, from_url="ipaas/")
    assert html.count("<li>") == len(MATRIX.platforms)
    assert '<a href="../ipaas/platforms/n8n/">n8n</a>' in html


def test_unknown_platform_is_named_in_the_error() -> None:
    try:
        ipaas_render.platform_facts(MATRIX, "biztalk")
    except KeyError as exc:
        assert "unknown platform id 'biztalk'" in str(exc)
    else:
        raise AssertionError("expected KeyError")


def test_price_cells_sort_by_monthly_usd_with_quote_only_last() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    header = re.search(r'<th scope="col" id="col-list-price"[^>]*>', html).group(0)
    assert "data-numeric" in header

    def price_cell(platform_id: str) -> str:
        row = re.search(rf'<tr id="platform-{platform_id}".*?</tr>', html).group(0)
        return re.search(r'<td data-c="list-price"[^>]*>', row).group(0)

    assert 'data-sort="19.99"' in price_cell("zapier")
    assert 'data-sort="23.2"' in price_cell("n8n")  # EUR 20 converted at the stored rate
    assert 'data-sort="0"' in price_cell("logic-apps")  # pay per action, no monthly minimum
    for quote_only in ("workato", "mulesoft", "boomi", "oracle-integration"):
        assert "data-sort" not in price_cell(quote_only)
    assert "No monthly figure to compare: sorted last." in html
    assert "20.00 EUR at 1.16 USD per EUR, rate of 2026-11-30" in html


def test_residency_eu_hosting_and_dpa_columns_are_facets_in_the_compliance_group() -> None:
    html = ipaas_render.ipaas_matrix(MATRIX, from_url="ipaas/comparison-matrix/")
    for column in ("data-residency", "eu-hosting", "dpa"):
        assert f'id="col-{column}"' in html
    assert re.search(r'<th scope="col" id="col-eu-hosting"[^>]*data-options=', html)
    zapier = re.search(r'<tr id="platform-zapier".*?</tr>', html).group(0)
    assert '<td data-c="eu-hosting" data-g="compliance"' in zapier and 'data-tag="no"' in zapier
    assert "United States only (AWS)" in zapier
