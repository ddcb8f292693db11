"""Macros for auditing the site's accuracy: the facts changelog and its feed link.

Registered from :func:`macros.define_env` with one call, so the core macro
registrations stay untouched. Data is loaded here once per build and passed
to the pure renderers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from macros import changelog, changelog_render


def register(env: Any, on_this_page: Callable[..., Any]) -> None:
    """Load the changelog and register the accuracy macros.

    Args:
        env: The mkdocs-macros environment.
        on_this_page: Wrapper that passes the current page's URL as ``from_url``.

    Raises:
        macros.loader.DataError: The changelog is invalid; the build stops.
    """
    changelog.load.cache_clear()
    log = changelog.load()

    def facts_changelog(from_url: str = "") -> str:
        """Render the facts changelog table."""
        return changelog_render.changelog_table(log, from_url)

    env.macro(on_this_page(facts_changelog), "facts_changelog")
