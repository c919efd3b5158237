"""The foundation's acceptance through the real command line: import, export, verify, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, snapshot

ARTICLE_A = (
    "Shipyard crews report sixteen-hour shifts\n\n"
    "Crews at the northern yard said supervisors kept them on deck from dawn until after midnight, "
    "with one rest day a month. A welder who fell from scaffolding was treated in the dormitory.\n"
)
ARTICLE_B = "Minders collect passports on arrival\r\n\r\nThe men's documents were locked in the office safe. 😊\r\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "nested" / "b.md").write_bytes(ARTICLE_B.encode("utf-8"))
    (folder / "c.html").write_text(
        "<html><head><title>Wages sent home</title><script>alert(1)</script></head><body><nav>menu</nav>"
        "<article><h1>Wages sent home</h1><p>Most of each month's pay was handed to the state company, "
        "leaving the workers a small allowance for food and soap.</p><p>Relatives said the transfers "
        "stopped after the sanctions were tightened in the spring of that year.</p></article></body></html>",
        encoding="utf-8",
    )
    return folder


def test_import_export_reimport_is_byte_identical_and_verified(capsys, tmp_path: Path, corpus: Path) -> None:
    db1, db2 = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    result = run_cli(capsys, "--db", db1, "import", corpus)
    assert result.code == 0, result.err
    assert "3 documents added" in result.out
    layer = {
        "text": ARTICLE_A,
        "annotator": "ana",
        "status": "done",
        "spans": [{"start": ARTICLE_A.index("sixteen"), "end": ARTICLE_A.index("sixteen") + 19, "label": "working_hours"}],
    }
    layers_file = tmp_path / "layers.jsonl"
    layers_file.write_text(json.dumps(layer) + "\n", encoding="utf-8")
    result = run_cli(capsys, "--db", db1, "import", layers_file)
    assert result.code == 0 and "1 duplicate" in result.out and "1 span" in result.out
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run_cli(capsys, "--db", db1, "export", "-o", a).code == 0
    assert run_cli(capsys, "--db", db2, "import", a).code == 0
    assert run_cli(capsys, "--db", db2, "export", "-o", b).code == 0
    assert a.read_bytes() == b.read_bytes()
    lines = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    annotated = [rec for rec in lines if rec["annotator"] == "ana"][0]
    span = annotated["spans"][0]
    assert annotated["text"][span["start"] : span["end"]] == span["text"] == "sixteen-hour shifts"
    crlf_doc = [rec for rec in lines if "passports" in rec["text"]][0]
    assert "\r" not in crlf_doc["text"] and crlf_doc["meta"]["title"] == "Minders collect passports on arrival"
    html_doc = [rec for rec in lines if "allowance" in rec["text"]][0]
    assert "alert" not in html_doc["text"] and "menu" not in html_doc["text"]
    result = run_cli(capsys, "--db", db2, "verify")
    assert result.code == 0 and "verified 1 spans" in result.out


def test_export_filters_by_annotator_and_gold(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    records = [
        {"text": "Pay was withheld.", "annotator": name, "spans": [{"start": 0, "end": 3, "label": "remittance"}]}
        for name in ("ana", "gold", "bo")
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run_cli(capsys, "--db", db, "import", src).code == 0
    out = tmp_path / "gold.jsonl"
    assert run_cli(capsys, "--db", db, "export", "-o", out, "--gold").code == 0
    assert [json.loads(x)["annotator"] for x in out.read_text().splitlines()] == ["gold"]
    assert run_cli(capsys, "--db", db, "export", "-o", out, "--annotator", "bo", "--annotator", "ana").code == 0
    assert [json.loads(x)["annotator"] for x in out.read_text().splitlines()] == ["ana", "bo"]


def _jsonl(path: Path, *records: object) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


GOOD = {"text": "Twelve hours a day.", "annotator": "ana", "spans": [{"start": 0, "end": 12, "label": "working_hours"}]}

BAD_INPUTS = {
    "invalid_utf8": (lambda p: (p / "bad.txt").write_bytes("naïve café résumé déjà ".encode() * 3 + b"\xff\xfe\xfa"),
                     "bad.txt", "invalid UTF-8 at byte"),
    "unknown_encoding": (lambda p: (p / "odd.txt").write_bytes(bytes(range(0x80, 0x100)) * 2),
                         "odd.txt", "encoding"),
    "binary": (lambda p: (p / "pic.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)),
               "pic.txt", "binary file"),
    "empty": (lambda p: (p / "empty.txt").write_bytes(b""), "empty.txt", "the file is empty"),
    "not_json": (lambda p: _jsonl(p / "x.jsonl", GOOD, "{not json"), "x.jsonl, line 2", "not valid JSON"),
    "no_text": (lambda p: _jsonl(p / "x.jsonl", GOOD, {"spans": []}), "x.jsonl, line 2", "no 'text'"),
    "out_of_range": (lambda p: _jsonl(p / "x.jsonl", GOOD, {"text": "abc", "annotator": "a",
                     "spans": [{"start": 1, "end": 9, "label": "injury"}]}), "x.jsonl, line 2", "beyond the end"),
    "reversed": (lambda p: _jsonl(p / "x.jsonl", GOOD, {"text": "abcdef", "annotator": "a",
                 "spans": [{"start": 4, "end": 2, "label": "injury"}]}), "x.jsonl, line 2", "reversed"),
    "quote_missing": (lambda p: _jsonl(p / "x.jsonl", GOOD, {"text": "abcdef", "annotator": "a",
                      "spans": [{"start": 0, "end": 2, "label": "injury", "text": "zz"}]}),
                      "x.jsonl, line 2", "does not occur in the text"),
    "unknown_label": (lambda p: _jsonl(p / "x.jsonl", GOOD, {"text": "abcdef", "annotator": "a",
                      "spans": [{"start": 0, "end": 2, "label": "bribery"}]}), "x.jsonl, line 2", "unknown label 'bribery'"),
    "missing_file": (lambda p: None, "nope.txt", "no such file"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_clear_line_and_changes_nothing(capsys, tmp_path: Path, case: str) -> None:
    make, where, reason = BAD_INPUTS[case]
    db = tmp_path / "db.sqlite3"
    seed = _jsonl(tmp_path / "seed.jsonl", {"text": "Existing article.", "annotator": "old",
                                            "spans": [{"start": 0, "end": 8, "label": "injury"}]})
    assert run_cli(capsys, "--db", db, "import", seed).code == 0
    before = snapshot(db)
    inputs = tmp_path / "in"
    inputs.mkdir()
    make(inputs)
    target = inputs / where.split(",")[0]
    result = run_cli(capsys, "--db", db, "import", target)
    assert result.code == 1
    error_lines = [line for line in result.err.splitlines() if line.startswith("annotator:")]
    assert len(error_lines) == 1, result.err
    assert where in error_lines[0] and reason in error_lines[0], error_lines[0]
    assert "Traceback" not in result.err
    assert snapshot(db) == before


def test_skip_bad_keeps_the_valid_records_only(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    src = _jsonl(tmp_path / "x.jsonl", GOOD, "{oops", {"text": "abc", "annotator": "a", "spans": [{"start": 2, "end": 1, "label": "injury"}]})
    result = run_cli(capsys, "--db", db, "import", src, "--skip-bad")
    assert result.code == 0
    assert "1 document added" in result.out and "2 bad records skipped" in result.out
    assert "x.jsonl, line 2" in result.err and "x.jsonl, line 3" in result.err


def test_add_labels_extends_the_scheme(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    src = _jsonl(tmp_path / "x.jsonl", {"text": "A bribe was paid.", "annotator": "a", "spans": [{"start": 2, "end": 7, "label": "bribery"}]})
    assert run_cli(capsys, "--db", db, "import", src).code == 1
    result = run_cli(capsys, "--db", db, "import", src, "--add-labels")
    assert result.code == 0 and "labels added: bribery" in result.out
    scheme = tmp_path / "scheme.json"
    assert run_cli(capsys, "--db", db, "scheme", "export", "-o", scheme).code == 0
    assert "bribery" in [lbl["key"] for lbl in json.loads(scheme.read_text())["labels"]]


def test_legacy_encoding_is_detected_and_reported(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    src = tmp_path / "ru.txt"
    src.write_bytes("Рабочих отправили на стройку в Приморье, где смены длились по четырнадцать часов.".encode("cp1251"))
    result = run_cli(capsys, "--db", db, "import", src)
    assert result.code == 0 and "1 document added" in result.out
    assert "cp1251" in result.err and "ru.txt" in result.err


def test_utf16_with_bom_is_read(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    src = tmp_path / "u16.txt"
    src.write_bytes("Workers 😊 paid late".encode("utf-16"))
    assert run_cli(capsys, "--db", db, "import", src).code == 0
    out = tmp_path / "o.jsonl"
    run_cli(capsys, "--db", db, "export", "-o", out)
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == "Workers 😊 paid late"


def test_unwritable_database_path_is_a_clear_error(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    src = _jsonl(tmp_path / "x.jsonl", GOOD)
    result = run_cli(capsys, "--db", blocker / "sub" / "db.sqlite3", "import", src)
    assert result.code == 1
    assert result.err.startswith("annotator: ") and "cannot create the database folder" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_verify_reports_a_tampered_quote(capsys, tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "db.sqlite3"
    assert run_cli(capsys, "--db", db, "import", _jsonl(tmp_path / "x.jsonl", GOOD)).code == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE spans SET start = start + 1")
    con.commit()
    con.close()
    result = run_cli(capsys, "--db", db, "verify")
    assert result.code == 3 and "1 of 1 spans do not match" in result.err
    assert "'Twelve hours'" in result.out


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "--version")
    assert exit_info.value.code == 0
    assert "annotator 0.1.0" in capsys.readouterr().out


def test_html_article_metadata_is_extracted_and_markup_dropped(capsys, tmp_path: Path) -> None:
    db, out = tmp_path / "db.sqlite3", tmp_path / "out.jsonl"
    source = Path(__file__).resolve().parents[1] / "data" / "article_with_metadata.html"
    assert run_cli(capsys, "--db", db, "import", source).code == 0
    assert run_cli(capsys, "--db", db, "export", "-o", out).code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["meta"] == {
        "title": "Wages sent home",
        "source": "Example News",
        "url": "https://news.example.org/2025/06/wages-sent-home",
        "published": "2025-06-21",
        "filename": "article_with_metadata.html",
    }
    assert record["text"].startswith("Wages sent home\n\nMost of each month's pay")
    for dropped in ("Home | World", "Copyright", "tracker", "ads.example", "img.example"):
        assert dropped not in record["text"]


def test_documents_without_layers_stay_without_layers_for_a_named_user(capsys, tmp_path: Path, monkeypatch) -> None:
    """An export's `"annotator": null` lines are documents only, even when the importing user has a name."""
    monkeypatch.setenv("ANNOTATOR_USER", "lead")
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "one.txt").write_text(ARTICLE_A, encoding="utf-8")
    (corpus / "two.txt").write_text(ARTICLE_B, encoding="utf-8")
    db1, db2, a, b = tmp_path / "1.sqlite3", tmp_path / "2.sqlite3", tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert run_cli(capsys, "--db", db1, "import", corpus).code == 0
    assert run_cli(capsys, "--db", db1, "export", "-o", a).code == 0
    result = run_cli(capsys, "--db", db2, "import", a)
    assert result.code == 0 and "0 layers" in result.out
    assert run_cli(capsys, "--db", db2, "export", "-o", b).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_unrecognised_json_is_refused_not_guessed(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    stray = tmp_path / "settings.json"
    stray.write_text(json.dumps({"theme": "dark", "note": "not annotations"}), encoding="utf-8")
    result = run_cli(capsys, "--db", db, "import", stray)
    assert result.code == 1
    assert "settings.json, line 1: not a Label Studio task" in result.err
    assert "neither a 'data' object nor a 'text'" in result.err


def test_export_of_an_unknown_annotator_is_refused(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    assert run_cli(capsys, "--db", db, "import", _jsonl(tmp_path / "x.jsonl", GOOD)).code == 0
    out = tmp_path / "out.jsonl"
    result = run_cli(capsys, "--db", db, "export", "-o", out, "--annotator", "anna")
    assert result.code == 1 and "no annotator called 'anna'" in result.err and "known: ana" in result.err
    assert not out.exists()


def test_a_bad_scheme_file_names_the_file(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    scheme = tmp_path / "scheme.json"
    scheme.write_text(json.dumps({"labels": [{"key": "two words"}]}), encoding="utf-8")
    result = run_cli(capsys, "--db", db, "scheme", "import", scheme)
    assert result.code == 1 and "scheme.json: label 'two words' is not a valid key" in result.err


def test_spans_already_stored_are_counted_not_silently_dropped(capsys, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    twice = dict(GOOD, spans=GOOD["spans"] * 2)  # the same span repeated within one record
    src = _jsonl(tmp_path / "x.jsonl", twice)
    result = run_cli(capsys, "--db", db, "import", src)
    assert result.code == 0 and "; 1 span; 1 repeated span skipped" in result.out
    assert "x.jsonl, line 1: span 0-12 'working_hours' (“Twelve hours”) is given more than once" in result.err
    result = run_cli(capsys, "--db", db, "import", src)
    assert result.code == 0 and "; 0 spans; 1 span already there; 1 repeated span skipped" in result.out
