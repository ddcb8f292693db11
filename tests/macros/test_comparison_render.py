"""The two-platform comparison: the matrix's own cells, escaped, with errors that name the bad id."""

from __future__ import annotations

import pytest

from macros import datasets
from macros.comparison_render import ipaas_pair

MATRIX = datasets.site_data().ipaas


def test_two_columns_from_the_matrix_data_in_the_order_asked() -> None:
    html = ipaas_pair(MATRIX, "workato", "mulesoft", ["list-price", "billable-unit"], from_url="solutions/x/")
    assert html.count('<tr><th scope="row">') == 2
    assert html.index("Entry or list price") < html.index("Billable unit")
    assert "https://docs.workato.com/recipes/tasks.html" in html  # a source from the data
    assert "reviewed 20" in html
    assert 'href="../../ipaas/comparison-matrix/?q=Workato%20MuleSoft' in html


def test_all_criteria_by_default() -> None:
    matrix = datasets.load("ipaas")
    html = ipaas_pair(MATRIX, "workato", "mulesoft")
    assert html.count('<tr><th scope="row">') == len(matrix.criteria)


def test_unknown_ids_stop_the_build_with_the_id() -> None:
    with pytest.raises(KeyError, match="unknown platform 'nope'"):
        ipaas_pair(MATRIX, "workato", "nope")
    with pytest.raises(KeyError, match="unknown criteria"):
        ipaas_pair(MATRIX, "workato", "mulesoft", ["price-of-tea"])
