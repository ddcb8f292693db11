"""benchmarks/selector_cost.py: selector matching time added up by whose stylesheet."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import selector_cost  # noqa: E402


def stats(*timings: tuple[str, float]) -> dict:
    rows = [{"selector": s, "elapsed (us)": us, "match_attempts": 1, "match_count": 0} for s, us in timings]
    return {"name": "SelectorStats", "ph": "X", "args": {"selector_stats": {"selector_timings": rows}}}


def test_selectors_are_read_normalised_without_comments_or_at_rules() -> None:
    css = """/* a, b { } */
    .md-typeset  table.ip-matrix td,
    .ip-src { color: red }
    @media print { .ip-src::after { content: none } }
    @font-face { font-family: x }
    """
    assert selector_cost.selectors(css) == {".md-typeset table.ip-matrix td", ".ip-src", ".ip-src::after"}
    # Minified and as Chromium prints it: one key.
    minified = selector_cost.selectors(".a>:is(p,li) [x=y]:before,.b{}")
    assert selector_cost.canonical('.a > :is(p, li) [x="y"]::before') in minified
    assert ".b" in minified


def test_time_is_added_up_by_where_each_selector_is_written() -> None:
    theme = selector_cost.selectors(":root>*,td{}")
    ours = selector_cost.selectors(".ip-src,td{}")
    events = [
        stats((":root > *", 300.0), (".ip-src", 50.0), ("td", 20.0), ("option:enabled:active", 5.0)),
        stats((":root  >  *", 100.0)),  # a second restyle: the same selector, spaced differently
        {"name": "UpdateLayoutTree", "ph": "X", "args": {}},
    ]
    shares, ranked = selector_cost.attribute(events, theme, ours)
    assert [(s.bucket, s.elapsed_us, s.selectors) for s in shares] == [
        ("theme", 400.0, 1),
        ("ours", 50.0, 1),
        ("both", 20.0, 1),
        ("browser", 5.0, 1),
    ]
    assert ranked[0] == (400.0, "theme", ":root > *")
    table = selector_cost.report("matrix", shares, ranked, top=2)
    assert "| theme | 84 % | 1 |" in table
    assert "| 10.5 % | ours | `.ip-src` |" in table
    assert "option:enabled" not in table  # only the costliest two are listed
