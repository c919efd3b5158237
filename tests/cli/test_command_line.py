"""Command-line grammar (docs/architecture.md §5): options written ``NAME ...`` take several names after one
flag as well as the flag repeated, single-name options leave the positional arguments alone, and a wrong command
line — an unknown ``--format`` included — is one line on stderr and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import Run, run_cli

TEXT = "Pay was withheld for months. Passports were kept in the office safe."
NAMES = ("ana", "bo", "cy")


def _span(phrase: str, label: str) -> dict:
    start = TEXT.index(phrase)
    return {"start": start, "end": start + len(phrase), "label": label}


@pytest.fixture
def db(capsys, tmp_path: Path) -> Path:
    """One article with a finished layer by each of ana, bo and cy."""
    spans = {
        "ana": [_span("Pay was withheld", "remittance"), _span("Passports were kept", "working_hours")],
        "bo": [_span("Pay was withheld", "remittance")],
        "cy": [_span("withheld for months", "remittance"), _span("Passports", "working_hours")],
    }
    src = tmp_path / "layers.jsonl"
    src.write_text("".join(json.dumps({"text": TEXT, "annotator": n, "status": "done", "spans": spans[n]}) + "\n"
                           for n in NAMES), encoding="utf-8")
    path = tmp_path / "db.sqlite3"
    result = run_cli(capsys, "--db", path, "import", src)
    assert result.code == 0, result.err
    return path


def _exported_annotators(path: Path) -> list[str]:
    return [json.loads(line)["annotator"] for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("spelling", [
    ("--annotator", "ana", "cy"),
    ("--annotator", "ana", "--annotator", "cy"),
    ("--annotator", "ana", "cy", "--annotator", "cy"),
])
def test_export_takes_several_names_after_one_flag_or_the_flag_repeated(capsys, tmp_path: Path, db: Path,
                                                                        spelling: tuple[str, ...]) -> None:
    out = tmp_path / "out.jsonl"
    # the names come before -o on purpose: the list stops at the next option
    result = run_cli(capsys, "--db", db, "export", *spelling, "-o", out)
    assert result.code == 0, result.err
    assert sorted(_exported_annotators(out)) == ["ana", "cy"]


def test_export_names_after_one_flag_write_the_same_bytes_as_the_repeated_flag(capsys, tmp_path: Path,
                                                                              db: Path) -> None:
    one, repeated = tmp_path / "one.jsonl", tmp_path / "repeated.jsonl"
    assert run_cli(capsys, "--db", db, "export", "-o", one, "--annotator", "bo", "cy", "--gold").code == 0
    assert run_cli(capsys, "--db", db, "export", "-o", repeated, "--annotator", "bo", "--gold",
                   "--annotator", "cy").code == 0
    assert one.read_bytes() == repeated.read_bytes()
    assert sorted(_exported_annotators(one)) == ["bo", "cy"]


def _agreement(capsys, db: Path, *args: str) -> dict:
    result = run_cli(capsys, "--db", db, "agreement", "--json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_agreement_takes_several_annotators_and_labels_after_one_flag(capsys, db: Path) -> None:
    one = _agreement(capsys, db, "--annotator", "ana", "cy", "--label", "remittance", "working_hours")
    repeated = _agreement(capsys, db, "--annotator", "ana", "--label", "remittance", "--annotator", "cy",
                          "--label", "working_hours")
    assert one == repeated
    assert one["annotators"] == ["ana", "cy"]
    only_remittance = _agreement(capsys, db, "--label", "remittance", "--annotator", "ana", "bo", "cy")
    assert only_remittance["annotators"] == ["ana", "bo", "cy"]
    assert list(only_remittance["per_label"]) == ["remittance"]
    assert only_remittance != _agreement(capsys, db, "--annotator", "ana", "bo", "cy")


def test_import_annotator_takes_one_name_so_paths_around_it_still_parse(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps({"text": TEXT, "spans": [_span("Pay", "remittance")]}) + "\n", encoding="utf-8")
    second.write_text(json.dumps({"text": TEXT + " Again.", "spans": [_span("Pay", "remittance")]}) + "\n",
                      encoding="utf-8")
    result = run_cli(capsys, "--db", db, "import", first, second, "--annotator", "dee")
    assert result.code == 0, result.err
    assert "2 documents added" in result.out
    third = tmp_path / "third.jsonl"
    third.write_text(json.dumps({"text": "Another text.", "spans": [{"start": 0, "end": 7, "label": "remittance"}]})
                     + "\n", encoding="utf-8")
    result = run_cli(capsys, "--db", db, "import", "--annotator", "eve", third)
    assert result.code == 0, result.err
    out = tmp_path / "out.jsonl"
    assert run_cli(capsys, "--db", db, "export", "-o", out, "--only-annotated").code == 0
    assert sorted(_exported_annotators(out)) == ["dee", "dee", "eve"]


def _usage_error(capsys, *args: str | Path) -> Run:
    capsys.readouterr()
    from annotator.cli import main

    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return Run(int(info.value.code or 0), captured.out, captured.err)


@pytest.mark.parametrize("command", [("export", "-o", "OUT"), ("import", "IN")])
def test_unknown_format_is_a_usage_error_in_one_line(capsys, tmp_path: Path, command: tuple[str, ...]) -> None:
    db = tmp_path / "db.sqlite3"
    args = [str(tmp_path / "x") if a in ("OUT", "IN") else a for a in command]
    result = _usage_error(capsys, "--db", db, *args, "--format", "nosuch")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("annotator: argument --format: invalid choice: 'nosuch' (choose from ")
    assert "jsonl" in result.err
    assert not db.exists() and not (tmp_path / "x").exists()


def test_format_choices_follow_the_direction(capsys, tmp_path: Path) -> None:
    """conll can only be written and html only read: each is refused where it cannot work."""
    result = _usage_error(capsys, "--db", tmp_path / "db", "import", tmp_path / "x.conll", "--format", "conll")
    assert result.code == 2 and "invalid choice: 'conll'" in result.err and "html" in result.err
    result = _usage_error(capsys, "--db", tmp_path / "db", "export", "-o", tmp_path / "x", "--format", "html")
    assert result.code == 2 and "invalid choice: 'html'" in result.err and "conll" in result.err


@pytest.mark.parametrize("args", [
    ("export",),  # -o missing
    ("export", "-o", "x", "--annotator"),  # a NAME ... option with no name
    ("agreement", "--label"),
    ("export", "-o", "x", "--bogus"),
    ("nosuch-command",),
    ("db", "role", "ana", "emperor"),
])
def test_a_wrong_command_line_exits_2_with_one_line(capsys, tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _usage_error(capsys, "--db", tmp_path / "db.sqlite3", *args)
    assert result.code == 2
    assert result.err.startswith("annotator: ") and result.err.count("\n") == 1, result.err
    assert not (tmp_path / "db.sqlite3").exists()
