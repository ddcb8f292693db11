"""Discovery of the browser and PostgreSQL, driven by fake PATHs, roots and installers."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests import environment_check as ec

DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n'
UBUNTU = "ID=ubuntu\nID_LIKE=debian\n"
FEDORA = "ID=fedora\n"
ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\n'


def make_exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def host(tmp_path: Path, os_release: str = DEBIAN, system: str = "Linux", **env: str) -> ec.Host:
    """A machine rooted in tmp_path with an empty PATH unless one is given."""
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    return ec.Host(env={"PATH": "", **env}, root=root, system=system, os_release=os_release)


def no_playwright() -> Path | None:
    return None


class FakeInstaller:
    """Stands in for `python -m playwright install chromium`."""

    def __init__(self, target: Path, failure: str | None = None) -> None:
        self.target, self.failure, self.calls = target, failure, 0

    def __call__(self) -> str | None:
        self.calls += 1
        if self.failure is None:
            make_exe(self.target)
        return self.failure


# Browser ---------------------------------------------------------------------


def test_chromium_path_wins_over_everything(tmp_path: Path) -> None:
    chosen = make_exe(tmp_path / "my-chrome")
    h = host(tmp_path, CHROMIUM_PATH=str(chosen))
    make_exe(h.at("/usr/bin/chromium"))
    found = ec.find_browser(h, playwright_path=no_playwright)
    assert found.executable == chosen
    assert found.reason == "CHROMIUM_PATH is set"


def test_chromium_path_that_does_not_exist_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    h = host(tmp_path, CHROMIUM_PATH=str(tmp_path / "nowhere"))
    make_exe(h.at("/usr/bin/chromium"))
    with pytest.raises(ec.MissingTool, match=r"CHROMIUM_PATH is set to .*nowhere, which is not an exec"):
        ec.find_browser(h, playwright_path=no_playwright)


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"], "/usr/bin/chromium"),
        (["/usr/bin/chromium-browser", "/usr/bin/google-chrome"], "/usr/bin/chromium-browser"),
        (["/usr/bin/google-chrome"], "/usr/bin/google-chrome"),
    ],
)
def test_system_browsers_in_order(tmp_path: Path, installed: list[str], expected: str) -> None:
    h = host(tmp_path)
    for path in installed:
        make_exe(h.at(path))
    found = ec.find_browser(h, playwright_path=no_playwright)
    assert found.executable == h.at(expected)
    assert found.reason == f"system browser at {expected} (CHROMIUM_PATH is not set)"


def test_a_file_that_is_not_executable_is_passed_over(tmp_path: Path) -> None:
    h = host(tmp_path)
    h.at("/usr/bin").mkdir(parents=True)
    h.at("/usr/bin/chromium").write_text("not a program")
    make_exe(h.at("/usr/bin/google-chrome"))
    assert ec.find_browser(h, playwright_path=no_playwright).executable == h.at("/usr/bin/google-chrome")


def test_an_installed_playwright_chromium_is_used_without_downloading(tmp_path: Path) -> None:
    managed = make_exe(tmp_path / "ms-playwright/chromium-1/chrome-linux/chrome")
    installer = FakeInstaller(managed)
    found = ec.find_browser(host(tmp_path), playwright_path=lambda: managed, install=installer)
    assert found.executable == managed
    assert "Playwright's Chromium" in found.reason
    assert installer.calls == 0


def test_playwright_chromium_is_downloaded_when_nothing_else_exists(tmp_path: Path) -> None:
    managed = tmp_path / "ms-playwright/chromium-1/chrome-linux/chrome"
    installer = FakeInstaller(managed)
    found = ec.find_browser(host(tmp_path), playwright_path=lambda: managed, install=installer)
    assert installer.calls == 1
    assert found.executable == managed
    assert found.reason == f"Playwright's Chromium, downloaded just now with {ec.PLAYWRIGHT_INSTALL}"


def test_a_blocked_download_ends_with_the_platform_hint(tmp_path: Path) -> None:
    managed = tmp_path / "ms-playwright/chromium-1/chrome-linux/chrome"
    installer = FakeInstaller(managed, failure="python -m playwright install chromium failed (exit status 1)")
    with pytest.raises(ec.MissingTool) as caught:
        ec.find_browser(host(tmp_path), playwright_path=lambda: managed, install=installer)
    message = str(caught.value)
    assert installer.calls == 1
    assert message.splitlines()[0].startswith("No Chromium for the browser tests (no CHROMIUM_PATH, none of")
    assert "python -m playwright install chromium failed (exit status 1)" in message
    assert "Install one on Debian: sudo apt-get install chromium" in message
    assert "set CHROMIUM_PATH" in message


def test_without_playwright_nothing_is_downloaded(tmp_path: Path) -> None:
    installer = FakeInstaller(tmp_path / "never")
    with pytest.raises(ec.MissingTool, match="Playwright is not installed"):
        ec.find_browser(host(tmp_path), playwright_path=no_playwright, install=installer)
    assert installer.calls == 0


@pytest.mark.parametrize(
    ("os_release", "system", "command"),
    [
        (DEBIAN, "Linux", "Install one on Debian: sudo apt-get install chromium"),
        (UBUNTU, "Linux", "Install one on Ubuntu: sudo apt-get install chromium-browser"),
        (FEDORA, "Linux", "Install one on Fedora: sudo dnf install chromium"),
        (ROCKY, "Linux", "Install one on Fedora: sudo dnf install chromium"),
        ("", "Darwin", "Install one on macOS with Homebrew: brew install --cask google-chrome"),
        ("ID=arch\n", "Linux", "Install Chromium or Google Chrome with your system's package manager"),
    ],
)
def test_browser_hint_names_the_platform_command(
    tmp_path: Path, os_release: str, system: str, command: str
) -> None:
    with pytest.raises(ec.MissingTool) as caught:
        ec.find_browser(host(tmp_path, os_release, system), playwright_path=no_playwright)
    assert command in str(caught.value).splitlines()


def test_macos_app_bundles_are_found(tmp_path: Path) -> None:
    h = host(tmp_path, "", "Darwin")
    chrome = make_exe(h.at("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"))
    assert ec.find_browser(h, playwright_path=no_playwright).executable == chrome


# PostgreSQL ------------------------------------------------------------------


def server_bin(folder: Path) -> Path:
    make_exe(folder / "initdb")
    make_exe(folder / "pg_ctl")
    return folder


def test_pg_bindir_wins(tmp_path: Path) -> None:
    chosen = server_bin(tmp_path / "pg/bin")
    h = host(tmp_path, PG_BINDIR=str(chosen))
    server_bin(h.at("/usr/lib/postgresql/17/bin"))
    found = ec.find_postgres(h)
    assert (found.bindir, found.reason, found.run_as) == (chosen, "PG_BINDIR is set", None)
    assert found.initdb == chosen / "initdb" and found.pg_ctl == chosen / "pg_ctl"


def test_pg_bindir_without_binaries_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ec.MissingTool, match="PG_BINDIR is set to .*empty, which holds no initdb and pg_ctl"):
        ec.find_postgres(host(tmp_path, PG_BINDIR=str(tmp_path / "empty")))


def test_path_comes_before_the_versioned_folders(tmp_path: Path) -> None:
    on_path = server_bin(tmp_path / "bin")
    h = host(tmp_path, PATH=f"{tmp_path / 'elsewhere'}:{on_path}")
    server_bin(h.at("/usr/lib/postgresql/17/bin"))
    found = ec.find_postgres(h)
    assert found.bindir == on_path
    assert found.reason.startswith("initdb and pg_ctl are on PATH")


def test_a_link_on_path_names_the_real_folder(tmp_path: Path) -> None:
    real = server_bin(tmp_path / "lib/postgresql/15/bin")
    links = tmp_path / "links"
    links.mkdir()
    (links / "initdb").symlink_to(real / "initdb")
    (links / "pg_ctl").symlink_to(real / "pg_ctl")
    assert ec.find_postgres(host(tmp_path, PATH=str(links))).bindir == real


def test_initdb_on_path_without_pg_ctl_is_not_enough(tmp_path: Path) -> None:
    make_exe(tmp_path / "bin/initdb")
    h = host(tmp_path, PATH=str(tmp_path / "bin"))
    debian = server_bin(h.at("/usr/lib/postgresql/16/bin"))
    assert ec.find_postgres(h).bindir == debian


def test_newest_debian_major_version_wins(tmp_path: Path) -> None:
    h = host(tmp_path)
    for version in ("9.6", "13", "16"):
        server_bin(h.at(f"/usr/lib/postgresql/{version}/bin"))
    h.at("/usr/lib/postgresql/18/bin").mkdir(parents=True)  # client only: no server binaries
    found = ec.find_postgres(h)
    assert found.bindir == h.at("/usr/lib/postgresql/16/bin")
    assert found.reason == "newest of /usr/lib/postgresql/*/bin (initdb and pg_ctl are not on PATH)"


def test_homebrew_keg_is_found(tmp_path: Path) -> None:
    h = host(tmp_path, "", "Darwin")
    server_bin(h.at("/opt/homebrew/opt/postgresql@16/bin"))
    keg = server_bin(h.at("/opt/homebrew/opt/postgresql@17/bin"))
    assert ec.find_postgres(h).bindir == keg


@pytest.mark.parametrize(
    ("os_release", "system", "command"),
    [
        (DEBIAN, "Linux", "Install them on Debian: sudo apt-get install postgresql"),
        (UBUNTU, "Linux", "Install them on Ubuntu: sudo apt-get install postgresql"),
        (FEDORA, "Linux", "Install them on Fedora: sudo dnf install postgresql-server"),
        ("", "Darwin", "Install them on macOS with Homebrew: brew install postgresql@17"),
        ("", "Linux", "Install PostgreSQL's server package, or set PG_BINDIR to the folder holding initdb."),
    ],
)
def test_missing_postgres_names_the_platform_command_and_the_opt_out(
    tmp_path: Path, os_release: str, system: str, command: str
) -> None:
    with pytest.raises(ec.MissingTool) as caught:
        ec.find_postgres(host(tmp_path, os_release, system))
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("No PostgreSQL server binaries (initdb, pg_ctl) for the CDC tests")
    assert command in lines
    assert lines[-1] == "Or skip those tests on purpose: SKIP_ENGINES=postgres make test"


def test_as_root_the_server_runs_as_the_postgres_user(tmp_path: Path) -> None:
    base = host(tmp_path)
    server_bin(base.at("/usr/lib/postgresql/17/bin"))
    as_root = ec.Host(env=base.env, root=base.root, euid=0, user_exists=lambda name: name == "postgres")
    found = ec.find_postgres(as_root)
    assert found.run_as == "postgres"
    assert found.reason.endswith("run as user 'postgres' because we are root")
    without_user = ec.Host(env=base.env, root=base.root, euid=0, user_exists=lambda name: False)
    with pytest.raises(ec.MissingTool, match="no 'postgres' user"):
        ec.find_postgres(without_user)


# SKIP_ENGINES, platform, command line ------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", set()), ("postgres", {"postgres"}), (" Postgres , ", {"postgres"})]
    + [("postgres,postgres", {"postgres"})],
)
def test_skip_engines_is_parsed(value: str, expected: set[str]) -> None:
    assert ec.skipped_engines({"SKIP_ENGINES": value}) == expected


def test_skip_engines_refuses_an_unknown_engine() -> None:
    with pytest.raises(ValueError, match="SKIP_ENGINES names mysql, which the suite does not have"):
        ec.skipped_engines({"SKIP_ENGINES": "postgres,mysql"})


def test_engine_skip_reason_carries_the_prefix_the_summary_counts() -> None:
    assert ec.engine_skip_reason("postgres") == "SKIP_ENGINES=postgres: PostgreSQL tests not run"
    assert ec.engine_skip_reason("postgres").startswith(ec.SKIP_REASON_PREFIX)


@pytest.mark.parametrize(
    ("os_release", "system", "expected"),
    [(DEBIAN, "Linux", "debian"), (UBUNTU, "Linux", "ubuntu"), (FEDORA, "Linux", "fedora")]
    + [(ROCKY, "Linux", "fedora"), ("", "Darwin", "macos"), ("ID=alpine\n", "Linux", "other")],
)
def test_platform_of(os_release: str, system: str, expected: str) -> None:
    assert ec.platform_of(ec.Host(env={}, system=system, os_release=os_release)) == expected


def test_prepare_stops_with_both_hints_when_both_are_missing(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    managed = tmp_path / "pw/chrome"
    installer = FakeInstaller(managed, failure="python -m playwright install chromium failed (exit status 1)")
    status = ec.prepare(
        host(tmp_path), ["browser", "postgres"], out, err, playwright_path=lambda: managed, install=installer
    )
    assert status == 2
    text = err.getvalue()
    assert "sudo apt-get install chromium" in text and "sudo apt-get install postgresql" in text
    assert text.rstrip().endswith("Stopped before running the tests (`make doctor` shows what was found).")
    assert out.getvalue() == ""


def test_prepare_with_skip_engines_needs_only_the_browser(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    h = host(tmp_path, SKIP_ENGINES="postgres")
    make_exe(h.at("/usr/bin/chromium"))
    assert ec.prepare(h, ["browser", "postgres"], out, err, playwright_path=no_playwright) == 0
    assert out.getvalue() == (
        f"Tests use: browser {h.at('/usr/bin/chromium')}; PostgreSQL skipped (SKIP_ENGINES=postgres)\n"
    )
    assert err.getvalue() == ""


def test_prepare_for_the_fast_tier_does_not_look_for_a_browser(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    h = host(tmp_path)
    folder = server_bin(h.at("/usr/lib/postgresql/17/bin"))

    def must_not_run() -> str | None:
        raise AssertionError("the fast tier downloaded a browser")

    assert ec.prepare(h, ["postgres"], out, err, install=must_not_run) == 0
    assert out.getvalue() == f"Tests use: PostgreSQL {folder}\n"


def test_doctor_reports_what_is_used_and_why(tmp_path: Path) -> None:
    h = host(tmp_path)
    make_exe(h.at("/usr/bin/chromium"))
    server_bin(h.at("/usr/lib/postgresql/17/bin"))
    out = io.StringIO()
    assert ec.doctor(h, out, playwright_path=no_playwright) == 0
    assert out.getvalue().splitlines() == [
        f"Browser:    {h.at('/usr/bin/chromium')}",
        "    why: system browser at /usr/bin/chromium (CHROMIUM_PATH is not set)",
        f"PostgreSQL: {h.at('/usr/lib/postgresql/17/bin')}",
        "    why: newest of /usr/lib/postgresql/*/bin (initdb and pg_ctl are not on PATH)",
    ]


def test_doctor_on_an_empty_machine_says_what_make_test_will_do(tmp_path: Path) -> None:
    out = io.StringIO()
    assert ec.doctor(host(tmp_path), out, playwright_path=lambda: tmp_path / "pw/chrome") == 1
    text = out.getvalue()
    assert "Browser:    none yet; `make test` first tries python -m playwright install chromium" in text
    assert "PostgreSQL: none" in text and "SKIP_ENGINES=postgres make test" in text


def test_doctor_refuses_a_bad_skip_engines(tmp_path: Path) -> None:
    out = io.StringIO()
    assert ec.doctor(host(tmp_path, SKIP_ENGINES="oracle"), out, playwright_path=no_playwright) == 1
    assert "SKIP_ENGINES: SKIP_ENGINES names oracle" in out.getvalue()
