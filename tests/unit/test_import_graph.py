"""No import cycles among hfname_guard's modules, read from the source with ``ast`` (nothing is imported).

A cycle of module-level imports breaks as soon as someone imports the modules in the other
order. ``hfname_guard.names`` is held to more: no cycle even through the imports inside
functions, so that its data modules (``data_files`` -> ``knowledge`` -> ``vocabularies``) stay
layered and each can be read on its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "hfname_guard"


def modules() -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (its file, whether it is a package's ``__init__``)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _module_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements that run on import: descending into if/try, skipping ``if TYPE_CHECKING:``."""
    statements: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            statements += _module_level(node.orelse)
            continue
        statements.append(node)
        if isinstance(node, ast.If):
            statements += _module_level(node.body) + _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            statements += _module_level(node.body) + _module_level(node.orelse) + _module_level(node.finalbody)
            for handler in node.handlers:
                statements += _module_level(handler.body)
    return statements


def imports(name: str, known: dict[str, tuple[Path, bool]], lazy: bool) -> set[str]:
    """The hfname_guard modules ``name`` imports: at module level, or anywhere when ``lazy``."""
    path, is_package = known[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree) if lazy else _module_level(tree.body):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:  # `from . import tokens` imports a module; `from .x import y`, x
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return (found & known.keys()) - {name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_cycle() -> None:
    known = modules()
    assert "hfname_guard.names.data_files" in known
    graph = {name: imports(name, known, lazy=False) for name in known}
    assert "hfname_guard.names.data_files" in graph["hfname_guard.names.knowledge"]
    assert cycles(graph) == []


def test_the_names_package_has_no_cycle_even_through_lazy_imports() -> None:
    known = {name: entry for name, entry in modules().items() if name.startswith("hfname_guard.names")}
    graph = {name: imports(name, known, lazy=True) for name in known}
    assert graph["hfname_guard.names.data_files"] == set(), "data_files is the leaf the others read through"
    assert cycles(graph) == []
