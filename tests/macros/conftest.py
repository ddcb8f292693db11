"""Fixtures for the macros tests."""

from __future__ import annotations

import pytest

import macros


@pytest.fixture(autouse=True)
def first_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every in-process call of ``define_env`` acts as a first build.

    A later build in the same process re-imports the ``macros`` modules (that is
    how ``mkdocs serve`` picks up edits), which would swap classes such as
    ``DataError`` under tests that run afterwards. The reload itself is tested in
    a subprocess.
    """
    monkeypatch.setattr(macros, "_builds", 0)
