"""Score search engines on the evaluation set and measure what readers download.

Engines:

* ``theme`` — the theme's search as shipped: its own worker (from the built
  site) run under Node on the built ``search_index.json``, so the ranking is the
  theme's own, grouped as its search box lists results.
* ``theme-tuned:*`` — the same worker with the index configuration the
  ``search`` plugin would write for a tuned ``mkdocs.yml`` (separator, field
  boosts) and page boosts (front matter ``search.boost``).
* ``pagefind`` — Pagefind's chunked index built from the same HTML, queried
  through its own JavaScript API in Chromium.

Figures: top-1, top-3 and mean reciprocal rank over ``tests/search/queries.yaml``;
bytes fetched before the first query and per query (gzip size of text assets,
file size of Pagefind's already-compressed chunks), for every query of the set
on a fresh page (typos and questions included; ``--bytes-queries`` samples
fewer, spread over the set); both at today's size and on a synthetic
site ten times larger (the real pages copied nine times with their long words
varied per copy, so the vocabulary grows too). For the chosen engine, the time
from the last keystroke to the rendered result list, typing into the real
search box on a throttled mobile profile (390 px viewport, CDP
``Emulation.setCPUThrottlingRate`` 4). Chromium applies that rate to the page's
main thread only (it refuses it for worker targets), so the search worker
itself runs unthrottled: the report also gives a bound with the worker's own
time multiplied by the rate.

Usage::

    python benchmarks/search_quality.py --site /path/to/built/site [--scale 10]
    python benchmarks/search_quality.py --site /path/to/built/site --engines pagefind --scale 0 --misses

Without ``--site`` the site is built once into a temporary folder. Writes
``benchmarks/results/search-quality-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hooks.pagefind_index import KEEP_THEME_INDEX, index_site, keep_settings_only, write_spelling  # noqa: E402
from tests.chromium_flags import PLAYWRIGHT_SWITCHES  # noqa: E402
from tests.search.evaluation_set import Group, Query, Scores, load_queries, rank, score  # noqa: E402
from tests.search.search_box import open_search, search_groups  # noqa: E402

DRIVER = ROOT / "benchmarks" / "search_worker.mjs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(PLAYWRIGHT_SWITCHES)
# The throttled mobile profile for the keystroke-to-results time.
MOBILE_VIEWPORT = {"width": 390, "height": 844}
CPU_THROTTLING_RATE = 4
# Time between keys: a fast typist (about 150 words a minute). With keys a few
# ms apart, every key's search queues behind the last, which no reader's typing
# does; the test of the evaluation set types that way to run fast.
KEY_DELAY_MS = 80
# Files a query may fetch: Pagefind's bundle and the worker's spelling list.
QUERY_FILES = ("/pagefind/", "/search/spelling.json")

# The separator the theme documents for code-heavy sites, plus underscores so
# snake_case and UPPER_SNAKE identifiers are found by their parts.
DOCUMENTED_SEPARATOR = r'[\s\-,:!=\[\]()"/]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;'
TUNED_SEPARATOR = r'[\s\-,:!=\[\]()"/_$]+|(?!\b)(?=[A-Z][a-z])|\.(?!\d)|&[lg]t;'
API_PAGES = "reference/api/"

THEME_VARIANTS: dict[str, tuple[dict, list[tuple[str, float]]]] = {
    "theme (as shipped)": ({}, []),
    "theme-tuned: documented separator": ({"separator": DOCUMENTED_SEPARATOR}, []),
    "theme-tuned: separator + snake_case": ({"separator": TUNED_SEPARATOR}, []),
    "theme-tuned: separator + snake_case + API pages boost 0.3": (
        {"separator": TUNED_SEPARATOR},
        [(API_PAGES, 0.3)],
    ),
}


@dataclass
class Run:
    """One engine's answers to the evaluation set."""

    name: str
    ranks: list[int | None]
    query_ms: list[float]
    setup_ms: float = 0.0
    misses: list[tuple[str, int | None, list[str]]] = field(default_factory=list)

    @property
    def scores(self) -> Scores:
        """Top-1, top-3 and MRR."""
        return score(self.ranks)


def gzip_size(path: Path) -> int:
    """Bytes of ``path`` after gzip -6, as a server compressing text would send it."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def transfer_size(path: Path) -> int:
    """Bytes on the wire: gzip for text assets, file size for Pagefind's compressed chunks."""
    if path.suffix in {".js", ".json", ".css", ".html"}:
        return gzip_size(path)
    return path.stat().st_size


# --------------------------------------------------------------------------- theme


def theme_worker(site: Path) -> Path:
    """The theme's search worker shipped in the built site."""
    return next((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))


def run_theme(
    site: Path, name: str, queries: list[Query], config: dict, boosts: list, index: Path | None = None
) -> Run:
    """Score the theme's worker with an index configuration and page boosts."""
    job = {
        "worker": str(theme_worker(site)),
        "index": str(index or site / "search" / "search_index.json"),
        "config": config,
        "boosts": boosts,
        "queries": [query.q for query in queries],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(job, handle)
    try:
        done = subprocess.run(["node", str(DRIVER), handle.name], capture_output=True, text=True, check=True)
    finally:
        Path(handle.name).unlink()
    out = json.loads(done.stdout)
    run = Run(name, [], [], setup_ms=out["setup_ms"])
    for query, result in zip(queries, out["results"], strict=True):
        groups = [Group(g["page"], tuple(g["anchors"])) for g in result["groups"]]
        position = rank(query, groups)
        run.ranks.append(position)
        run.query_ms.append(result["ms"])
        if position != 1:
            run.misses.append(
                (query.q, position, [g.page + "#".join(["", *g.anchors[:1]]) for g in groups[:3]])
            )
    return run


def theme_bytes(site: Path, index: Path | None = None) -> dict[str, int]:
    """Bytes the theme's search fetches: worker and whole index at page view; nothing per query."""
    index = index or site / "search" / "search_index.json"
    return {
        "before_first_query": gzip_size(theme_worker(site)) + gzip_size(index),
        "index_gzip": gzip_size(index),
        "index_raw": index.stat().st_size,
        "per_query": 0,
    }


# ------------------------------------------------------------------------ pagefind


def build_pagefind(site: Path) -> None:
    """Index ``site`` with Pagefind into ``site/pagefind``, as the build hook does."""
    index_site(site)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Starts the site's search worker as the theme does and asks it one query at a
# time; returns what the theme's result list would show.
WORKER_QUERIES = """
async (queries) => {
  const worker = window.__sw || (window.__sw = new Worker("assets/javascripts/workers/search-pagefind.js"));
  const ask = (message, want) => new Promise((resolve) => {
    const listen = (event) => {
      if (event.data.type === want) { worker.removeEventListener("message", listen); resolve(event.data); }
    };
    worker.addEventListener("message", listen);
    worker.postMessage(message);
  });
  if (!window.__swReady) { await ask({ type: 0, data: {} }, 1); window.__swReady = true; }
  const out = [];
  for (const q of queries) {
    const started = performance.now();
    const reply = await ask({ type: 2, data: q }, 3);
    out.push({ q, ms: performance.now() - started, items: reply.data.items });
  }
  return out;
}
"""


def visible_groups(items: list[list[dict]]) -> list[Group]:
    """Result groups as the theme's list shows them (its renderSearchResultItem)."""
    groups = []
    for group in items:
        threshold = group[0]["score"]
        docs = list(group)
        parent = next(i for i, doc in enumerate(docs) if "#" not in doc["location"])
        article = docs.pop(parent)
        until = next((i for i, doc in enumerate(docs) if doc["score"] < threshold), len(docs))
        anchors = tuple(doc["location"].split("#", 1)[1] for doc in docs[:until])
        groups.append(Group(article["location"], anchors))
    return groups


def spread(queries: list[Query], count: int) -> list[Query]:
    """``count`` queries evenly spaced over the set, so every kind of query is in the sample."""
    step = max(1, len(queries) // count)
    return queries[::step][:count]


def run_pagefind(site: Path, queries: list[Query], sample: int = 0) -> tuple[Run, dict[str, object]]:
    """Score the site's Pagefind worker in Chromium; measure bytes before and per query.

    Bytes are measured for ``sample`` queries spread over the set (0: every query).
    """
    from playwright.sync_api import sync_playwright

    run = Run("pagefind (our worker in the theme's search box)", [], [])
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        fetched: list[str] = []
        context.on("requestfinished", lambda request: fetched.append(request.url))
        page = context.new_page()
        page.goto(base, wait_until="networkidle")
        for query, out in zip(queries, page.evaluate(WORKER_QUERIES, [q.q for q in queries]), strict=True):
            groups = visible_groups(out["items"])
            position = rank(query, groups)
            run.ranks.append(position)
            run.query_ms.append(out["ms"])
            if position != 1:
                run.misses.append(
                    (query.q, position, [g.page + "#".join(["", *g.anchors[:1]]) for g in groups[:3]])
                )
        page.close()
        first, later, cold_ranks = [], [], []
        heaviest: tuple[int, str, dict[str, int]] = (0, "", {})
        chosen = spread(queries, sample) if sample else list(queries)
        for number, query in enumerate(chosen):
            later_query = chosen[(number + len(chosen) // 2) % len(chosen)]
            fresh = context.new_page()
            fresh.goto(base, wait_until="networkidle")
            fetched.clear()
            [out] = fresh.evaluate(WORKER_QUERIES, [query.q])
            cold_ranks.append(rank(query, visible_groups(out["items"])))
            parts = query_bytes(site, base, fetched)
            first.append(sum(parts.values()))
            if first[-1] > heaviest[0]:
                heaviest = (first[-1], query.q, parts)
            fetched.clear()
            fresh.evaluate(WORKER_QUERIES, [later_query.q])
            later.append(sum(query_bytes(site, base, fetched).values()))
            fresh.close()
        browser.close()
    worker = site / "assets" / "javascripts" / "workers" / "search-pagefind.js"
    return run, {
        "before_first_query": gzip_size(site / "search" / "search_index.json") + gzip_size(worker),
        "first_query_median": int(statistics.median(first)),
        "first_query_max": max(first),
        "later_query_median": int(statistics.median(later)),
        "later_query_max": max(later),
        "heaviest_query": heaviest[1],
        "heaviest_parts": heaviest[2],
        "queries_measured": len(first),
        # The same queries as a reader's first on a fresh page (Pagefind loads
        # with them, so the worker's byte budget leaves less room for fragments).
        "first_query_scores": score(cold_ranks),
        "index_total": sum(transfer_size(p) for p in (site / "pagefind").rglob("*") if p.is_file()),
    }


def local(site: Path, base: str, url: str) -> Path:
    """The file behind a URL of the served site."""
    return site / url.removeprefix(base).split("?", 1)[0].split("#", 1)[0]


def query_bytes(site: Path, base: str, urls: list[str]) -> dict[str, int]:
    """Bytes of the search files among ``urls``, by kind (bundle, wasm, index, fragment, spelling)."""
    parts: dict[str, int] = {}
    for url in urls:
        if not any(marker in url for marker in QUERY_FILES):
            continue
        path = local(site, base, url)
        kind = {".pf_index": "index", ".pf_fragment": "fragments", ".pagefind": "wasm"}
        name = "spelling" if path.name == "spelling.json" else kind.get(path.suffix, "bundle")
        parts[name] = parts.get(name, 0) + transfer_size(path)
    return parts


# ------------------------------------------------------------- mobile latency


def throttled_latency(site: Path, queries: list[Query]) -> dict[str, float]:
    """Type each query into the search box on the throttled mobile profile; ms from last key to results."""
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=MOBILE_VIEWPORT)
        page = context.new_page()
        page.goto(base, wait_until="networkidle")
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLING_RATE})
        open_search(page)
        timings = []
        for query in queries:
            _, ms = search_groups(page, base, query.q, key_delay_ms=KEY_DELAY_MS)
            timings.append(ms)
        browser.close()
    cold, warm = timings[0], sorted(timings[1:])
    return {
        "first": cold,
        "median": statistics.median(warm),
        "p95": warm[int(0.95 * (len(warm) - 1))],
        "count": len(timings),
    }


# ------------------------------------------------------------------- synthetic 10x

WORD = re.compile(r"\b([A-Za-z]{6,})\b")


def vary(text: str, copy: int) -> str:
    """Vary a quarter of the long words deterministically, so each copy adds vocabulary."""

    def change(match: re.Match[str]) -> str:
        word = match.group(1)
        digest = hashlib.blake2s(f"{copy}:{word}".encode(), digest_size=2).digest()
        return word + "xyzqjkvw"[copy % 8] * (1 + copy // 8) if digest[0] < 64 else word

    return WORD.sub(change, text)


def vary_html(html: str, copy: int) -> str:
    """Vary the text (not the tags) of an HTML page."""
    return re.sub(r">([^<]+)<", lambda m: ">" + vary(m.group(1), copy) + "<", html)


def synthetic_site(site: Path, factor: int, out: Path) -> Path:
    """A copy of ``site`` with ``factor - 1`` varied copies of every page under ``copy-N/``."""
    shutil.copytree(site, out, ignore=shutil.ignore_patterns("pagefind"))
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = list(index["docs"])
    for copy in range(1, factor):
        for source in pages:
            target = out / f"copy-{copy}" / source.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(vary_html(source.read_text(encoding="utf-8"), copy), encoding="utf-8")
        for doc in index["docs"]:
            docs.append(
                {
                    **doc,
                    "location": f"copy-{copy}/{doc['location']}",
                    "title": vary(doc["title"], copy),
                    "text": vary_html(">" + doc["text"] + "<", copy)[1:-1],
                }
            )
    (out / "search" / "search_index.json").write_text(
        json.dumps({**index, "docs": docs}, separators=(",", ":")), encoding="utf-8"
    )
    return out


# ------------------------------------------------------------------------- report


def percent(value: float) -> str:
    """A share as a percentage with one decimal."""
    return f"{100 * value:.1f} %"


def kb(value: float) -> str:
    """Bytes as KB with one decimal."""
    return f"{value / 1024:.1f} KB"


def report(
    runs: list[Run],
    sizes: dict[str, dict[str, dict]],
    count: int,
    site_pages: int,
    latency: dict[str, float] | None = None,
) -> str:
    """The results file in Markdown."""
    today = dt.date.today().isoformat()
    lines = [
        f"# Search quality, {today}",
        "",
        f"Evaluation set: `tests/search/queries.yaml`, {count} queries; built site: {site_pages} pages.",
        "Produced by `benchmarks/search_quality.py`.",
        "",
        "## Ranking",
        "",
        "| Engine | Top-1 | Top-3 | MRR | Query time median / p95 (unthrottled) |",
        "|---|---:|---:|---:|---:|",
    ]
    for run in runs:
        s = run.scores
        ms = sorted(run.query_ms)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        lines.append(
            f"| {run.name} | {percent(s.top1)} | {percent(s.top3)} | {s.mrr:.3f} "
            f"| {statistics.median(ms):.1f} / {p95:.1f} ms |"
        )
    lines += ["", "## Bytes a reader downloads (gzip)", ""]
    lines += [
        "| Engine | Size | Before the first query | First query | Each later query | Whole index |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for engine, by_scale in sizes.items():
        for scale, f in by_scale.items():
            if "first_query_median" in f:
                first = f"{kb(f['first_query_median'])} median, {kb(f['first_query_max'])} max"
                later = f"{kb(f['later_query_median'])} median, {kb(f['later_query_max'])} max"
                whole = kb(f["index_total"])
            else:
                first = later = kb(0)
                whole = kb(f["index_gzip"])
            lines.append(
                f"| {engine} | {scale} | {kb(f['before_first_query'])} | {first} | {later} | {whole} |"
            )
    for engine, by_scale in sizes.items():
        for scale, f in by_scale.items():
            if f.get("heaviest_query"):
                parts = ", ".join(f"{name} {kb(size)}" for name, size in sorted(f["heaviest_parts"].items()))
                lines.append(
                    f"\nHeaviest first query, {engine} {scale}, of {f['queries_measured']} measured: "
                    f"`{f['heaviest_query']}` ({parts})."
                )
            if f.get("first_query_scores") and scale == "1×":
                s = f["first_query_scores"]
                lines.append(
                    f"\nThe same {f['queries_measured']} queries each asked first, on a fresh page (the "
                    "ranking above asks them one after another on one page): "
                    f"top-1 {percent(s.top1)}, top-3 {percent(s.top3)}, MRR {s.mrr:.3f}."
                )
    if latency:
        worker = statistics.median(runs[-1].query_ms)
        bound = latency["median"] + (CPU_THROTTLING_RATE - 1) * worker
        lines += [
            "",
            f"## Keystroke to rendered results ({MOBILE_VIEWPORT['width']} px viewport, "
            f"CPU throttled {CPU_THROTTLING_RATE}×)",
            "",
            f"Typed key by key ({KEY_DELAY_MS} ms apart) into the search box, {latency['count']} queries "
            "spread over the set, one page: "
            f"median {latency['median']:.0f} ms, p95 {latency['p95']:.0f} ms; "
            f"the first query (loads Pagefind) {latency['first']:.0f} ms.",
            f"Chromium throttles the page's main thread only; with the worker's own median time "
            f"({worker:.1f} ms unthrottled) also slowed {CPU_THROTTLING_RATE}×, the median would be at most "
            f"{bound:.0f} ms.",
        ]
    lines += ["", "## Queries not ranked first", ""]
    for run in runs:
        lines += [f"### {run.name}", "", "| Query | Rank | First three results |", "|---|---:|---|"]
        for q, position, top in run.misses:
            shown = ", ".join(f"`{t}`" for t in top) or "none"
            lines.append(f"| `{q}` | {position or '—'} | {shown} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site", type=Path, help=f"a site built with {KEEP_THEME_INDEX}=1 (built once when omitted)"
    )
    parser.add_argument("--scale", type=int, default=10, help="size factor of the synthetic site (0: skip)")
    parser.add_argument(
        "--engines", choices=["all", "pagefind"], default="all", help="pagefind: skip the theme's engines"
    )
    parser.add_argument(
        "--latency-queries", type=int, default=40, help="queries typed on the throttled profile (0: skip)"
    )
    parser.add_argument(
        "--bytes-queries", type=int, default=0, help="queries whose bytes are measured (0: every query)"
    )
    parser.add_argument("--misses", action="store_true", help="print the queries not ranked first")
    parser.add_argument("--out", type=Path, default=None, help="results file")
    args = parser.parse_args()

    queries = load_queries()
    with_theme = args.engines == "all"
    with tempfile.TemporaryDirectory(prefix="search-quality-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            env = {**os.environ, KEEP_THEME_INDEX: "1", "NO_MKDOCS_2_WARNING": "1"}
            command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
            subprocess.run(command, cwd=ROOT, env=env, check=True)
        theme_docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        if with_theme and not theme_docs:
            sys.exit(f"{site}: the theme's index is empty; build with {KEEP_THEME_INDEX}=1")
        work = Path(scratch) / "work"
        shutil.copytree(site, work)
        pages = sum(1 for p in work.rglob("index.html") if "pagefind" not in p.parts)

        runs, sizes = [], {}
        if with_theme:
            runs = [
                run_theme(work, name, queries, cfg, boosts) for name, (cfg, boosts) in THEME_VARIANTS.items()
            ]
            sizes["theme"] = {"1×": theme_bytes(work)}
            sizes["theme"]["1×"]["setup_ms"] = runs[0].setup_ms
        # Our worker's own share before the first query: the theme's index with settings only.
        keep_settings_only(work / "search" / "search_index.json")
        pagefind_run, pagefind_1x = run_pagefind(work, queries, args.bytes_queries)
        runs.append(pagefind_run)
        sizes["pagefind"] = {"1×": pagefind_1x}
        typed = spread(queries, args.latency_queries)
        latency = throttled_latency(work, typed) if args.latency_queries else None
        if args.scale > 1:
            shutil.copy(site / "search" / "search_index.json", work / "search" / "search_index.json")
            big = synthetic_site(work, args.scale, Path(scratch) / "big")
            if with_theme:
                big_bytes = theme_bytes(big)
                big_bytes["setup_ms"] = run_theme(big, "theme 10x", queries[:5], {}, []).setup_ms
                sizes["theme"][f"{args.scale}×"] = big_bytes
            build_pagefind(big)
            write_spelling(big)
            keep_settings_only(big / "search" / "search_index.json")
            # Bytes only: near-copies of every page make ranking at 10× meaningless.
            _, sizes["pagefind"][f"{args.scale}×"] = run_pagefind(big, queries, args.bytes_queries)

    text = report(runs, sizes, len(queries), pages, latency)
    if with_theme:
        text += (
            "\n## Theme start-up\n\n"
            + "\n".join(
                f"- the theme's worker builds its whole index before the first query: {scale} "
                f"{f['setup_ms']:.0f} ms (Node, unthrottled)"
                for scale, f in sizes["theme"].items()
            )
            + "\n"
        )
    out = args.out or ROOT / "benchmarks" / "results" / f"search-quality-{dt.date.today().isoformat()}.md"
    out.write_text(text, encoding="utf-8")
    print(text if args.misses else text.split("\n## Queries not ranked first")[0])


if __name__ == "__main__":
    main()
