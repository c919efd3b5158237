"""Import messages found by using the command line like an analyst: line numbers and counts must be right."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

GOOD = '{"text": "hello world", "spans": []}\n'
BAD_OFFSETS = '{"text": "bad", "spans": [{"start": 0, "end": 9, "label": "injury"}]}\n'
UNKNOWN_LABEL = '{"text": "x y", "spans": [{"start": 0, "end": 1, "label": "newlab"}]}\n'


@pytest.mark.parametrize("content, line", [
    (BAD_OFFSETS + GOOD + UNKNOWN_LABEL, 3),  # a skipped bad record before it
    ("\n\n" + UNKNOWN_LABEL, 3),  # blank lines before it
])
def test_unknown_label_names_its_own_file_line(capsys, tmp_path: Path, content: str, line: int) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(content, encoding="utf-8")
    run = run_cli(capsys, "--db", tmp_path / "x.sqlite3", "import", src, "--skip-bad", "--annotator", "ana")
    label_lines = [m for m in run.err.splitlines() if "newlab" in m]
    assert label_lines == [f"skipped: {src}, line {line}: unknown label 'newlab' "
                           "(not in the scheme; use --add-labels to add it)"]


def test_unknown_label_line_without_skip_bad(capsys, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("\n" + GOOD + UNKNOWN_LABEL, encoding="utf-8")
    run = run_cli(capsys, "--db", tmp_path / "x.sqlite3", "import", src, "--annotator", "ana")
    assert run.code == 1
    assert f"annotator: {src}, line 3: unknown label 'newlab'" in run.err


def test_one_bad_record_is_singular(capsys, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(GOOD + BAD_OFFSETS, encoding="utf-8")
    run = run_cli(capsys, "--db", tmp_path / "x.sqlite3", "import", src, "--skip-bad", "--annotator", "ana")
    assert run.code == 0
    assert run.out.strip().endswith("; 1 bad record skipped")
