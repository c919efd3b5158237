"""``annotator train``, ``suggest`` and ``patterns``: the binding command line, and its one-line refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli, snapshot
from tests.model_helpers import write_layers

Capsys = pytest.CaptureFixture[str]


def model_rows(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return list(con.execute("SELECT id, trained_by, size FROM suggestion_models ORDER BY id"))
    finally:
        con.close()


@pytest.fixture
def trained_db(tmp_path: Path, capsys: Capsys) -> Path:
    db = tmp_path / "t.sqlite3"
    assert run_cli(capsys, "--db", db, "import", write_layers(tmp_path / "a.jsonl", 0, 30)).code == 0
    assert run_cli(capsys, "--db", db, "import", write_layers(tmp_path / "new.jsonl", 500, 4, None)).code == 0
    return db


def test_train_prints_held_out_scores_and_stores_the_model(trained_db: Path, capsys: Capsys) -> None:
    run = run_cli(capsys, "--db", trained_db, "train", "--annotator", "ana")
    assert run.code == 0, run.err
    assert "trained on 24 documents" in run.out and "held out 6 documents" in run.out
    lines = {line.split()[0]: line.split() for line in run.out.splitlines() if line.split()}
    assert set(lines) >= {"working_hours", "injury", "surveillance", "remittance", "sanctions", "all"}
    assert float(lines["all"][4]) >= 0.7  # overlap F1 of every label together
    assert len(model_rows(trained_db)) == 1

    run = run_cli(capsys, "--db", trained_db, "train", "--label", "injury", "sanctions", "--json", "--curve")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert data["trained_on"]["labels"] == ["injury", "sanctions"]
    assert set(data["held_out"]) == {"injury", "sanctions", "*"}
    assert [n for n, _f1 in data["curve"]] == [10, 24]
    assert data["held_out"]["*"]["precision"] is not None and 0 <= data["held_out"]["*"]["f1"] <= 1
    assert len(model_rows(trained_db)) == 2


def test_suggest_writes_native_jsonl_with_scores(trained_db: Path, tmp_path: Path, capsys: Capsys) -> None:
    assert run_cli(capsys, "--db", trained_db, "train").code == 0
    out = tmp_path / "model.jsonl"
    run = run_cli(capsys, "--db", trained_db, "suggest", "-o", out, "--only-unannotated", "--min-score", "0.5")
    assert run.code == 0, run.err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == [f"gen-{i:06d}" for i in range(500, 504)]
    assert {r["annotator"] for r in records} == {"model"}
    spans = [s for r in records for s in r["spans"]]
    assert spans and all(0.5 <= s["attributes"]["score"] <= 1 and s["attributes"]["source"] == "model" for s in spans)
    assert all(r["text"][s["start"]:s["end"]] == s["text"] for r in records for s in r["spans"])
    # the output imports as a layer to compare with an analyst's
    assert run_cli(capsys, "--db", trained_db, "import", out).code == 0
    con = sqlite3.connect(trained_db)
    assert con.execute("SELECT count(*) FROM layers JOIN annotators a ON a.id = annotator_id "
                       "WHERE a.name = 'model'").fetchone()[0] == 4
    con.close()
    # over every document, the model's layer compares with the analyst's in the agreement figures
    every = tmp_path / "every.jsonl"
    assert run_cli(capsys, "--db", trained_db, "suggest", "-o", every).code == 0
    assert run_cli(capsys, "--db", trained_db, "import", every).code == 0
    run = run_cli(capsys, "--db", trained_db, "agreement", "--annotator", "ana", "model", "--json")
    assert run.code == 0, run.err
    report = json.loads(run.out)
    assert report["documents"] == 30 and report["annotators"] == ["ana", "model"]


def test_patterns_import_export_round_trip(tmp_path: Path, capsys: Capsys) -> None:
    db = tmp_path / "p.sqlite3"
    src = Path(__file__).resolve().parents[2] / "docs" / "examples" / "patterns.jsonl"
    run = run_cli(capsys, "--db", db, "patterns", "import", src)
    assert run.code == 0, run.err
    out = tmp_path / "back.jsonl"
    assert run_cli(capsys, "--db", db, "patterns", "export", "-o", out).code == 0
    original = [json.loads(line) for line in src.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("//")]
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == original
    assert {r["label"] for r in original} == {"working_hours", "injury", "surveillance", "remittance", "sanctions"}


def test_bad_input_is_one_line_and_changes_nothing(tmp_path: Path, capsys: Capsys) -> None:
    db = tmp_path / "b.sqlite3"
    assert run_cli(capsys, "--db", db, "import", write_layers(tmp_path / "a.jsonl", 0, 8, status="in_progress")).code == 0

    def refused(*args: str | Path) -> str:
        before = snapshot(db), model_rows(db)
        run = run_cli(capsys, "--db", db, *args)
        assert run.code == 1 and run.out == ""
        assert run.err.count("\n") == 1 and run.err.startswith("annotator: "), run.err
        assert (snapshot(db), model_rows(db)) == before
        return run.err.strip()

    assert "nothing to train on: no analyst's layer is marked done" in refused("train")
    assert "no annotator named 'bo'" in refused("train", "--annotator", "bo")
    assert "no model has been trained yet" in refused("suggest", "-o", tmp_path / "s.jsonl")
    assert not (tmp_path / "s.jsonl").exists()
    assert run_cli(capsys, "--db", db, "import", write_layers(tmp_path / "d.jsonl", 0, 3)).code == 0  # 3 done, ~12 spans
    assert "label 'injury' has" in refused("train", "--label", "injury")
    assert "unknown label 'wages'" in refused("train", "--label", "wages")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"label": "injury", "pattern": "fell"}\n{"label": "injury", "regex": "[unclosed"}\n', encoding="utf-8")
    assert refused("patterns", "import", bad).startswith(f"annotator: {bad}:2: bad regular expression '[unclosed'")
    bad.write_text('{"label": "wages", "pattern": "fell"}\n', encoding="utf-8")
    assert "rule 1: unknown label 'wages'" in refused("patterns", "import", bad)
    # a corrupt stored model
    assert run_cli(capsys, "--db", db, "import", write_layers(tmp_path / "e.jsonl", 100, 12)).code == 0
    assert run_cli(capsys, "--db", db, "train").code == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE suggestion_models SET data = CAST(substr(data, 1, 60) || x'00ff00ff' || substr(data, 65) AS BLOB)")
    con.commit()
    con.close()
    assert "the stored model is corrupt" in refused("suggest", "-o", tmp_path / "s.jsonl")
