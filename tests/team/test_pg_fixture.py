"""The PostgreSQL fixture's contract: skip without binaries on a developer machine, fail under CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_without_postgres(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """A minimal pytest run (only our plugin, no Qt) of one test that needs the server."""
    (tmp_path / "test_needs_server.py").write_text("def test_needs_server(pg_server):\n    pass\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PG_BINDIR"] = str(tmp_path / "no-postgres-here")
    env["PYTHONPATH"] = str(ROOT)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # no Qt, no hypothesis: a fast inner run
    if ci is not None:
        env["CI"] = ci
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-c", os.devnull, "--rootdir", str(tmp_path),
               "-p", "no:cacheprovider", "-p", "tests.pg_server", "test_needs_server.py"]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("ci", [None, "true"])
def test_missing_postgres_skips_locally_and_fails_under_ci(tmp_path: Path, ci: str | None) -> None:
    result = _run_without_postgres(tmp_path, ci)
    output = result.stdout + result.stderr
    assert "PostgreSQL binaries (initdb, pg_ctl) not found" in output
    if ci is None:
        assert result.returncode == 0 and "1 skipped" in output
    else:
        assert result.returncode == 1 and "CI is set" in output and "skipped" not in output
