"""A label key that cannot tag says why in the status bar (read-only database, someone else's layer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.store.queries import document_ids
from tests.ui_helpers import ANALYST, drag_select, make_window


def first_pk(store: Store) -> int:
    with store.session() as session:
        return document_ids(session, None)[0]


def spans_of(store: Store, pk: int, who: str = ANALYST) -> list[tuple[int, int, str]]:
    with store.session() as session:
        return [(s.start, s.end, s.label) for s in repo.list_spans(session, pk, who)]


def test_label_key_on_a_read_only_database_says_the_tag_was_not_added(qtbot, sample_store, db_path: Path,
                                                                      tmp_path: Path) -> None:
    pk = first_pk(sample_store)
    ro = open_store(db_path, read_only=True)
    try:
        win = make_window(qtbot, ro, tmp_path / "ui.ini")
        win.open_document(pk)
        drag_select(qtbot, win.article, win.session.document.text, 0, 8)
        assert win.article.selection_cp() is not None
        assert win.statusBar().currentMessage() == ""
        qtbot.keyClick(win.article, Qt.Key.Key_2)  # "Injury"
        message = win.statusBar().currentMessage()
        assert message == "Read-only: this database was opened read-only; the tag was not added."
        assert spans_of(ro, pk) == []
        # Alt+key (tag the exact selection) and a keypad digit are label keys too.
        win.statusBar().clearMessage()
        qtbot.keyClick(win.article, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
        assert "the tag was not added" in win.statusBar().currentMessage()
        win.statusBar().clearMessage()
        qtbot.keyClick(win.article, Qt.Key.Key_1, Qt.KeyboardModifier.KeypadModifier)
        assert "the tag was not added" in win.statusBar().currentMessage()
        # A key that is not a label's says nothing.
        win.statusBar().clearMessage()
        qtbot.keyClick(win.article, Qt.Key.Key_X)
        assert win.statusBar().currentMessage() == ""
        win.close()
    finally:
        ro.close()


def test_the_reason_given_for_read_only_is_repeated(qtbot, sample_store, db_path: Path, tmp_path: Path) -> None:
    pk = first_pk(sample_store)
    ro = open_store(db_path, read_only=True)
    try:
        win = make_window(qtbot, ro, tmp_path / "ui.ini", read_only_reason="opened with --read-only")
        win.open_document(pk)
        win.article.select_cp(0, 8)
        qtbot.keyClick(win.article, Qt.Key.Key_1)
        assert win.statusBar().currentMessage() == "Read-only (opened with --read-only): the tag was not added."
        win.close()
    finally:
        ro.close()


def test_label_key_on_another_annotators_layer_names_the_owner(qtbot, window) -> None:
    pk = window.session.document.pk
    assert window.open_document(pk, "analyst-b")
    window.article.setFocus()
    window.article.select_cp(0, 8)
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    assert window.statusBar().currentMessage().startswith("This is analyst-b's layer")
    assert "the tag was not added" in window.statusBar().currentMessage()
    assert spans_of(window.store, pk, "analyst-b") == [] and spans_of(window.store, pk) == []


def test_a_writable_layer_tags_and_shows_no_refusal(qtbot, window) -> None:
    pk = window.session.document.pk
    window.article.setFocus()
    drag_select(qtbot, window.article, window.session.document.text, 0, 8)
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    assert spans_of(window.store, pk) == [(0, 8, "injury")]
    assert "not added" not in window.statusBar().currentMessage()
