"""No import cycles among perftab's modules, counting the imports made inside functions too: a
cycle hidden by a late import still ties two modules so neither can be read or changed alone.
Records two modules share go to one module of their layer that both import."""

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGES = ("extract", "normalize", "perftab")  # folders; extract/ is installed as perftab.extract


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[0] != "perftab":
        parts.insert(0, "perftab")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}  # a submodule by name
    return {m for m in found if m in known and m != name}


# The one import against the layers, on purpose: the package perftab.extract, called, is the
# API's extraction (extract/__init__.py _CallablePackage), which reads with that package.
CALLED_PACKAGE = ("perftab.extract", "perftab.api")


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {name: imported(name, path, set(known)) for name, path in known.items()}
    graph[CALLED_PACKAGE[0]].discard(CALLED_PACKAGE[1])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_imports_inside_functions():
    known = modules()
    package, api = CALLED_PACKAGE
    assert api in imported(package, known[package], set(known))  # the call's, left out below
    graph = import_graph()
    assert "perftab.extract.formats" in graph["perftab.extract"]
    assert "perftab.extract.grid" in graph["perftab.extract.text_reader"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles(package):
    assert [c for c in cycles(import_graph()) if _package(c[0]) == package] == []


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES else parts[0]
