"""The package's import graph keeps the stage boundaries of docs/architecture.md.

Every ``import`` of every module (function-level ones included: a lazy import is still a
dependency) is read with :mod:`ast`, so the test needs no import side effects and sees what
the code says, not what happened to be loaded.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "budget_extract"
NAME = "budget_extract"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports (``from X import m`` counts as X.m when that is
    a module, else as X)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == NAME)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != NAME:
                continue
            subs = {f"{target}.{a.name}" for a in node.names} & known
            out.update(subs or {target})
            if subs and len(subs) < len(node.names):
                out.add(target)
    out.discard(name)
    return out & known


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {m: _imports(m, p, known) for m, p in mods.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (c := visit(n)):
                return c
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (c := visit(m)):
            return c
    return None


GRAPH = import_graph()


def test_the_walker_sees_the_stages():
    """The graph is real: the pipeline reaches every stage, lazy imports included."""
    assert {"budget_extract.segment", "budget_extract.tables.detect",
            "budget_extract.tables.build", "budget_extract.budget.interpret",
            "budget_extract.budget.checks"} <= GRAPH["budget_extract.pipeline"]
    assert "budget_extract.api" in GRAPH["budget_extract.jobs"]  # inside a function
    assert "budget_extract.readers.pdf" in GRAPH["budget_extract.readers"]


def test_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    assert find_cycle(GRAPH) is None


def test_readers_and_tables_know_nothing_of_budgets_or_output():
    forbidden = ("budget_extract.budget", "budget_extract.emit")
    bad = {m: sorted(d for d in deps if d.startswith(forbidden))
           for m, deps in GRAPH.items()
           if m.startswith(("budget_extract.readers", "budget_extract.tables"))}
    assert {m: d for m, d in bad.items() if d} == {}


def test_model_is_plain_data():
    assert GRAPH["budget_extract.model"] <= {"budget_extract.errors"}


def test_every_kind_the_classifier_gives_is_a_table_kind():
    """The interpreter turns the classifier's id into a ``TableKind``: a kind added to
    ``budget/kinds.py`` without its enum member would fail there, on the first such table."""
    from budget_extract.budget.kinds import KINDS
    from budget_extract.model import TableKind

    assert {k.value for k in TableKind} == set(KINDS)
