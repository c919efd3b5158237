"""The document-fields strip (issue #16): keyboard-first judgements of the whole article, undoable.

Real key presses on a real window: the field's shortcut focuses it, a digit or letter picks an option,
Enter hands the keyboard back to the article; each change is one undo step; another analyst's layer is
shown greyed and refuses changes; a done layer asks before a field changes it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from annotator.core.scheme_parts import FieldDef
from annotator.store import repository as repo
from annotator.store.queries import layer_status
from tests.ui_helpers import ANALYST

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def stored_fields(store, pk, who=ANALYST):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return repo.document_fields(session, pk, who)


def press_shortcut(qtbot, win, sequence: str) -> None:  # type: ignore[no-untyped-def]
    """Press a window shortcut such as Ctrl+Alt+R where the keyboard is (the article)."""
    combo = QKeySequence(sequence)[0]  # type: ignore[index]
    qtbot.keyClick(win.focusWidget() or win, combo.key(), combo.keyboardModifiers())


def test_fields_are_set_by_keyboard_and_undone_one_press_at_a_time(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    strip = win.fields_strip
    assert strip.isVisible() and set(strip.controls) == {"relevance", "source_type"}
    win.article.setFocus()
    press_shortcut(qtbot, win, "Ctrl+Alt+R")
    relevance = strip.controls["relevance"]
    assert any(button.hasFocus() for button in relevance.buttons)
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_1)  # "1" is also the working_hours label key: not a tag
    assert stored_fields(sample_store, pk) == {"relevance": "relevant"}
    assert not win.session.spans
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_P)  # first letter: "partly"
    assert stored_fields(sample_store, pk) == {"relevance": "partly"}
    assert relevance.buttons[1].isChecked() and not relevance.buttons[0].isChecked()
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Return)
    assert win.article.hasFocus()
    press_shortcut(qtbot, win, "Ctrl+Alt+S")
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_O)  # "official statement"
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Escape)
    assert win.article.hasFocus()
    assert stored_fields(sample_store, pk) == {"relevance": "partly", "source_type": "official statement"}
    assert win.ops.undo_stack.undoText() == "Set Source type: official statement"

    win.act_undo.trigger()
    assert stored_fields(sample_store, pk) == {"relevance": "partly"}
    assert not any(b.isChecked() for b in strip.controls["source_type"].buttons)
    win.act_undo.trigger()
    assert stored_fields(sample_store, pk) == {"relevance": "relevant"}
    assert relevance.buttons[0].isChecked()
    win.act_undo.trigger()
    assert stored_fields(sample_store, pk) == {}
    win.act_redo.trigger()
    win.act_redo.trigger()
    assert stored_fields(sample_store, pk) == {"relevance": "partly"}
    assert win.session.doc_fields == {"relevance": "partly"}


def test_pressing_the_chosen_option_again_or_backspace_clears_it(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    buttons = win.fields_strip.controls["relevance"].buttons
    qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)
    assert stored_fields(sample_store, pk) == {"relevance": "not relevant"}
    qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)
    assert stored_fields(sample_store, pk) == {}
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.keyClick(buttons[0], Qt.Key.Key_Backspace)
    assert stored_fields(sample_store, pk) == {}
    assert win.ops.undo_stack.count() == 4


def typed_scheme(store) -> None:  # type: ignore[no-untyped-def]
    """The default scheme plus a number, a date, a yes/no and a multi field."""
    from annotator.store import scheme_admin

    with store.write() as session:
        scheme = repo.get_scheme(session)
        scheme.fields += [
            FieldDef("workers", "Workers", "number", shortcut="Ctrl+Alt+W", order=2),
            FieldDef("reported", "Reported", "date", order=3),
            FieldDef("named", "Names a company", "bool", shortcut="Ctrl+Alt+N", order=4),
            FieldDef("sites", "Sites", "multi", ["construction", "logging", "fishing"], order=5),
        ]
        scheme_admin.replace_scheme(session, scheme, actor=ANALYST)


def test_typed_fields_check_what_is_typed(qtbot, sample_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.store.queries import document_ids
    from tests.ui_helpers import make_window

    typed_scheme(sample_store)
    win = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    with sample_store.session() as session:
        pk = document_ids(session, None)[0]
    win.open_document(pk)
    strip = win.fields_strip
    win.article.setFocus()
    press_shortcut(qtbot, win, "Ctrl+Alt+W")
    edit = strip.controls["workers"].edit
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "ten")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "Workers: expected a number, got 'ten'" in strip.last_error and strip.error.isVisible()
    assert edit.hasFocus() and stored_fields(sample_store, pk) == {}
    edit.selectAll()
    qtbot.keyClicks(edit, "120")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored_fields(sample_store, pk) == {"workers": 120}
    assert not strip.last_error and win.article.hasFocus()

    date = strip.controls["reported"].edit
    qtbot.mouseClick(date, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(date, "2025-02-30")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert "expected a date YYYY-MM-DD" in strip.last_error
    qtbot.keyClick(date, Qt.Key.Key_Escape)  # Esc puts the stored value back
    assert date.text() == "" and not strip.last_error

    press_shortcut(qtbot, win, "Ctrl+Alt+N")
    box = strip.controls["named"].box
    assert box.hasFocus() and box.checkState() == Qt.CheckState.PartiallyChecked
    qtbot.keyClick(box, Qt.Key.Key_Y)
    assert stored_fields(sample_store, pk)["named"] is True
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert stored_fields(sample_store, pk)["named"] is False and box.text() == "no"

    sites = strip.controls["sites"]
    sites.buttons[0].setFocus()
    qtbot.keyClick(sites.buttons[0], Qt.Key.Key_3)
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_1)
    assert stored_fields(sample_store, pk)["sites"] == ["construction", "fishing"]
    qtbot.keyClick(win.focusWidget(), Qt.Key.Key_1)
    assert stored_fields(sample_store, pk)["sites"] == ["fishing"]


def test_another_analysts_fields_are_read_only(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    with sample_store.write() as session:
        repo.get_or_create_annotator(session, "analyst-b")
        repo.set_document_field(session, pk, "analyst-b", "relevance", "partly", actor="analyst-b")
    win.open_document(pk, "analyst-b")
    control = win.fields_strip.controls["relevance"]
    assert control.buttons[1].isChecked()
    assert not control.buttons[0].isEnabled()
    assert "analyst-b's layer" in control.buttons[0].toolTip()
    win.article.setFocus()
    press_shortcut(qtbot, win, "Ctrl+Alt+R")
    assert win.article.hasFocus()
    assert "analyst-b's layer" in win.statusBar().currentMessage()
    assert not win.ops.set_field("relevance", "relevant")  # the operation refuses too, not only the widget
    assert "analyst-b's layer" in win.statusBar().currentMessage()
    assert stored_fields(sample_store, pk, "analyst-b") == {"relevance": "partly"}
    assert stored_fields(sample_store, pk) == {}


def test_a_field_on_a_done_layer_asks_to_reopen(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    win, pk = window, window.session.document.pk
    assert win.ops.set_status("done")
    buttons = win.fields_strip.controls["relevance"].buttons
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in win.findChildren(QMessageBox)))
    box = next(b for b in win.findChildren(QMessageBox) if b.isVisible())
    assert not buttons[0].isChecked() and stored_fields(sample_store, pk) == {}
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored_fields(sample_store, pk) == {"relevance": "relevant"})
    with sample_store.session() as session:
        assert layer_status(session, pk, ANALYST) == "in_progress"
    assert buttons[0].isChecked()


def test_the_strip_is_hidden_without_fields_and_f1_lists_the_field_keys(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    dialog = window.show_shortcuts()
    rows = dialog.visible_rows()["Document fields"]
    assert ("Relevance field", QKeySequence("Ctrl+Alt+R").toString(QKeySequence.SequenceFormat.NativeText)) in rows
    assert any("first letter" in keys for _name, keys in rows)
    dialog.close()
    scheme = window.session.scheme
    from annotator.core.scheme import Scheme

    assert window.ops.save_scheme(Scheme(scheme.labels, [], scheme.relations))
    assert not window.fields_strip.isVisible() and not window.fields_strip.controls
    window.act_undo.trigger()
    assert window.fields_strip.isVisible() and set(window.fields_strip.controls) == {"relevance", "source_type"}


def test_keys_in_a_field_never_reach_the_window(qtbot, window, sample_store) -> None:  # type: ignore[no-untyped-def]
    """A digit past the options or a letter naming none does nothing: no tag, no other document."""
    win, pk = window, window.session.document.pk
    buttons = win.fields_strip.controls["relevance"].buttons
    buttons[0].setFocus()
    for key in (Qt.Key.Key_4, Qt.Key.Key_J, Qt.Key.Key_Z):
        qtbot.keyClick(buttons[0], key)
    assert win.session.doc_pk == pk and not win.session.spans
    assert stored_fields(sample_store, pk) == {} and win.ops.undo_stack.count() == 0


def test_a_typed_entry_is_stored_when_the_keyboard_leaves_it(qtbot, sample_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.store.queries import document_ids
    from tests.ui_helpers import make_window

    typed_scheme(sample_store)
    win = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    with sample_store.session() as session:
        pk = document_ids(session, None)[0]
    win.open_document(pk)
    strip = win.fields_strip
    edit = strip.controls["workers"].edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "35")
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton)
    assert stored_fields(sample_store, pk) == {"workers": 35}
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClicks(edit, "many")
    qtbot.mouseClick(win.article.viewport(), Qt.MouseButton.LeftButton)
    assert stored_fields(sample_store, pk) == {"workers": 35}
    assert edit.text() == "35" and "expected a number, got 'many'" in strip.last_error
