"""The theme's light/dark toggle in the header, as the site configures it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGE = "patterns/choose-a-pattern/"
TOGGLE = "form[data-md-component=palette] label:not([hidden])"


def scheme(page: Any) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def test_the_system_setting_decides_before_any_choice(browser: Any, site_url: str) -> None:
    for preference, expected in (("light", "default"), ("dark", "slate")):
        context = browser.new_context(color_scheme=preference)
        try:
            page = context.new_page()
            page.goto(site_url + PAGE)
            assert scheme(page) == expected
            page.locator(TOGGLE).wait_for()
            assert page.locator(TOGGLE).count() == 1
        finally:
            context.close()


def test_a_click_switches_and_the_choice_survives_a_reload(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    assert scheme(page) == "default"
    assert page.locator(TOGGLE).get_attribute("title") == "Switch to dark mode"

    page.locator(TOGGLE).click()
    assert scheme(page) == "slate"
    assert page.evaluate("document.body.getAttribute('data-md-color-accent')") == "light-blue"
    assert page.locator(TOGGLE).get_attribute("title") == "Switch to light mode"

    page.reload()
    assert scheme(page) == "slate"
    page.goto(site_url + "reference/glossary/")
    assert scheme(page) == "slate"


# Records the body's colour scheme when the parser reaches the theme's bundle,
# before it runs: what the first paint shows. Mutation records are delivered
# before the parser runs a script it has just inserted.
SCHEME_BEFORE_BUNDLE = """
new MutationObserver((records, observer) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.tagName === "SCRIPT" && /bundle\\.\\w+\\.min\\.js$/.test(node.src)) {
        window.__schemeBeforeBundle = document.body.getAttribute("data-md-color-scheme");
        observer.disconnect();
      }
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_saved_choice_is_applied_before_the_theme_s_bundle_runs(page: Any, site_url: str) -> None:
    """A reader who chose dark on a light system never sees a light page first."""
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    page.locator(TOGGLE).click()
    assert scheme(page) == "slate"

    page.add_init_script(SCHEME_BEFORE_BUNDLE)
    page.goto(site_url + "reference/glossary/")
    assert page.evaluate("window.__schemeBeforeBundle") == "slate"
    assert scheme(page) == "slate"


def test_the_toggle_works_from_the_keyboard(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_url + PAGE)
    page.locator(TOGGLE).wait_for()
    page.locator(TOGGLE).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert scheme(page) == "slate"


def test_a_hostile_saved_choice_is_never_markup(page: Any, site_url: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(site_url + PAGE)
    page.evaluate("__md_set('__palette', {index: 7, color: {scheme: '<b>x</b>'}})")
    page.reload()
    assert page.locator("body b").count() == 0
    assert page.locator("article h1").is_visible()
