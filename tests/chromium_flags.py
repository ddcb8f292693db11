"""Command-line switches of the headless Chromium that the tests and benchmarks drive.

Chromium reads one ``--disable-features`` switch: when a command line holds
several, the last one wins and the others are dropped. Playwright and
Lighthouse's launcher each pass their own list, so a list added here has to
repeat theirs (:func:`disable_features` merges them);
``tests/site/test_chromium_flags.py`` checks, on the running test browser, that
no feature Playwright disables is lost.

Besides the page, a full Chromium (Debian's is one) starts its windows' own
web interfaces even when headless: the address bar's suggestion popup is a
page of its own (``chrome://omnibox-popup.top-chrome``) in a renderer of its
own, and it works on every navigation and address change of the tab. Nobody
sees it in a headless run, yet it took about a third of Chromium's CPU time
while a page loaded (a trace of one page load: 0.8 s of the 2.2 s its threads
were busy), competing with the page for the machine's CPUs in tests and
benchmarks alike. :data:`UNSEEN_BROWSER_UI` turns it off.
"""

from __future__ import annotations

from collections.abc import Iterable

BASE_SWITCHES = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""Switches every launch uses (see ``stack-notes`` in the contributing guide)."""

UNSEEN_BROWSER_UI = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
"""Chromium features that draw the address bar's popups as web pages: nothing
shows them in a headless run, and they cost CPU on every navigation."""

PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable",
    "LensOverlay",
    "MediaRouter",
    "PaintHolding",
    "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "TcpPortRandomizationWin",
    "OptimizationHints",
    "NetworkTimeServiceQuerying",
    "AimEnabled",
    "PreconnectToSearch",
    "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
"""Features the locked Playwright disables at launch (its own ``--disable-features``,
which ours replaces, so ours repeats them)."""


def disable_features(*lists: Iterable[str]) -> str:
    """One ``--disable-features`` switch naming every feature of ``lists``, in order, once.

    Args:
        *lists: Feature names; a name may appear in several lists.

    Returns:
        The switch, e.g. ``--disable-features=A,B``.

    Raises:
        ValueError: If a name is empty or holds a comma or a space.
    """
    merged: list[str] = []
    for names in lists:
        for name in names:
            if not name or any(c in name for c in ", ="):
                raise ValueError(f"not a Chromium feature name: {name!r}")
            if name not in merged:
                merged.append(name)
    return "--disable-features=" + ",".join(merged)


def features_of(switches: Iterable[str]) -> list[list[str]]:
    """The feature lists of every ``--disable-features`` switch in a command line, in order."""
    prefix = "--disable-features="
    return [s.removeprefix(prefix).split(",") for s in switches if s.startswith(prefix)]


PLAYWRIGHT_SWITCHES = (*BASE_SWITCHES, disable_features(PLAYWRIGHT_DISABLED_FEATURES, UNSEEN_BROWSER_UI))
"""Switches for a Chromium that Playwright launches (tests and benchmarks)."""
