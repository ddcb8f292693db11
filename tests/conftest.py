"""Shared fixtures and test tiers: the built site, a local server for it, a browser.

Tiers. A test that uses the built site (``site_build``, ``site_dir``,
``site_url``) is marked ``slow`` here, and one that uses a browser (``browser``,
``page``) ``slow`` and ``browser``, so ``-m "not slow"`` never builds the site
nor starts Chromium and nobody has to remember the markers. Tests that need the
site run after the others, while the site builds in the background.

The site is built once per run with ``mkdocs build --strict`` and served from
127.0.0.1. With pytest-xdist the controller owns the folder and serves it;
workers build under a file lock, so the first one to need the site builds it
and the others wait for that build. Browser tests get a Playwright page in the
Chromium ``tests.environment_check`` finds. That browser sends every request to
another host to a closed proxy port, so none leaves the machine, and the
``page`` fixture records each one; a test that triggered one fails. Pages share
one browser context per test process, so the theme's scripts and styles come
from the HTTP cache after the first test; cookies, storage and permissions are
cleared after every test. A test that counts downloads uses ``cold_page``, a
page in a context of its own.

PostgreSQL tests (those using ``postgres_dsn``) are marked ``engine``. Without
PostgreSQL they fail with an install hint, unless ``SKIP_ENGINES=postgres``
skips them on purpose; the summary line then counts them apart.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser_helpers import AXE_URL_PATH, LOCAL_HOSTS, axe_source
from tests.chromium_flags import PLAYWRIGHT_SWITCHES
from tests.environment_check import (
    ENGINES,
    SKIP_REASON_PREFIX,
    STOPPED,
    Host,
    MissingTool,
    engine_skip_reason,
    find_browser,
    find_postgres,
    skipped_engines,
)

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    *PLAYWRIGHT_SWITCHES,
    # Nothing leaves the machine: requests to other hosts go to a closed port
    # (loopback addresses bypass a proxy) and fail; the page fixture records them.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=" + ";".join(sorted(LOCAL_HOSTS)),
]
NOISY = {"error", "warning", "assert"}
"""Console message types that fail a browser test: the console stays silent."""

SITE_FIXTURES = frozenset({"site_build", "site_dir", "site_url"})
BROWSER_FIXTURES = frozenset({"browser", "page", "cold_page", "shared_context"})
ENGINE_FIXTURES = {"postgres_dsn": "postgres"}
"""Fixture that starts an engine: the engine's SKIP_ENGINES name."""

NEEDS_SITE = pytest.StashKey[int]()
"""0: neither site nor browser; 1: the built site; 2: a browser too."""
ENGINES_USED = pytest.StashKey[frozenset[str]]()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


_BUILDS: set[subprocess.Popen[str]] = set()
"""Builds still running; a single-process run that ends early stops them (pytest_unconfigure)."""


def build_site(out_dir: Path, site_url: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` into ``out_dir`` and return the result."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["SITE_URL"] = site_url
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out_dir)]
    with subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        _BUILDS.add(process)
        try:
            stdout, stderr = process.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
            stderr += "\nmkdocs build did not finish in 600 s"
        finally:
            _BUILDS.discard(process)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site without logging; the files do not change during a run, so they may be cached."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()

    def translate_path(self, path: str) -> str:
        """The built site, and axe-core at ``AXE_URL_PATH`` for the accessibility audits."""
        if urlsplit(path).path == AXE_URL_PATH:
            return str(axe_source())
        return super().translate_path(path)

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early is no error of the site; say nothing."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class SiteSession:
    """The site built once per test run, and the address it is served on.

    The process that owns the run (the only one, or the xdist controller)
    creates the folder and serves it; xdist workers receive both through
    ``workerinput``. The build's ``site_url`` points at the served address, so
    Material's instant navigation (which only follows URLs under site_url) is
    active in browser tests exactly as on the hosted site.
    """

    def __init__(self, root: Path | None = None, port: int | None = None) -> None:
        self._owner = root is None
        self._root = root
        self._port = port
        self._server: http.server.ThreadingHTTPServer | None = None
        self._serving = threading.Lock()
        self._result: subprocess.CompletedProcess[str] | None = None
        self._background: threading.Thread | None = None

    @property
    def root(self) -> Path:
        """Folder shared by every process of the run: the site, the build lock and result."""
        if self._root is None:
            self._root = Path(tempfile.mkdtemp(prefix="integration-patterns-tests-"))
        return self._root

    @property
    def out(self) -> Path:
        """Where the site is built."""
        return self.root / "site"

    @property
    def port(self) -> int:
        """Port the site is served on (the owner starts serving when first asked)."""
        if self._port is None:
            self.serve()
        assert self._port is not None
        return self._port

    @property
    def url(self) -> str:
        """Base URL of the served site, ending with ``/``."""
        return f"http://127.0.0.1:{self.port}/"

    def serve(self) -> None:
        """Serve ``out`` on 127.0.0.1 from a thread; only the owner does, and only once."""
        with self._serving:
            if not self._owner or self._server is not None:
                return
            handler = functools.partial(_QuietHandler, directory=str(self.out))
            self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            self._port = self._server.server_address[1]
            threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def build_once(self) -> subprocess.CompletedProcess[str]:
        """Build the site unless this run already has; every caller gets that build's result."""
        if self._result is not None:
            return self._result
        done = self.root / "build.json"
        with open(self.root / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # other workers (and threads) wait here
            try:
                if not done.exists():
                    result = build_site(self.out, self.url)
                    if result.returncode < 0:  # stopped by a signal: let the next caller build again
                        return result
                    record = {k: getattr(result, k) for k in ("args", "returncode", "stdout", "stderr")}
                    partial = done.with_suffix(".partial")
                    partial.write_text(json.dumps(record), encoding="utf-8")
                    partial.replace(done)
                record = json.loads(done.read_text(encoding="utf-8"))
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self._result = subprocess.CompletedProcess(
            record["args"], record["returncode"], record["stdout"], record["stderr"]
        )
        return self._result

    def build_in_background(self) -> None:
        """Start ``build_once`` in a thread, so other tests run while the site builds."""
        if self._background is None:
            self._background = threading.Thread(target=self.build_once, daemon=True)
            self._background.start()

    def finish_background_build(self) -> None:
        """Wait for a build this process started: another xdist worker may be waiting for it."""
        if self._background is not None:
            self._background.join()

    def close(self) -> None:
        """Stop serving and remove the folder (owner only)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._owner and self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)


SITE = pytest.StashKey[SiteSession]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    try:
        skipped_engines(os.environ)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    shared = getattr(config, "workerinput", {})
    if "integration_patterns_site_root" in shared:
        config.stash[SITE] = SiteSession(
            Path(shared["integration_patterns_site_root"]), int(shared["integration_patterns_site_port"])
        )
    else:
        config.stash[SITE] = SiteSession()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: object) -> None:
    """xdist controller: hand every worker the shared site folder and the served port."""
    site = node.config.stash[SITE]  # type: ignore[attr-defined]
    site.serve()
    node.workerinput["integration_patterns_site_root"] = str(site.root)  # type: ignore[attr-defined]
    node.workerinput["integration_patterns_site_port"] = site.port  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    site = config.stash.get(SITE, None)
    if site is None:
        return
    if _is_worker(config):
        site.finish_background_build()  # its result is shared with the other workers
    else:
        for process in list(_BUILDS):  # the run ended before the site was needed
            process.kill()
    site.close()


def _shared_fixtures_used(item: pytest.Item) -> set[str]:
    """Names of this file's fixtures the test uses (directly or through other fixtures).

    A parametrize argument that happens to be called ``page`` does not count.
    """
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return set()
    return {
        name
        for name, defs in info.name2fixturedefs.items()
        if defs and getattr(defs[-1].func, "__module__", None) == __name__
    }


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skipped = skipped_engines(os.environ)
    for item in items:
        used = _shared_fixtures_used(item)
        level = 2 if used & BROWSER_FIXTURES else 1 if used & SITE_FIXTURES else 0
        item.stash[NEEDS_SITE] = level
        if level:
            item.add_marker(pytest.mark.slow)
        if level == 2:
            item.add_marker(pytest.mark.browser)
        names = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
        engines = frozenset(engine for fixture, engine in ENGINE_FIXTURES.items() if fixture in names)
        item.stash[ENGINES_USED] = engines
        if engines:
            item.add_marker(pytest.mark.engine)
        for engine in sorted(engines & skipped):
            item.add_marker(pytest.mark.skip(reason=engine_skip_reason(engine)))
    # Tests that need the built site last: the others run while it builds.
    # Within a tier the heavy ones first, so no worker is left with one at the end.
    items.sort(key=lambda item: (item.stash[NEEDS_SITE], item.get_closest_marker("heavy") is None))


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    if config.option.collectonly or not session.items:
        return
    if not _is_worker(config):
        _stop_if_something_is_missing(session.items)
    if any(item.stash.get(NEEDS_SITE, 0) for item in session.items):
        config.stash[SITE].build_in_background()


def _stop_if_something_is_missing(items: list[pytest.Item]) -> None:
    """Stop before the first test when a browser or engine the selected tests need is missing."""
    host = Host.current()
    problems = []
    if any(item.stash.get(NEEDS_SITE, 0) == 2 for item in items):
        try:
            find_browser(host)
        except MissingTool as missing:
            problems.append(str(missing))
    needed = frozenset().union(*(item.stash.get(ENGINES_USED, frozenset()) for item in items))
    if "postgres" in needed - skipped_engines(host.env):
        try:
            find_postgres(host)
        except MissingTool as missing:
            problems.append(str(missing))
    if problems:
        pytest.exit("\n\n".join([*problems, STOPPED]), returncode=pytest.ExitCode.USAGE_ERROR)


def _engine_skipped(report: pytest.TestReport) -> str | None:
    """The engine a skip report is about, when the reader skipped it with SKIP_ENGINES."""
    if not report.skipped or not isinstance(report.longrepr, (tuple, list)):  # list: from an xdist worker
        return None
    reason = str(report.longrepr[2])
    if SKIP_REASON_PREFIX not in reason:
        return None
    engine = reason.split(SKIP_REASON_PREFIX, 1)[1].split(":", 1)[0]
    return engine if engine in ENGINES else None


def _skip_category(engine: str) -> str:
    return f"{ENGINES[engine]} tests skipped by SKIP_ENGINES={engine}"


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, str] | None:
    """Count engine tests skipped on purpose apart from other skips, in the summary line."""
    engine = _engine_skipped(report)
    if engine is None:
        return None
    return _skip_category(engine), "s", f"SKIPPED ({SKIP_REASON_PREFIX}{engine})"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for engine, name in ENGINES.items():
        count = len(terminalreporter.stats.get(_skip_category(engine), []))
        if count:
            terminalreporter.write_line(
                f"{count} {name} tests did not run because SKIP_ENGINES={engine}; "
                "unset it to run them (`make doctor` shows what they would use).",
                yellow=True,
            )


@pytest.fixture(scope="session")
def site_build(pytestconfig: pytest.Config) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The site built once per run; returns the folder and the process result."""
    site = pytestconfig.stash[SITE]
    return site.out, site.build_once()


@pytest.fixture(scope="session")
def site_dir(site_build: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    """Folder of the site built with ``mkdocs build --strict`` (fails if the build did)."""
    out, result = site_build
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def site_url(site_dir: Path, pytestconfig: pytest.Config) -> str:
    """Base URL (ending with ``/``) of the built site served on 127.0.0.1."""
    site = pytestconfig.stash[SITE]
    site.serve()
    return site.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Chromium driven by Playwright, shared by the session.

    Which Chromium: ``CHROMIUM_PATH``, else the system's, else Playwright's own
    (see ``tests.environment_check``; ``make doctor`` prints the choice).
    """
    from playwright.sync_api import sync_playwright

    try:
        chromium = find_browser(Host.current())
    except MissingTool as missing:
        pytest.fail(str(missing), pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(chromium.executable), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def third_party_requests() -> list[str]:
    """URLs of requests to other hosts seen during the test (none of them reached their host)."""
    return []


class RequestWatch:
    """Records, for the test running now, requests to other hosts and the local origins visited."""

    def __init__(self) -> None:
        self.others: list[str] | None = None
        self.origins: set[str] = set()

    def __call__(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss"):
            return
        if parts.hostname in LOCAL_HOSTS:
            self.origins.add(f"{parts.scheme}://{parts.netloc}")
        elif self.others is not None:
            self.others.append(url)


def new_site_context(browser: object) -> tuple[object, RequestWatch]:
    """A desktop browser context (1280 px, no service workers) with its request watch."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")  # type: ignore[attr-defined]
    watch = RequestWatch()
    context.on("request", watch)
    return context, watch


@pytest.fixture(scope="session")
def shared_context(browser: object) -> Iterator[tuple[object, RequestWatch]]:
    """The browser context the ``page`` fixture opens its pages in, one per test process."""
    context, watch = new_site_context(browser)
    try:
        yield context, watch
    finally:
        context.close()


STORAGE_TYPES = ",".join(
    ("local_storage", "indexeddb", "websql", "cache_storage", "service_workers", "cookies", "file_systems")
)
"""What :func:`clear_state` removes for each origin a test visited; the HTTP cache is kept."""


def clear_state(context: object, watch: RequestWatch, tab: object | None = None) -> None:
    """Forget what a test left in a shared context: cookies, storage, permissions (not the HTTP cache).

    Storage is cleared through ``tab``, the test's own page while it is still
    open, so no page is opened for it; without one (or when the test closed its
    page) a short-lived page of the context does it.
    """
    context.clear_cookies()  # type: ignore[attr-defined]
    context.clear_permissions()  # type: ignore[attr-defined]
    if not watch.origins:
        return
    own = tab is not None and not tab.is_closed()  # type: ignore[attr-defined]
    through = tab if own else context.new_page()  # type: ignore[attr-defined]
    try:
        cdp = context.new_cdp_session(through)  # type: ignore[attr-defined]
        for origin in sorted(watch.origins):
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": STORAGE_TYPES})
        cdp.detach()
    finally:
        if not own:
            through.close()  # type: ignore[union-attr]
    watch.origins.clear()


def open_watched_page(
    context: object,
    watch: RequestWatch,
    third_party_requests: list[str],
    before_close: Callable[[object], None] | None = None,
) -> Iterator[object]:
    """Yield a new page of ``context``; afterwards fail on requests to other hosts or console noise.

    ``before_close`` is called with the page after the test, before the page is closed.
    """
    watch.others = third_party_requests
    tab = context.new_page()  # type: ignore[attr-defined]
    console: list[str] = []
    tab.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}") if msg.type in NOISY else None)
    tab.on("pageerror", lambda error: console.append(f"page error: {error}"))
    try:
        yield tab
    finally:
        try:
            if before_close is not None:
                before_close(tab)
        finally:
            tab.close()
            watch.others = None
    assert not third_party_requests, f"requests to other hosts: {third_party_requests}"
    assert not console, f"the browser console was not silent: {console}"


@pytest.fixture
def page(shared_context: tuple[object, RequestWatch], third_party_requests: list[str]) -> Iterator[object]:
    """A fresh browser page in the process's shared context.

    The test fails afterwards if the page tried to reach another host, or if the
    browser console showed an error or a warning (or a script threw). The page
    starts with no cookies, storage or permissions; the HTTP cache is shared.
    """
    context, watch = shared_context
    cleared = False

    def clear(tab: object) -> None:
        nonlocal cleared
        clear_state(context, watch, tab)
        cleared = True

    try:
        yield from open_watched_page(context, watch, third_party_requests, before_close=clear)
    finally:
        if not cleared:  # the page could not be opened, or clearing through it failed
            clear_state(context, watch)


@pytest.fixture
def cold_page(browser: object, third_party_requests: list[str]) -> Iterator[object]:
    """Like ``page``, in a new context: an empty HTTP cache, for tests that count what a load fetches."""
    context, watch = new_site_context(browser)
    try:
        yield from open_watched_page(context, watch, third_party_requests)
    finally:
        context.close()
