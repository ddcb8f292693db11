"""The theme's bundle carries V8's compile hint, and its source map still lines up."""

from __future__ import annotations

import json
from pathlib import Path

from hooks import compile_hints


def test_hint_goes_first_and_the_map_moves_one_line(tmp_path: Path) -> None:
    script = tmp_path / "bundle.abc.min.js"
    script.write_text('"use strict";f();\n//# sourceMappingURL=bundle.abc.min.js.map\n', encoding="utf-8")
    (tmp_path / "bundle.abc.min.js.map").write_text(json.dumps({"version": 3, "mappings": "AAAA,CAAC"}))
    assert compile_hints.add_compile_hint(script) is True
    lines = script.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "//# allFunctionsCalledOnLoad"
    assert lines[1] == '"use strict";f();'
    assert json.loads((tmp_path / "bundle.abc.min.js.map").read_text())["mappings"] == ";AAAA,CAAC"


def test_hint_is_added_once(tmp_path: Path) -> None:
    script = tmp_path / "bundle.abc.min.js"
    script.write_text("f();", encoding="utf-8")
    assert compile_hints.add_compile_hint(script) is True
    assert compile_hints.add_compile_hint(script) is False
    assert script.read_text(encoding="utf-8") == compile_hints.HINT + "f();"


def test_built_bundle_has_the_hint_and_a_shifted_map(site_dir: Path) -> None:
    bundles = list((site_dir / "assets/javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1
    text = bundles[0].read_text(encoding="utf-8")
    assert text.startswith(compile_hints.HINT) and text.count("allFunctionsCalledOnLoad") == 1
    mapping = json.loads(bundles[0].with_name(bundles[0].name + ".map").read_text(encoding="utf-8"))
    # The hint line has no mappings; the bundle's code starts on line 2.
    assert mapping["mappings"].startswith(";") and not mapping["mappings"].startswith(";;")
