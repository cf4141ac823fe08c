"""mlkit uses papermill, nbclient and jupyter_client through their public names only.

A private name (a module, function, class or attribute starting with ``_``) can change in any
release; the batch once called nbclient's ``_cleanup_kernel``. The check reads mlkit's source:

- an import from those packages may not name a private module or a private name;
- an attribute access ``x._name`` (or ``getattr(x, "_name")``) may not use a private name that
  one of those packages defines and mlkit does not define itself.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path

import mlkit

PACKAGES = ("papermill", "nbclient", "jupyter_client")
MLKIT = Path(mlkit.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        if "tests" not in path.relative_to(root).parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _defined_private_names(tree: ast.AST) -> set[str]:
    """Private names a module defines: functions, classes, assignments (also ``self._x = ``)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            found.add(node.attr)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
    return {name for name in found if _private(name)}


def _package_private_names() -> set[str]:
    names: set[str] = set()
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        for location in spec.submodule_search_locations:
            for _, tree in _sources(Path(location)):
                names |= _defined_private_names(tree)
    return names


def private_uses(tree: ast.AST, theirs: set[str], ours: set[str]) -> list[str]:
    """Return every use of a private name of :data:`PACKAGES` in ``tree``, with its line."""
    found: list[str] = []

    def third_party(module: str) -> bool:
        return module.split(".", maxsplit=1)[0] in PACKAGES

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and third_party(node.module):
            parts = node.module.split(".")
            names = [a.name for a in node.names]
            if any(_private(p) for p in parts) or any(_private(n) for n in names):
                found.append(f"line {node.lineno}: from {node.module} import {', '.join(names)}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if third_party(alias.name) and any(_private(p) for p in alias.name.split(".")):
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Attribute):
            if node.attr in theirs and node.attr not in ours:
                found.append(f"line {node.lineno}: .{node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "setattr", "hasattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in theirs
            and node.args[1].value not in ours
        ):
            found.append(f"line {node.lineno}: {node.func.id}(..., {node.args[1].value!r})")
    return found


def test_the_check_finds_private_names() -> None:
    """The check is not blind: each kind of private use in a snippet is found."""
    theirs = _package_private_names()
    assert {"_cleanup_kernel", "_async_poll_for_reply", "_infer_parameters"} <= theirs
    snippet = ast.parse(
        "from papermill.inspection import _infer_parameters\n"
        "from nbclient._version import version_info\n"
        "import jupyter_client._version\n"
        "boot._cleanup_kernel()\n"
        "getattr(client, '_async_poll_for_reply')\n"
        "self._lock.acquire()\n"  # mlkit's own private attribute: allowed
        "from papermill.engines import Engine\n"  # public: allowed
    )
    found = private_uses(snippet, theirs, ours={"_lock"})
    assert sorted(f.split(":")[0] for f in found) == [f"line {n}" for n in (1, 2, 3, 4, 5)], found


def test_mlkit_uses_no_private_name_of_papermill_nbclient_or_jupyter_client() -> None:
    theirs = _package_private_names()
    modules = list(_sources(MLKIT))
    ours = set().union(*(_defined_private_names(tree) for _, tree in modules))
    problems = [
        f"{path.relative_to(MLKIT.parent)}: {use}"
        for path, tree in modules
        for use in private_uses(tree, theirs, ours)
    ]
    assert problems == []
