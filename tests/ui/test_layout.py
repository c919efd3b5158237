"""The window's side panels keep a readable width when the window is narrow or an old layout squeezed them."""

from __future__ import annotations

from PySide6.QtCore import QByteArray


def test_side_panels_keep_their_width_in_a_narrow_window(qtbot, window):
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    # a layout saved by an earlier version that gave the right-hand panel almost nothing
    window.splitter.setSizes([240, 900, 60])
    state: QByteArray = window.splitter.saveState()
    window.splitter.restoreState(state)
    docs, article, right = window.splitter.sizes()
    assert right >= 280 and docs >= 240
    assert article > 0
    qtbot.wait(10)
    # the Quote column shows words, not only an ellipsis
    assert window.span_list.horizontalHeader().sectionSize(0) >= 80


def test_view_menu_keys_bring_the_span_list_or_the_suggestions_forward(qtbot, window):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.article.setFocus()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.article, Qt.Key.Key_S, ctrl_shift)
    assert window.side_tabs.currentWidget() is window.suggestions
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.suggestions.table)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, ctrl_shift)
    assert window.side_tabs.currentWidget() is window.span_list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.span_list)
