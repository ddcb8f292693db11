"""The switch merging of ``tests/chromium_flags.py`` (no browser)."""

from __future__ import annotations

import pytest

from tests.chromium_flags import (
    PLAYWRIGHT_DISABLED_FEATURES,
    PLAYWRIGHT_SWITCHES,
    UNSEEN_BROWSER_UI,
    disable_features,
    features_of,
)


def test_lists_merge_in_order_without_repeats() -> None:
    assert disable_features(["A", "B"], ["B", "C"], ["A"]) == "--disable-features=A,B,C"


@pytest.mark.parametrize("name", ["", "A,B", "A B", "A=1"])
def test_a_malformed_feature_name_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="not a Chromium feature name"):
        disable_features(["Fine", name])


def test_features_of_reads_every_switch_in_order() -> None:
    line = ["--no-sandbox", "--disable-features=A,B", "--headless", "--disable-features=C"]
    assert features_of(line) == [["A", "B"], ["C"]]


def test_the_playwright_launch_has_one_list_with_playwrights_features_and_ours() -> None:
    lists = features_of(PLAYWRIGHT_SWITCHES)
    assert len(lists) == 1
    assert set(PLAYWRIGHT_DISABLED_FEATURES) | set(UNSEEN_BROWSER_UI) == set(lists[0])
