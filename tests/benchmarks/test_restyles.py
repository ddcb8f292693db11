"""benchmarks/restyles.py: whole-page style recalculations picked out of a trace."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import restyles  # noqa: E402

PID, TID, OTHER = 7, 1, 2


def event(name: str, ts: int, dur: int = 0, tid: int = TID, **args: object) -> dict:
    return {"name": name, "ph": "X", "pid": PID, "tid": tid, "ts": ts, "dur": dur, "args": args}


def trace() -> list[dict]:
    frame = {"functionName": "gr", "url": "http://127.0.0.1:1/assets/javascripts/bundle.abc.min.js",
             "lineNumber": 14, "columnNumber": 38348}  # fmt: skip
    return [
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": TID, "args": {"name": "CrRendererMain"}},
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": OTHER, "args": {"name": "Compositor"}},
        event("ParseHTML", 1_000_000, 5_000),
        event("UpdateLayoutTree", 1_100_000, 40_000, elementCount=690),
        event("UpdateLayoutTree", 1_200_000, 2_000, elementCount=5),  # a few elements: not whole-page
        event("UpdateLayoutTree", 1_300_000, 30_000, tid=OTHER, elementCount=900),  # another thread
        event("UpdateLayoutTree", 1_400_000, 44_000, elementCount=736, beginData={"stackTrace": [frame]}),
        {"name": "firstContentfulPaint", "ph": "R", "pid": PID, "tid": TID, "ts": 1_150_000, "args": {}},
    ]


def test_whole_page_restyles_of_the_main_thread_in_order() -> None:
    found = restyles.restyles(trace(), page_elements=921)
    assert found == [
        restyles.Restyle(100.0, 40.0, 690, ""),
        restyles.Restyle(400.0, 44.0, 736, "gr@bundle.abc.min.js:14:38348"),
    ]
    text = restyles.report("reliability/retry-backoff/", found, 921, {found[1].forced_by: "theme/x.ts:50"})
    assert "2 whole-page restyles, 84 ms (921 styled elements)" in text
    assert "| 100 | 40.0 | 690 | rendering update |" in text
    assert "| 400 | 44.0 | 736 | `gr@bundle.abc.min.js:14:38348` (theme/x.ts:50) |" in text


def test_a_trace_without_a_first_paint_is_refused() -> None:
    with pytest.raises(ValueError, match="first contentful paint"):
        restyles.restyles([e for e in trace() if e["name"] != "firstContentfulPaint"], 921)


def test_frames_outside_the_theme_bundle_are_not_mapped(tmp_path: Path) -> None:
    assert restyles.theme_sources(["renderPlot@backoff.js:190:61", ""], tmp_path) == {}


@pytest.mark.skipif(
    not (shutil.which("node") and (ROOT / "benchmarks/node_modules/source-map").is_dir()),
    reason="needs Node and benchmarks/node_modules (npm ci in benchmarks/)",
)
def test_theme_frames_map_to_the_theme_source(tmp_path: Path) -> None:
    import material

    bundle_dir = Path(material.__file__).parent / "templates/assets/javascripts"
    [source_map] = bundle_dir.glob("bundle.*.min.js.map")
    scripts = tmp_path / "assets/javascripts"
    scripts.mkdir(parents=True)
    shutil.copy(source_map, scripts / source_map.name)
    bundle = source_map.name.removesuffix(".map")
    lines = (bundle_dir / bundle).read_text(encoding="utf-8").splitlines()
    # The longest line is the bundle's code; a column in its middle is some theme function.
    line = max(range(len(lines)), key=lambda i: len(lines[i]))
    frame = f"x@{bundle}:{line + 1}:{len(lines[line]) // 2}"
    mapped = restyles.theme_sources([frame], tmp_path)
    assert mapped[frame].startswith("templates/assets/javascripts/"), mapped
    assert mapped[frame].split(":")[0].endswith(".ts")
