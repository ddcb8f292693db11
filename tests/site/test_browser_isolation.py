"""The test browser itself: nothing leaves the machine, and no test sees another's state.

Browser tests share one context per test process (``tests/conftest.py``), so
the theme's scripts come from the HTTP cache after the first test. These tests
prove the two promises that sharing must keep.
"""

from __future__ import annotations

import pytest

from tests.conftest import clear_state, new_site_context

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LEAVE_STATE = """
async () => {
  localStorage.setItem("left-behind", "1");
  document.cookie = "left-behind=1; path=/";
  const db = indexedDB.open("left-behind");
  await new Promise((done) => { db.onsuccess = done; db.onerror = done; });
}
"""
READ_STATE = """
async () => ({
  stored: localStorage.getItem("left-behind"),
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((db) => db.name),
  clipboard: (await navigator.permissions.query({ name: "clipboard-read" })).state,
})
"""
CACHED_THEME = """
() => performance.getEntriesByType("resource")
  .filter((entry) => /bundle\\.[0-9a-f]+\\.min\\.js$/.test(entry.name))
  .map((entry) => entry.transferSize)
"""


def test_a_test_leaves_no_state_but_the_http_cache(shared_context, site_url: str) -> None:
    context, watch = shared_context
    first = context.new_page()
    first.goto(site_url, wait_until="load")
    first.evaluate(LEAVE_STATE)
    context.grant_permissions(["clipboard-read"])
    assert first.evaluate(READ_STATE)["stored"] == "1"
    first.close()

    clear_state(context, watch)

    second = context.new_page()
    try:
        second.goto(site_url, wait_until="load")
        blank = {"stored": None, "cookie": "", "databases": [], "clipboard": "prompt"}
        assert second.evaluate(READ_STATE) == blank
        # The theme's bundle came from the cache: nothing was transferred for it.
        assert second.evaluate(CACHED_THEME) == [0]
    finally:
        second.close()
        clear_state(context, watch)


def test_a_request_to_another_host_is_recorded_and_never_answered(browser, site_url: str) -> None:
    context, watch = new_site_context(browser)
    others: list[str] = []
    failures: list[str] = []
    watch.others = others
    try:
        tab = context.new_page()
        tab.on("requestfailed", lambda request: failures.append(f"{request.url} {request.failure}"))
        tab.goto(site_url, wait_until="load")
        status = tab.evaluate(
            "() => fetch('https://fonts.example.com/font.css').then((r) => r.status, () => 'failed')"
        )
        assert status == "failed"
        assert others == ["https://fonts.example.com/font.css"]
        assert failures == ["https://fonts.example.com/font.css net::ERR_PROXY_CONNECTION_FAILED"]
    finally:
        context.close()


def test_state_is_cleared_through_the_tests_own_page_without_opening_another(
    shared_context, site_url: str
) -> None:
    context, watch = shared_context
    opened: list[object] = []

    def record(new_page: object) -> None:
        opened.append(new_page)

    context.on("page", record)
    try:
        tab = context.new_page()
        opened.clear()
        tab.goto(site_url, wait_until="load")
        tab.evaluate(LEAVE_STATE)
        clear_state(context, watch, tab)
        assert opened == []  # the test's page did the clearing
        assert tab.evaluate(READ_STATE)["stored"] is None
        tab.reload(wait_until="load")  # the watch records the origin again
        tab.evaluate(LEAVE_STATE)
        tab.close()
        clear_state(context, watch, tab)  # closed by the test: a short-lived page clears instead
        assert len(opened) == 1 and opened[0].is_closed()
        second = context.new_page()
        try:
            second.goto(site_url, wait_until="load")
            assert second.evaluate(READ_STATE)["stored"] is None
        finally:
            second.close()
    finally:
        context.remove_listener("page", record)
        clear_state(context, watch)
