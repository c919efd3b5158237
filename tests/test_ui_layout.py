"""The window's side panels keep a readable width when the window is narrow or an old layout squeezed them."""

from __future__ import annotations

from PySide6.QtCore import QByteArray

from tests.test_ui_support import sample_store, window  # noqa: F401


def test_side_panels_keep_their_width_in_a_narrow_window(qtbot, window):  # noqa: F811
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
