"""Render the widget shells kept as Jinja templates in ``macros/templates/``.

Autoescaping is on: every value a template prints is escaped unless it is
:class:`markupsafe.Markup`, and an undefined name is an error, not an empty
string.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).parent / "templates"
"""Folder of the templates."""


@cache
def environment() -> Environment:
    """The Jinja environment of the widget templates (built once per process).

    Returns:
        An autoescaping environment with strict undefined names.
    """
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def render_template(name: str, **context: object) -> Markup:
    """Render a template as one HTML block that Markdown leaves alone.

    Blank lines would end a raw HTML block in Markdown, so they are dropped,
    with each line's indentation.

    Args:
        name: File name under ``macros/templates/``.
        **context: The template's variables.

    Returns:
        The HTML.
    """
    html = environment().get_template(name).render(**context)
    return Markup("\n".join(line.strip() for line in html.splitlines() if line.strip()))
