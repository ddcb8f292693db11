"""Find the browser and the PostgreSQL server the test suite uses, and say why.

The browser tests need a Chromium; the CDC tests start a throwaway PostgreSQL
server. This module decides which ones, in a fixed order, and when none can be
had it produces one message naming what to install on the reader's platform.

Command line (run from the repository root)::

    python -m tests.environment_check doctor
    python -m tests.environment_check prepare --need browser,postgres

``doctor`` only reports. ``prepare`` runs before ``make test``: it downloads
Playwright's Chromium when no other browser is found, and fails with the hint
when something is still missing. ``SKIP_ENGINES=postgres`` opts out of the
PostgreSQL tests explicitly; the test summary then says they were skipped.

Everything the search looks at comes in through a ``Host`` (environment
variables, file system root, operating system), so the tests drive it with
fake PATHs and a fake installer.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

ENGINES = {"postgres": "PostgreSQL"}
"""Engines a reader may skip with ``SKIP_ENGINES`` (name: what it is)."""

SKIP_REASON_PREFIX = "SKIP_ENGINES="
"""Every engine skip reason starts with this, so the summary can count them."""

SYSTEM_BROWSERS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
"""Browsers installed by the system's package manager, in the order tried."""

POSTGRES_DIRS = (
    "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
    "/usr/pgsql-*/bin",  # PostgreSQL's own RPMs
    "/opt/homebrew/opt/postgresql@*/bin",  # Homebrew on Apple silicon
    "/opt/homebrew/opt/postgresql/bin",
    "/usr/local/opt/postgresql@*/bin",  # Homebrew on Intel
    "/usr/local/opt/postgresql/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)
"""Folders that hold ``initdb`` and ``pg_ctl`` when they are not on PATH."""

PLAYWRIGHT_INSTALL = "python -m playwright install chromium"
STOPPED = "Stopped before running the tests (`make doctor` shows what was found)."

BROWSER_PACKAGES = {
    "debian": ("Debian", "sudo apt-get install chromium"),
    "ubuntu": ("Ubuntu", "sudo apt-get install chromium-browser"),
    "fedora": ("Fedora", "sudo dnf install chromium"),
    "macos": ("macOS with Homebrew", "brew install --cask google-chrome"),
}
POSTGRES_PACKAGES = {
    "debian": ("Debian", "sudo apt-get install postgresql"),
    "ubuntu": ("Ubuntu", "sudo apt-get install postgresql"),
    "fedora": ("Fedora", "sudo dnf install postgresql-server"),
    "macos": ("macOS with Homebrew", "brew install postgresql@17"),
}


class MissingTool(RuntimeError):
    """A tool the suite needs cannot be found; the message says what to install."""


@dataclass(frozen=True)
class Host:
    """What the search may look at.

    Attributes:
        env: Environment variables (``PATH``, ``CHROMIUM_PATH``, ``PG_BINDIR``, ``SKIP_ENGINES``).
        root: Prefix for the well-known absolute locations (``/`` on a real machine).
        system: ``platform.system()``: ``Linux``, ``Darwin``, ...
        os_release: Text of ``/etc/os-release`` (empty when there is none).
        euid: Effective user id; PostgreSQL refuses to run as root (0).
        user_exists: Whether a system account exists (root runs the server as ``postgres``).
    """

    env: Mapping[str, str]
    root: Path = Path("/")
    system: str = "Linux"
    os_release: str = ""
    euid: int = 1000
    user_exists: Callable[[str], bool] = field(default=lambda name: True)

    @classmethod
    def current(cls) -> Host:
        """The machine this process runs on."""
        release = Path("/etc/os-release")
        text = release.read_text(encoding="utf-8", errors="replace") if release.is_file() else ""
        return cls(
            env=dict(os.environ),
            system=platform.system(),
            os_release=text,
            euid=os.geteuid() if hasattr(os, "geteuid") else 1000,
            user_exists=_user_exists,
        )

    def at(self, absolute: str) -> Path:
        """A well-known absolute path, under ``root``."""
        return self.root / absolute.lstrip("/")

    def which(self, name: str) -> Path | None:
        """First executable called ``name`` on this host's PATH."""
        found = shutil.which(name, path=self.env.get("PATH", ""))
        return Path(found) if found else None


def _user_exists(name: str) -> bool:
    try:
        import pwd
    except ImportError:  # not a POSIX system
        return False
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def platform_of(host: Host) -> str:
    """``debian``, ``ubuntu``, ``fedora``, ``macos`` or ``other``: which install hint fits."""
    if host.system == "Darwin":
        return "macos"
    fields = {}
    for line in host.os_release.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip("\"'").lower()
    ids = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    for known in ("ubuntu", "debian", "fedora"):
        if known in ids:
            return known
    if {"rhel", "centos"} & set(ids):
        return "fedora"
    return "other"


def skipped_engines(env: Mapping[str, str]) -> frozenset[str]:
    """Engines named in ``SKIP_ENGINES`` (comma-separated).

    Raises:
        ValueError: When it names an engine the suite does not have.
    """
    names = {part.strip().lower() for part in env.get("SKIP_ENGINES", "").split(",") if part.strip()}
    unknown = sorted(names - ENGINES.keys())
    if unknown:
        raise ValueError(
            f"SKIP_ENGINES names {', '.join(unknown)}, which the suite does not have; "
            f"known engines: {', '.join(sorted(ENGINES))}"
        )
    return frozenset(names)


def engine_skip_reason(engine: str) -> str:
    """The skip reason of an engine test the reader opted out of."""
    return f"{SKIP_REASON_PREFIX}{engine}: {ENGINES[engine]} tests not run"


# Browser ---------------------------------------------------------------------


@dataclass(frozen=True)
class Browser:
    """The Chromium the browser tests drive, and why that one."""

    executable: Path
    reason: str


def playwright_chromium_path() -> Path | None:
    """Where Playwright keeps its own Chromium (installed or not); None without Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            return Path(playwright.chromium.executable_path)
    except Exception:  # a driver that does not start: no Playwright browser either
        return None


def install_playwright_chromium() -> str | None:
    """Run ``python -m playwright install chromium``; None on success, else why it failed."""
    print(f"No Chromium found: downloading Playwright's ({PLAYWRIGHT_INSTALL}) ...", file=sys.stderr)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            timeout=900,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{PLAYWRIGHT_INSTALL} did not finish ({error})"
    return (
        None if result.returncode == 0 else f"{PLAYWRIGHT_INSTALL} failed (exit status {result.returncode})"
    )


def find_browser(
    host: Host,
    *,
    playwright_path: Callable[[], Path | None] = playwright_chromium_path,
    install: Callable[[], str | None] | None = None,
) -> Browser:
    """Find the Chromium for the browser tests.

    Order: ``CHROMIUM_PATH``; the system's Chromium or Chrome (``SYSTEM_BROWSERS``);
    Playwright's own Chromium, downloaded with ``install`` when it is missing.

    Args:
        host: What to look at.
        playwright_path: Returns where Playwright's Chromium lives (None without Playwright).
        install: Downloads Playwright's Chromium; returns None on success or why it failed.
            None: do not download.

    Returns:
        The browser and a sentence saying why it was chosen.

    Raises:
        MissingTool: No browser can be had; the message says what to install.
    """
    explicit = host.env.get("CHROMIUM_PATH", "").strip()
    if explicit:
        path = Path(explicit)
        if _executable(path):
            return Browser(path, "CHROMIUM_PATH is set")
        raise MissingTool(
            f"CHROMIUM_PATH is set to {explicit}, which is not an executable file. "
            "Point it at a Chromium or Chrome executable, or unset it to let the suite find one."
        )
    for candidate in SYSTEM_BROWSERS:
        path = host.at(candidate)
        if _executable(path):
            return Browser(path, f"system browser at {candidate} (CHROMIUM_PATH is not set)")
    managed = playwright_path()
    if managed is not None and _executable(managed):
        return Browser(
            managed, f"Playwright's Chromium (no system browser; installed by {PLAYWRIGHT_INSTALL})"
        )
    tried = f"no CHROMIUM_PATH, none of {', '.join(SYSTEM_BROWSERS[:3])}"
    if managed is None:
        tried += ", Playwright is not installed"
    elif install is None:
        tried += ", Playwright's Chromium is not downloaded"
    else:
        failure = install()
        managed = playwright_path()
        if failure is None and managed is not None and _executable(managed):
            return Browser(managed, f"Playwright's Chromium, downloaded just now with {PLAYWRIGHT_INSTALL}")
        tried += f", and {failure or 'the download left no browser behind'}"
    raise MissingTool(browser_hint(host, tried))


def browser_hint(host: Host, tried: str) -> str:
    """The message for a machine without a usable Chromium."""
    lines = [f"No Chromium for the browser tests ({tried})."]
    package = BROWSER_PACKAGES.get(platform_of(host))
    if package:
        lines.append(f"Install one on {package[0]}: {package[1]}")
    else:
        lines.append("Install Chromium or Google Chrome with your system's package manager")
    lines.append(
        f"or download Playwright's Chromium: .venv/bin/{PLAYWRIGHT_INSTALL}; "
        "or set CHROMIUM_PATH to a Chromium or Chrome executable."
    )
    return "\n".join(lines)


# PostgreSQL ------------------------------------------------------------------


@dataclass(frozen=True)
class Postgres:
    """The PostgreSQL server binaries the CDC tests run, and why those.

    Attributes:
        bindir: Folder holding ``initdb`` and ``pg_ctl``.
        reason: Why this folder.
        run_as: System user to run the server as (``postgres`` when we are root), else None.
    """

    bindir: Path
    reason: str
    run_as: str | None = None

    @property
    def initdb(self) -> Path:
        """The ``initdb`` binary."""
        return self.bindir / "initdb"

    @property
    def pg_ctl(self) -> Path:
        """The ``pg_ctl`` binary."""
        return self.bindir / "pg_ctl"


SERVER_USER = "postgres"


def _has_server_binaries(folder: Path) -> bool:
    return _executable(folder / "initdb") and _executable(folder / "pg_ctl")


def _version_key(folder: Path) -> tuple[int, ...]:
    """Sort key: the version numbers in the folder's path, newest last."""
    return tuple(int(n) for n in re.findall(r"\d+", str(folder)))


def find_postgres(host: Host) -> Postgres:
    """Find ``initdb`` and ``pg_ctl`` for the CDC tests.

    Order: ``PG_BINDIR``; PATH; the newest of ``POSTGRES_DIRS`` (Debian's
    ``/usr/lib/postgresql/*/bin``, PostgreSQL's RPMs, Homebrew, Postgres.app).

    Raises:
        MissingTool: No server binaries (or, as root, no ``postgres`` user to run
            them as); the message says what to install.
    """
    found = _postgres_bindir(host)
    if host.euid != 0:
        return found
    if not host.user_exists(SERVER_USER):
        raise MissingTool(
            f"The tests run as root, and PostgreSQL refuses to; there is no '{SERVER_USER}' user to run "
            "it as. Run the tests as a normal user, or create that user (the PostgreSQL package does)."
        )
    return Postgres(
        found.bindir, found.reason + f"; run as user '{SERVER_USER}' because we are root", SERVER_USER
    )


def _postgres_bindir(host: Host) -> Postgres:
    explicit = host.env.get("PG_BINDIR", "").strip()
    if explicit:
        if _has_server_binaries(Path(explicit)):
            return Postgres(Path(explicit), "PG_BINDIR is set")
        raise MissingTool(
            f"PG_BINDIR is set to {explicit}, which holds no initdb and pg_ctl. "
            "Point it at the folder of PostgreSQL's server binaries, or unset it."
        )
    initdb = host.which("initdb")
    if initdb is not None:
        for folder in (initdb.resolve().parent, initdb.parent):  # a link on PATH: name its real folder
            if _has_server_binaries(folder):
                return Postgres(folder, f"initdb and pg_ctl are on PATH ({initdb})")
    for pattern in POSTGRES_DIRS:
        base = host.at(pattern)
        matches = [p for p in Path(base.anchor).glob(str(base.relative_to(base.anchor))) if p.is_dir()]
        usable = sorted((p for p in matches if _has_server_binaries(p)), key=_version_key)
        if usable:
            return Postgres(usable[-1], f"newest of {pattern} (initdb and pg_ctl are not on PATH)")
    raise MissingTool(postgres_hint(host))


def postgres_hint(host: Host) -> str:
    """The message for a machine without PostgreSQL's server binaries."""
    lines = [
        "No PostgreSQL server binaries (initdb, pg_ctl) for the CDC tests: "
        "not on PATH, not in PG_BINDIR, not under /usr/lib/postgresql/*/bin or Homebrew's folders."
    ]
    package = POSTGRES_PACKAGES.get(platform_of(host))
    if package:
        lines.append(f"Install them on {package[0]}: {package[1]}")
    else:
        lines.append("Install PostgreSQL's server package, or set PG_BINDIR to the folder holding initdb.")
    lines.append("Or skip those tests on purpose: SKIP_ENGINES=postgres make test")
    return "\n".join(lines)


# Command line ----------------------------------------------------------------


def _describe(found: Browser | Postgres) -> str:
    where = found.executable if isinstance(found, Browser) else found.bindir
    return f"{where}\n    why: {found.reason}"


def doctor(
    host: Host,
    out: TextIO,
    *,
    playwright_path: Callable[[], Path | None] = playwright_chromium_path,
) -> int:
    """Print which browser and PostgreSQL the suite will use and why; 1 if one is missing."""
    problems = 0
    try:
        print(f"Browser:    {_describe(find_browser(host, playwright_path=playwright_path))}", file=out)
    except MissingTool as missing:
        problems += 1
        print(f"Browser:    none yet; `make test` first tries {PLAYWRIGHT_INSTALL}", file=out)
        print("    " + str(missing).replace("\n", "\n    "), file=out)
    try:
        skipped = skipped_engines(host.env)
    except ValueError as error:
        print(f"SKIP_ENGINES: {error}", file=out)
        return 1
    if "postgres" in skipped:
        print("PostgreSQL: not used (SKIP_ENGINES=postgres): its tests will be reported as skipped", file=out)
    else:
        try:
            print(f"PostgreSQL: {_describe(find_postgres(host))}", file=out)
        except MissingTool as missing:
            problems += 1
            print("PostgreSQL: none", file=out)
            print("    " + str(missing).replace("\n", "\n    "), file=out)
    return 1 if problems else 0


def prepare(
    host: Host,
    needs: Sequence[str],
    out: TextIO,
    err: TextIO,
    *,
    playwright_path: Callable[[], Path | None] = playwright_chromium_path,
    install: Callable[[], str | None] = install_playwright_chromium,
) -> int:
    """Make sure what ``needs`` names is there (downloading the browser if it can); 2 if not."""
    problems: list[str] = []
    found: list[str] = []
    try:
        skipped = skipped_engines(host.env)
    except ValueError as error:
        print(str(error), file=err)
        return 2
    if "browser" in needs:
        try:
            browser = find_browser(host, playwright_path=playwright_path, install=install)
            found.append(f"browser {browser.executable}")
        except MissingTool as missing:
            problems.append(str(missing))
    if "postgres" in needs:
        if "postgres" in skipped:
            found.append("PostgreSQL skipped (SKIP_ENGINES=postgres)")
        else:
            try:
                found.append(f"PostgreSQL {find_postgres(host).bindir}")
            except MissingTool as missing:
                problems.append(str(missing))
    if problems:
        print("\n\n".join(problems), file=err)
        print(STOPPED, file=err)
        return 2
    if found:
        print(f"Tests use: {'; '.join(found)}", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.environment_check", description=(__doc__ or "").split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("doctor", help="print which browser and PostgreSQL the tests use, and why")
    prep = commands.add_parser("prepare", help="find (or download) what the tests need; fail with a hint")
    prep.add_argument("--need", default="browser,postgres", help="comma-separated: browser, postgres")
    args = parser.parse_args(argv)
    host = Host.current()
    if args.command == "doctor":
        return doctor(host, sys.stdout)
    needs = [n.strip() for n in args.need.split(",") if n.strip()]
    unknown = sorted(set(needs) - {"browser", "postgres"})
    if unknown:
        parser.error(f"--need names {', '.join(unknown)}; choose from browser, postgres")
    return prepare(host, needs, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
