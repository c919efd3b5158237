"""The core never imports Qt or SQLAlchemy; the store never imports Qt (docs/architecture.md §1)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys, pkgutil, importlib
import annotator.core
import annotator.core.formats
for mod in pkgutil.walk_packages(annotator.core.__path__, "annotator.core."):
    importlib.import_module(mod.name)
bad = [m for m in sys.modules if m.split(".")[0] in {forbidden}]
print(",".join(bad))
"""


def _loaded(package_check: str, forbidden: set[str]) -> str:
    code = CHECK.replace("{forbidden}", repr(forbidden))
    if package_check != "core":
        code += "\nimport annotator.store.database, annotator.store.repository, annotator.store.importing\n"
        code += f"print(','.join(m for m in sys.modules if m.split('.')[0] in {forbidden!r}))\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_core_imports_neither_qt_nor_sqlalchemy() -> None:
    assert _loaded("core", {"PySide6", "shiboken6", "sqlalchemy", "alembic"}) == ""


def test_store_does_not_import_qt() -> None:
    assert _loaded("store", {"PySide6", "shiboken6"}) == ""


def test_no_ui_module_imports_sqlalchemy() -> None:
    """Driver errors arrive in the UI as StoreError (store/errors.py), so the UI needs no SQLAlchemy types."""
    import ast
    from pathlib import Path

    import annotator.ui

    offenders = []
    for path in Path(annotator.ui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in {"sqlalchemy", "alembic"}]
    assert offenders == []
