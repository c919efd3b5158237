"""Windows and dialogs open at most as large as the screen's available area, and stay on it.

A fixed ``resize(1420, 880)`` (or a geometry saved on a bigger monitor) put the span panel off a
1024×640 laptop screen. Every top-level window of ours sizes itself through :func:`fit_to_available`:
the size it would like, shrunk to what the screen offers (``QScreen.availableGeometry``: without the
task bar and docks), never below its own minimum, and moved back onto the screen if it hangs off.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available_geometry(widget: QWidget) -> QRect:
    """The available area of the screen ``widget`` is on (or will open on: its parent's, else the primary)."""
    screen = widget.screen() if widget.isVisible() else None
    parent = widget.parentWidget()
    if screen is None and parent is not None:
        screen = parent.screen()
    screen = screen or widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 640)


def fit_to_available(widget: QWidget, wanted: QSize | None = None, available: QRect | None = None) -> QSize:
    """Resize ``widget`` to ``wanted`` (default: its current size) within ``available`` (default: its screen's
    available area), and move it onto that area; returns the size given."""
    area = available if available is not None else available_geometry(widget)
    wanted = wanted if wanted is not None else widget.size()
    frame = widget.frameGeometry().size() - widget.geometry().size() if widget.isVisible() else QSize(0, 0)
    room = area.size() - frame
    size = wanted.boundedTo(room).expandedTo(widget.minimumSize())
    widget.resize(size)
    pos = widget.pos()
    x = min(max(pos.x(), area.left()), max(area.left(), area.right() + 1 - size.width() - frame.width()))
    y = min(max(pos.y(), area.top()), max(area.top(), area.bottom() + 1 - size.height() - frame.height()))
    if (x, y) != (pos.x(), pos.y()):
        widget.move(x, y)
    return size
