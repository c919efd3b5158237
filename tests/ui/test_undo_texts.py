"""Every edit's undo text names the label (issue #13, item 5), and a label key with nothing selected says so.

Each step is made with the real key (or field, or suggestion row) an analyst uses, then the Edit menu's
Undo entry is read as it is shown: "Undo Tag Working hours", "Undo Relabel Injury → Sanctions", …
"""

from __future__ import annotations

from PySide6.QtCore import Qt

CTRL = Qt.KeyboardModifier.ControlModifier


def undo_text(window) -> str:  # type: ignore[no-untyped-def]
    return window.act_undo.text()


def test_each_edit_path_names_its_label_in_the_undo_entry(qtbot, window) -> None:
    text = window.session.document.text
    view = window.article
    start = text.index("Welders")
    view.select_cp(start, start + 7)
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert undo_text(window) == "Undo Tag Working hours"
    assert view.selection_cp() is None and window.session.selected_span() is not None
    qtbot.keyClick(view, Qt.Key.Key_2)  # no text selected: the key relabels the selected span
    assert undo_text(window) == "Undo Relabel Working hours → Injury"
    qtbot.keyClick(view, Qt.Key.Key_L)
    assert undo_text(window) == "Undo Relabel Injury → Surveillance"
    qtbot.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert undo_text(window) == "Undo Relabel Surveillance → Injury"
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    assert undo_text(window) == "Undo Adjust Injury span"

    details = window.details
    details.note.setFocus()
    qtbot.keyClicks(details.note, "recruited abroad")
    qtbot.keyClick(details.note, Qt.Key.Key_Return, CTRL)
    assert undo_text(window) == "Undo Change note of Injury"
    details.attributes.setFocus()
    qtbot.keyClicks(details.attributes, "certainty: high")
    qtbot.keyClick(details.attributes, Qt.Key.Key_Return, CTRL)
    assert undo_text(window) == "Undo Change attributes of Injury"

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert undo_text(window) == "Undo Delete Injury"
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert window.act_redo.text() == "Redo Delete Injury"
    assert undo_text(window) == "Undo Change attributes of Injury"


def test_accepting_suggestions_names_the_labels(qtbot, window) -> None:
    text = window.session.document.text
    start = text.index("shipyard")  # the word occurs three times
    window.article.select_cp(start, start + 8)
    qtbot.keyClick(window.article, Qt.Key.Key_5)
    panel = window.suggestions
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.keyClick(window.article, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)  # View → Suggestions
    assert len(panel.model.rows) == 2
    panel.table.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert undo_text(window) == "Undo Accept Sanctions suggestion"
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        pass
    qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
    assert undo_text(window) == "Undo Accept 2 Sanctions suggestions"
    assert window.ops.accept_suggestions([(0, 4, "injury"), (5, 10, "remittance"), (11, 15, "injury")])
    assert undo_text(window) == "Undo Accept 3 suggestions (Injury, Remittance)"


def test_a_label_key_with_nothing_selected_says_so(qtbot, window) -> None:
    view = window.article
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selection_cp() is None and window.session.selected_span() is None
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert window.statusBar().currentMessage() == (
        "Select text to tag it Surveillance, or select a span to relabel it.")
    assert window.session.spans == {} and window.ops.undo_stack.count() == 0
