"""The engine stays pure: no service or HA import, no I/O, no clock read."""

from __future__ import annotations

import ast
from pathlib import Path

from custom_components.plexsync import engine

ENGINE = Path(engine.__file__).parent
FORBIDDEN_MODULES = {
    "homeassistant",
    "aiohttp",
    "plexapi",
    "requests",
    "socket",
    "urllib",
    "http",
    "asyncio",
}
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}
IO_CALLS = {"open", "print", "input"}


def _sources() -> list[Path]:
    files = sorted(ENGINE.glob("*.py"))
    assert ENGINE / "planner.py" in files
    return files


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_engine_imports_nothing_of_home_assistant_or_the_services() -> None:
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bad = _imports(tree) & FORBIDDEN_MODULES
        assert not bad, f"{path.name} imports {sorted(bad)}"


# Every engine module but matching's command-line evaluator, which may print.
SYNC_MODULES = tuple(
    path.name for path in sorted(ENGINE.glob("*.py")) if path.name != "match_eval.py"
)


def test_sync_modules_read_no_clock_and_do_no_io() -> None:
    for path in (ENGINE / name for name in SYNC_MODULES):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute):
                assert func.attr not in CLOCK_CALLS, f"{path.name}:{node.lineno}"
            elif isinstance(func, ast.Name):
                assert func.id not in IO_CALLS, f"{path.name}:{node.lineno}"


def test_the_scan_catches_a_forbidden_import() -> None:
    sample = ast.parse("import aiohttp\nfrom homeassistant.core import HomeAssistant")
    assert _imports(sample) == {"aiohttp", "homeassistant"}
