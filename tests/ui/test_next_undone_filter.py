"""Ctrl+Enter stays inside the filtered document list (issue #13, item 4): real typing, real keys."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store import repository as repo
from annotator.store.queries import document_ids, layer_status
from tests.ui_helpers import ANALYST

CTRL = Qt.KeyboardModifier.ControlModifier


def statuses(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [layer_status(session, pk, ANALYST) for pk in document_ids(session, None)]


def selected_pk(window) -> int | None:  # type: ignore[no-untyped-def]
    index = window.docs.table.currentIndex()
    selected = window.docs.table.selectionModel().selectedRows()
    return window.docs.model.pk_at(index.row()) if index.isValid() and selected else None


def test_mark_done_and_next_opens_only_documents_the_search_shows(qtbot, window, sample_store) -> None:
    with sample_store.session() as session:
        pks = document_ids(session, None)
    assert window.session.document.pk == pks[0]
    window.docs.search.setFocus()
    qtbot.keyClicks(window.docs.search, "wages")  # articles 2 and 4 mention wages
    qtbot.keyClick(window.docs.search, Qt.Key.Key_Return, CTRL)  # at once, before the list's typing pause
    assert window.session.document.pk == pks[1]
    assert window.docs.model.row_total() == 2 and selected_pk(window) == pks[1]
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.session.document.pk == pks[3] and selected_pk(window) == pks[3]
    assert statuses(sample_store) == ["done", "done", "todo", "todo", "todo"]

    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)  # the last undone hit: nothing else matches
    assert statuses(sample_store) == ["done", "done", "todo", "done", "todo"]
    assert window.session.document.pk == pks[3] and selected_pk(window) == pks[3]  # stays, filter kept
    assert window.docs.search.text() == "wages"
    assert window.statusBar().currentMessage() == \
        "No undone document matches the filter “wages”; clear it to go on"

    window.docs.search.clear()  # cleared: the next undone of the whole list
    qtbot.waitUntil(lambda: window.docs.model.row_total() == 5)
    window.ops.set_status("in_progress")
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.session.document.pk == pks[4]


def test_the_message_names_status_and_label_filters_too(qtbot, window, sample_store) -> None:
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # the first article now has an Injury span
    docs = window.docs
    docs.status.setCurrentIndex(docs.status.findData("in_progress"))
    docs.label.setCurrentIndex(docs.label.findData("injury"))
    assert docs.model.row_total() == 1
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.statusBar().currentMessage() == \
        "No undone document matches the filter “In progress · Injury”; clear it to go on"
    with sample_store.session() as session:
        assert layer_status(session, window.session.document.pk, ANALYST) == "done"


def test_without_a_filter_every_document_done_is_celebrated(qtbot, window, sample_store) -> None:
    with sample_store.write() as session:
        for pk in document_ids(session, None)[1:]:
            repo.set_status(session, pk, ANALYST, "done")
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.statusBar().currentMessage() == "Every document is done. 🎉"
