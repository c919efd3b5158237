"""Label shortcuts that the window, its menus or the article already use are refused, naming the owner."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.store import repository as repo
from annotator.ui.dialogs.scheme_dialog import SHORTCUT, SchemeDialog
from tests.ui_helpers import ANALYST


def stored_shortcuts(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return {lbl.key: lbl.shortcut for lbl in repo.get_scheme(session).labels}


def open_dialog(qtbot, window) -> SchemeDialog:  # type: ignore[no-untyped-def]
    dialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def type_shortcut(qtbot, dialog: SchemeDialog, row: int, text: str) -> None:
    """Edit a shortcut cell with the keyboard: select it, F2, type, Enter."""
    table = dialog.table
    table.setFocus()
    table.setCurrentCell(row, SHORTCUT)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not table and editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.labels[row].shortcut == text)  # Qt commits an edit on the next event loop pass


def test_typed_ctrl_q_is_refused_because_it_quits(qtbot, window) -> None:
    before = stored_shortcuts(window.store)
    dialog = open_dialog(qtbot, window)
    type_shortcut(qtbot, dialog, 0, "Ctrl+Q")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Label 1 (working_hours): the shortcut Ctrl+Q already means “Quit”." in dialog.last_message
    assert stored_shortcuts(window.store) == before and dialog.isVisible()


def test_every_window_action_key_is_refused_with_its_name(qtbot, window) -> None:
    """Collected from the window's real QActions, so a new action is covered without editing a list."""
    labels = set(window.label_bar.all_actions())
    bound = {seq.toString(): act.text().replace("&", "") for act in window.shortcut_actions() if act not in labels
             for seq in act.shortcuts()}
    assert {"Ctrl+Z", "Ctrl+F", "Ctrl+E", "Ctrl+Q", "Del", "F1", "J"} <= set(bound)
    dialog = open_dialog(qtbot, window)
    for key, name in bound.items():
        dialog.set_cell(0, SHORTCUT, key)
        problems = dialog.problems()
        expected = "uses Alt, which annotator adds itself" if "Alt+" in key else f"already means “{name}”"
        assert any(f"the shortcut {key} {expected}" in p for p in problems), (key, problems)


@pytest.mark.parametrize(("typed", "owner"), [
    ("Delete", "Delete span"),            # Qt spells it "Del"
    ("Ctrl+C", "Copy"),                   # the article takes Copy before any window shortcut
    ("Return", "Tag with the sticky label (in the article)"),
    ("Esc", "Clear the selection (in the article)"),
    ("Shift+Right", "Extend the selection by keyboard (in the article)"),
    ("Tab", "Next span (in the article)"),
])
def test_keys_the_article_handles_itself_are_refused(qtbot, window, typed: str, owner: str) -> None:
    dialog = open_dialog(qtbot, window)
    type_shortcut(qtbot, dialog, 1, typed)
    assert dialog.save() is False
    assert f"already means “{owner}”" in dialog.last_message


def test_a_label_key_whose_alt_form_opens_a_menu_is_refused(qtbot, window) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.set_cell(2, SHORTCUT, "f")
    problems = dialog.problems()
    assert ("Label 3 (surveillance): Alt+F (this label on the exact selection) already means “File menu”; "
            "choose another key.") in problems


def test_alt_and_multi_key_shortcuts_are_refused(qtbot, window) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.set_cell(0, SHORTCUT, "Alt+7")
    dialog.set_cell(1, SHORTCUT, "Ctrl+K, Ctrl+7")
    problems = " ".join(dialog.problems())
    assert "Label 1 (working_hours): the shortcut Alt+7 uses Alt" in problems
    assert "Label 2 (injury): the shortcut Ctrl+K, Ctrl+7 is a sequence of keys" in problems


def test_two_labels_with_one_key_spelled_differently_are_refused(qtbot, window) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.set_cell(0, SHORTCUT, "Ctrl+Shift+7")
    dialog.set_cell(1, SHORTCUT, "Shift+Ctrl+7")
    dialog.set_cell(2, SHORTCUT, "ctrl+shift+7")  # the same text but for case: the scheme check says so
    problems = dialog.problems()
    assert "Label 2 (injury): the shortcut Ctrl+Shift+7 is already the shortcut of working_hours." in problems
    assert "Label 3 (surveillance): the shortcut 'ctrl+shift+7' is already the shortcut of working_hours." in problems
    assert len([p for p in problems if "already the shortcut of" in p]) == 2


def test_a_free_key_is_saved_and_tags_when_pressed(qtbot, window) -> None:
    dialog = open_dialog(qtbot, window)
    type_shortcut(qtbot, dialog, 1, "Ctrl+7")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.last_message == "Saved."
    assert stored_shortcuts(window.store)["injury"] == "Ctrl+7"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()
    window.article.select_cp(0, 8)
    qtbot.keyClick(window.article, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    with window.store.session() as session:
        assert [(s.start, s.end, s.label) for s in repo.list_spans(session, window.session.document.pk, ANALYST)] == [
            (0, 8, "injury")]


def test_ctrl_q_really_quits_the_window(qtbot, window) -> None:
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
