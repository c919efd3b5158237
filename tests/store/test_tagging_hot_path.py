"""The tagging hot path (add, change, delete a span; set a status) on SQLite and a real PostgreSQL server.

These writes run as prepared Core statements with one SELECT for every check (annotator/store/span_sql.py).
What that must not lose, and what each test here would catch if a later speed-up did lose it: labels and
roles read fresh in every write (no stale cache), exact offsets checks and quotes, layer bookkeeping,
span ids restored by undo without colliding with new ones, and concurrent deletes counted once.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, func, select, text

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.model import GOLD_ANNOTATOR
from annotator.core.scheme import Label as LabelRecord
from annotator.core.text import check_bounds
from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.store.models import Layer, Span
from annotator.store.scheme_admin import replace_scheme
from tests.team.test_both_dialects import _doc

TEXT = "Pak (박) said 👩‍👩‍👧 shifts ran e\u0301 22 hours — שלום 😊 end of report."


def _seed(store: Store, body: str = TEXT) -> int:
    with store.write() as session:
        repo.ensure_default_scheme(session)
        repo.get_or_create_annotator(session, "lead")  # the first annotator: admin
        doc, _ = repo.add_document(session, _doc(body))
        return doc.id


def _layer(store: Store, doc_id: int, name: str) -> tuple[str, int, int]:
    """(status, span_count, real number of spans) of a layer."""
    with store.session() as session:
        layer = repo.get_layer(session, doc_id, name)
        assert layer is not None
        real = session.scalar(select(func.count(Span.id)).where(Span.layer_id == layer.id))
        return layer.status, layer.span_count, real


def test_a_label_added_elsewhere_is_usable_at_once(any_store_url: str) -> None:
    mine, editor = open_store(any_store_url), open_store(any_store_url)
    try:
        doc_id = _seed(mine)
        with mine.write() as session:
            repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")  # any label lookups done
        with editor.write() as session:
            repo.add_label(session, LabelRecord("wage_theft", "Wage theft", "#123456", "6", "", 9))
        with mine.write() as session:
            added = repo.add_span(session, doc_id, "ana", 4, 7, "wage_theft", actor="ana")
            changed = repo.update_span(session, added.id, actor="ana", label="injury")
            repo.update_span(session, changed.id, actor="ana", label="wage_theft")
        # Removed by the scheme editor and added again: a new row, a new id, and still found by its key.
        with editor.write() as session:
            repo.delete_span(session, added.id, actor="ana")
            scheme = repo.get_scheme(session)
            kept = [label for label in scheme.labels if label.key != "wage_theft"]
            replace_scheme(session, type(scheme)(kept))
        with mine.write() as session, pytest.raises(AnnotatorError, match="unknown label 'wage_theft'"):
            repo.add_span(session, doc_id, "ana", 4, 7, "wage_theft", actor="ana")
        with editor.write() as session:
            repo.add_label(session, LabelRecord("wage_theft", "Wage theft", "#123456", "6", "", 9))
        with mine.write() as session:
            again = repo.add_span(session, doc_id, "ana", 4, 7, "wage_theft", actor="ana")
            assert [s.label for s in repo.list_spans(session, doc_id, "ana") if s.id == again.id] == ["wage_theft"]
    finally:
        mine.close()
        editor.close()


def test_a_role_changed_in_another_session_counts_for_the_next_write(any_store_url: str) -> None:
    ben, admin = open_store(any_store_url), open_store(any_store_url)
    try:
        doc_id = _seed(ben)
        with admin.write() as session:
            repo.set_role(session, "ben", "curator")
        with ben.write() as session:
            gold = repo.add_span(session, doc_id, GOLD_ANNOTATOR, 0, 3, "injury", actor="ben")
            repo.set_status(session, doc_id, GOLD_ANNOTATOR, "in_progress", actor="ben")
        with admin.write() as session:
            repo.set_role(session, "ben", "annotator")
        refused = "ben may not change the gold layer: that needs the curator role"
        writes = [
            lambda s: repo.add_span(s, doc_id, GOLD_ANNOTATOR, 4, 7, "injury", actor="ben"),
            lambda s: repo.update_span(s, gold.id, actor="ben", label="sanctions"),
            lambda s: repo.update_span(s, gold.id, actor="ben", end=5),
            lambda s: repo.delete_span(s, gold.id, actor="ben"),
            lambda s: repo.set_status(s, doc_id, GOLD_ANNOTATOR, "done", actor="ben"),
        ]
        for write in writes:
            with pytest.raises(PermissionDenied) as info, ben.write() as session:
                write(session)
            assert str(info.value) == refused
        with admin.write() as session:
            repo.set_role(session, "ben", "admin")
        with ben.write() as session:  # an admin may write anyone's layer, also ana's
            repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ben")
            repo.delete_span(session, gold.id, actor="ben")
        assert _layer(ben, doc_id, GOLD_ANNOTATOR) == ("in_progress", 0, 0)
    finally:
        ben.close()
        admin.close()


def test_refusals_keep_their_words_and_order(any_store) -> None:
    doc_id = _seed(any_store)
    with any_store.write() as session:
        span = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
        repo.get_or_create_annotator(session, "cy")
    other = "cy may not change ana's layer: each annotator edits only their own"
    for write in (lambda s: repo.add_span(s, doc_id, "ana", 4, 7, "injury", actor="cy"),
                  lambda s: repo.add_span(s, doc_id, "ana", 4, 7, "no_such_label", actor="cy"),
                  lambda s: repo.add_span(s, 999_999, "ana", 4, 7, "injury", actor="cy"),  # refusal first
                  lambda s: repo.update_span(s, span.id, actor="cy", note="x"),
                  lambda s: repo.set_status(s, doc_id, "ana", "done", actor="cy")):
        with pytest.raises(PermissionDenied) as info, any_store.write() as session:
            write(session)
        assert str(info.value) == other
    with pytest.raises(AnnotatorError, match="document 999999 does not exist"), any_store.write() as session:
        repo.add_span(session, 999_999, "ana", 4, 7, "injury", actor="ana")
    for write, message in ((lambda s: repo.delete_span(s, 999_999, actor="ana"), "span 999999 no longer exists"),
                           (lambda s: repo.update_span(s, 999_999, actor="ana", label="injury"),
                            "span 999999 no longer exists"),
                           (lambda s: repo.update_span(s, span.id, actor="ana", label="nope"), "unknown label 'nope'"),
                           (lambda s: repo.set_status(s, doc_id, "ana", "finished", actor="ana"), "is not one of")):
        with pytest.raises(AnnotatorError, match=message), any_store.write() as session:
            write(session)
    assert _layer(any_store, doc_id, "ana") == ("in_progress", 1, 1)


BAD_OFFSETS = [(-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1), (2**40, 2**40 + 3), (0, 2**40), (1.0, 3), (True, 3),
               (0, "4")]


@pytest.mark.parametrize(("start", "end"), BAD_OFFSETS)
def test_bad_offsets_are_refused_with_the_checker_s_words(any_store, start: object, end: object) -> None:
    doc_id = _seed(any_store)
    with any_store.write() as session:
        span = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
    expected = check_bounds(len(TEXT), start, end)
    assert expected is not None
    with pytest.raises(AnnotatorError) as info, any_store.write() as session:
        repo.add_span(session, doc_id, "ana", start, end, "injury", actor="ana")  # type: ignore[arg-type]
    assert str(info.value) == expected
    with pytest.raises(AnnotatorError) as info, any_store.write() as session:
        repo.update_span(session, span.id, actor="ana", start=start, end=end)  # type: ignore[arg-type]
    assert str(info.value) == expected
    assert _layer(any_store, doc_id, "ana") == ("in_progress", 1, 1)


def test_changed_boundaries_recut_the_quote_in_code_points(any_store) -> None:
    doc_id = _seed(any_store)
    a, b = TEXT.index("박"), TEXT.index("👩")
    with any_store.write() as session:
        span = repo.add_span(session, doc_id, "ana", a, a + 1, "injury", actor="ana", note="n", attributes={"k": 1})
        assert span.quote == "박"
    steps = [dict(end=TEXT.index(" shifts")), dict(start=b), dict(start=TEXT.index("e\u0301"), end=len(TEXT)),
             dict(start=TEXT.index("שלום"))]
    expected = (span.start, span.end)
    for change in steps:
        expected = (change.get("start", expected[0]), change.get("end", expected[1]))
        with any_store.write() as session:
            view = repo.update_span(session, span.id, actor="ana", **change)
        assert (view.start, view.end, view.quote) == (*expected, TEXT[expected[0]:expected[1]])
        assert (view.label, view.note, view.attributes) == ("injury", "n", {"k": 1})
        with any_store.session() as session:
            assert repo.list_spans(session, doc_id, "ana") == [view]
    with any_store.write() as session:  # a reversed pair made of one new and one old boundary
        with pytest.raises(AnnotatorError, match="reversed or empty"):
            repo.update_span(session, span.id, actor="ana", end=expected[0])
        view = repo.update_span(session, span.id, actor="ana", note=None, attributes={}, label="sanctions")
    assert (view.quote, view.note, view.attributes, view.label) == (TEXT[expected[0]:], None, {}, "sanctions")
    with any_store.session() as session:
        assert list(repo.verify_quotes(session)) == []
        assert repo.list_spans(session, doc_id, "ana") == [view]


def test_layer_bookkeeping(any_store) -> None:
    doc_id = _seed(any_store)
    with any_store.write() as session:
        assert isinstance(repo.set_status(session, doc_id, "ana", "todo", actor="ana"), int)
    assert _layer(any_store, doc_id, "ana") == ("todo", 0, 0)
    with any_store.write() as session:
        first = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
    assert _layer(any_store, doc_id, "ana") == ("in_progress", 1, 1)
    with any_store.write() as session:
        repo.set_status(session, doc_id, "ana", "done", actor="ana")
        repo.add_span(session, doc_id, "ana", 4, 7, "injury", actor="ana")  # a done layer stays done
        repo.delete_span(session, first.id, actor="ana")
    assert _layer(any_store, doc_id, "ana") == ("done", 1, 1)
    # A status set on a document the annotator never touched creates their layer (and the annotator).
    with any_store.write() as session:
        repo.set_status(session, doc_id, "newcomer", "done", actor="newcomer")
        assert repo.role_of(session, "newcomer") == "annotator"
    assert _layer(any_store, doc_id, "newcomer") == ("done", 0, 0)
    # The first span of a new annotator creates annotator and layer, already in progress.
    with any_store.write() as session:
        repo.add_span(session, doc_id, "zoe", 0, 3, "injury", actor="zoe")
    assert _layer(any_store, doc_id, "zoe") == ("in_progress", 1, 1)


def test_every_write_moves_the_layer_clock(any_store) -> None:
    doc_id = _seed(any_store)

    def updated() -> object:
        with any_store.session() as session:
            return session.scalar(select(Layer.updated).join(Layer.annotator).where(Layer.document_id == doc_id))

    with any_store.write() as session:
        span = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
    seen = [updated()]
    for write in (lambda s: repo.update_span(s, span.id, actor="ana", note="x"),
                  lambda s: repo.update_span(s, span.id, actor="ana", end=4),
                  lambda s: repo.add_span(s, doc_id, "ana", 5, 8, "injury", actor="ana"),
                  lambda s: repo.delete_span(s, span.id, actor="ana"),
                  lambda s: repo.set_status(s, doc_id, "ana", "done", actor="ana")):
        with any_store.write() as session:
            write(session)
        seen.append(updated())
        assert seen[-1] > seen[-2]


def test_restored_ids_never_collide_with_new_ones(any_store) -> None:
    """Undo/redo restores a span under its old id; the id sequence (PostgreSQL) must stay ahead of it."""
    doc_id = _seed(any_store)
    with any_store.write() as session:
        spans = [repo.add_span(session, doc_id, "ana", i, i + 2, "injury", actor="ana") for i in range(3)]
    newest = spans[-1]
    for _ in range(2):  # the newest id, deleted and restored twice (undo, redo, undo, redo)
        with any_store.write() as session:
            gone = repo.delete_span(session, newest.id, actor="ana")
        with any_store.write() as session:
            restored = repo.add_span(session, doc_id, "ana", gone.start, gone.end, gone.label, actor="ana",
                                     span_id=gone.id, note=gone.note, attributes=gone.attributes)
        assert restored == newest
    with any_store.write() as session:
        later = [repo.add_span(session, doc_id, "ana", i, i + 3, "sanctions", actor="ana") for i in range(3)]
    ids = [s.id for s in spans] + [s.id for s in later]
    assert len(set(ids)) == len(ids) and min(s.id for s in later) > newest.id
    assert _layer(any_store, doc_id, "ana") == ("in_progress", 6, 6)
    if any_store.dialect == "postgresql":
        with any_store.session() as session:
            last = session.scalar(text("SELECT last_value FROM pg_sequences WHERE sequencename = 'spans_id_seq'"))
            assert last == max(ids)
    # Restoring an id that is taken is refused, and nothing changes.
    with pytest.raises(AnnotatorError, match="conflicts with stored data"), any_store.write() as session:
        repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana", span_id=later[0].id)
    assert _layer(any_store, doc_id, "ana") == ("in_progress", 6, 6)


def test_orm_objects_loaded_in_the_session_follow_the_writes(any_store) -> None:
    """A script that holds ORM rows while writing spans sees current values, and commits cleanly."""
    doc_id = _seed(any_store)
    with any_store.write() as session:
        first = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
    with any_store.write() as session:
        layer = repo.get_layer(session, doc_id, "ana")
        held = session.get(Span, first.id)
        assert layer is not None and held is not None and layer.span_count == 1
        second = repo.add_span(session, doc_id, "ana", 4, 7, "injury", actor="ana")
        assert layer.span_count == 2
        repo.update_span(session, second.id, actor="ana", end=9)
        repo.update_span(session, first.id, actor="ana", label="sanctions", end=4)
        assert (held.end, held.quote, held.label.key) == (4, TEXT[0:4], "sanctions")
        repo.delete_span(session, first.id, actor="ana")
        assert layer.span_count == 1 and held not in session
        layer.status = "done"  # an ORM change after Core writes is flushed with the commit
    assert _layer(any_store, doc_id, "ana") == ("done", 1, 1)


def test_unflushed_orm_rows_are_seen_by_the_hot_path(any_store) -> None:
    from annotator.store.models import Label

    doc_id = _seed(any_store)
    with any_store.write() as session:
        session.add(Label(key="fresh", name="Fresh", color="#000000", shortcut="", guideline="", order=7))
        assert repo.add_span(session, doc_id, "ana", 0, 3, "fresh", actor="ana").label == "fresh"


def test_statements_per_write(any_store) -> None:
    """The point of the hot path: one SELECT plus the writes (fused into one statement on PostgreSQL)."""
    doc_id = _seed(any_store)
    with any_store.write() as session:
        span = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()[:2]).upper() if statement.startswith("BEGIN")
                          else statement.split(None, 1)[0].upper())

    fused = any_store.dialect == "postgresql"
    event.listen(any_store.engine, "before_cursor_execute", count)
    try:
        for write, expected in (
                (lambda s: repo.add_span(s, doc_id, "ana", 4, 7, "injury", actor="ana"), 2 if fused else 3),
                (lambda s: repo.update_span(s, span.id, actor="ana", label="sanctions", end=5), 2 if fused else 3),
                (lambda s: repo.delete_span(s, span.id, actor="ana"), 2 if fused else 3),
                (lambda s: repo.set_status(s, doc_id, "ana", "done", actor="ana"), 2)):
            statements.clear()
            with any_store.write() as session:
                write(session)
            if not fused:  # SQLite: the write lock is taken when the transaction begins (store.write())
                assert statements.pop(0) == "BEGIN IMMEDIATE"
            assert statements[0] == "SELECT" and len(statements) == expected, statements
    finally:
        event.remove(any_store.engine, "before_cursor_execute", count)


@pytest.mark.postgres
def test_a_span_deleted_twice_at_once_is_counted_once(pg_url: str) -> None:
    """Two sessions delete the same span; the second waits for the first and must not count it again."""
    first, second, watcher = open_store(pg_url), open_store(pg_url), open_store(pg_url)
    try:
        doc_id = _seed(first)
        with first.write() as session:
            span = repo.add_span(session, doc_id, "ana", 0, 3, "injury", actor="ana")
            repo.add_span(session, doc_id, "ana", 4, 7, "injury", actor="ana")
        outcome: list[BaseException | None] = []
        started = threading.Event()
        with first.write() as session:
            repo.delete_span(session, span.id, actor="ana")  # holds the row until this block commits

            def rival() -> None:
                try:
                    with second.write() as other:
                        started.set()
                        repo.delete_span(other, span.id, actor="ana")
                    outcome.append(None)
                except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                    outcome.append(exc)

            thread = threading.Thread(target=rival)
            thread.start()
            assert started.wait(10)
            _wait_until_someone_waits_for_a_lock(watcher)
        thread.join(10)
        assert len(outcome) == 1 and isinstance(outcome[0], AnnotatorError)
        assert str(outcome[0]) == f"span {span.id} no longer exists"
        assert _layer(first, doc_id, "ana") == ("in_progress", 1, 1)
    finally:
        first.close()
        second.close()
        watcher.close()


def _wait_until_someone_waits_for_a_lock(store: Store) -> None:
    """Until a backend of this database waits on a row lock: the rival has read the span and is deleting it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with store.session() as session:
            waiting = session.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                          "AND datname = current_database()"))
        if waiting:
            return
        time.sleep(0.01)
    raise AssertionError("the rival never waited for the first delete's row lock")
