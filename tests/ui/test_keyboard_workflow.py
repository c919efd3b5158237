"""Bugs found by driving the window by keyboard the way an analyst does (one test per bug)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.attribute_lines import parse_attribute_lines
from annotator.store import repository as repo
from tests.ui_helpers import ANALYST

CTRL = Qt.KeyboardModifier.ControlModifier


def tag(qtbot, window, word: str, key=Qt.Key.Key_1):  # type: ignore[no-untyped-def]
    start = window.session.document.text.index(word)
    window.article.select_cp(start, start + len(word))
    qtbot.keyClick(window.article, key)
    return window.session.selected_span()


def test_ctrl_return_in_the_note_saves_it_and_does_not_mark_the_document_done(qtbot, window, sample_store):
    # Ctrl+Return was both the details panel's "apply" and the window's "mark done": Qt treated the key as
    # ambiguous and did neither, so the note typed by the analyst was silently not saved.
    span = tag(qtbot, window, "Welders")
    pk = window.session.document.pk
    window.details.note.setFocus()
    qtbot.keyClicks(window.details.note, "crew of 40")
    qtbot.keyClick(window.details.note, Qt.Key.Key_Return, CTRL)
    with sample_store.session() as session:
        assert [s.note for s in repo.list_spans(session, pk, ANALYST)] == ["crew of 40"]
    assert window.session.document.pk == pk and window.session.status == "in_progress"
    window.details.attributes.setFocus()
    window.details.attributes.setPlainText("source: interview")
    qtbot.keyClick(window.details.attributes, Qt.Key.Key_Return, CTRL)
    assert window.session.spans[span.id].attributes == {"source": "interview"}
    # In the article the key still means "mark done and open the next undone document".
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    assert window.session.document.pk != pk


def test_p_without_a_selected_span_goes_to_the_span_before_the_caret(qtbot, window):
    text = window.session.document.text
    for word in ("Welders", "shipyard", "passports"):
        tag(qtbot, window, word)
    window.session.select_span(None)
    cursor = window.article.textCursor()
    cursor.setPosition(text.index("hull"))  # after "shipyard", before "passports"
    window.article.setTextCursor(cursor)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_P)
    assert window.session.selected_span().quote == "shipyard"
    window.session.select_span(None)
    cursor.setPosition(text.index("hull"))
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, Qt.Key.Key_N)
    assert window.session.selected_span().quote == "passports"


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Down])
def test_enter_or_down_in_the_search_moves_into_the_hits(qtbot, window, key):
    first = window.session.document.pk
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert window.docs.search.hasFocus()
    qtbot.keyClicks(window.docs.search, "wages")  # no wait: Enter must not depend on the typing pause
    qtbot.keyClick(window.docs.search, key)
    hits = window.docs.model.pks
    assert first not in hits and hits
    assert window.session.document.pk == hits[0]
    assert window.docs.table.hasFocus()
    if len(hits) > 1:
        qtbot.keyClick(window.docs.table, Qt.Key.Key_Down)
        assert window.session.document.pk == hits[1]


def test_a_repeated_attribute_key_is_refused_not_silently_dropped(qtbot, window):
    with pytest.raises(ValueError, match="line 3: 'source' is already given on line 1"):
        parse_attribute_lines("source: interview\nwitness: yes\nsource: payslip")
    span = tag(qtbot, window, "Welders")
    window.details.attributes.setPlainText("a: 1\na: 2")
    window.details.apply.click()
    assert "line 2" in window.details.error.text()
    assert window.session.spans[span.id].attributes == {}


def test_undo_of_a_change_in_another_document_says_where_it_happened(qtbot, window, sample_store):
    # Ctrl+Z undid the last change even when it was in another document, but the open document did not
    # change and nothing was said: to the analyst the key seemed to do nothing.
    first = window.session.document.pk
    qtbot.keyClick(window.article, Qt.Key.Key_J)
    second = window.session.document.pk
    word = window.session.document.text.split()[0]
    title = window.session.document.title
    tag(qtbot, window, word)
    qtbot.keyClick(window.article, Qt.Key.Key_K)
    assert window.session.document.pk == first
    window.statusBar().clearMessage()
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    with sample_store.session() as session:
        assert repo.list_spans(session, second, ANALYST) == []
    assert window.session.document.pk == first  # the open document stays open
    message = window.statusBar().currentMessage()
    assert "Undo" in message and title[:20] in message
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert "Redo" in window.statusBar().currentMessage()


def test_saving_a_note_keeps_imported_attribute_values_as_they_were(qtbot, window, sample_store):
    # Imported spans may carry numbers or lists as attribute values; the panel shows them as text, and
    # Apply used to write that text back although the analyst only edited the note (3 became "3").
    pk = window.session.document.pk
    start = window.session.document.text.index("Welders")
    with sample_store.write() as session:
        span = repo.add_span(session, pk, ANALYST, start, start + 7, "working_hours",
                             attributes={"count": 3, "tags": ["a", "b"], "source": "wire"})
    window.open_document(pk)
    window.session.select_span(span.id)
    window.details.note.setPlainText("checked")
    window.details.apply.click()
    with sample_store.session() as session:
        saved = repo.list_spans(session, pk, ANALYST)[0]
    assert saved.note == "checked"
    assert saved.attributes == {"count": 3, "tags": ["a", "b"], "source": "wire"}
