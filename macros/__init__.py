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
from pathlib import Path
from typing import Any

from macros import (
    accuracy_macros,
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

_glossary: Any = None
"""The glossary of the current build, for :func:`on_post_page_macros`."""


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
    """Load and validate the site data once, then register the macros with it.

    Each renderer takes its data as its first argument; the data is bound
    here, so the macros keep the arguments pages call them with.

    Args:
        env: The mkdocs-macros environment.

    Raises:
        macros.loader.DataError: A data file is invalid, or two disagree; the
            build stops.
    """
    global _builds, _glossary
    if _builds:
        _reload_submodules()
    _builds += 1
    site = datasets.site_data(Path(env.conf["docs_dir"]).resolve())
    _glossary = site.glossary

    def on_this_page(render: Callable[..., Any]) -> Callable[..., Any]:
        """Pass the current page's URL so the renderer can link relatively."""

        def macro(*args: Any, **kwargs: Any) -> Any:
            return render(*args, from_url=env.page.url, **kwargs)

        return macro

    def bind(render: Callable[..., Any], data: Any) -> Callable[..., Any]:
        """Give a renderer its data; the macro takes the remaining arguments."""
        return functools.partial(render, data)

    env.macro(on_this_page(bind(pattern_render.pattern_matrix, site.patterns)), "pattern_matrix")
    env.macro(bind(pattern_render.build_vs_buy_table, site.patterns), "build_vs_buy_table")
    env.macro(on_this_page(bind(picker_render.pattern_picker, site.patterns)), "pattern_picker")
    env.macro(on_this_page(bind(picker_render.decision_table, site.patterns)), "picker_decision_table")
    env.macro(on_this_page(bind(glossary_render.glossary_table, site.glossary)), "glossary_table")
    env.macro(on_this_page(site_render.downloads_table), "downloads_table")
    env.macro(backoff_render.backoff_schedule, "backoff_schedule")
    env.macro(on_this_page(bind(ipaas_render.ipaas_matrix, site.ipaas)), "ipaas_matrix")
    env.macro(on_this_page(bind(ipaas_render.platform_facts, site.ipaas)), "ipaas_platform_facts")
    env.macro(on_this_page(bind(ipaas_render.platform_list, site.ipaas)), "ipaas_platform_list")
    env.macro(on_this_page(bind(comparison_render.ipaas_pair, site.ipaas)), "ipaas_pair")
    env.macro(on_this_page(bind(brokers_render.broker_comparison, site.brokers)), "broker_comparison")
    env.macro(on_this_page(bind(brokers_render.broker_facts, site.brokers)), "broker_facts")
    env.macro(on_this_page(bind(connectors_render.cheat_sheet, site.connectors)), "connector_cheat_sheet")
    env.macro(on_this_page(bind(connectors_render.connector_facts, site.connectors)), "connector_facts")
    env.macro(on_this_page(bind(connectors_render.connector_list, site.connectors)), "connector_list")
    env.macro(bind(activation_render.reverse_etl_table, site.reverse_etl), "reverse_etl_table")
    env.macro(
        on_this_page(bind(activation_render.field_mapping_table, site.field_mappings)), "field_mapping_table"
    )
    env.macro(bind(activation_render.security_tiers_table, site.security_tiers), "security_tiers_table")
    accuracy_macros.register(env, on_this_page)

    def tco_scenario(name: str | None = None, **kwargs: Any) -> Any:
        """Render a TCO scenario; errors name the page and the argument."""
        return tco_render.tco_scenario(name, page=env.page.file.src_path, pricing=site.pricing, **kwargs)

    env.macro(tco_scenario, "tco_scenario")
    env.macro(functools.partial(tco_render.tco_calculator, site.pricing), "tco_calculator")
    env.macro(functools.partial(tco_render.tco_defaults, site.pricing), "tco_defaults")
    env.macro(functools.partial(tco_render.tco_self_serve_note, pricing=site.pricing), "tco_self_serve_note")


def on_post_page_macros(env: Any) -> None:
    """Append the glossary's abbreviation definitions to every page.

    Python-Markdown's ``abbr`` extension turns each ``*[TERM]: text`` line
    into an ``<abbr title>`` wherever the term appears, and Material shows it
    as a tooltip.

    Args:
        env: The mkdocs-macros environment (its ``markdown`` is the page).
    """
    env.markdown += "\n\n" + glossary_render.abbreviation_lines(_glossary)
