"""What one accessibility audit costs, rule by rule, on pages of the built site.

The per-page audits (tests/site/test_every_page.py) are the largest share of the
test suite's time (see benchmarks/suite_time.py). This script loads pages the
way that test does and times axe-core's audit with the same options (the page's
content, code-token spans left out, violations only). It then ranks the rules
by what each costs run alone (minus the cheapest rule's run, almost all axe's
fixed cost of reading the page), and for the costliest few measures what the
full audit saves without them: rules share what axe caches inside one audit, so
a rule that is costly alone can save little when left out.

Usage::

    .venv/bin/python benchmarks/axe_cost.py [--site-dir site] [--top 10] [path/ ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lighthouse import CHROME, PLAYWRIGHT_FLAGS, serve, site_to_measure  # noqa: E402

from tests.browser_helpers import CODE_TOKENS, axe_source  # noqa: E402

PAGES = ["files/file-based-integration/", "operations/contracts/", "reference/api/tco/", "cdc/debezium/"]
CONTEXT = {"include": [[".md-content"]], "exclude": [[CODE_TOKENS]]}
TIMED_RUN = """([context, options]) => {
  const start = performance.now();
  return axe.run(context, options).then(() => performance.now() - start);
}"""


def open_page(browser: Any, url: str) -> Any:
    """A desktop page at ``url`` with axe-core loaded, as the per-page test sees it."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="load")
    page.add_style_tag(content="* { content-visibility: visible !important; }")
    page.add_script_tag(path=axe_source())
    return page


def timed(page: Any, options: dict[str, Any], runs: int = 3) -> float:
    """Median milliseconds of ``runs`` audits with ``options``."""
    return statistics.median(page.evaluate(TIMED_RUN, [CONTEXT, options]) for _ in range(runs))


def measure(browser: Any, url: str, top: int) -> tuple[int, float, list[tuple[str, float, float]]]:
    """Elements, full-audit ms, and (rule, ms alone, ms saved without it) for the costliest rules."""
    page = open_page(browser, url)
    try:
        elements = page.evaluate("document.getElementsByTagName('*').length")
        page.evaluate(TIMED_RUN, [CONTEXT, {"resultTypes": ["violations"]}])  # warm axe's code up
        full = timed(page, {"resultTypes": ["violations"]})
        # The rules a default audit runs (axe's public getRules() also lists the
        # ones it leaves off by default, such as the AAA contrast rule).
        rules = page.evaluate("axe._audit.rules.filter((r) => r.enabled !== false).map((r) => r.id)")
        alone = {}
        for rule in rules:
            only = {"resultTypes": ["violations"], "runOnly": {"type": "rule", "values": [rule]}}
            alone[rule] = page.evaluate(TIMED_RUN, [CONTEXT, only])
        fixed = min(alone.values())
        ranked = sorted(rules, key=lambda rule: alone[rule], reverse=True)[:top]
        rows = []
        for rule in ranked:
            without = timed(page, {"resultTypes": ["violations"], "rules": {rule: {"enabled": False}}})
            rows.append((rule, alone[rule] - fixed, full - without))
        return elements, full, rows
    finally:
        page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", default=PAGES, help="site-relative page addresses")
    parser.add_argument("--site-dir", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--top", type=int, default=8, help="how many of the costliest rules to measure")
    options = parser.parse_args()

    site = site_to_measure(options.site_dir, Path(tempfile.mkdtemp(prefix="axe-cost-")))
    base, server = serve(site)

    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROME, args=PLAYWRIGHT_FLAGS)
            for path in options.pages:
                elements, full, rows = measure(browser, base + path, options.top)
                print(f"\n{path}: {elements} elements, full audit {full:.0f} ms (median of 3)")
                print("| rule | ms alone | ms saved without it |\n|---|---:|---:|")
                for rule, own, saved in rows:
                    print(f"| {rule} | {own:.0f} | {saved:.0f} |")
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
