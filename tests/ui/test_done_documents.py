"""Editing a document marked done asks first (issue #13, item 2): real keys, a real box, real clicks.

Agreement treats done layers as final, so no edit may change one silently. Every edit path goes through
``Operations``, which asks once per document; a yes marks the document in progress (undoable) and then
makes the edit, a no changes nothing. In read-only mode the edit is refused with the reason instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.store.queries import document_ids, layer_status
from tests.ui_helpers import ANALYST, make_window

CTRL = Qt.KeyboardModifier.ControlModifier
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
REOPEN_QUESTION = "This document is marked done. Reopen it for editing?"


def spans(store, pk):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.quote, s.label, s.note, s.attributes) for s in repo.list_spans(session, pk, ANALYST)]


def status(store, pk) -> str:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return layer_status(session, pk, ANALYST)


def open_questions(win) -> list[QMessageBox]:  # type: ignore[no-untyped-def]
    return [box for box in win.findChildren(QMessageBox) if box.isVisible()]


def answer(qtbot, win, button: QMessageBox.StandardButton) -> None:  # type: ignore[no-untyped-def]
    """Click ``button`` in the one question the window shows."""
    qtbot.waitUntil(lambda: len(open_questions(win)) == 1)
    box = open_questions(win)[0]
    assert box.text() == REOPEN_QUESTION
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not open_questions(win))


def tag_key(qtbot, win, word: str, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    text = win.session.document.text
    start = text.index(word)
    win.article.select_cp(start, start + len(word))
    qtbot.keyClick(win.article, key)


@pytest.fixture
def done(qtbot, window, sample_store) -> int:  # type: ignore[no-untyped-def]
    """The first sample with one span ("Welders", working hours), marked done by Ctrl+Enter and opened again."""
    pk = window.session.document.pk
    tag_key(qtbot, window, "Welders", Qt.Key.Key_1)
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.session.document.pk != pk and status(sample_store, pk) == "done"
    qtbot.keyClick(window.article, Qt.Key.Key_K)  # back to the previous document
    assert window.session.document.pk == pk and window.session.status == "done"
    return pk


def test_tagging_a_done_document_asks_and_yes_reopens_it_then_tags(qtbot, window, sample_store, done) -> None:
    tag_key(qtbot, window, "passports", Qt.Key.Key_3)
    assert spans(sample_store, done) == [("Welders", "working_hours", None, {})]  # nothing yet: asking
    answer(qtbot, window, YES)
    assert status(sample_store, done) == "in_progress" and window.session.status == "in_progress"
    assert [s[:2] for s in spans(sample_store, done)] == [("Welders", "working_hours"), ("passports", "surveillance")]
    assert "● In progress" in window.header.meta.text()
    assert window.docs.model.document_row(0).status == "in_progress"
    # Each is its own undo step: the tag first, then the reopening.
    stack = window.ops.undo_stack
    assert [stack.text(i) for i in range(stack.count())][-2:] == ["Mark in progress", "Tag Surveillance"]
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert [s[0] for s in spans(sample_store, done)] == ["Welders"] and status(sample_store, done) == "in_progress"
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert status(sample_store, done) == "done" and window.session.status == "done"
    # Now in progress, further edits do not ask.
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    tag_key(qtbot, window, "hull", Qt.Key.Key_2)
    assert not open_questions(window) and len(spans(sample_store, done)) == 2


def test_no_keeps_the_document_done_and_changes_nothing(qtbot, window, sample_store, done) -> None:
    count = window.ops.undo_stack.count()
    tag_key(qtbot, window, "passports", Qt.Key.Key_3)
    answer(qtbot, window, NO)
    assert status(sample_store, done) == "done" and window.session.status == "done"
    assert [s[0] for s in spans(sample_store, done)] == ["Welders"]
    assert window.ops.undo_stack.count() == count
    assert window.statusBar().currentMessage() == "The document stays marked done; nothing was changed."
    # Asked once for this document: the next edit says why it is refused instead of asking again.
    tag_key(qtbot, window, "hull", Qt.Key.Key_2)
    assert not open_questions(window)
    assert window.statusBar().currentMessage() == (
        "This document is marked done: the tag was not added. Mark it in progress (Document menu) to tag here.")
    # Visiting another document and coming back asks again.
    qtbot.keyClick(window.article, Qt.Key.Key_J)
    qtbot.keyClick(window.article, Qt.Key.Key_K)
    tag_key(qtbot, window, "hull", Qt.Key.Key_2)
    answer(qtbot, window, YES)
    assert [s[0] for s in spans(sample_store, done)] == ["Welders", "hull"]


def test_delete_key_on_a_done_document_asks_first(qtbot, window, sample_store, done) -> None:
    window.session.select_span(next(iter(window.session.spans)))
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert [s[0] for s in spans(sample_store, done)] == ["Welders"]
    answer(qtbot, window, YES)
    assert spans(sample_store, done) == [] and status(sample_store, done) == "in_progress"
    assert window.ops.undo_stack.text(window.ops.undo_stack.count() - 1) == "Delete Working hours"


@pytest.mark.parametrize(("keys", "expected"), [
    ((Qt.Key.Key_L, Qt.KeyboardModifier.NoModifier), ("Welders", "injury")),  # relabel by cycling
    ((Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier),
     ("Welders ", "working_hours")),  # the end moved one character right
])
def test_relabel_and_boundary_keys_on_a_done_document_ask_first(qtbot, window, sample_store, done, keys,
                                                                 expected) -> None:
    window.session.select_span(next(iter(window.session.spans)))
    window.article.setFocus()
    qtbot.keyClick(window.article, *keys)
    assert spans(sample_store, done)[0][:2] == ("Welders", "working_hours")
    answer(qtbot, window, YES)
    assert spans(sample_store, done)[0][:2] == expected and status(sample_store, done) == "in_progress"


def test_note_and_attributes_on_a_done_document_ask_once_then_both_are_saved(qtbot, window, sample_store,
                                                                             done) -> None:
    window.session.select_span(next(iter(window.session.spans)))
    details = window.details
    details.note.setFocus()
    qtbot.keyClicks(details.note, "recruited abroad")
    details.attributes.setPlainText("certainty: high")
    qtbot.keyClick(details.note, Qt.Key.Key_Return, CTRL)  # Apply: two edits, one question
    assert spans(sample_store, done)[0][2:] == (None, {})
    answer(qtbot, window, YES)
    assert spans(sample_store, done)[0][2:] == ("recruited abroad", {"certainty": "high"})
    assert status(sample_store, done) == "in_progress"
    stack = window.ops.undo_stack
    assert stack.count() == 5  # tag, done, in progress, note, attributes


def test_accepting_a_suggestion_on_a_done_document_asks_first(qtbot, window, sample_store, done) -> None:
    text = window.session.document.text
    start = text.index("crew")
    assert not window.ops.accept_suggestions([(start, start + 4, "injury")])
    answer(qtbot, window, YES)
    assert ("crew", "injury", None, {}) in spans(sample_store, done)


def test_a_read_only_database_refuses_with_its_reason_and_asks_nothing(qtbot, sample_store, db_path: Path,
                                                                        tmp_path: Path) -> None:
    with sample_store.write() as session:
        pk = document_ids(session, None)[0]
        repo.set_status(session, pk, ANALYST, "done")
    ro = open_store(db_path, read_only=True)
    try:
        win = make_window(qtbot, ro, tmp_path / "ui.ini")
        win.open_document(pk)
        tag_key(qtbot, win, "Welders", Qt.Key.Key_1)
        assert not open_questions(win)
        assert win.statusBar().currentMessage() == (
            "Read-only: this database was opened read-only; the tag was not added.")
        win.close()
    finally:
        ro.close()
    assert status(sample_store, pk) == "done" and spans(sample_store, pk) == []
