"""define_env wires data and macros; it can run again (as on every serve rebuild)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import macros

ROOT = Path(__file__).resolve().parents[2]


class FakeEnv:
    """The parts of mkdocs-macros' environment that define_env uses."""

    def __init__(self) -> None:
        self.variables: dict[str, Any] = {}
        self.macros: dict[str, Callable[..., str]] = {}
        self.conf = {"docs_dir": str(ROOT / "docs")}
        self.page = SimpleNamespace(url="patterns/choose-a-pattern/")
        self.markdown = "# Page\n\nCDC and DLQ."

    def macro(self, fn: Callable[..., str], name: str) -> None:
        self.macros[name] = fn


def test_define_env_registers_macros_and_validated_data() -> None:
    env = FakeEnv()
    macros.define_env(env)
    assert {"pattern_matrix", "build_vs_buy_table", "glossary_table", "downloads_table"} <= set(env.macros)
    assert env.variables == {}  # renderers get their data bound, not through page variables
    html = env.macros["pattern_matrix"]()
    assert 'id="pattern-matrix"' in html


def test_define_env_reloads_edited_modules_on_the_next_build(tmp_path) -> None:
    """A second build in the same process (mkdocs serve) re-imports our modules.

    Run in a subprocess: reloading replaces classes, which would confuse
    ``isinstance`` checks in tests that run later in this process.
    """
    script = tmp_path / "twice.py"
    script.write_text(
        "import sys, types\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import macros, macros.html as html\n"
        "class Env:\n"
        "    def __init__(self):\n"
        "        self.variables, self.macros = {}, {}\n"
        "        self.page = types.SimpleNamespace(url='')\n"
        f"        self.conf = {{'docs_dir': {str(ROOT / 'docs')!r}}}\n"
        "    def macro(self, fn, name): self.macros[name] = fn\n"
        "macros.define_env(Env())\n"
        "html.esc = lambda value: 'patched'\n"
        "env = Env()\n"
        "macros.define_env(env)\n"
        "print(html.esc('<'), env.macros['glossary_table']().count('<tr id='))\n"
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    escaped, rows = result.stdout.split()
    assert escaped == "&lt;"  # the patched function was replaced by a fresh import
    assert int(rows) == len(macros.datasets.site_data().glossary.terms)


def test_post_page_hook_appends_abbreviations() -> None:
    env = FakeEnv()
    macros.define_env(env)
    macros.on_post_page_macros(env)
    assert env.markdown.startswith("# Page\n\nCDC and DLQ.\n\n*[")
    assert "\n*[DLQ]: Dead-letter queue: " in env.markdown
