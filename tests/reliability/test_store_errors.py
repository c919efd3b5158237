"""Every driver failure in a store write reaches the caller as StoreError, worded for a person.

The database here is a real SQLite file opened with ``mode=ro``, and the store is told it may write
(as in tests/ui/test_app.py), so each write really reaches SQLite and is refused there — the same path a
file made read-only behind the app's back takes. Nothing SQLAlchemy- or driver-specific may leak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import InvalidRequestError

from annotator.core.errors import AnnotatorError
from annotator.core.model import DocumentRecord
from annotator.core.scheme import Label, Scheme
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.store.errors import StoreError, describe_failure
from annotator.store.models import Span
from tests.hostile.dbstate import snapshot

TEXT = "The contractor kept drivers on the road for 14 hours a day."
NEW_TEXT = "A new article about sanctions on the shipping agent."


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, int, int]:
    db = tmp_path / "ro.sqlite3"
    store = open_store(db)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            row, _ = repo.add_document(session, DocumentRecord("d1", TEXT, text_sha256(TEXT), {"title": "t"}))
            span = repo.add_span(session, row.id, "analyst", 0, 14, "working_hours")
            return db, row.id, span.id
    finally:
        store.close()


@pytest.fixture
def refusing(seeded: tuple[Path, int, int]) -> Iterator[tuple[Store, int, int]]:
    """A store that believes it may write to a file SQLite opened read-only."""
    db, document_id, span_id = seeded
    store = open_store(db, read_only=True)
    store.read_only = False  # the write reaches SQLite and fails there
    try:
        yield store, document_id, span_id
    finally:
        store.close()


WRITES: dict[str, Callable[[Any, int, int], object]] = {
    "add_span": lambda s, d, _sp: repo.add_span(s, d, "analyst", 15, 22, "injury"),
    "delete_span": lambda s, _d, sp: repo.delete_span(s, sp),
    "update_span label": lambda s, _d, sp: repo.update_span(s, sp, label="injury"),
    "update_span bounds": lambda s, _d, sp: repo.update_span(s, sp, start=1, end=14),
    "update_span note": lambda s, _d, sp: repo.update_span(s, sp, note="checked"),
    "set_status": lambda s, d, _sp: repo.set_status(s, d, "analyst", "done"),
    "new layer": lambda s, d, _sp: repo.get_or_create_layer(s, d, "someone-new"),
    "new annotator": lambda s, _d, _sp: repo.get_or_create_annotator(s, "someone-new"),
    "set_role": lambda s, _d, _sp: repo.set_role(s, "analyst", "curator"),
    "add_document": lambda s, _d, _sp: repo.add_document(
        s, DocumentRecord("d2", NEW_TEXT, text_sha256(NEW_TEXT), {})),
    "add_label": lambda s, _d, _sp: repo.add_label(s, Label("wage_theft", "Wage theft", "#123456", "", "", 9)),
    "save_scheme": lambda s, _d, _sp: repo.save_scheme(
        s, Scheme([Label("injury", "Hurt", "#654321", "", "", 0)])),
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_refused_write_is_a_readable_store_error(refusing: tuple[Store, int, int], seeded, write: str) -> None:
    store, document_id, span_id = refusing
    before = snapshot(seeded[0])
    with pytest.raises(StoreError) as caught, store.write() as session:
        WRITES[write](session, document_id, span_id)
    message = str(caught.value)
    assert "read-only" in message and "not saved" in message, message
    assert "\n" not in message and "Traceback" not in message
    assert "sqlalchemy" not in message.lower() and "sqlite3." not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no driver chain on show
    assert describe_failure(caught.value) == message
    assert snapshot(seeded[0]) == before
    with store.session() as session:  # still readable afterwards, with the last saved state
        assert [s.id for s in repo.list_spans(session, document_id, "analyst")] == [span_id]


def test_a_write_slipped_into_a_reading_session_is_a_store_error(refusing: tuple[Store, int, int]) -> None:
    store, _, _ = refusing
    with pytest.raises(StoreError, match="read-only"), store.session() as session:
        session.execute(insert(Span).values(layer_id=1, start=0, end=3, label_id=1, quote="The", attributes={}))


def test_the_read_only_flag_refuses_with_a_store_error(seeded: tuple[Path, int, int]) -> None:
    store = open_store(seeded[0], read_only=True)
    try:
        with pytest.raises(StoreError, match="open read-only; nothing was changed"), store.write():
            pass
    finally:
        store.close()


def test_a_conflict_with_stored_data_is_a_store_error(seeded: tuple[Path, int, int]) -> None:
    store = open_store(seeded[0])
    try:
        with pytest.raises(StoreError, match="conflicts with stored data"), store.write() as session:
            session.execute(text("INSERT INTO annotators (id, name, role, created) "
                                 "SELECT id, name, role, created FROM annotators LIMIT 1"))
    finally:
        store.close()


def test_other_sqlalchemy_errors_are_worded_as_the_app_always_worded_them(seeded: tuple[Path, int, int]) -> None:
    store = open_store(seeded[0])
    try:
        with pytest.raises(StoreError) as caught, store.write():
            raise InvalidRequestError("session state is inconsistent")
        assert str(caught.value) == "The database refused the change (InvalidRequestError). Nothing was saved."
        assert isinstance(caught.value.__cause__, InvalidRequestError)  # kept for whoever debugs it
        with pytest.raises(StoreError) as caught, store.session():
            raise InvalidRequestError("session state is inconsistent")
        assert str(caught.value) == "The database refused the operation (InvalidRequestError)."
        # The caller's own errors pass through untouched.
        with pytest.raises(AnnotatorError) as own, store.write() as session:
            repo.add_span(session, seeded[1], "analyst", 5, 2, "injury")
        assert type(own.value) is AnnotatorError
    finally:
        store.close()


def test_a_located_store_error_stays_a_store_error() -> None:
    located = StoreError("the disk is full").at(path="batch.jsonl", line=3)
    assert isinstance(located, StoreError) and str(located) == "batch.jsonl, line 3: the disk is full"


def test_describe_failure_for_errors_that_never_passed_through_the_store() -> None:
    class Driver(Exception):
        pass

    class Wrapped(Exception):
        def __init__(self, orig: Exception) -> None:
            super().__init__("wrapped")
            self.orig = orig

    assert describe_failure(Wrapped(Driver("attempt to write a readonly database"))) == (
        "The database is read-only: the change was not saved.")
    assert describe_failure(Wrapped(Driver("no such table: spans\nmore"))) == (
        "The database refused the change (no such table: spans). Nothing was saved.")
    assert describe_failure(ValueError("x")) == "The database refused the change (ValueError). Nothing was saved."
