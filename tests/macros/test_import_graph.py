"""The ``macros`` package has no import cycle, and schemas import no renderer or TCO code.

The graph is read from the source with :mod:`ast`, so imports inside
functions count too (they are how a cycle hides). Imports under
``if TYPE_CHECKING:`` do not run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "macros"


def _module_name(file: Path) -> str:
    parts = list(file.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(f): f for f in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str, file: Path) -> set[str]:
    """Modules of our package that ``module`` imports, wherever the import is written."""
    is_package = file.name == "__init__.py"
    found: set[str] = set()

    def resolve(name: str) -> str | None:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(filter(None, (resolve(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                target = resolve(f"{base}.{alias.name}") or resolve(base)
                if target:
                    found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(file.read_text(encoding="utf-8")))
    found.discard(module)
    return found


GRAPH = {name: _imports(name, file) for name, file in MODULES.items()}


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle as a path of module names, or ``None``."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_is_read_from_the_real_package() -> None:
    assert "macros.datasets" in GRAPH and "macros.models.ipaas" in GRAPH
    assert "macros.models.ipaas" in GRAPH["macros.datasets"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_macros_has_no_import_cycle() -> None:
    # The package's own __init__ imports every renderer to register it; a
    # submodule importing ``macros.x`` does not run through that edge again.
    without_init = {name: deps - {"macros"} for name, deps in GRAPH.items() if name != "macros"}
    assert _find_cycle(without_init) is None


def test_schemas_do_no_io_and_import_no_tco_or_renderer_code() -> None:
    for name, deps in GRAPH.items():
        if name.startswith("macros.models"):
            outside = {d for d in deps if not d.startswith("macros.models")}
            assert not outside, f"{name} imports {sorted(outside)}"
            source = MODULES[name].read_text(encoding="utf-8")
            for call in ("open(", "read_text(", "yaml."):
                assert call not in source, f"{name} does I/O ({call})"
