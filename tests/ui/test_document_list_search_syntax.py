"""The document list's search box: OR / -word / "phrase" work as typed, unsupported syntax is one message
in the list (never a database error or a traceback)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _type(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    box = window.docs.search
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # applies the search at once (no typing pause)


def test_syntax_in_the_list_and_one_message_for_what_it_does_not_support(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    docs, model = window.docs, window.docs.model
    _type(qtbot, window, "logging OR desert")
    assert model.rowCount() == 2 and not docs.notice.isVisible()
    _type(qtbot, window, "logging OR desert -camp")
    assert model.rowCount() == 1 and "desert" in model.document_row(0).title.lower()
    _type(qtbot, window, '"twenty-hour shifts"')
    assert model.rowCount() == 1 and "twenty-hour" in model.document_row(0).title
    _type(qtbot, window, "(logging)")
    assert model.rowCount() == 0
    assert docs.notice.isVisible() and docs.notice.text().startswith("parentheses are not supported")
    _type(qtbot, window, "logging")
    assert model.rowCount() == 1 and not docs.notice.isVisible()
