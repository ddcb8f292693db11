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

from macros import (
    activation_render,
    backoff_render,
    brokers_render,
    comparison_render,
    connectors_render,
    datasets,
    glossary_render,
    ipaas_render,
    pattern_render,
    picker_render,
    site_render,
)
from macros.tco import render as tco_render

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
    env.macro(on_this_page(picker_render.pattern_picker), "pattern_picker")
    env.macro(on_this_page(picker_render.decision_table), "picker_decision_table")
    env.macro(on_this_page(glossary_render.glossary_table), "glossary_table")
    env.macro(on_this_page(site_render.downloads_table), "downloads_table")
    env.macro(backoff_render.backoff_schedule, "backoff_schedule")
    env.macro(on_this_page(ipaas_render.ipaas_matrix), "ipaas_matrix")
    env.macro(on_this_page(ipaas_render.platform_facts), "ipaas_platform_facts")
    env.macro(on_this_page(ipaas_render.platform_list), "ipaas_platform_list")
    env.macro(on_this_page(comparison_render.ipaas_pair), "ipaas_pair")
    env.macro(on_this_page(brokers_render.broker_comparison), "broker_comparison")
    env.macro(on_this_page(brokers_render.broker_facts), "broker_facts")
    env.macro(on_this_page(connectors_render.cheat_sheet), "connector_cheat_sheet")
    env.macro(on_this_page(connectors_render.connector_facts), "connector_facts")
    env.macro(on_this_page(connectors_render.connector_list), "connector_list")
    env.macro(activation_render.reverse_etl_table, "reverse_etl_table")
    env.macro(on_this_page(activation_render.field_mapping_table), "field_mapping_table")
    env.macro(activation_render.security_tiers_table, "security_tiers_table")

    def tco_scenario(name: str | None = None, **kwargs: Any) -> str:
        """Render a TCO scenario; errors name the page and the argument."""
        return tco_render.tco_scenario(name, page=env.page.file.src_path, **kwargs)

    env.macro(tco_scenario, "tco_scenario")
    env.macro(tco_render.tco_calculator, "tco_calculator")
    env.macro(tco_render.tco_defaults, "tco_defaults")


def on_post_page_macros(env: Any) -> None:
    """Append the glossary's abbreviation definitions to every page.

    Python-Markdown's ``abbr`` extension turns each ``*[TERM]: text`` line
    into an ``<abbr title>`` wherever the term appears, and Material shows it
    as a tooltip.

    Args:
        env: The mkdocs-macros environment (its ``markdown`` is the page).
    """
    env.markdown += "\n\n" + glossary_render.abbreviation_lines()
