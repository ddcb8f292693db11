"""Run a JavaScript file's pure functions under Node, without a browser.

The widgets' scripts export their kernels with a guarded ``module.exports``,
so ``require`` loads them; a short driver script reads a JSON payload on
stdin and prints JSON results.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
JAVASCRIPTS = ROOT / "docs" / "assets" / "javascripts"


def node_binary() -> str:
    """Path of ``node``; fails the test with a hint when it is missing."""
    found = shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)
    if found is None:
        pytest.fail("Node.js is needed for the parity tests: install the 'nodejs' package")
    return found


def run_node(driver: str, payload: Any, script: str) -> Any:
    """Load ``script`` from the site's scripts and run ``driver`` on ``payload``.

    Args:
        driver: JavaScript body; ``lib`` is the loaded module and ``input``
            the parsed payload; it must evaluate ``output = ...``.
        payload: JSON-ready input.
        script: File name under ``docs/assets/javascripts``.

    Returns:
        The parsed ``output``.
    """
    program = (
        f"const lib = require({json.dumps(str(JAVASCRIPTS / script))});\n"
        "let raw = '';\n"
        "process.stdin.on('data', (chunk) => { raw += chunk; });\n"
        "process.stdin.on('end', () => {\n"
        "  const input = JSON.parse(raw);\n"
        "  let output;\n"
        f"{driver}\n"
        "  process.stdout.write(JSON.stringify(output));\n"
        "});\n"
    )
    result = subprocess.run(
        [node_binary(), "-e", program],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
