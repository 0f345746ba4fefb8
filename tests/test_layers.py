"""The layers point one way: ui (CLI, web) and eval → ingest → rag, never back.

Read from the source with ast, so imports inside functions and `if TYPE_CHECKING:` blocks count too.
Also: nothing outside rag imports a `_`-prefixed name from it, or reads another object's `_`-prefixed
attribute (the private parts stay private).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("rag", "ingest", "ui", "eval")
# What each package may not import: the layers above it.
FORBIDDEN = {"rag": ("ingest", "ui", "eval"), "ingest": ("ui", "eval")}


def imported_modules(tree: ast.AST, module: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line, absolute module, names taken from it) for every import anywhere in the tree."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            yield node.lineno, base, [alias.name for alias in node.names]


def sources(root: Path, package: str) -> Iterator[tuple[str, ast.AST, Path]]:
    for path in sorted((root / package).rglob("*.py")):
        module = ".".join(path.relative_to(root).with_suffix("").parts)
        yield module, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), path


def layer_violations(root: Path) -> list[str]:
    found = []
    for package, banned in FORBIDDEN.items():
        for module, tree, path in sources(root, package):
            for line, target, _ in imported_modules(tree, module):
                top = target.split(".")[0]
                if top in banned:
                    found.append(f"{path.relative_to(root)}:{line}: {package} imports {target}")
    return found


def private_reaches(root: Path) -> list[str]:
    """Imports of `_`-prefixed names (modules or members) from rag by code outside rag."""
    found = []
    for package in (p for p in PACKAGES if p != "rag"):
        for module, tree, path in sources(root, package):
            for line, target, names in imported_modules(tree, module):
                if target.split(".")[0] != "rag":
                    continue
                private = [part for part in target.split(".")[1:] if part.startswith("_")]
                private += [name for name in names if name.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(root)}:{line}: imports {', '.join(private)} from {target}")
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def rag_private_attributes(root: Path) -> set[str]:
    """The `_`-prefixed attributes rag's classes keep: `self._x = ...` and class-level `_x: T = ...`."""
    names: set[str] = set()
    for _, tree, _ in sources(root, "rag"):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
                if isinstance(node.ctx, ast.Store) and is_private(node.attr):
                    names.add(node.attr)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    target = item.target if isinstance(item, ast.AnnAssign) else None
                    if isinstance(target, ast.Name) and is_private(target.id):
                        names.add(target.id)
    return names


def private_attribute_reads(root: Path) -> list[str]:
    """Outside rag, another object's private rag attribute (`retriever._bm25`, or getattr(x, "_bm25")):
    any access, other than on self/cls, to an attribute name that rag's classes keep private."""
    private = rag_private_attributes(root)
    found = []
    for package in (p for p in PACKAGES if p != "rag"):
        for _, tree, path in sources(root, package):
            for node in ast.walk(tree):
                name = None
                if isinstance(node, ast.Attribute) and node.attr in private:
                    owner = node.value
                    if not (isinstance(owner, ast.Name) and owner.id in ("self", "cls")):
                        name = node.attr
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr", "setattr")
                    and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in private
                ):
                    name = node.args[1].value
                if name is not None:
                    found.append(f"{path.relative_to(root)}:{node.lineno}: reads {name}")
    return found


def test_rag_and_ingest_import_nothing_from_the_layers_above() -> None:
    assert layer_violations(ROOT) == []


def test_nothing_outside_rag_imports_its_private_names() -> None:
    assert private_reaches(ROOT) == []


def test_nothing_outside_rag_reads_private_attributes_of_other_objects() -> None:
    assert private_attribute_reads(ROOT) == []


@pytest.mark.parametrize(
    ("package", "source", "expected"),
    [
        ("rag", "def f():\n    from ui.server import run_server\n", "rag imports ui.server"),
        (
            "rag",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import eval.report\n",
            "rag imports eval.report",
        ),
        ("rag", "from ingest.pipeline import ingest\n", "rag imports ingest.pipeline"),
        ("ingest", "class A:\n    def f(self):\n        from ui import cli\n", "ingest imports ui"),
        ("ingest", "import eval.runner as runner\n", "ingest imports eval.runner"),
    ],
)
def test_the_check_catches_upward_imports(tmp_path: Path, package: str, source: str, expected: str) -> None:
    """The check above can fail: a tree with one upward import (in a function or method, under
    TYPE_CHECKING) is caught."""
    for name in PACKAGES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / package / "sub").mkdir()
    (tmp_path / package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / package / "sub" / "bad.py").write_text(source, encoding="utf-8")
    assert [v.split(": ", 1)[1] for v in layer_violations(tmp_path)] == [expected]


def test_the_check_catches_private_names_taken_from_rag(tmp_path: Path) -> None:
    for name in PACKAGES:
        (tmp_path / name).mkdir()
    (tmp_path / "eval" / "runner.py").write_text("from rag.retrieval import HybridRetriever, _helper\n", "utf-8")
    (tmp_path / "ui" / "api.py").write_text("def f():\n    import rag._internal.thing\n", "utf-8")
    (tmp_path / "rag" / "app.py").write_text("from rag.retrieval import _helper\n", "utf-8")  # inside rag: fine
    assert sorted(v.split(": ", 1)[1] for v in private_reaches(tmp_path)) == [
        "imports _helper from rag.retrieval",
        "imports _internal from rag._internal.thing",
    ]


def test_the_check_catches_private_attribute_reads(tmp_path: Path) -> None:
    for name in PACKAGES:
        (tmp_path / name).mkdir()
    (tmp_path / "ui" / "server.py").write_text(
        "def f(docchat):\n"
        "    self = docchat\n"
        "    a = docchat.retriever._bm25\n"
        "    b = getattr(docchat.retriever, '_bm25', None)\n"
        "    return self._own, docchat.__class__, a, b\n",
        "utf-8",
    )
    (tmp_path / "rag" / "retrieval.py").write_text(
        "class R:\n    _bm25: object = None\n    def f(self, r):\n        self._cache = r._bm25\n", "utf-8"
    )  # inside rag: fine
    assert [v.split(": ", 1)[1] for v in private_attribute_reads(tmp_path)] == ["reads _bm25", "reads _bm25"]
