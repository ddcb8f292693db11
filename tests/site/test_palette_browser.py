"""The light/dark switch in the header (overrides/partials/palette.html)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "patterns/choose-a-pattern/"


def scheme(page: Any) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def visible_switch(page: Any) -> Any:
    return page.locator("form[data-ip-palette] label:not([hidden])")


def test_the_system_setting_decides_before_any_choice(browser: Any, site_url: str) -> None:
    for preference, expected in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(color_scheme=preference)
        try:
            page = context.new_page()
            page.goto(site_url + PAGE)
            assert scheme(page) == expected
            assert visible_switch(page).count() == 1
        finally:
            context.close()


def test_a_click_switches_and_the_choice_survives_a_reload(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    assert scheme(page) == "default"
    assert visible_switch(page).get_attribute("title") == "Switch to dark mode"

    visible_switch(page).click()
    assert scheme(page) == "slate"
    assert page.evaluate("document.body.getAttribute('data-md-color-accent')") == "light-blue"
    assert visible_switch(page).get_attribute("title") == "Switch to light mode"

    page.reload()
    assert scheme(page) == "slate"
    page.goto(site_url + "reference/glossary/")
    assert scheme(page) == "slate"


def test_the_switch_works_from_the_keyboard(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    page.locator("#__palette_0").focus()
    page.keyboard.press("Enter")
    assert scheme(page) == "slate"
    assert page.evaluate("document.activeElement.id") == "__palette_1"
    page.keyboard.press("Enter")
    assert scheme(page) == "default"


def test_without_a_choice_a_change_of_system_setting_is_followed(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert visible_switch(page).get_attribute("title") == "Switch to light mode"


def test_a_broken_saved_choice_falls_back_to_the_system(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + PAGE)
    page.evaluate("__md_set('__palette', {index: 7, color: {scheme: '<b>x</b>'}})")
    page.reload()
    # The theme's early script applies the saved colours as given (as attribute
    # text, never markup); ours then sees an index out of range and settles on
    # the system setting.
    assert scheme(page) == "slate"
    assert visible_switch(page).count() == 1
    assert page.locator("body b").count() == 0
