"""Export summaries and files as an analyst sees them: counts of what was written, readable files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

# Two overlapping spans (CoNLL keeps one) and one ending inside a word (spaCy cannot place it).
TEXT = "Workers said shifts ran long every day."
SPANS = [
    {"start": 0, "end": 12, "label": "injury"},
    {"start": 8, "end": 19, "label": "working_hours"},
    {"start": 20, "end": 25, "label": "sanctions"},  # "ran l": ends mid-word
]


@pytest.fixture
def db(tmp_path: Path, capsys) -> Path:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": TEXT, "annotator": "ana", "status": "done", "spans": SPANS}) + "\n",
                   encoding="utf-8")
    path = tmp_path / "x.sqlite3"
    assert run_cli(capsys, "--db", path, "import", src).code == 0
    return path


def test_conll_summary_counts_written_spans(capsys, tmp_path: Path, db: Path) -> None:
    run = run_cli(capsys, "--db", db, "export", "-o", tmp_path / "x.conll", "--format", "conll")
    assert run.code == 0
    assert "overlaps another span; dropped" in run.err
    assert run.out.startswith("exported 1 document, 2 spans ")
    tags = [line.split("\t")[1] for line in (tmp_path / "x.conll").read_text().splitlines() if "\t" in line]
    assert sum(tag.startswith("B-") for tag in tags) == 2


def test_spacy_summary_counts_written_spans(capsys, tmp_path: Path, db: Path) -> None:
    pytest.importorskip("spacy")
    run = run_cli(capsys, "--db", db, "export", "-o", tmp_path / "x.spacy", "--format", "spacy")
    assert run.code == 0
    assert "does not align with spaCy's tokens; left out" in run.err
    assert run.out.startswith("exported 1 document, 2 spans ")


def test_exported_file_follows_the_umask(capsys, tmp_path: Path, db: Path) -> None:
    """The file is written to a private temporary file first; the result must not stay private (0600)."""
    old = os.umask(0o022)
    try:
        out = tmp_path / "x.jsonl"
        assert run_cli(capsys, "--db", db, "export", "-o", out).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_prodigy_round_trip_keeps_an_unannotated_document_unannotated(capsys, tmp_path: Path, db: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Nobody tagged this article.\n", encoding="utf-8")
    assert run_cli(capsys, "--db", db, "import", plain).code == 0
    out = tmp_path / "p.jsonl"
    assert run_cli(capsys, "--db", db, "export", "-o", out, "--format", "prodigy").code == 0
    again = tmp_path / "again.sqlite3"
    assert run_cli(capsys, "--db", again, "import", out, "--annotator", "cy").code == 0
    native = tmp_path / "n.jsonl"
    assert run_cli(capsys, "--db", again, "export", "-o", native).code == 0
    layers = sorted((r["text"][:6], r["annotator"]) for r in map(json.loads, native.read_text().splitlines()))
    assert layers == [("Nobody", None), ("Worker", "ana")]


def test_dash_exports_to_standard_output_byte_for_byte(capsys, tmp_path: Path, db: Path) -> None:
    assert run_cli(capsys, "--db", db, "export", "-o", tmp_path / "file.jsonl").code == 0
    piped = run_cli(capsys, "--db", db, "export", "-o", "-")
    assert piped.code == 0
    assert piped.out == (tmp_path / "file.jsonl").read_text(encoding="utf-8")
    assert piped.err.startswith("exported 1 document, 3 spans to standard output (jsonl)")
    assert not (Path.cwd() / "-").exists()


def test_dash_refuses_a_format_that_writes_a_folder(capsys, db: Path) -> None:
    run = run_cli(capsys, "--db", db, "export", "-o", "-", "--format", "brat")
    assert run.code == 1 and run.out == ""
    assert run.err.strip() == ("annotator: the brat format writes a folder, which standard output cannot hold; "
                               "give a folder with -o")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path, db: Path) -> None:
    import subprocess
    import sys

    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"text": f"Report {n}: " + "shifts ran long. " * 200}) + "\n"
                           for n in range(300)), encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "annotator", "--db", str(db), "import", str(big)],
                          capture_output=True).returncode == 0
    export = subprocess.Popen([sys.executable, "-m", "annotator", "--db", str(db), "export", "-o", "-"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout is not None and export.stderr is not None
    first = export.stdout.read(100)  # like `| head -c 100`, then the reader goes away
    export.stdout.close()
    err = export.stderr.read().decode()
    assert export.wait(timeout=60) == 0
    assert first.startswith(b'{"doc_id": ')
    assert "Traceback" not in err and "BrokenPipe" not in err
