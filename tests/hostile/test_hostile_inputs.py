"""Every hostile input of tests/hostile/make_cases.py, run through ``annotator import``.

A refused file must end with exit code 1 and exactly one stderr line ``annotator: FILE[, line N]:
reason`` — no traceback — and leave the database exactly as it was (every row of every table compared
with the plain sqlite3 module). ``--skip-bad`` must keep exactly the valid records. No case may write
anything anywhere except the chosen database, and the HTML cases must not open a socket.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from tests.hostile.dbstate import counts, integrity, snapshot
from tests.hostile.make_cases import ARTICLE, Case, build_cases

MIN_CASES = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    root = tmp_path_factory.mktemp("hostile")
    cases = build_cases(root)
    return root, {case.name: case for case in cases}


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with content already in it, so "unchanged" means something."""
    folder = tmp_path_factory.mktemp("template")
    source = folder / "seed.jsonl"
    import json

    lines = []
    for i in range(3):
        text = f"Seed article {i}. " + ARTICLE
        start = text.index("14 hours")
        lines.append(json.dumps({"text": text, "annotator": "seed", "status": "done",
                                 "spans": [{"start": start, "end": start + 8, "label": "working_hours"}]}))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "template.sqlite3"
    assert main(["--db", str(db), "import", str(source), "--quiet"]) == 0
    return db


def _case_names() -> list[str]:
    import tempfile

    # The names only; files are built once per module by the ``corpus`` fixture.
    with tempfile.TemporaryDirectory() as scratch:
        cases = build_cases_names_only(Path(scratch))
    return cases


def build_cases_names_only(root: Path) -> list[str]:
    from tests.hostile import make_cases

    saved = make_cases.BIG_FILE_MB, make_cases.LONG_LINE_MB
    make_cases.BIG_FILE_MB, make_cases.LONG_LINE_MB = 1, 1
    try:
        return [case.name for case in build_cases(root)]
    finally:
        make_cases.BIG_FILE_MB, make_cases.LONG_LINE_MB = saved


CASE_NAMES = _case_names()


def _listing(root: Path, skip: Path | None = None) -> set[tuple[str, int]]:
    """Every file and folder under ``root`` (not following links), with file sizes."""
    found: set[tuple[str, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        if skip is not None and (here == skip or skip in here.parents):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            path = here / name
            if skip is not None and path == skip:
                continue
            size = path.lstat().st_size if path.is_file() and not path.is_symlink() else -1
            found.add((str(path.relative_to(root)), size))
    return found


class _NoNetwork:
    """Makes every attempt to reach the network fail loudly and records it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []

        def refuse(name: str):  # type: ignore[no-untyped-def]
            def blocked(*args, **kwargs):  # type: ignore[no-untyped-def]
                self.attempts.append(f"{name}{args[1:]!r}")
                raise OSError(f"network access attempted in a test: {name}")

            return blocked

        monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
        monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
        monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
        monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_corpus_is_big_enough(corpus: tuple[Path, dict[str, Case]]) -> None:
    _, cases = corpus
    assert len(cases) >= MIN_CASES
    assert len(cases) == len(CASE_NAMES)
    assert {c.expect for c in cases.values()} == {"refused", "imported"}
    big = cases["file_200mb"].paths[0]
    assert big.stat().st_size == 200 * 1024 * 1024


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_input(name: str, corpus: tuple[Path, dict[str, Case]], template_db: Path, tmp_path: Path,
                       capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root, cases = corpus
    case = cases[name]
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    db_dir = tmp_path / "db"
    db_dir.mkdir()
    db = db_dir / "store.sqlite3"
    shutil.copyfile(template_db, db)
    target_db = Path(case.db) if case.db else db
    before_rows = snapshot(db)
    before_counts = counts(db)
    before_corpus = _listing(root)
    before_tmp = _listing(tmp_path, skip=db_dir)
    guard = _NoNetwork(monkeypatch) if case.no_network else None

    args = ["--db", str(target_db), "import", *map(str, case.paths), *case.args]
    began = time.monotonic()
    code, out, err = _run(args, capsys)
    elapsed = time.monotonic() - began

    assert "Traceback" not in err and "Traceback" not in out
    if case.expect == "refused":
        assert code == 1, (out, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        message = lines[0]
        assert message.startswith("annotator: ")
        assert (case.names or case.paths[0].name) in message, message
        assert case.reason.casefold() in message.casefold(), message
        if case.line is not None:
            assert f", line {case.line}:" in message, message
        assert snapshot(db) == before_rows
    else:
        assert code == 0, (out, err)
        added = counts(db)["documents"] - before_counts["documents"]
        if case.docs is not None:
            assert added == case.docs, (out, err)
        assert elapsed < 60
        assert integrity(db) == "ok"
    if case.check is not None:
        case.check(db)
    if guard is not None:
        assert guard.attempts == []
    # Nothing written outside the chosen database: not next to the inputs, not in the working folder.
    assert _listing(root) == before_corpus
    assert _listing(tmp_path, skip=db_dir) == before_tmp
    assert list(workdir.iterdir()) == []
    if case.db:
        assert not Path(case.db).exists() or Path(case.db).is_dir()
        assert snapshot(db) == before_rows

    if case.skip_bad_docs is not None:
        shutil.copyfile(template_db, db)
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        code, out, err = _run([*args, "--skip-bad"], capsys)
        assert code == 0, err
        assert "Traceback" not in err
        skipped = [line for line in err.splitlines() if line.startswith("skipped: ")]
        assert len(skipped) == 1 and case.paths[0].name in skipped[0], err
        if case.line is not None:
            assert f", line {case.line}:" in skipped[0]
        assert counts(db)["documents"] - before_counts["documents"] == case.skip_bad_docs
        assert integrity(db) == "ok"


@pytest.mark.parametrize("name", ["deeply_nested_json", "zip_with_parent_paths", "file_200mb", "not_json_line"])
def test_hostile_input_through_the_real_entry_point(name: str, corpus: tuple[Path, dict[str, Case]],
                                                    template_db: Path, tmp_path: Path) -> None:
    """A few cases through ``python -m annotator`` in a fresh process: the exit code and stderr a shell sees."""
    import subprocess

    _, cases = corpus
    case = cases[name]
    db = tmp_path / "store.sqlite3"
    shutil.copyfile(template_db, db)
    before = snapshot(db)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", *map(str, case.paths)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: ") and case.paths[0].name in lines[0], result.stderr
    assert case.reason.casefold() in lines[0].casefold()
    assert snapshot(db) == before
    assert {p.name for p in tmp_path.iterdir()} <= {"store.sqlite3", "store.sqlite3-wal", "store.sqlite3-shm"}


def test_import_is_refused_by_a_read_only_database(template_db: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ro.sqlite3"
    shutil.copyfile(template_db, db)
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(db)
    code, out, err = _run(["--db", str(db), "--read-only", "import", str(source)], capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0], err
    assert snapshot(db) == before


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
