"""Reading commands on a mistyped database path: refuse it instead of creating an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_cli


@pytest.mark.parametrize("command", [
    ("export", "-o", "{out}"),
    ("agreement",),
    ("verify",),
    ("db", "copy", "--to", "{other}"),
])
def test_missing_database_is_refused_not_created(capsys, tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "typo.sqlite3"
    out, other = tmp_path / "out.jsonl", tmp_path / "other.sqlite3"
    args = [a.format(out=out, other=other) for a in command]
    run = run_cli(capsys, "--db", missing, *args)
    assert run.code == 1
    assert run.err == f"annotator: {missing}: no such database file\n"
    assert not missing.exists()
    assert not out.exists()
    assert not other.exists()


def test_copy_from_a_missing_database_is_refused(capsys, tmp_path: Path) -> None:
    missing, target = tmp_path / "typo.sqlite3", tmp_path / "target.sqlite3"
    run = run_cli(capsys, "--db", target, "db", "copy", "--from", missing)
    assert run.code == 1
    assert run.err == f"annotator: {missing}: no such database file\n"
    assert not missing.exists()
    assert not target.exists()
