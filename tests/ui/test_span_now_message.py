""""Span now “…”" leaves the status bar when it stops being true (issue #13, item 3): undo, redo, another document."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui_helpers import add_text, make_window

TEXT = "Crews worked fourteen hours a day at the yard."
OTHER = "Another article about wages."
ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def win(qtbot, store, tmp_path):  # type: ignore[no-untyped-def]
    doc = add_text(store, TEXT, "Crews")
    add_text(store, OTHER, "Wages")
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(doc)
    start = TEXT.index("fourteen")
    window.article.select_cp(start, start + len("fourteen"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert window.article.selected_span is not None
    return window


def extend(qtbot, win) -> str:  # type: ignore[no-untyped-def]
    """Move the selected span's end one character right with the real key; the line it shows."""
    qtbot.keyClick(win.article, Qt.Key.Key_Right, ALT_SHIFT)
    message = win.statusBar().currentMessage()
    assert message.startswith("Span now “fourteen")
    return message


def test_undo_takes_the_line_back(qtbot, win) -> None:
    """(A redo cannot meet the line: any adjustment that says it empties the redo stack; both go through the
    same ``changed`` path.)"""
    extend(qtbot, win)
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert win.statusBar().currentMessage() == ""
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo: the span is back
    assert win.session.spans[win.article.selected_span].quote == "fourteen "
    assert extend(qtbot, win) == "Span now “fourteen h” (13–23)."  # a new adjustment says it again
    win.ops.undo_stack.undo()
    assert win.statusBar().currentMessage() == ""


def test_another_document_takes_the_line_back(qtbot, win) -> None:
    extend(qtbot, win)
    qtbot.keyClick(win.article, Qt.Key.Key_J)  # next document
    assert win.session.document.text == OTHER
    assert win.statusBar().currentMessage() == ""


def test_only_that_line_is_taken_back(qtbot, win) -> None:
    extend(qtbot, win)
    qtbot.keyClick(win.article, Qt.Key.Key_Escape)  # no span and no text selected: a label key says so
    qtbot.keyClick(win.article, Qt.Key.Key_2)
    said = win.statusBar().currentMessage()
    assert said.startswith("Select text to tag it Injury")
    win.ops.undo_stack.undo()
    assert win.statusBar().currentMessage() == said
