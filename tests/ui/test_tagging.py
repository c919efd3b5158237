"""Tagging through real widgets: mouse drags, keyboard selection, shortcuts, undo/redo, persistence."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.store import repository as repo
from annotator.store.database import open_store
from annotator.ui.ops.changes import Changes
from tests.ui_helpers import ANALYST, drag_select, make_window


def stored(store, pk):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return repo.list_spans(session, pk, ANALYST)


def test_mouse_drag_and_key_stores_span_with_undo_redo_and_reopen(qtbot, window, sample_store, db_path, tmp_path):
    text = window.session.document.text
    pk = window.session.document.pk
    start = text.index("Welders")
    drag_select(qtbot, window.article, text, start, start + len("Welders brought"))
    assert window.article.textCursor().selectedText() == "Welders brought"
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    spans = stored(sample_store, pk)
    assert [(s.quote, s.label) for s in spans] == [("Welders brought", "working_hours")]
    assert text[spans[0].start:spans[0].end] == spans[0].quote
    assert window.article.index.by_id[spans[0].id].label == "working_hours"
    assert window.span_list.span_model.rowCount() == 1

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(sample_store, pk) == []
    assert len(window.article.index) == 0 and window.span_list.span_model.rowCount() == 0
    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    again = stored(sample_store, pk)
    assert [(s.id, s.quote) for s in again] == [(spans[0].id, "Welders brought")]

    window.close()
    reopened_store = open_store(db_path)
    try:
        second = make_window(qtbot, reopened_store, tmp_path / "ui.ini")
        second.open_initial()
        assert second.session.document.pk == pk  # last document remembered
        assert [s.quote for s in second.session.spans.values()] == ["Welders brought"]
        assert len(second.article.index) == 1
        second.close()
    finally:
        reopened_store.close()


def test_keyboard_only_selection_and_snapping(qtbot, window, sample_store):
    text = window.session.document.text
    view = window.article
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(text.index("shipyard near"))  # caret placed, then only keys
    view.setTextCursor(cursor)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # "sh": snaps to the word
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # to "near"
    qtbot.keyClick(view, Qt.Key.Key_Right, mods)
    qtbot.keyClick(view, Qt.Key.Key_Right, mods)  # "near the " -> trailing space trimmed
    qtbot.keyClick(view, Qt.Key.Key_3)
    quotes = sorted((s.quote, s.label) for s in stored(sample_store, window.session.document.pk))
    assert quotes == [("near the", "surveillance"), ("shipyard", "injury")]


def test_alt_tags_the_exact_selection(qtbot, window, sample_store):
    text = window.session.document.text
    start = text.index("Welders") + 1
    window.article.select_cp(start, start + 5)  # "elder"
    qtbot.keyClick(window.article, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert [s.quote for s in stored(sample_store, window.session.document.pk)] == ["elder"]


def test_click_delete_cycle_and_span_list_jump(qtbot, window, sample_store):
    text = window.session.document.text
    pk = window.session.document.pk
    for word, key in (("Welders", Qt.Key.Key_1), ("passports", Qt.Key.Key_3)):
        start = text.index(word)
        window.article.select_cp(start, start + len(word))
        qtbot.keyClick(window.article, key)
    spans = {s.quote: s for s in stored(sample_store, pk)}
    # Clicking the highlighted word selects its span.
    window.session.select_span(None)
    from tests.ui_helpers import point_of, u16

    p = point_of(window.article, u16(text, text.index("passports") + 3))
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=p)
    assert window.article.selected_span == spans["passports"].id
    # L cycles the label forward, Shift+L back.
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    assert stored(sample_store, pk)[1].label == "remittance"
    assert window.article.index.by_id[spans["passports"].id].label == "remittance"
    qtbot.keyClick(window.article, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert stored(sample_store, pk)[1].label == "surveillance"
    # The span list jumps: clicking its first row selects the span and moves the caret there.
    model = window.span_list.span_model
    rect = window.span_list.visualRect(model.index(0, 0))
    qtbot.mouseClick(window.span_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article.selected_span == spans["Welders"].id
    assert window.article.textCursor().position() == text.index("Welders")
    # Delete removes the selected span; undo brings it back with the same id.
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert [s.quote for s in stored(sample_store, pk)] == ["passports"]
    assert model.rowCount() == 1
    window.ops.undo_stack.undo()
    assert [s.id for s in stored(sample_store, pk)] == [spans["Welders"].id, spans["passports"].id]


def test_tab_and_n_p_walk_the_spans(qtbot, window):
    text = window.session.document.text
    for word in ("Welders", "hull", "passports"):
        start = text.index(word)
        window.article.select_cp(start, start + len(word))
        qtbot.keyClick(window.article, Qt.Key.Key_1)
    window.session.select_span(None)
    window.article.moveCursor(QTextCursor.MoveOperation.Start)
    order = []
    for _ in range(3):
        qtbot.keyClick(window.article, Qt.Key.Key_Tab)
        order.append(window.session.spans[window.article.selected_span].quote)
    assert order == ["Welders", "hull", "passports"]
    qtbot.keyClick(window.article, Qt.Key.Key_P)
    assert window.session.spans[window.article.selected_span].quote == "hull"
    qtbot.keyClick(window.article, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.spans[window.article.selected_span].quote == "Welders"


def test_sticky_label_tags_every_mouse_selection(qtbot, window, sample_store):
    text = window.session.document.text
    qtbot.keyClick(window.article, Qt.Key.Key_S)  # sticky on, with the first label
    assert window.label_bar.sticky_label == "working_hours"
    window.label_bar.tag_actions["injury"].trigger()  # choosing a label makes it the sticky one
    assert window.label_bar.sticky_label == "injury"
    for word in ("dormitory", "warehouse"):
        start = text.index(word)
        drag_select(qtbot, window.article, text, start, start + len(word))
    assert sorted(s.quote for s in stored(sample_store, window.session.document.pk)) == ["dormitory", "warehouse"]
    assert {s.label for s in stored(sample_store, window.session.document.pk)} == {"injury"}


def test_mark_done_jumps_to_next_undone_and_undo_survives_switching(qtbot, window, sample_store):
    from annotator.store.queries import document_ids, layer_status

    with sample_store.session() as session:
        pks = document_ids(session, None)
        repo.set_status(session, pks[1], ANALYST, "done")
    first = window.session.document.pk
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.session.document.pk == pks[2]  # pks[1] is already done
    with sample_store.session() as session:
        assert layer_status(session, first, ANALYST) == "done"
    assert window.docs.model.document_row(0).status == "done"
    qtbot.keyClick(window.article, Qt.Key.Key_J)
    assert window.session.document.pk == pks[3]
    qtbot.keyClick(window.article, Qt.Key.Key_K)
    qtbot.keyClick(window.article, Qt.Key.Key_K)
    assert window.session.document.pk == pks[1]
    window.ops.undo_stack.undo()  # undo "done" of the first document while another is open
    with sample_store.session() as session:
        assert layer_status(session, first, ANALYST) == "todo"
    assert window.session.document.pk == pks[1]


def test_failed_write_shows_message_and_view_follows_database(qtbot, window, sample_store):
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    span = stored(sample_store, window.session.document.pk)[0]
    with sample_store.write() as session:  # someone else deletes it
        repo.delete_span(session, span.id)
    window.session.select_span(span.id)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert window.last_error and "no longer exists" in window.last_error
    assert len(window.article.index) == 0 and window.span_list.span_model.rowCount() == 0
    assert window.ops.undo_stack.count() == 1  # only the original tagging


def test_note_and_attributes_are_saved_and_undoable(qtbot, window, sample_store):
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    window.details.note.setPlainText("recruited abroad")
    window.details.attributes.setPlainText("certainty: high")
    window.details.apply.click()
    span = stored(sample_store, window.session.document.pk)[0]
    assert span.note == "recruited abroad" and span.attributes == {"certainty": "high"}
    window.ops.undo_stack.undo()
    window.ops.undo_stack.undo()
    span = stored(sample_store, window.session.document.pk)[0]
    assert span.note is None and span.attributes == {}
    window.details.attributes.setPlainText("no colon here")
    window.details.apply.click()
    assert "key: value" in window.details.error.text()


def test_editing_attributes_keeps_the_types_of_the_other_values(qtbot, window, sample_store):
    text = window.session.document.text
    start = text.index("Welders")
    window.article.select_cp(start, start + 7)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    span = stored(sample_store, window.session.document.pk)[0]
    typed = {"hours": 14, "crews": ["timber", "construction"], "confirmed": True, "payslip_id": "0042"}
    with sample_store.write() as session:  # as an import from brat or Label Studio stores them
        repo.update_span(session, span.id, attributes=typed)
    window.session.publish(Changes(reload=frozenset({window.session.document.pk})))
    window.session.select_span(span.id)
    shown = window.details.attributes.toPlainText()
    assert shown == 'hours: 14\ncrews: ["timber", "construction"]\nconfirmed: true\npayslip_id: 0042'
    editor = window.details.attributes
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "witness: yes")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "days: 6")
    qtbot.mouseClick(window.details.apply, Qt.MouseButton.LeftButton)
    span = stored(sample_store, window.session.document.pk)[0]
    assert span.attributes == {**typed, "witness": "yes", "days": 6}
    assert type(span.attributes["hours"]) is int and type(span.attributes["payslip_id"]) is str
