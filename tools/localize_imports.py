"""Move names into the functions that use them (decision 0012, lazy imports).

    python tools/localize_imports.py FILE NAME=MODULE [NAME=MODULE ...]
    .venv/bin/ruff check --fix FILE && .venv/bin/ruff format FILE

Inserts ``from MODULE import NAME`` at the top of each function (after its docstring)
whose own body uses NAME; a nested function gets its own import, and decorators and
default values count for the enclosing body. Remove the module-level import yourself
(or move it under ``if TYPE_CHECKING:`` when annotations still name it); ruff then
sorts and merges the inserted lines. Without arguments after FILE, lists the names
that FILE imports at its top from outside typer, the standard library and the CLI.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

_LIGHT = ("typer", "__future__", "soviet.adapters.cli")


def heavy_imports(tree: ast.Module) -> dict[str, str]:
    """Top-level imported names (alias -> module) outside the light set."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(_LIGHT) or node.module in sys.stdlib_module_names:
                continue
            for alias in node.names:
                found[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in sys.stdlib_module_names:
                    continue
                if not alias.name.startswith(_LIGHT):
                    found[alias.asname or alias.name.split(".")[0]] = alias.name
    return found


def _own_uses(fn: ast.FunctionDef | ast.AsyncFunctionDef, names: set[str]) -> set[str]:
    """Names of ``names`` read in ``fn``'s own body (not inside nested functions)."""
    used: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                # Decorators and defaults run in the enclosing body.
                for expr in [*child.decorator_list, *child.args.defaults]:
                    visit_expr(expr)
                for expr in child.args.kw_defaults:
                    if expr is not None:
                        visit_expr(expr)
                continue
            if isinstance(child, ast.Name) and child.id in names:
                used.add(child.id)
            visit(child)

    def visit_expr(expr: ast.AST) -> None:
        used.update(n.id for n in ast.walk(expr) if isinstance(n, ast.Name) and n.id in names)

    for stmt in fn.body:
        visit(ast.Module(body=[stmt], type_ignores=[]))
    return used


def localize(path: Path, spec: dict[str, str]) -> int:
    """Insert the imports into ``path``; returns how many functions changed."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    inserts: dict[int, set[tuple[str, str]]] = defaultdict(set)
    indents: dict[int, int] = {}
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        used = _own_uses(fn, set(spec))
        if not used:
            continue
        first = fn.body[0]
        is_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        at = (first.end_lineno or first.lineno) if is_doc else first.lineno - 1
        inserts[at].update((spec[name], name) for name in used)
        indents[at] = first.col_offset
    for at in sorted(inserts, reverse=True):
        by_module: dict[str, list[str]] = defaultdict(list)
        for module, name in inserts[at]:
            by_module[module].append(name)
        pad = " " * indents[at]
        block = "".join(
            f"{pad}from {module} import {', '.join(sorted(names))}\n"
            for module, names in sorted(by_module.items())
        )
        lines.insert(at, block + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return len(inserts)


def main() -> None:
    """Command line: see the module docstring."""
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    path = Path(sys.argv[1])
    if len(sys.argv) == 2:
        for name, module in heavy_imports(ast.parse(path.read_text(encoding="utf-8"))).items():
            print(f"{name}={module}")
        return
    spec = dict(arg.split("=", 1) for arg in sys.argv[2:])
    print(f"{path}: imports added to {localize(path, spec)} functions")


if __name__ == "__main__":
    main()
