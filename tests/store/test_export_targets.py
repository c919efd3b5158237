"""Where an export may write (issue #18): a device or a pipe is written into, never renamed over, and a
temporary left by a killed export is removed by the next one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

from tests.cli_helpers import run_cli


def _db(capsys, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    db = tmp_path / "db.sqlite3"
    source = tmp_path / "a.txt"
    source.write_text("Drivers worked 14 hours a day.\n", encoding="utf-8")
    assert run_cli(capsys, "--db", db, "import", source).code == 0
    return db


def test_export_into_a_fifo_streams_and_leaves_the_fifo(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _db(capsys, tmp_path)
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = run_cli(capsys, "--db", db, "export", "-o", fifo)
    reader.join(timeout=30)
    assert run.code == 0, run.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # before: a regular file renamed over the pipe
    assert b"14 hours a day" in received[0]
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_export_onto_dev_null_and_dev_full(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _db(capsys, tmp_path)
    run = run_cli(capsys, "--db", db, "export", "-o", "/dev/null")
    assert run.code == 0, run.err
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert not [name for name in os.listdir("/dev") if name.endswith(".part")]
    run = run_cli(capsys, "--db", db, "export", "-o", "/dev/full")
    assert run.code == 1 and run.err.startswith("annotator: /dev/full: cannot write (No space left on device)"), run.err
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                           check=True)
    return int(child.stdout)


def test_a_killed_exports_temporary_is_removed_by_the_next_export(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _db(capsys, tmp_path)
    out = tmp_path / "out.jsonl"
    stale = tmp_path / f".out.jsonl.{_dead_pid()}-0badf00d.part"
    stale.write_text("half an export", encoding="utf-8")
    live = tmp_path / f".out.jsonl.{os.getpid()}-0badf00d.part"  # a running export's: left alone
    live.write_text("in progress", encoding="utf-8")
    other = tmp_path / ".other.jsonl.1-0badf00d.part"  # another target's: not ours to judge
    other.write_text("x", encoding="utf-8")
    assert run_cli(capsys, "--db", db, "export", "-o", out).code == 0
    assert not stale.exists() and live.exists() and other.exists() and out.exists()


def test_standard_output_temporaries_are_swept_too(capsys, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    db = _db(capsys, tmp_path)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    stale = temp / f"annotator-export-{_dead_pid()}-abc123"
    stale.mkdir()
    (stale / "export").write_text("half", encoding="utf-8")
    run = run_cli(capsys, "--db", db, "export", "-o", "-")
    assert run.code == 0 and "14 hours a day" in run.out
    assert list(temp.iterdir()) == []
