"""The page furniture templates: staleness notice and provenance block."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

PARTIALS = Path(__file__).resolve().parents[2] / "overrides"
BUILD = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def render(name: str, meta: dict) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PARTIALS), autoescape=True)
    return env.get_template(f"partials/{name}").render(page=SimpleNamespace(meta=meta), build_date_utc=BUILD)


@pytest.mark.parametrize(
    ("reviewed", "stale"),
    [
        (dt.date(2026, 11, 1), False),
        (dt.date(2025, 11, 25), False),  # exactly 365 days: still current
        (dt.date(2025, 11, 24), True),  # 366 days
        (dt.date(2019, 1, 1), True),
    ],
)
def test_stale_notice_after_twelve_months(reviewed: dt.date, stale: bool) -> None:
    html = render("review-notice.html", {"reviewed": reviewed})
    assert ("This page may be out of date" in html) is stale
    if stale:
        assert f'<time datetime="{reviewed.isoformat()}">' in html


def test_no_notice_without_a_review_date() -> None:
    assert render("review-notice.html", {}).strip() == ""


def test_provenance_lists_sources_escaped() -> None:
    html = render(
        "provenance.html",
        {
            "reviewed": dt.date(2026, 11, 25),
            "sources": [{"title": "Limits <b>", "url": "https://example.com/?a=1&b=2"}],
        },
    )
    assert 'Last reviewed\n      <time datetime="2026-11-25">25 November 2026</time>' in html
    assert '<a href="https://example.com/?a=1&amp;b=2" rel="noopener">Limits &lt;b&gt;</a>' in html
