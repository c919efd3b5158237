"""``annotator --version`` and ``--help`` stay instant: they must not import the heavy libraries that only
commands touching a database, agreement or the window need. Each case runs the real entry point in a fresh
interpreter with ``-X importtime`` and reads which modules were imported, so a new top-level import of
SQLAlchemy (or of a module that imports it) anywhere on the start-up path fails here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "numpy", "PySide6", "trafilatura", "charset_normalizer", "platformdirs")


def imported_modules(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "annotator", *args],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    # lines read "import time:  self [us] | cumulative | imported package", one per module
    names = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return result, names


@pytest.mark.parametrize("args", [
    ("--version",), ("--help",), ("export", "--help"), ("agreement", "--help"), ("db", "copy", "--help"),
])
def test_version_and_help_import_no_heavy_library(args: tuple[str, ...]) -> None:
    result, names = imported_modules(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "annotator.cli" in names  # the check really ran our entry point
    heavy = sorted(name for name in names if name.split(".")[0] in HEAVY)
    assert heavy == [], f"annotator {' '.join(args)} imported {heavy}"
    handlers = sorted(name for name in names if name.startswith("annotator.") and
                      name not in ("annotator.core", "annotator.core.errors", "annotator.cli", "annotator.cli.common",
                                   "annotator.cli.parser",
                                   "annotator.core.model"))  # plain constants (roles for `db role`'s choices)
    assert handlers == [], f"annotator {' '.join(args)} imported {handlers}"


def test_version_prints_the_version() -> None:
    from annotator import __version__

    result, _ = imported_modules("--version")
    assert result.stdout == f"annotator {__version__}\n"


def test_the_check_sees_a_heavy_import() -> None:
    """The detector itself: a command that opens a database does import SQLAlchemy."""
    result, names = imported_modules("--db", str(ROOT / "no-such-dir" / "x.sqlite3"), "verify")
    assert result.returncode == 1
    assert "sqlalchemy" in names
