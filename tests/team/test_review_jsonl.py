"""Layer reviews in native JSONL: the ``review`` object is written when a layer has one, omitted otherwise,
read back on import (byte-identical re-export), and a malformed one is one clear line — on both dialects.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store import repository as repo
from annotator.store.assignments import review_of, set_review
from annotator.store.database import open_store
from tests.team.test_both_dialects import write_input


def _export(url: str, out: Path) -> list[dict]:
    assert main(["export", "-o", str(out), "--db", url]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_a_review_is_exported_read_back_and_exported_again_identically(any_store_url: str, tmp_path: Path) -> None:
    assert main(["import", str(write_input(tmp_path / "in.jsonl")), "--db", any_store_url]) == 0
    before = _export(any_store_url, tmp_path / "before.jsonl")
    assert all("review" not in record for record in before)  # absent: older exports stay as they were
    store = open_store(any_store_url)
    try:
        with store.write() as session:
            repo.get_or_create_annotator(session, "lead")
            repo.set_role(session, "lead", "curator")
            alpha = repo.find_document(session, doc_id="alpha").id
            zeta = repo.find_document(session, doc_id="Zeta").id
            set_review(session, "lead", alpha, "ana", "approved", "")
            set_review(session, "lead", zeta, "ben", "returned", "the “injury” is a rumour; see ¶2")
    finally:
        store.close()
    first = tmp_path / "first.jsonl"
    records = _export(any_store_url, first)
    reviews = {(r["doc_id"], r["annotator"]): r.get("review") for r in records}
    assert reviews[("alpha", "ana")]["state"] == "approved" and reviews[("alpha", "ana")]["by"] == "lead"
    returned = reviews[("Zeta", "ben")]
    assert returned["comment"] == "the “injury” is a rumour; see ¶2" and returned["at"].endswith("Z")
    assert [r for r in records if r["doc_id"] == "Zeta"][0]["status"] == "in_progress"  # returned reopens
    assert reviews[("alpha", "ben")] is None and "review" not in records[1]
    # Into a fresh store and out again: the same bytes.
    other = "sqlite:///" + str(tmp_path / "other.sqlite3")
    assert main(["import", str(first), "--db", other]) == 0
    second = tmp_path / "second.jsonl"
    _export(other, second)
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize(("review", "message"), [
    ({"state": "maybe", "by": "x", "at": "2026-01-01T00:00:00Z"}, "review state 'maybe' is not one of"),
    ({"state": "approved", "at": "2026-01-01T00:00:00Z"}, "'review' needs 'by'"),
    ({"state": "approved", "by": "x", "at": "yesterday"}, "is not an ISO-8601 time"),
    ("approved", "'review' must be an object"),
])
def test_a_malformed_review_is_refused_with_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     review: object, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "A shift.", "annotator": "ana", "status": "done", "spans": [],
                                "review": review}) + "\n", encoding="utf-8")
    db = str(tmp_path / "x.sqlite3")
    capsys.readouterr()
    assert main(["import", str(path), "--db", db]) == 1
    err = capsys.readouterr().err
    assert message in err and "line 1" in err


def test_an_offset_time_is_read_as_utc(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"doc_id": "d", "text": "A shift.", "annotator": "ana", "status": "done",
                                "spans": [], "review": {"state": "approved", "by": "lead",
                                                        "at": "2026-05-01T11:30:00+02:00"}}) + "\n")
    db = str(tmp_path / "x.sqlite3")
    assert main(["import", str(path), "--db", db]) == 0
    store = open_store(db)
    try:
        with store.session() as session:
            review = review_of(session, repo.find_document(session, doc_id="d").id, "ana")
    finally:
        store.close()
    assert review is not None and (review.at, review.comment) == ("2026-05-01T09:30:00Z", "")
