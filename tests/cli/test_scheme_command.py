"""``annotator scheme export`` / ``scheme import`` with version 2 files: fields, typed attributes and relation
types travel between databases; version 1 files are still imported; mistakes are one line naming the key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.scheme import default_scheme
from annotator.store import repository as repo
from annotator.store.database import open_store
from tests.cli_helpers import run_cli, snapshot


def _scheme(db: Path):  # type: ignore[no-untyped-def]
    store = open_store(db)
    try:
        with store.session() as session:
            return repo.get_scheme(session)
    finally:
        store.close()


def test_export_writes_version_2_and_another_database_imports_it_whole(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    out = tmp_path / "scheme.json"
    payload = json.loads(default_scheme().to_json())
    payload["fields"].append({"key": "workers", "name": "Workers", "kind": "number"})
    payload["relations"].append({"key": "paid_to", "name": "Paid to", "color": "#0072B2", "from": ["remittance"]})
    payload["labels"][0]["attributes"].append({"key": "basis", "kind": "choice", "options": ["testimony", "document"],
                                               "required": True})
    (tmp_path / "edited.json").write_text(json.dumps(payload), encoding="utf-8")
    done = run_cli(capsys, "scheme", "import", tmp_path / "edited.json", "--db", first)
    assert done.code == 0 and "imported 5 labels, 3 document fields and 3 relation types" in done.out
    done = run_cli(capsys, "scheme", "export", "-o", out, "--db", first)
    assert done.code == 0 and "exported 5 labels, 3 document fields and 3 relation types" in done.out
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["version"] == 2 and [f["key"] for f in written["fields"]] == ["relevance", "source_type", "workers"]
    assert written["labels"][0]["attributes"][1] == {"key": "basis", "kind": "choice",
                                                     "options": ["testimony", "document"], "required": True}
    assert run_cli(capsys, "scheme", "import", out, "--db", second).code == 0
    assert _scheme(second) == _scheme(first)
    assert run_cli(capsys, "scheme", "export", "-o", tmp_path / "again.json", "--db", second).code == 0
    assert (tmp_path / "again.json").read_bytes() == out.read_bytes()


def test_a_new_database_exports_the_scheme_it_starts_with(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "scheme.json"
    assert run_cli(capsys, "scheme", "export", "-o", out, "--db", tmp_path / "new.sqlite3").code == 0
    assert out.read_text(encoding="utf-8") == default_scheme().to_json()


def test_a_version_1_file_is_imported_and_keeps_the_stored_fields(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    store = open_store(db)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)  # a database the app has opened
    finally:
        store.close()
    old = {"format": "annotator-scheme", "version": 1, "labels": [
        {"key": "wage_theft", "name": "Wage theft", "color": "#123456", "shortcut": "7", "guideline": "", "order": 9}]}
    (tmp_path / "v1.json").write_text(json.dumps(old), encoding="utf-8")
    done = run_cli(capsys, "scheme", "import", tmp_path / "v1.json", "--db", db)
    assert done.code == 0 and "imported 1 label, 0 document fields and 0 relation types" in done.out
    scheme = _scheme(db)
    assert scheme.get("wage_theft") is not None and scheme.get("injury") is not None
    assert [f.key for f in scheme.fields] == ["relevance", "source_type"]
    assert [r.key for r in scheme.relations] == ["caused", "evades"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p.update(colours=[]), "the scheme: unknown key 'colours'"),
    (lambda p: p["fields"][0].update(colour="red"), "field 'relevance': unknown key 'colour'"),
    (lambda p: p["relations"][0].update(sources=["injury"]), "relation 'caused': unknown key 'sources'"),
    (lambda p: p["labels"][1]["attributes"][0].update(requried=True),
     "label 'injury', attribute 'severity': unknown key 'requried'"),
    (lambda p: p["labels"][1].update(colour="#123456"), "label 'injury': unknown key 'colour'"),
    (lambda p: p.update(version=3), "scheme version 3 is not one this annotator reads"),
    (lambda p: p["fields"][0].update(kind="scale"), "field 'relevance': kind 'scale' is not one of"),
])
def test_unknown_keys_are_refused_with_the_key_named(capsys, tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "a.sqlite3"
    payload = json.loads(default_scheme().to_json())
    change(payload)
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    before = snapshot(db)
    done = run_cli(capsys, "scheme", "import", path, "--db", db)
    assert done.code == 1 and done.err.count("\n") == 1
    assert done.err.startswith(f"annotator: {path}: ") and message in done.err, done.err
    assert snapshot(db) == before
