"""Helpers for the widget tests: stores with documents, shown windows, selecting text with the mouse."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor

from annotator.core.formats.articles import document_from_text
from annotator.store import repository as repo
from annotator.store.database import Store

ANALYST = "analyst-a"


def add_text(store: Store, text: str, title: str = "") -> int:
    with store.write() as session:
        repo.ensure_default_scheme(session)
        row, _new = repo.add_document(session, document_from_text(text, {"title": title or text[:30]}))
        return row.id


def make_window(qtbot, store: Store, settings_path: Path, annotator: str = ANALYST, *,  # type: ignore[no-untyped-def]
                own_cleanup: bool = False, **kwargs):
    """A shown, active main window. qtbot closes it after the test, unless ``own_cleanup``: a test that
    closes and deletes its windows itself (one per hypothesis example) must not leave qtbot a second close
    of a deleted window."""
    from annotator.ui.shell.main_window import MainWindow

    window = MainWindow(store, annotator, settings=QSettings(str(settings_path), QSettings.Format.IniFormat), **kwargs)
    if not own_cleanup:
        qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # window shortcuts (label keys) need the active window
    return window


def u16(text: str, cp: int) -> int:
    """UTF-16 position of code point ``cp``, computed independently of the app's bridge."""
    return len(text[:cp].encode("utf-16-le")) // 2


def point_of(view, qt_pos: int) -> QPoint:  # type: ignore[no-untyped-def]
    """Viewport point in the middle of the caret gap before Qt position ``qt_pos``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_pos)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x(), rect.center().y())


def drag_select(qtbot, view, text: str, start_cp: int, end_cp: int) -> None:  # type: ignore[no-untyped-def]
    """Select with a real mouse drag from before ``start_cp`` to before ``end_cp``."""
    a, b = point_of(view, u16(text, start_cp)), point_of(view, u16(text, end_cp))
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, pos=QPoint((a.x() + b.x()) // 2, a.y()))
    qtbot.mouseMove(viewport, pos=b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)
