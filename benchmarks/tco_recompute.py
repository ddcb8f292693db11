"""Measure the TCO calculator: recompute-and-render time per input change, and script size.

Builds the site (unless ``--site-dir`` points at a built one), serves it on
127.0.0.1, opens the calculator in Debian's Chromium and changes inputs many
times. Each change is timed inside the page in two parts:

- the input's own task, from the input event to the end of a forced layout:
  the model, the results table, the break-even sentences and the browser's
  style and layout of them. This is what stands between a keystroke and the
  frame that shows the new totals; the target is a median under 10 ms.
- the charts' task, which the widget runs just after that frame (one task for
  however many changes came before it). The benchmark runs it itself, straight
  after the first part, and times it with its own forced layout, so the two
  parts add up to everything one change costs.

Usage::

    .venv/bin/python benchmarks/tco_recompute.py [--changes 400] [--site-dir site] [--cpu-throttle 4]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import rjsmin
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
TCO_JS = ROOT / "docs" / "assets" / "javascripts" / "tco.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
sys.path.insert(0, str(ROOT))
from tests.chromium_flags import PLAYWRIGHT_SWITCHES  # noqa: E402

ARGS = list(PLAYWRIGHT_SWITCHES)

# Inputs changed in turn, with the values cycled through (all valid).
CHANGES = [
    ("tx", ["5000", "50000", "1500000", "20000000", "250000"]),
    ("steps", ["1", "3", "4", "8"]),
    ("flows", ["5", "20", "60"]),
    ("mar", ["0", "1000000", "20000000"]),
    ("years", ["1", "3", "5", "10"]),
    ("rate", ["75", "100", "150"]),
    ("esc", ["0", "3", "7"]),
    ("disc", ["0", "10"]),
    ("risk", ["0", "10", "25"]),
    ("apps", ["5", "16", "80"]),
    ("dc.workato", ["", "15"]),
    ("bh.custom-code", ["", "80", "200"]),
    ("lic.workato", ["", "40000", "250000"]),
]

TIME_ONE = """([name, value]) => {
  const field = document.querySelector(`form.tco-form [name="${name}"]`);
  const root = field.closest('.tco-calculator');
  field.value = value;
  const start = performance.now();
  field.dispatchEvent(new Event('input', { bubbles: true }));
  const scripted = performance.now();
  void document.body.offsetHeight;  // force style and layout of what the input's own task changed
  const shown = performance.now();
  // The charts' task, which the widget runs just after the next frame: run it here, in turn.
  const pending = root.hasAttribute('data-charts-pending');
  root.tcoDrawCharts();
  const drawn = performance.now();
  void document.body.offsetHeight;
  return [scripted - start, shown - scripted, drawn - shown, performance.now() - drawn, pending];
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=400, help="number of input changes to time")
    parser.add_argument("--site-dir", type=Path, help="an already built site (default: build one)")
    parser.add_argument(
        "--cpu-throttle", type=float, default=1, help="CPU slow-down factor (4 = a mid-range phone)"
    )
    options = parser.parse_args()

    site = options.site_dir
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="tco-bench-"))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            if options.cpu_throttle != 1:
                session = page.context.new_cdp_session(page)
                session.send("Emulation.setCPUThrottlingRate", {"rate": options.cpu_throttle})
            page.goto(base + "tco/calculator/")
            page.locator(".tco-output").scroll_into_view_if_needed()
            page.locator(".tco-charts svg").first.wait_for()
            timings = []
            for i in range(options.changes):
                name, values = CHANGES[i % len(CHANGES)]
                value = values[(i // len(CHANGES)) % len(values)]
                timings.append(page.evaluate(TIME_ONE, [name, value]))
            browser.close()
    finally:
        server.shutdown()

    script = statistics.median(t[0] for t in timings)
    layout = statistics.median(t[1] for t in timings)
    charts = [t[2] + t[3] for t in timings]
    deferred = sum(1 for t in timings if t[4])
    whole = sorted(t[0] + t[1] + t[2] + t[3] for t in timings)
    timings = sorted(t[0] + t[1] for t in timings)
    minified = len(rjsmin.jsmin(TCO_JS.read_text(encoding="utf-8")).encode("utf-8"))
    served = len(gzip.compress(TCO_JS.read_bytes(), compresslevel=6, mtime=0))
    print(f"input changes timed:      {len(timings)} (CPU throttle {options.cpu_throttle:g}x)")
    print(
        f"median recompute+render:  {statistics.median(timings):.2f} ms "
        f"(script {script:.2f} ms, style and layout {layout:.2f} ms)"
    )
    print(f"95th percentile:          {timings[int(len(timings) * 0.95) - 1]:.2f} ms")
    print(f"slowest:                  {timings[-1]:.2f} ms")
    print(
        f"charts, after the frame:  median {statistics.median(charts):.2f} ms "
        f"(changes that left charts to draw: {deferred} of {len(charts)})"
    )
    print(f"input and charts, summed: median {statistics.median(whole):.2f} ms")
    print(f"tco.js minified (rjsmin): {minified:,} bytes ({minified / 1024:.1f} KiB)")
    print(f"tco.js as served (gzip):  {served:,} bytes ({served / 1024:.1f} KiB)")
    print(f"load average (1 min):     {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if statistics.median(timings) < 10 and served <= 40 * 1024 else 1


if __name__ == "__main__":
    raise SystemExit(main())
