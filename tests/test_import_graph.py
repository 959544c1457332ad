"""The package's modules import each other without a circle.

Read from the sources (no import runs): every `from .x import y` and
`import custom_components.plexsync.x` that runs when the module loads. Imports
under `if TYPE_CHECKING:` only name a type for the checker (an owner and the
part that refers back to it): they never run, so they make no circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "custom_components.plexsync"
ROOT = Path(__file__).parents[1] / "custom_components" / "plexsync"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}


def _is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in (
        "TYPE_CHECKING",
        "typing.TYPE_CHECKING",
    )


def _run_at_load(tree: ast.Module) -> list[ast.AST]:
    """Every node of `tree` outside `if TYPE_CHECKING:` blocks."""
    kept: list[ast.AST] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        kept.append(node)
        pending.extend(
            child
            for child in ast.iter_child_nodes(node)
            if not (isinstance(child, ast.stmt) and _is_type_checking(child))
        )
    return kept


def _imported_by(name: str, path: Path) -> set[str]:
    here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _run_at_load(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = here
            for _ in range(max(node.level - 1, 0)):
                base = base.rsplit(".", 1)[0]
            if node.level:
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` may name a module
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in MODULES else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module in MODULES and module != name}


def import_graph() -> dict[str, set[str]]:
    return {name: _imported_by(name, path) for name, path in MODULES.items()}


def first_cycle(graph: dict[str, set[str]]) -> tuple[str, ...] | None:
    """A circle of imports in `graph`, or None."""
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> tuple[str, ...] | None:
        if module in path:
            return (*path[path.index(module) :], module)
        if module in done:
            return None
        for imported in sorted(graph.get(module, ())):
            if cycle := visit(imported, (*path, module)):
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module, ()):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert f"{PACKAGE}.coordinator" in graph[PACKAGE]  # the graph was read
    cycle = first_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_nothing_imports_the_matching_evaluation() -> None:
    """engine/match_eval.py is a command-line entry: importing it from the
    package would pull the evaluation into every run."""
    evaluation = f"{PACKAGE}.engine.match_eval"
    assert [m for m, imported in import_graph().items() if evaluation in imported] == []


def test_type_only_imports_are_left_out() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from .a import x\n"
        "if TYPE_CHECKING:\n"
        "    from .b import y\n"
    )
    imported = {
        node.module for node in _run_at_load(tree) if isinstance(node, ast.ImportFrom)
    }
    assert imported == {"typing", "a"}


def test_a_cycle_is_found() -> None:
    """The check itself: a made-up circle is reported."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert first_cycle(graph) == ("a", "b", "c", "a")
    assert first_cycle({"a": {"b"}, "b": set()}) is None
