"""What a theme feature costs our pages: the site as configured against the same site without it.

Copies the project (without ``.git``, ``.venv`` and built output) once per
variant, removes the named features from the copy's ``theme.features`` list,
builds each copy and the default one-page Material floor, serves every build
from its own process, and loads every page template on a phone with a 4x CPU
throttle, round by round, each load in a fresh browser context (the same loads
as ``page_budget.py``). It prints, per template, the median first contentful
paint and long-task time of each variant and their ratios to the floor.

Usage: python benchmarks/feature_cost.py navigation.instant [toc.follow ...] [--runs 5] [--pages path/ ...]

Each name given is one variant without that feature; ``a,b`` removes both. The
name ``palette.toggle`` stands for the light/dark toggle, which is not a feature
but a palette of two schemes: its variant keeps the first scheme alone, so the
theme mounts no palette component. ``--pages`` measures those site paths instead
of the page templates.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lighthouse import ROOT, TEMPLATES, build, host  # noqa: E402
from page_budget import Load, build_floor, floor_divisor, launch, measure_rounds  # noqa: E402

AS_CONFIGURED = "as configured"
COPY_SKIPS = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache")


def without_features(config: str, features: list[str]) -> str:
    """``config`` (the text of mkdocs.yml) with each of ``features`` taken out of its feature list.

    Raises:
        ValueError: A feature is not listed exactly once.
    """
    for feature in features:
        config, found = re.subn(rf"^[ \t]+- {re.escape(feature)}[ \t]*\n", "", config, flags=re.M)
        if found != 1:
            raise ValueError(f"mkdocs.yml lists feature {feature!r} {found} times, not once")
    return config


PALETTE_TOGGLE = "palette.toggle"
"""The name that stands for the palette's light/dark toggle in a variant's list."""


def without_palette_toggle(config: str) -> str:
    """``config`` (the text of mkdocs.yml) with its palette list cut to the first scheme, untoggled.

    Only the palette's lines change; the rest of the file keeps its text (its
    YAML tags included), as in :func:`without_features`.

    Raises:
        ValueError: The theme has no palette list of at least two schemes.
    """
    block = re.search(
        r"^(?P<indent>[ \t]+)palette:[ \t]*\n(?P<body>(?:(?P=indent)[ \t]+.*\n)+)", config, flags=re.M
    )
    if block is None:
        raise ValueError("mkdocs.yml has no theme.palette list")
    schemes = yaml.safe_load(textwrap.dedent(block["body"]))
    if not isinstance(schemes, list) or len(schemes) < 2:
        raise ValueError("mkdocs.yml's palette has no toggle (fewer than two schemes)")
    first = {key: schemes[0][key] for key in ("scheme", "primary", "accent") if key in schemes[0]}
    alone = textwrap.indent(yaml.safe_dump(first, sort_keys=False), block["indent"] + "  ")
    return config[: block.start("body")] + alone + config[block.end("body") :]


def variant_config(config: str, names: list[str]) -> str:
    """``config`` without the features in ``names`` (and without the toggle if ``PALETTE_TOGGLE`` is one)."""
    features = [name for name in names if name != PALETTE_TOGGLE]
    config = without_features(config, features)
    return without_palette_toggle(config) if PALETTE_TOGGLE in names else config


def variant(work: Path, name: str, features: list[str]) -> Path:
    """Build a copy of the project without ``features``; return its built site."""
    source = work / f"src-{name}"
    shutil.copytree(ROOT, source, ignore=COPY_SKIPS, symlinks=True)
    config = source / "mkdocs.yml"
    config.write_text(variant_config(config.read_text(encoding="utf-8"), features), encoding="utf-8")
    build(source, work / f"site-{name}")
    return work / f"site-{name}"


def report(floor: Load, rows: dict[str, dict[str, Load]], labels: list[str]) -> str:
    """Markdown table: per template, FCP and long tasks of each variant, with ratios to the floor."""
    names = list(rows)
    columns = (f"{n}: FCP ms (× floor) | {n}: long tasks ms (× floor)" for n in names)
    head = "| page | " + " | ".join(columns) + " |"
    lines = [head, "|---|" + "---:|" * (2 * len(names))]
    lines.append(
        f"| theme floor | {floor.fcp_ms:.0f} | {floor.long_task_ms:.0f} |" + " |" * (2 * len(names) - 2)
    )
    floor_tasks = floor_divisor("long_task_ms", floor.long_task_ms)
    for label in labels:
        cells = []
        for name in names:
            load = rows[name][label]
            cells.append(f"{load.fcp_ms:.0f} ({load.fcp_ms / floor.fcp_ms:.2f})")
            cells.append(f"{load.long_task_ms:.0f} ({load.long_task_ms / floor_tasks:.2f})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features", nargs="+", help="a feature to leave out (a,b for several at once)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", help="site paths to measure instead of the template list")
    args = parser.parse_args()
    pages = {path: path for path in args.pages} if args.pages else TEMPLATES
    from playwright.sync_api import sync_playwright

    variants = {AS_CONFIGURED: []} | {f"without {name}": name.split(",") for name in args.features}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor_url, floor_host = host(build_floor(work))
        hosts = {}
        for index, (name, features) in enumerate(variants.items()):
            hosts[name] = host(variant(work, str(index), features))
        urls = {
            f"{name}\t{label}": url + path
            for name, (url, _) in hosts.items()
            for label, path in pages.items()
        }
        with sync_playwright() as playwright:
            browser = launch(playwright)
            floor, medians = measure_rounds(browser, floor_url, urls, args.runs)
            browser.close()
        for _, served in hosts.values():
            served.shutdown()
        floor_host.shutdown()

    rows: dict[str, dict[str, Load]] = {name: {} for name in variants}
    for key, load in medians.items():
        name, label = key.split("\t")
        rows[name][label] = load
    print(f"Median of {args.runs} cold loads per page, phone viewport, 4x CPU throttle.\n")
    print(report(floor, rows, list(pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
