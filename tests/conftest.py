"""Shared fixtures: the built site, a local server for it, and a browser.

The site is built once per test session with ``mkdocs build --strict`` and
served from 127.0.0.1. Browser tests get a Playwright page in Debian's
Chromium in which every request to another host is aborted and recorded; a
test that triggered one fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
NOISY = {"error", "warning", "assert"}
"""Console message types that fail a browser test: the console stays silent."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SITE_PORT = free_port()
"""Port the built site is served on; the build's site_url points at it, so
Material's instant navigation (which only follows URLs under site_url) is
active in browser tests exactly as on the hosted site."""


def build_site(out_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` into ``out_dir`` and return the result."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Build the site once per session; returns the folder and the process result."""
    out = tmp_path_factory.mktemp("site")
    return out, build_site(out, f"http://127.0.0.1:{SITE_PORT}/")


@pytest.fixture(scope="session")
def site_dir(site_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    """Folder of the site built with ``mkdocs build --strict`` (fails if the build did)."""
    out, result = site_build
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}", pytrace=False)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """Base URL (ending with ``/``) of the built site served on 127.0.0.1."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", SITE_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright, shared by the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package", pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def third_party_requests() -> list[str]:
    """URLs of requests to other hosts seen during the test (all aborted)."""
    return []


@pytest.fixture
def page(browser: object, third_party_requests: list[str]) -> Iterator[object]:
    """A fresh browser page; requests to hosts other than 127.0.0.1 are aborted.

    The test fails afterwards if the page tried to reach another host, or if the
    browser console showed an error or a warning (or a script threw).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def guard(route: object) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            third_party_requests.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    tab = context.new_page()
    console: list[str] = []
    tab.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}") if msg.type in NOISY else None)
    tab.on("pageerror", lambda error: console.append(f"page error: {error}"))
    try:
        yield tab
    finally:
        context.close()
    assert not third_party_requests, f"requests to other hosts: {third_party_requests}"
    assert not console, f"the browser console was not silent: {console}"
