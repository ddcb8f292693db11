"""Lighthouse scores of our page templates against a default Material page.

Builds this site and a one-page default Material site (the "theme floor") in a
temporary folder, serves both on 127.0.0.1, runs Lighthouse 12.2.3 (pinned in
benchmarks/package.json) with its mobile preset in Debian's Chromium, three runs
per page, and prints the median scores side by side with the bytes transferred
and the build times. Both sites are served with gzip, as static hosts do.
Results are also written to benchmarks/results/.

Usage: python benchmarks/lighthouse.py [--runs 3] [--pages path/ ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
CHROME = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
sys.path.insert(0, str(ROOT))
from tests.chromium_flags import (  # noqa: E402
    BASE_SWITCHES,
    PLAYWRIGHT_SWITCHES,
    UNSEEN_BROWSER_UI,
    disable_features,
    features_of,
)

PLAYWRIGHT_FLAGS = list(PLAYWRIGHT_SWITCHES)
"""Switches for the benchmarks that drive Chromium through Playwright (the tests' own)."""
LAUNCHER_DEFAULTS = """
import { Launcher } from "chrome-launcher";
console.log(JSON.stringify(Launcher.defaultFlags()));
"""


@functools.cache
def chrome_flags() -> str:
    """Lighthouse's ``--chrome-flags``: headless, our switches, and one merged feature list.

    Lighthouse's launcher passes its own ``--disable-features`` first; Chromium
    keeps only the last one, so ours repeats the launcher's list (read from the
    installed launcher) before adding :data:`UNSEEN_BROWSER_UI`. Read once per run.
    """
    lighthouse_bin()  # installs the pinned Lighthouse and its launcher when missing
    listed = subprocess.run(
        ["node", "--input-type=module", "-e", LAUNCHER_DEFAULTS],
        cwd=BENCH,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    theirs = [name for names in features_of(json.loads(listed)) for name in names]
    return " ".join(["--headless", *BASE_SWITCHES, disable_features(theirs, UNSEEN_BROWSER_UI)])


CATEGORIES = ("performance", "accessibility", "best-practices", "seo")

# One page of each template the site has (a template = a distinct layout or widget).
TEMPLATES = {
    "home": "",
    "content page": "patterns/choose-a-pattern/",
    "glossary (data table)": "reference/glossary/",
    "API reference (largest page)": "reference/api/tco/",
    "iPaaS matrix": "ipaas/comparison-matrix/",
    "platform page": "ipaas/platforms/workato/",
    "TCO calculator": "tco/calculator/",
    "connector cheat sheet": "connectors/cheat-sheet/",
    "connector page": "connectors/salesforce/",
    "retry visualiser": "reliability/retry-backoff/",
    "not found (404)": "404.html",
}

FLOOR_CONFIG = """site_name: Theme floor
site_description: A default one-page Material for MkDocs site used as a performance floor.
site_url: http://127.0.0.1/
theme:
  name: material
  font: false
"""
FLOOR_PAGE = """# Theme floor

A default Material for MkDocs page with a heading, paragraphs and a table.

| Column | Value |
|---|---|
| a | 1 |
| b | 2 |

Filler text keeps the page realistic: integration guidance, sources and dates.
"""


COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serve files the way a static host does: gzip for text when the client asks.

    Python's plain handler sends everything uncompressed, which no production
    host does (GitHub Pages, S3 behind a CDN, nginx with gzip on); both this site
    and the theme floor are served by this same handler.
    """

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and os.path.isfile(path) and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def static_server(folder: Path) -> http.server.ThreadingHTTPServer:
    """A gzip-serving static host for ``folder`` on a free port of 127.0.0.1 (not started)."""
    return http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(StaticHost, directory=str(folder))
    )


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve ``folder`` from a thread of this process; return its address and the server."""
    server = static_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def _host_forever(folder: str, ports: multiprocessing.Queue) -> None:
    server = static_server(Path(folder))
    ports.put(server.server_address[1])
    server.serve_forever()


class Host:
    """A static host in a process of its own, for timing figures.

    In the measuring process the server's threads would wait for the same
    interpreter lock as the browser driver, and a response could be held back by
    the driver's own work: noise that lands on whichever page is loading.
    """

    def __init__(self, folder: Path) -> None:
        spawn = multiprocessing.get_context("spawn")
        ports = spawn.Queue()
        self.process = spawn.Process(target=_host_forever, args=(str(folder), ports), daemon=True)
        self.process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=30)}/"

    def shutdown(self) -> None:
        self.process.terminate()
        self.process.join()


def host(folder: Path) -> tuple[str, Host]:
    """Serve ``folder`` from another process; return its address and the host to shut down."""
    served = Host(folder)
    return served.url, served


def build(config_dir: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=config_dir,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


def site_to_measure(site_dir: Path | None, work: Path) -> Path:
    """``site_dir`` when a built site is given, else this project built into ``work``/site."""
    if site_dir is not None:
        return site_dir
    build(ROOT, work / "site")
    return work / "site"


def lighthouse_bin() -> Path:
    binary = BENCH / "node_modules/.bin/lighthouse"
    if not binary.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BENCH, check=True)
    return binary


def run_lighthouse(url: str, out_json: Path) -> dict[str, float]:
    subprocess.run(
        [
            str(lighthouse_bin()),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out_json}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={chrome_flags()}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": CHROME},
        timeout=300,
    )
    report = json.loads(out_json.read_text())
    scores = {c: report["categories"][c]["score"] for c in CATEGORIES}
    scores["bytes"] = report["audits"]["total-byte-weight"]["numericValue"]
    scores["lcp_ms"] = report["audits"]["largest-contentful-paint"]["numericValue"]
    scores["failed"] = [
        a
        for a, v in report["audits"].items()
        if v.get("score") is not None and v["score"] < 1 and v.get("scoreDisplayMode") == "binary"
    ]
    return scores


def median_scores(url: str, runs: int, work: Path, label: str) -> dict[str, object]:
    stem = "".join(ch if ch.isalnum() else "_" for ch in label)
    samples = [run_lighthouse(url, work / f"{stem}-{i}.json") for i in range(runs)]
    merged: dict[str, object] = {
        k: statistics.median(s[k] for s in samples) for k in (*CATEGORIES, "bytes", "lcp_ms")
    }
    merged["perf_runs"] = [s["performance"] for s in samples]
    merged["failed"] = sorted({a for s in samples for a in s["failed"]})
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", nargs="*", help="site paths to measure instead of the template list")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site_time = build(ROOT, work / "site")
        floor_src = work / "floor"
        (floor_src / "docs").mkdir(parents=True)
        (floor_src / "mkdocs.yml").write_text(FLOOR_CONFIG)
        (floor_src / "docs/index.md").write_text(FLOOR_PAGE)
        floor_time = build(floor_src, work / "floor-site")
        site_url, site_server = host(work / "site")
        floor_url, floor_server = host(work / "floor-site")

        pages = {p: p for p in args.pages} if args.pages else TEMPLATES
        rows = [("theme floor (default Material)", median_scores(floor_url, args.runs, work, "floor"))]
        for label, path in pages.items():
            if not (work / "site" / path / ("" if path.endswith(".html") else "index.html")).exists():
                print(f"skip {label}: {path} not in this build", file=sys.stderr)
                continue
            rows.append((label, median_scores(site_url + path, args.runs, work, label)))
        site_server.shutdown()
        floor_server.shutdown()

    header = (
        "| page | performance | accessibility | best practices | SEO | KB transferred | LCP ms | perf runs |"
    )
    lines = [header, "|---|---|---|---|---|---|---|---|"]
    for label, s in rows:
        lines.append(
            f"| {label} | {s['performance']:.2f} | {s['accessibility']:.2f} | {s['best-practices']:.2f} | "
            f"{s['seo']:.2f} | {s['bytes'] / 1024:.0f} | {s['lcp_ms']:.0f} | "
            f"{', '.join(f'{v:.2f}' for v in s['perf_runs'])} |"
        )
    lines.append("")
    lines.append(
        f"Build time: this site {site_time:.1f} s; theme floor {floor_time:.1f} s. "
        f"Lighthouse 12.2.3, mobile preset, median of {args.runs} runs, served with gzip, "
        f"Chromium at {CHROME}."
    )
    failing = {
        label: s["failed"] for label, s in rows if s["failed"] and label != "theme floor (default Material)"
    }
    if failing:
        lines.append("")
        lines.append(
            "Binary audits not passed: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in failing.items())
        )
    report = "\n".join(lines)
    print(report)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    out = results / f"lighthouse-{dt.date.today().isoformat()}.md"
    for n in range(2, 100):  # a later run the same day gets a file of its own
        if not out.exists():
            break
        out = results / f"lighthouse-{dt.date.today().isoformat()}-{n}.md"
    out.write_text(report + "\n")
    print(f"\nWritten to {out.relative_to(BENCH.parent)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
