"""Opening a top-level window at a size that fits the screen it appears on.

The agreement and curation windows want a lot of room (lanes side by side, wide tables), but a fixed
``resize(1560, 900)`` put their buttons off-screen on a 1366×768 laptop. :func:`fit_to_screen` asks for the
preferred size and takes at most the screen's available geometry (without task bars and docks), so a
small screen gets a window that fits — the layouts then scroll, split and wrap — and a large one gets the
preferred size or more.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def available_geometry(widget: QWidget) -> QRect:
    """The usable area of the screen ``widget`` is on (or the primary screen), in device-independent pixels."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 640)


def fit_to_screen(widget: QWidget, width: int, height: int, *, share: float = 0.85) -> tuple[int, int]:
    """Resize ``widget`` to ``width``×``height``, or ``share`` of a larger screen, never beyond what is
    available; move it so its frame lies on the screen. Returns the size given."""
    area = available_geometry(widget)
    want_w = max(width, round(area.width() * share))
    want_h = max(height, round(area.height() * share))
    w, h = min(want_w, area.width()), min(want_h, area.height())
    widget.resize(w, h)
    frame = widget.frameGeometry()
    x = min(max(frame.x(), area.x()), area.x() + max(0, area.width() - w))
    y = min(max(frame.y(), area.y()), area.y() + max(0, area.height() - h))
    widget.move(x, y)
    return w, h
