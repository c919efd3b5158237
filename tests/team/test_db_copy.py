"""``annotator db copy``: SQLite → PostgreSQL → SQLite keeps every row, id and role.

Identity is checked the way a user would: both stores exported with native JSONL compare byte for byte;
ids and roles (which the export does not carry) are compared table by table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.cli import main
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.assignments import assign, set_review
from annotator.store.database import open_store
from annotator.store.decisions import reject_group
from annotator.store.models import Base
from tests.team.test_both_dialects import write_input


def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, typed (datetimes, JSON) so the two dialects compare equal."""
    store = open_store(url)
    try:
        with store.session() as session:
            return {name: [tuple(r) for r in session.execute(select(table).order_by(*table.primary_key.columns))]
                    for name, table in Base.metadata.tables.items()}
    finally:
        store.close()


def _export(url: str, out: Path) -> bytes:
    assert main(["export", "-o", str(out), "--db", url]) == 0
    return out.read_bytes()


def _filled_sqlite(tmp_path: Path) -> str:
    """A SQLite store with two annotators, a curator, a gold layer, an added label and id gaps."""
    url = "sqlite:///" + str(tmp_path / "source.sqlite3")
    assert main(["import", str(write_input(tmp_path / "in.jsonl")), "--db", url]) == 0
    store = open_store(url)
    try:
        with store.write() as session:
            repo.set_role(session, "ben", "curator")
            doc = repo.find_document(session, doc_id="aB")
            assert doc is not None
            repo.add_label(session, repo.LabelRecord("wage_theft", "Wage theft", "#123456", "6", "unpaid", 9))
            doomed = repo.add_span(session, doc.id, "ana", 0, 8, "remittance", actor="ana")
            repo.add_span(session, doc.id, GOLD_ANNOTATOR, 9, 20, "wage_theft", actor="ben", note="agreed")
            repo.delete_span(session, doomed.id, actor="ana")  # leaves a gap in span ids
            repo.set_status(session, doc.id, GOLD_ANNOTATOR, "done", actor="ben")
            assert reject_group(session, doc.id, 0, 8, actor="ben")  # a curation decision travels too
            # Assignments and a review travel too (migration 0008).
            assign(session, "ben", ["ana", "ben"], overlap=0.5, seed=2)
            alpha = repo.find_document(session, doc_id="alpha")
            assert alpha is not None
            set_review(session, "ben", alpha.id, "ana", "approved", "clear quotes")
    finally:
        store.close()
    return url


def test_copy_to_postgres_and_back_is_identical(pg_url: str, tmp_path: Path) -> None:
    source = _filled_sqlite(tmp_path)
    original = _export(source, tmp_path / "source.jsonl")
    assert main(["db", "copy", "--db", source, "--to", pg_url]) == 0
    assert _export(pg_url, tmp_path / "server.jsonl") == original
    assert _rows(pg_url) == _rows(source)
    assert len(_rows(source)["curation_decisions"]) == 1
    assert len(_rows(source)["assignments"]) == 6 and len(_rows(source)["layer_reviews"]) == 1
    assert b'"review": {"state": "approved", "by": "ben", "comment": "clear quotes", "at": "' in original

    back = "sqlite:///" + str(tmp_path / "back.sqlite3")
    assert main(["db", "copy", "--db", back, "--from", pg_url]) == 0
    assert _export(back, tmp_path / "back.jsonl") == original
    assert _rows(back) == _rows(source)
    assert ("ben", "curator") in [(r[1], r[2]) for r in _rows(back)["annotators"]]  # id, name, role, created
    # The copied-back SQLite file indexes its documents for search by itself.
    from annotator.store.queries import DocumentFilter, document_ids

    store = open_store(back)
    try:
        with store.write() as session:
            assert len(document_ids(session, None, DocumentFilter(search="inspector"))) == 1
    finally:
        store.close()

    # Sequences were moved past the copied ids: a new span on the server gets a fresh id.
    store = open_store(pg_url)
    try:
        with store.write() as session:
            doc = repo.find_document(session, doc_id="Zeta")
            assert doc is not None
            new = repo.add_span(session, doc.id, "ana", 0, 2, "injury", actor="ana")
        assert new.id > max(r[0] for r in _rows(source)["spans"])
    finally:
        store.close()


def test_copy_refuses_a_target_that_holds_data(pg_url: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    source = _filled_sqlite(tmp_path)
    assert main(["db", "copy", "--db", source, "--to", pg_url]) == 0
    before = _rows(pg_url)
    capsys.readouterr()
    assert main(["db", "copy", "--db", source, "--to", pg_url]) == 1
    err = capsys.readouterr().err
    assert "is not empty" in err and "export one and import it" in err and err.count("\n") == 1
    assert _rows(pg_url) == before


def test_copy_into_the_same_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _filled_sqlite(tmp_path)
    assert main(["db", "copy", "--db", source, "--to", source]) == 1
    assert "are the same database" in capsys.readouterr().err


def test_copy_needs_a_direction(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["db", "copy", "--db", str(tmp_path / "x.sqlite3")])
    assert info.value.code == 2
