"""Acceptance for issue #16's store part: a JSONL with document fields, typed attributes and relations
imports, exports byte-identically, and survives ``db copy`` to PostgreSQL and back (byte-identical again).

The input file is written here by hand in the export's exact shape (key order, context, sorting), so
"byte-identical" means the importer kept every value and the exporter wrote it where the contract says.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.cli import main
from annotator.core.scheme_parts import FieldDef, RelationType
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.scheme_admin import replace_scheme
from tests.team.test_db_copy import _rows

TEXTS = {
    "a-crews": "Crews worked 20 hours a day; one man was badly hurt. Wages of 500 USD a month went to the state.",
    "b-camp": "An inspector found guards at the camp gate. Workers said their pay of 300 EUR a week was kept.",
}


def _span(text: str, quote: str, label: str, attributes: dict) -> dict:
    start = text.index(quote)
    end = start + len(quote)
    return {"start": start, "end": end, "label": label, "text": quote, "prefix": text[max(0, start - 32):start],
            "suffix": text[end:end + 32], "attributes": attributes, "note": None}


def _line(doc_id: str, annotator: str, spans: list[dict], fields: dict, relations: list[dict]) -> str:
    text = TEXTS[doc_id]
    record: dict = {"doc_id": doc_id, "text": text, "text_sha256": text_sha256(text), "meta": {},
                    "annotator": annotator, "status": "done", "spans": spans}
    if fields:
        record["doc_fields"] = fields
    if relations:
        record["relations"] = relations
    return json.dumps(record, ensure_ascii=False) + "\n"


def write_structured(path: Path) -> Path:
    a, b = TEXTS["a-crews"], TEXTS["b-camp"]
    lines = [
        _line("a-crews", "ana", [
            _span(a, "worked 20 hours a day", "working_hours", {"hours_per_day": 20}),
            _span(a, "badly hurt", "injury", {"severity": "serious"}),
            _span(a, "500 USD a month", "remittance", {"amount": 500, "currency": "USD", "period": "month"}),
            _span(a, "went to the state", "sanctions", {"source": "free text stays free"}),
        ], {"relevance": "relevant", "source_type": "first-hand testimony"},
            [{"from": 0, "to": 1, "label": "caused"}, {"from": 2, "to": 3, "label": "evades"}]),
        _line("a-crews", "ben", [
            _span(a, "20 hours a day", "working_hours", {"hours_per_day": 20.5}),
            _span(a, "hurt", "injury", {}),
        ], {"relevance": "partly"}, [{"from": 0, "to": 1, "label": "caused"}]),
        _line("b-camp", "ana", [
            _span(b, "guards at the camp gate", "surveillance", {}),
            _span(b, "300 EUR a week", "remittance", {"amount": 300, "currency": "EUR", "period": "week"}),
        ], {"source_type": "official statement"}, []),
        _line("b-camp", "ben", [_span(b, "guards", "surveillance", {})], {}, []),
    ]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _export(url: str, out: Path) -> bytes:
    assert main(["export", "-o", str(out), "--db", url]) == 0
    return out.read_bytes()


def test_fields_attributes_and_relations_survive_import_export_and_copy_both_ways(pg_url: str, tmp_path: Path) -> None:
    original = write_structured(tmp_path / "in.jsonl").read_bytes()
    source = "sqlite:///" + str(tmp_path / "source.sqlite3")
    assert main(["import", str(tmp_path / "in.jsonl"), "--db", source]) == 0
    assert _export(source, tmp_path / "source.jsonl") == original
    assert len(_rows(source)["relations"]) == 3 and len(_rows(source)["layer_fields"]) == 4

    assert main(["db", "copy", "--db", source, "--to", pg_url]) == 0
    assert _export(pg_url, tmp_path / "server.jsonl") == original
    assert _rows(pg_url) == _rows(source)  # every table, ids included: fields, relation types, attribute defs

    back = "sqlite:///" + str(tmp_path / "back.sqlite3")
    assert main(["db", "copy", "--db", back, "--from", pg_url]) == 0
    assert _export(back, tmp_path / "back.jsonl") == original
    assert _rows(back) == _rows(source)


def test_a_copied_database_keeps_its_own_scheme_parts_over_the_targets_default(tmp_path: Path) -> None:
    """A target opened once (so it holds the default scheme) takes the source's fields and relation types."""
    source = "sqlite:///" + str(tmp_path / "source.sqlite3")
    assert main(["import", str(write_structured(tmp_path / "in.jsonl")), "--db", source]) == 0
    store = open_store(source)
    try:
        with store.write() as session:
            scheme = repo.get_scheme(session)
            scheme.fields[0].options.append("unclear")
            scheme.fields.append(FieldDef("workers", "Workers", "number", order=5))
            scheme.relations.append(RelationType("paid_to", "Paid to", "#0072B2", ["remittance"], []))
            replace_scheme(session, scheme)
            wanted = repo.get_scheme(session)
    finally:
        store.close()
    target = "sqlite:///" + str(tmp_path / "target.sqlite3")
    opened = open_store(target)
    try:
        with opened.write() as session:
            repo.ensure_default_scheme(session)  # what the app does on first start
    finally:
        opened.close()
    assert main(["db", "copy", "--db", source, "--to", target]) == 0
    copied = open_store(target)
    try:
        with copied.session() as session:
            assert repo.get_scheme(session) == wanted
    finally:
        copied.close()
    assert _export(target, tmp_path / "target.jsonl") == _export(source, tmp_path / "source.jsonl")


def test_importing_fields_and_relations_directly_on_either_dialect(any_store_url: str, tmp_path: Path) -> None:
    """The importer's own path on PostgreSQL too (span ids from INSERT … RETURNING); a re-import adds nothing."""
    original = write_structured(tmp_path / "in.jsonl").read_bytes()
    assert main(["import", str(tmp_path / "in.jsonl"), "--db", any_store_url]) == 0
    assert _export(any_store_url, tmp_path / "out.jsonl") == original
    before = _rows(any_store_url)
    assert main(["import", str(tmp_path / "out.jsonl"), "--db", any_store_url]) == 0
    after = _rows(any_store_url)
    assert {k: v for k, v in after.items() if k != "layers"} == {k: v for k, v in before.items() if k != "layers"}
    assert _export(any_store_url, tmp_path / "again.jsonl") == original
