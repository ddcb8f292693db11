"""MkDocs-macros entry point: loads the data once and registers the macros.

Everything else lives in plain modules (models, loaders, renderers, the TCO
model) that know nothing of MkDocs, so they are tested on their own and can
move to another site generator unchanged.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from typing import Any

from macros import datasets, glossary_render, pattern_render, site_render


_builds = 0
"""How many builds this process has run (``mkdocs serve`` rebuilds in-process)."""


def _reload_submodules() -> None:
    """Re-import our modules so ``mkdocs serve`` picks up edits to them.

    MkDocs keeps the ``macros`` package imported between rebuilds. Modules are
    reloaded in reverse import order, so a module's dependencies are fresh
    before the module itself is re-executed.
    """
    names = [n for n in sys.modules if n.startswith("macros.")]
    for name in reversed(names):
        importlib.reload(sys.modules[name])


def define_env(env: Any) -> None:
    """Validate every dataset, then register the site's macros.

    Args:
        env: The mkdocs-macros environment.

    Raises:
        macros.loader.DataError: A data file is invalid; the build stops.
    """
    global _builds
    if _builds:
        _reload_submodules()
    _builds += 1
    data = datasets.load_all()
    env.variables["datasets"] = data

    def on_this_page(render: Callable[..., str]) -> Callable[..., str]:
        """Pass the current page's URL so the renderer can link relatively."""

        @functools.wraps(render)
        def macro(*args: Any, **kwargs: Any) -> str:
            return render(*args, from_url=env.page.url, **kwargs)

        return macro

    env.macro(on_this_page(pattern_render.pattern_matrix), "pattern_matrix")
    env.macro(pattern_render.build_vs_buy_table, "build_vs_buy_table")
    env.macro(on_this_page(glossary_render.glossary_table), "glossary_table")
    env.macro(on_this_page(site_render.downloads_table), "downloads_table")


def on_post_page_macros(env: Any) -> None:
    """Append the glossary's abbreviation definitions to every page.

    Python-Markdown's ``abbr`` extension turns each ``*[TERM]: text`` line
    into an ``<abbr title>`` wherever the term appears, and Material shows it
    as a tooltip.

    Args:
        env: The mkdocs-macros environment (its ``markdown`` is the page).
    """
    env.markdown += "\n\n" + glossary_render.abbreviation_lines()
