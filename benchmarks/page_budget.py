"""Page budgets: our page templates against a default Material page, as a reader's phone feels them.

Builds this site and a one-page default Material site (the theme floor), serves
both with gzip on 127.0.0.1, and loads every page template in Debian's Chromium
with a phone viewport and a 4x CPU throttle, several times each, each load in a
fresh browser context (cold cache). Each round loads the floor, then the
templates with the floor again after every four of them, so the floor is
measured through the same minutes as our pages and its median rests on several
loads a round; both sites are served from a separate process. For every load it
records first contentful paint, largest contentful paint, the total time of long
tasks (over 50 ms), the number of DOM elements and the bytes transferred (page, scripts, styles, the
search index: everything the page loads). It prints the medians and the budget
check from benchmarks/budgets.yaml, and writes them to benchmarks/results/.

A second floor, the same default page with this site's light/dark palette
toggle (``theme.palette`` from mkdocs.yml), is measured in the same rounds and
printed as a reference row: it shows what the theme's palette alone costs. A
third, the floor shaped like this site (the floor's page at every path of this
site's navigation, with its palette and theme features), shows what the theme
costs on a site of this size before any of our content, styles or scripts.
The budgets are still checked against the default floor.

Under the medians, a second table gives a 90 % interval for each page's two
timing ratios (a bootstrap over the rounds) and says whether it lies within a
budget, over it, or on both sides: on a busy machine a ratio near a budget can
land on either side of it from one run to the next.

Usage: python benchmarks/page_budget.py [--runs 5] [--pages path/ ...] [--cpu-throttle 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import (  # noqa: E402
    BENCH,
    CHROME,
    FLOOR_CONFIG,
    FLOOR_PAGE,
    PLAYWRIGHT_FLAGS,
    ROOT,
    TEMPLATES,
    build,
    host,
    serve,  # noqa: F401 (the test suite serves the built site through it)
)

BUDGETS_FILE = BENCH / "budgets.yaml"
PALETTE_FLOOR = "theme floor + this site's palette (reference)"
SHAPED_FLOOR = "theme floor shaped like this site: palette, features, navigation (reference)"
SHAPED_FLOOR_PAGE = "patterns/choose-a-pattern/"
"""The shaped floor's page measured: the content page template's path, with the floor's text."""
PHONE = {"width": 412, "height": 823}
BUDGET_CPU_THROTTLE = 4
"""The CPU slow-down the budgets are defined at."""
CPU_THROTTLE: float = BUDGET_CPU_THROTTLE
"""The slow-down measured with: the budgets' unless a comparison run sets another."""
BOOTSTRAP_RESAMPLES = 2000
INTERVAL_INTRO = (
    "How far each ratio could move in another run on this machine: the 90 % interval of "
    "the ratio of medians over 2,000 resamples of the rounds (each round keeps its floor and "
    "page loads together). Where an interval lies on both sides of a budget, this run does "
    "not tell whether the page meets it."
)
SETTLE_MS = 1500
FLOOR_EVERY = 4
"""Each round loads the floor first and again after every this many pages."""

# Registered before any page script runs: collects long tasks and the largest
# contentful paint as the browser reports them.
OBSERVERS = """
window.__ipBudget = {longTasks: 0, lcp: 0};
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__ipBudget.longTasks += entry.duration;
}).observe({type: "longtask", buffered: true});
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__ipBudget.lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass(frozen=True)
class Load:
    """What one cold load of a page cost."""

    fcp_ms: float
    lcp_ms: float
    long_task_ms: float
    elements: int
    transferred_kb: float


def load_budgets(path: Path = BUDGETS_FILE) -> dict[str, float]:
    """Read the budgets file; every key must be present and numeric."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = ("long_task_ratio_max", "fcp_ratio_max", "elements_max", "transferred_kb_max")
    missing = [k for k in keys if not isinstance(data.get(k), int | float)]
    if missing:
        raise ValueError(f"{path.name}: missing or non-numeric budget(s): {', '.join(missing)}")
    return {k: float(data[k]) for k in keys}


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the flags the other benchmarks use."""
    return playwright.chromium.launch(executable_path=CHROME, args=PLAYWRIGHT_FLAGS)


WIDGETS_READY = (
    "() => Array.from(document.querySelectorAll('[data-widget]'))"
    ".every((w) => w.hasAttribute('data-widget-ready') || w.hasAttribute('data-widget-waiting'))"
)
"""Every widget has started, or waits for the reader to scroll near it (as a reader who
opens the page and does not scroll sees it)."""


def phone_context(browser: Any) -> Any:
    """A fresh browser context (cold cache, no state) with the phone viewport and touch."""
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, service_workers="block")


def throttle(context: Any, page: Any) -> None:
    """Slow ``page``'s CPU down ``CPU_THROTTLE`` times, as a mid-range phone."""
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})


def set_cpu_throttle(rate: float) -> None:
    """Measure with another CPU slow-down than the budgets' (for comparison runs only)."""
    global CPU_THROTTLE
    if not rate >= 1:
        raise ValueError(f"the CPU throttle must be at least 1, not {rate}")
    CPU_THROTTLE = rate


def measure(browser: Any, url: str, *, timing: bool = True) -> Load:
    """One cold load of ``url`` on a phone.

    Args:
        browser: A Playwright browser.
        url: The page to load.
        timing: Throttle the CPU 4x and let late tasks settle, for the timing
            figures. Without it the load is as fast as the machine allows and
            only the elements and bytes are meaningful (the test suite's check).

    Returns:
        The figures of that load.
    """
    context = phone_context(browser)
    transferred = [0]

    def count(request: Any) -> None:
        sizes = request.sizes()
        transferred[0] += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    context.on("requestfinished", count)
    try:
        context.add_init_script(OBSERVERS)
        page = context.new_page()
        if timing:
            throttle(context, page)
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(WIDGETS_READY)
        if timing:
            page.wait_for_timeout(SETTLE_MS)
        fcp = page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime"
        )
        budget = page.evaluate("window.__ipBudget")
        elements = page.evaluate("document.getElementsByTagName('*').length")
        return Load(fcp, budget["lcp"], budget["longTasks"], elements, transferred[0] / 1024)
    finally:
        context.close()


def median_load(loads: list[Load]) -> Load:
    """Median of each figure over several cold loads of one page."""
    return Load(
        statistics.median(x.fcp_ms for x in loads),
        statistics.median(x.lcp_ms for x in loads),
        statistics.median(x.long_task_ms for x in loads),
        int(statistics.median(x.elements for x in loads)),
        statistics.median(x.transferred_kb for x in loads),
    )


def round_order(labels: list[str], floor_every: int = FLOOR_EVERY) -> list[str | None]:
    """The loads of one round, in order: ``None`` for a floor load, else a page's label.

    The floor comes first and again after every ``floor_every`` pages (never
    last), so every page is loaded within a few loads of a floor load.
    """
    if floor_every < 1:
        raise ValueError("floor_every must be at least 1")
    order: list[str | None] = []
    for index, label in enumerate(labels):
        if index % floor_every == 0:
            order.append(None)
        order.append(label)
    return order or [None]


def load_rounds(
    browser: Any, floor_url: str, urls: dict[str, str], runs: int, floor_every: int = FLOOR_EVERY
) -> tuple[list[list[Load]], dict[str, list[Load]]]:
    """Load the floor and every page in ``runs`` rounds (:func:`round_order`); return every load.

    Rounds interleave the floor with our pages, so a slow minute on the machine
    lands on both sides of the ratio instead of on whichever page it happens to hit.
    The floor is loaded several times a round: its long-task total swings widely
    from load to load, and one load a round, always the round's first, made its
    median the noisiest figure of the ratio. The n-th page load and the n-th list
    of floor loads come from the same round.
    """
    floor_rounds: list[list[Load]] = []
    page_loads: dict[str, list[Load]] = {label: [] for label in urls}
    for _ in range(runs):
        floors: list[Load] = []
        for label in round_order(list(urls), floor_every):
            if label is None:
                floors.append(measure(browser, floor_url))
            else:
                page_loads[label].append(measure(browser, urls[label]))
        floor_rounds.append(floors)
    return floor_rounds, page_loads


def floor_median(floor_rounds: list[list[Load]]) -> Load:
    """The floor's median over every floor load of every round."""
    return median_load(list(chain.from_iterable(floor_rounds)))


def floor_spread(floor_rounds: list[list[Load]]) -> str:
    """One sentence on the floor's loads: how many, and their long-task and FCP ranges."""
    loads = list(chain.from_iterable(floor_rounds))
    if not loads:
        raise ValueError("no floor load")
    long_tasks = sorted(load.long_task_ms for load in loads)
    fcp = sorted(load.fcp_ms for load in loads)
    return (
        f"The floor was loaded {len(loads)} times ({len(loads) / len(floor_rounds):.0f} a round); "
        f"its long-task total ranged {long_tasks[0]:.0f}–{long_tasks[-1]:.0f} ms "
        f"(median {statistics.median(long_tasks):.0f}) and its first contentful paint "
        f"{fcp[0]:.0f}–{fcp[-1]:.0f} ms (median {statistics.median(fcp):.0f})."
    )


def measure_rounds(
    browser: Any, floor_url: str, urls: dict[str, str], runs: int
) -> tuple[Load, dict[str, Load]]:
    """The medians of :func:`load_rounds`: the floor's, and each page's."""
    floor_rounds, page_loads = load_rounds(browser, floor_url, urls, runs)
    return floor_median(floor_rounds), {label: median_load(loads) for label, loads in page_loads.items()}


# The smallest floor figure a ratio divides by (ms). A floor with no long task at
# all is given one task's worth (50 ms): it would turn any page's into a huge ratio.
RATIO_FLOOR_MIN = {"fcp_ms": 1.0, "long_task_ms": 50.0}


def floor_divisor(figure: str, floor_value: float) -> float:
    """What a page's ``figure`` ("fcp_ms" or "long_task_ms") is divided by for its ratio to the floor."""
    return max(floor_value, RATIO_FLOOR_MIN[figure])


def ratio_interval(
    floor_rounds: list[list[Load]],
    page_loads: list[Load],
    figure: str,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> tuple[float, float]:
    """How far a page's ratio of medians to the floor could move on the same machine.

    The budget compares medians: the page's median over the rounds divided by the
    floor's. This resamples the rounds with replacement (a round keeps its floor
    loads and its page load together), takes that ratio for each resample, and
    returns its 5th and 95th percentiles: a 90 % percentile-bootstrap interval.

    Args:
        floor_rounds: The floor's loads of each round (:func:`load_rounds`).
        page_loads: The page's loads from the same rounds, in the same order.
        figure: ``"fcp_ms"`` or ``"long_task_ms"``.
        resamples: How many resamples of the rounds to draw.
        seed: Seed of the resampling, so a run's table can be recomputed.

    Returns:
        The low and high end of the interval.
    """
    if not page_loads or len(page_loads) != len(floor_rounds):
        raise ValueError("one page load per round of floor loads, from the same rounds")
    rounds = []
    for floors, page in zip(floor_rounds, page_loads, strict=True):
        if not floors:
            raise ValueError("a round with no floor load")
        rounds.append(([getattr(f, figure) for f in floors], getattr(page, figure)))
    draw = random.Random(seed)
    ratios = []
    for _ in range(resamples):
        sample = draw.choices(rounds, k=len(rounds))
        floor = statistics.median(f for floors, _ in sample for f in floors)
        ratios.append(statistics.median(p for _, p in sample) / floor_divisor(figure, floor))
    cuts = statistics.quantiles(ratios, n=20, method="inclusive")
    return cuts[0], cuts[-1]


def interval_verdict(interval: tuple[float, float], limit: float) -> str:
    """Whether an interval lies within ``limit``, over it, or on both sides of it."""
    low, high = interval
    if high <= limit:
        return "within"
    if low > limit:
        return "over"
    return "either side"


def interval_table(
    intervals: list[tuple[str, tuple[float, float], tuple[float, float]]], budgets: dict[str, float]
) -> str:
    """Markdown table of each page's ratio intervals (:func:`ratio_interval`), with what they say.

    A page whose interval lies on both sides of a budget could have landed on
    either side of it in another run on the same machine.
    """
    lines = [
        "| page | FCP × floor, 90 % interval | FCP budget "
        "| long tasks × floor, 90 % interval | long-task budget |",
        "|---|---|---|---|---|",
    ]
    for label, fcp, long_tasks in intervals:
        lines.append(
            f"| {label} | {fcp[0]:.2f}–{fcp[1]:.2f} | {interval_verdict(fcp, budgets['fcp_ratio_max'])} "
            f"| {long_tasks[0]:.2f}–{long_tasks[1]:.2f} "
            f"| {interval_verdict(long_tasks, budgets['long_task_ratio_max'])} |"
        )
    return "\n".join(lines)


def over_budget(label: str, ours: Load, floor: Load, budgets: dict[str, float]) -> list[str]:
    """The budgets ``ours`` misses, each as a sentence naming the page and figure."""
    misses = []
    long_task_limit = budgets["long_task_ratio_max"] * floor_divisor("long_task_ms", floor.long_task_ms)
    if ours.long_task_ms > long_task_limit:
        misses.append(f"{label}: long tasks {ours.long_task_ms:.0f} ms > {long_task_limit:.0f} ms")
    fcp_limit = budgets["fcp_ratio_max"] * floor.fcp_ms
    if ours.fcp_ms > fcp_limit:
        misses.append(f"{label}: first contentful paint {ours.fcp_ms:.0f} ms > {fcp_limit:.0f} ms")
    if ours.elements > budgets["elements_max"]:
        misses.append(f"{label}: {ours.elements} elements > {budgets['elements_max']:.0f}")
    if ours.transferred_kb > budgets["transferred_kb_max"]:
        misses.append(f"{label}: {ours.transferred_kb:.0f} KB > {budgets['transferred_kb_max']:.0f} KB")
    return misses


class _TagsAsNone(yaml.SafeLoader):
    """Reads mkdocs.yml without running its tags (``!ENV``, ``!!python/name``): each becomes None."""


_TagsAsNone.add_multi_constructor("", lambda loader, suffix, node: None)


def site_palette(config: Path = ROOT / "mkdocs.yml") -> list[dict[str, Any]]:
    """The ``theme.palette`` entries of this site's configuration."""
    theme = yaml.load(config.read_text(encoding="utf-8"), Loader=_TagsAsNone).get("theme") or {}
    palette = theme.get("palette")
    if not isinstance(palette, list) or not palette:
        raise ValueError(f"{config.name}: theme.palette is not a list of schemes")
    return palette


def palette_floor_config(palette: list[dict[str, Any]]) -> str:
    """The default floor's configuration with ``palette`` added to its theme."""
    config = yaml.safe_load(FLOOR_CONFIG)
    config["site_name"] = "Theme floor with palette"
    config["theme"]["palette"] = palette
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def site_theme_and_nav(config: Path = ROOT / "mkdocs.yml") -> tuple[dict[str, Any], list[Any]]:
    """This site's ``theme`` (palette and features) and ``nav`` sections."""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_TagsAsNone)
    theme, nav = data.get("theme") or {}, data.get("nav")
    if not isinstance(nav, list) or not nav:
        raise ValueError(f"{config.name}: nav is not a list of pages")
    return {"palette": site_palette(config), "features": list(theme.get("features") or [])}, nav


def nav_pages(nav: Any) -> list[str]:
    """Every Markdown file the ``nav`` names, in order (external links are skipped)."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    return []


def shaped_floor_config(theme: dict[str, Any], nav: list[Any]) -> str:
    """The default floor's configuration with this site's palette, features and navigation."""
    config = yaml.safe_load(FLOOR_CONFIG)
    config["site_name"] = "Theme floor shaped like this site"
    config["theme"].update(theme)
    config["nav"] = nav
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def build_shaped_floor(work: Path, name: str = "shaped-floor") -> Path:
    """Build the floor page at every path of this site's navigation; return the output folder.

    Every page holds the floor's one-page text, so what this site adds on top of
    it is its content and its own styles and scripts: the theme's header,
    navigation, palette and features are the same.
    """
    theme, nav = site_theme_and_nav()
    source = work / name
    for page in nav_pages(nav):
        (source / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        (source / "docs" / page).write_text(FLOOR_PAGE)
    (source / "mkdocs.yml").write_text(shaped_floor_config(theme, nav))
    build(source, work / f"{name}-site")
    return work / f"{name}-site"


def build_floor(work: Path, config: str = FLOOR_CONFIG, name: str = "floor") -> Path:
    """Build a one-page Material site from ``config`` into ``work``; return its output folder."""
    source = work / name
    (source / "docs").mkdir(parents=True)
    (source / "mkdocs.yml").write_text(config)
    (source / "docs" / "index.md").write_text(FLOOR_PAGE)
    build(source, work / f"{name}-site")
    return work / f"{name}-site"


def table(
    floor: Load,
    rows: list[tuple[str, Load]],
    budgets: dict[str, float],
    reference: frozenset[str] = frozenset(),
) -> str:
    """Markdown table of the medians, with the floor first and each page's verdict.

    Rows named in ``reference`` are shown for comparison, with no verdict.
    """
    lines = [
        "| page | FCP ms | × floor | LCP ms | long tasks ms | × floor | elements | KB (gzip) | budget |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| theme floor | {floor.fcp_ms:.0f} | 1.00 | {floor.lcp_ms:.0f} | {floor.long_task_ms:.0f} | 1.00 "
        f"| {floor.elements} | {floor.transferred_kb:.0f} | — |",
    ]
    floor_long_tasks = floor_divisor("long_task_ms", floor.long_task_ms)
    for label, load in rows:
        if label in reference:
            verdict = "reference"
        else:
            verdict = "over" if over_budget(label, load, floor, budgets) else "ok"
        lines.append(
            f"| {label} | {load.fcp_ms:.0f} | {load.fcp_ms / floor.fcp_ms:.2f} | {load.lcp_ms:.0f} "
            f"| {load.long_task_ms:.0f} | {load.long_task_ms / floor_long_tasks:.2f} "
            f"| {load.elements} | {load.transferred_kb:.0f} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="site paths to measure instead of the template list")
    parser.add_argument(
        "--cpu-throttle",
        type=float,
        default=BUDGET_CPU_THROTTLE,
        help=f"CPU slow-down (default {BUDGET_CPU_THROTTLE}, the budgets'; another value is for comparison)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    set_cpu_throttle(args.cpu_throttle)

    budgets = load_budgets()
    pages = {p: p for p in args.pages} if args.pages else TEMPLATES
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(ROOT, work / "site")
        site_url, site_server = host(work / "site")
        floor_url, floor_server = host(build_floor(work))
        palette_dir = build_floor(work, palette_floor_config(site_palette()), "palette-floor")
        palette_url, palette_server = host(palette_dir)
        shaped_url, shaped_server = host(build_shaped_floor(work))
        with sync_playwright() as playwright:
            browser = launch(playwright)
            machine = f"Chromium {browser.version} on {os.cpu_count()} CPUs"
            urls = {PALETTE_FLOOR: palette_url, SHAPED_FLOOR: shaped_url + SHAPED_FLOOR_PAGE}
            urls.update({label: site_url + path for label, path in pages.items()})
            floor_rounds, page_loads = load_rounds(browser, floor_url, urls, args.runs)
            floor = floor_median(floor_rounds)
            rows = [(label, median_load(loads)) for label, loads in page_loads.items()]
            browser.close()
        site_server.shutdown()
        floor_server.shutdown()
        palette_server.shutdown()
        shaped_server.shutdown()

    references = frozenset({PALETTE_FLOOR, SHAPED_FLOOR})
    report = table(floor, rows, budgets, reference=references)
    intervals = interval_table(
        [
            (
                label,
                ratio_interval(floor_rounds, loads, "fcp_ms"),
                ratio_interval(floor_rounds, loads, "long_task_ms"),
            )
            for label, loads in page_loads.items()
            if label not in references
        ],
        budgets,
    )
    ours = [(label, load) for label, load in rows if label not in references]
    misses = [m for label, load in ours for m in over_budget(label, load, floor, budgets)]
    spread = floor_spread(floor_rounds)
    print(report)
    print()
    print(spread)
    print()
    print(INTERVAL_INTRO)
    print()
    print(intervals)
    print("\n".join(misses) if misses else "Every page template is within its budgets.")
    comparison = (
        ""
        if CPU_THROTTLE == BUDGET_CPU_THROTTLE
        else f" (a comparison run: the budgets are at {BUDGET_CPU_THROTTLE}x)"
    )
    out = BENCH / "results" / f"page-budget-{dt.date.today().isoformat()}.md"
    out.write_text(
        f"# Page budgets, {dt.date.today().isoformat()}\n\n{machine}. "
        f"Median of {args.runs} cold loads per page, phone viewport, {CPU_THROTTLE:g}x CPU throttle"
        f"{comparison}, "
        f"gzip.\n\n{report}\n\n{spread}\n\n{INTERVAL_INTRO}\n\n{intervals}\n\n"
        + ("\n".join(f"- {m}" for m in misses) if misses else "Every page template is within its budgets.")
        + "\n",
        encoding="utf-8",
    )
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
