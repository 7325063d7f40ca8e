"""The project's import graph, read from the source with `ast`: every import counts, including those
under `if TYPE_CHECKING:` and inside functions, since each is a dependency a reader has to follow."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

from tests.samples import ROOT

#: The project's own packages; imports of anything else (the standard library, pulumi, ...) are not edges.
PACKAGES = ("bench", "components", "handler", "ops", "policy", "provider", "tests")


def modules() -> dict[str, Path]:
    """Every project module by dotted name (a package by its own name, for its `__init__.py`)."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    found |= {path.stem: path for path in (ROOT / "__main__.py", ROOT / "dev.py")}  # the program, dev.py
    return found


def top_level_imports(path: Path) -> set[str]:
    """The first part of every absolute module name `path` imports (`pymongo`, `sqlite3`, `handler`...)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.partition(".")[0])
    return names


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    known = modules()
    return {name: set(_imports(name, path, known)) - {name} for name, path in known.items()}


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (_owner(alias.name, known) for alias in node.names if _owner(alias.name, known))
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                # `from a import b` imports the module a.b when there is one, else a name from a.
                target = _owner(f"{base}.{alias.name}", known) or _owner(base, known)
                if target:
                    yield target


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _owner(dotted: str, known: dict[str, Path]) -> str | None:
    """The project module `dotted` names exactly, or None (an outside module, or a name in one)."""
    return dotted if dotted in known else None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (sorted), the smallest cycle being two."""
    reach = {node: _reachable(node, edges) for node in edges}
    groups = {tuple(sorted(m for m in reach[node] if node in reach.get(m, ()))) for node in edges}
    return sorted(list(group) for group in groups if len(group) > 1)


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        if (node := todo.pop()) not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen
