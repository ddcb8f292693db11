"""The running test browser: Playwright's disabled features kept, the unseen popups gone.

Chromium keeps only the last ``--disable-features`` of its command line, so the
list in ``tests/chromium_flags.py`` must hold every feature Playwright itself
disables (Playwright puts its list first, ours comes last). Reading the command
line of the browser this session launched catches a Playwright upgrade that
adds a feature to its list.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.chromium_flags import UNSEEN_BROWSER_UI, features_of

PROC = Path("/proc")


def _parent(pid: int) -> int:
    stat = (PROC / str(pid) / "stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[1])


def _descends_from(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = _parent(pid)
        except (OSError, ValueError, IndexError):
            return False
    return False


def browser_command_lines() -> list[list[str]]:
    """Command lines of the Chromium browser processes this test process started."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        is_browser = "--remote-debugging-pipe" in line and not any(a.startswith("--type=") for a in line)
        if is_browser and _descends_from(int(entry.name), os.getpid()):
            found.append(line)
    return found


@pytest.mark.skipif(not (PROC / "self" / "cmdline").exists(), reason="reads /proc (Linux)")
def test_the_last_feature_list_keeps_every_feature_playwright_disables(browser) -> None:
    lines = browser_command_lines()
    assert lines, "no Chromium browser process found under this test process"
    for line in lines:
        lists = features_of(line)
        assert lists, "the browser was launched without --disable-features"
        *earlier, last = lists
        lost = sorted({name for names in earlier for name in names} - set(last))
        assert lost == [], f"features Playwright disables that our list drops: {lost}"
        assert set(UNSEEN_BROWSER_UI) <= set(last)


def test_no_address_bar_popup_page_runs_beside_the_pages(browser) -> None:
    page = browser.new_page()
    try:
        page.set_content("<p>one page</p>")
        session = browser.new_browser_cdp_session()
        targets = session.send("Target.getTargets")["targetInfos"]
        urls = [t["url"] for t in targets]
        assert any(t["type"] == "page" for t in targets), urls
        assert [u for u in urls if u.startswith("chrome://omnibox-popup")] == []
    finally:
        page.close()
