"""Running the real command line in-process and snapshotting a database for "unchanged" checks."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def snapshot(db: Path) -> list[tuple]:
    """Every row of the annotation tables, for asserting that a refused import changed nothing."""
    if not db.exists():
        return []
    con = sqlite3.connect(db)
    try:
        rows: list[tuple] = []
        for table in ("documents", "labels", "annotators", "layers", "spans"):
            rows += [(table, *r) for r in con.execute(f"SELECT * FROM {table} ORDER BY id")]
        return rows
    finally:
        con.close()
