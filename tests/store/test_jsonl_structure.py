"""Native JSONL ``doc_fields`` and ``relations`` through a real store: import, checks, export, re-import.

Each refusal is driven through the command line as a user meets it (one line naming file and line) and
checked to have stored nothing, every table included.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.importing import import_paths
from tests.cli_helpers import run_cli

TEXT = "Workers said they worked 20 hours a day and one was badly hurt. Wages of 500 USD a month went to Pyongyang."
TABLES = ("documents", "labels", "annotators", "layers", "spans", "field_defs", "relation_types", "layer_fields",
          "relations")


def span(quote: str, label: str, attributes: dict | None = None) -> dict:
    start = TEXT.index(quote)
    return {"start": start, "end": start + len(quote), "label": label, "text": quote, "attributes": attributes or {}}


def record(**changes: object) -> dict:
    """A layer with typed attributes, two document fields and one relation (hours caused the injury)."""
    base: dict = {
        "doc_id": "d1", "text": TEXT, "annotator": "ana", "status": "done",
        "spans": [span("badly hurt", "injury", {"severity": "serious"}),
                  span("worked 20 hours a day", "working_hours", {"hours_per_day": 20}),
                  span("500 USD a month", "remittance", {"amount": 500, "currency": "USD", "note_free": "x"})],
        "doc_fields": {"source_type": "re-reporting", "relevance": "relevant"},
        "relations": [{"from": 1, "to": 0, "label": "caused"}],
    }
    base.update(changes)
    return base


def write(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def rows(db: Path) -> dict[str, list[tuple]]:
    if not db.exists():
        return {}
    con = sqlite3.connect(db)
    try:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}
    finally:
        con.close()


def export(capsys: pytest.CaptureFixture[str], db: Path, out: Path) -> list[dict]:
    assert run_cli(capsys, "export", "-o", out, "--db", db).code == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_fields_attributes_and_relations_import_and_export_in_file_order(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    assert run_cli(capsys, "import", write(tmp_path / "in.jsonl", record()), "--db", db).code == 0
    (out,) = export(capsys, db, tmp_path / "out.jsonl")
    assert [s["label"] for s in out["spans"]] == ["working_hours", "injury", "remittance"]  # sorted by start
    assert out["relations"] == [{"from": 0, "to": 1, "label": "caused"}]  # re-pointed at the written order
    assert list(out["doc_fields"]) == ["relevance", "source_type"]  # keys sorted
    assert list(out)[-2:] == ["doc_fields", "relations"]
    assert out["spans"][2]["attributes"] == {"amount": 500, "currency": "USD", "note_free": "x"}  # free stays


def test_empty_fields_and_relations_are_omitted(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    plain = record(doc_fields={}, relations=[])
    assert run_cli(capsys, "import", write(tmp_path / "in.jsonl", plain), "--db", db).code == 0
    (out,) = export(capsys, db, tmp_path / "out.jsonl")
    assert "doc_fields" not in out and "relations" not in out


def test_reimporting_the_export_changes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    assert run_cli(capsys, "import", write(tmp_path / "in.jsonl", record()), "--db", db).code == 0
    export(capsys, db, tmp_path / "out.jsonl")
    before = rows(db)
    assert len(before["relations"]) == 1 and len(before["layer_fields"]) == 2
    assert run_cli(capsys, "import", tmp_path / "out.jsonl", "--db", db).code == 0
    after = rows(db)
    assert {t: after[t] for t in TABLES if t != "layers"} == {t: before[t] for t in TABLES if t != "layers"}
    export(capsys, db, tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "out.jsonl").read_bytes()


def test_a_span_already_stored_still_anchors_a_relation(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Spans skipped as already there (before the import, or given twice in the file) keep their index."""
    db = tmp_path / "a.sqlite3"
    first = record(relations=[], doc_fields={})
    assert run_cli(capsys, "import", write(tmp_path / "one.jsonl", first), "--db", db).code == 0
    spans = record()["spans"]
    second = record(spans=[spans[1], spans[1], span("Pyongyang", "sanctions"), spans[0], spans[2]],
                    relations=[{"from": 1, "to": 3, "label": "caused"}, {"from": 4, "to": 2, "label": "evades"}])
    done = run_cli(capsys, "import", write(tmp_path / "two.jsonl", second), "--db", db)
    assert done.code == 0, done.err
    assert "1 repeated span skipped" in done.out and "3 spans already there" in done.out
    (out,) = export(capsys, db, tmp_path / "out.jsonl")
    labels = [s["label"] for s in out["spans"]]
    assert labels == ["working_hours", "injury", "remittance", "sanctions"]
    assert out["relations"] == [{"from": 0, "to": 1, "label": "caused"}, {"from": 2, "to": 3, "label": "evades"}]
    assert len(rows(db)["spans"]) == 4


@pytest.mark.parametrize(("changes", "message"), [
    ({"relations": [{"from": 0, "to": 7, "label": "caused"}]}, "'to' is span index 7, but the layer has 3 spans"),
    ({"relations": [{"from": 1, "to": 1, "label": "caused"}]}, "links span #1 to itself"),
    ({"relations": ["caused"]}, "relation #1 is not an object"),
    ({"relations": {"from": 0}}, "'relations' must be a list"),
    ({"relations": [{"from": "1", "to": 0, "label": "caused"}]}, "'from' and 'to' must be span indexes"),
    ({"doc_fields": ["relevant"]}, "'doc_fields' must be an object"),
    ({"doc_fields": {"relevance": {"x": 1}}}, "document field 'relevance': a value is a string"),
    ({"doc_fields": {"colour": "red"}}, "unknown document field 'colour' (not in the scheme; use --add-labels"),
    ({"relations": [{"from": 1, "to": 0, "label": "blames"}]}, "unknown relation type 'blames'"),
    ({"relations": [{"from": 0, "to": 1, "label": "caused"}]},
     "relation 'caused' does not go from 'injury' to 'working_hours'"),
    ({"doc_fields": {"relevance": "very"}}, "document field 'relevance': expected one of ['relevant'"),
    ({"spans": [span("badly hurt", "injury", {"severity": 3})], "relations": []},
     "span #1 (injury): attribute 'severity': expected one of ['minor'"),
    ({"spans": [span("worked 20 hours a day", "working_hours", {"hours_per_day": "twenty"})], "relations": []},
     "attribute 'hours_per_day': expected a number, got 'twenty'"),
])
def test_a_bad_record_is_one_line_and_nothing_is_stored(tmp_path: Path, capsys, changes: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    good = record(doc_id="d0", text=TEXT + " Again.")
    path = write(tmp_path / "in.jsonl", good, record(**changes))
    done = run_cli(capsys, "import", path, "--db", db)
    assert done.code != 0
    (line,) = [line for line in done.err.splitlines() if line.strip()]
    assert f"{path}, line 2: " in line and message in line, line
    assert "Traceback" not in done.err
    stored = rows(db)
    assert not stored or not any(stored[t] for t in ("documents", "layers", "spans", "layer_fields", "relations"))


def test_skip_bad_skips_only_that_record(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    bad = record(doc_id="d2", text=TEXT + " Twice.", doc_fields={"relevance": 3})
    done = run_cli(capsys, "import", write(tmp_path / "in.jsonl", record(), bad), "--skip-bad", "--db", db)
    assert done.code == 0 and "1 bad record skipped" in done.out
    assert [r["doc_id"] for r in export(capsys, db, tmp_path / "out.jsonl")] == ["d1"]
    assert len(rows(db)["layer_fields"]) == 2


def test_add_labels_adds_fields_with_inferred_kinds_and_open_relation_types(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    first = record(doc_fields={"checked": True, "workers": 12, "topics": ["wages", "camps"], "remark": "see p. 2"},
                   relations=[{"from": 0, "to": 2, "label": "paid_for"}])
    second = record(doc_id="d2", text=TEXT + " More.", doc_fields={"topics": ["visas"]}, relations=[])
    done = run_cli(capsys, "import", write(tmp_path / "in.jsonl", first, second), "--add-labels", "--db", db)
    assert done.code == 0, done.err
    assert "fields added: checked, workers, topics, remark" in done.out
    assert "added as free text (change the kind in the scheme if they are choices): remark" in done.out
    assert "relation types added (linking any labels): paid_for" in done.out
    store = open_store(db)
    try:
        with store.session() as session:
            scheme = repo.get_scheme(session)
    finally:
        store.close()
    kinds = {f.key: (f.kind, f.options) for f in scheme.fields}
    assert kinds["checked"] == ("bool", []) and kinds["workers"] == ("number", []) and kinds["remark"] == ("text", [])
    assert kinds["topics"] == ("multi", ["camps", "visas", "wages"])  # options grow with what later records use
    paid = scheme.relation_type("paid_for")
    assert paid is not None and paid.sources == [] and paid.targets == []
    out = export(capsys, db, tmp_path / "out.jsonl")
    assert out[0]["doc_fields"]["topics"] == ["camps", "wages"]  # a multi value is written sorted
    assert out[0]["relations"] == [{"from": 1, "to": 2, "label": "paid_for"}]


def test_document_fields_without_an_annotator_need_one(tmp_path: Path) -> None:
    path = write(tmp_path / "in.jsonl", {"text": TEXT, "doc_fields": {"relevance": "partly"}})
    store = open_store(tmp_path / "a.sqlite3")
    try:
        summary = import_paths(store, [path])
        assert summary.refused and "document fields but no annotator" in summary.refused[0]
        summary = import_paths(store, [path], annotator="cleo")
        assert not summary.refused
        with store.session() as session:
            (item,) = list(repo.iter_annotated_documents(session))
        assert item.layers[0].annotator == "cleo" and item.layers[0].doc_fields == {"relevance": "partly"}
    finally:
        store.close()


def _statements_to_export(tmp_path: Path, documents: int) -> int:
    """How many SQL statements an export of ``documents`` documents, each with fields and a relation, runs."""
    from sqlalchemy import event

    lines = [record(doc_id=f"d{n:03}", text=f"{TEXT} Copy {n}.") for n in range(documents)]
    db = tmp_path / f"{documents}.sqlite3"
    store = open_store(db)
    try:
        assert not import_paths(store, [write(tmp_path / f"{documents}.jsonl", *lines)]).refused
        seen: list[str] = []
        event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
        with store.session() as session:
            items = list(repo.iter_annotated_documents(session))
        assert len(items) == documents and all(i.layers[0].relations and i.layers[0].doc_fields for i in items)
        return len(seen)
    finally:
        store.close()


def test_export_reads_fields_and_relations_per_chunk_not_per_document(tmp_path: Path) -> None:
    assert _statements_to_export(tmp_path, 40) == _statements_to_export(tmp_path, 4)


@pytest.mark.parametrize(("changes", "message"), [
    ({"doc_fields": {"k" * 5000: "x"}}, "document field 'kkkkkkkk"),
    ({"relations": [{"from": 1, "to": 0, "label": "r" * 5000}]}, "relation type 'rrrrr"),
    ({"doc_fields": {"two words": True}}, "document field 'two words' cannot be added: a key is a letter"),
    ({"relations": [{"from": 9, "to": 0, "label": "r" * 5000}]}, "'from' is span index 9"),
    ({"doc_fields": {"relevance": "bad \ud800 value"}}, "a document field 'relevance'"),
    ({"relations": [{"from": 1, "to": 0, "label": "caused\udcff"}]}, "a relation type"),
])
def test_hostile_keys_and_values_are_one_short_line(tmp_path: Path, capsys, changes: dict, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record(**changes)) + "\n", encoding="utf-8")  # ASCII escapes keep the surrogates
    done = run_cli(capsys, "import", path, "--add-labels", "--db", tmp_path / "a.sqlite3")
    assert done.code != 0 and done.err.count("\n") == 1 and len(done.err) < 400, done.err
    assert message in done.err and "Traceback" not in done.err


def test_a_field_value_in_the_file_replaces_the_stored_one(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    assert run_cli(capsys, "import", write(tmp_path / "one.jsonl", record()), "--db", db).code == 0
    changed = record(doc_fields={"relevance": "partly"})
    assert run_cli(capsys, "import", write(tmp_path / "two.jsonl", changed), "--db", db).code == 0
    (out,) = export(capsys, db, tmp_path / "out.jsonl")
    assert out["doc_fields"] == {"relevance": "partly", "source_type": "re-reporting"}  # the other one stays
    assert len(rows(db)["layer_fields"]) == 2 and len(rows(db)["relations"]) == 1
