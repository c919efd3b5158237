"""The learning curve as a small chart of our own: overlap F1 against the number of training documents.

Why drawn here: the only chart the app needs does not justify a plotting library in a 150 MB bundle.
Points are spaced by the logarithm of the document count (10, 25, 50, 100, 400 spread evenly enough to
read), the F1 axis runs from 0 to 1 with a line at every quarter, and each point carries its value, so the
analyst can see at a glance whether the last step of labelling still raised the score.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


class LearningCurveChart(QWidget):
    """F1 (0–1) against training documents; :meth:`set_points` takes (documents, F1 or None) pairs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[tuple[int, float]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Learning curve")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(360, 180)

    def set_points(self, points: list[tuple[int, float | None]] | list[list]) -> None:
        self.points = [(int(n), float(f1)) for n, f1 in points if f1 is not None and int(n) > 0]
        text = ", ".join(f"{n} documents: F1 {f1:.2f}" for n, f1 in self.points)
        self.setToolTip(text or "No learning curve yet: train with “Learning curve” ticked.")
        self.update()

    def plot_area(self) -> QRectF:
        return QRectF(44, 24, max(10, self.width() - 64), max(10, self.height() - 56))

    def point_at(self, n: int, f1: float) -> QPointF:
        """Where (documents, F1) is drawn (the axes adapt to the points shown)."""
        area = self.plot_area()
        lo, hi = math.log(max(1, min(p[0] for p in self.points))), math.log(max(p[0] for p in self.points))
        x = area.left() + (area.width() * (math.log(n) - lo) / (hi - lo) if hi > lo else area.width() / 2)
        return QPointF(x, area.bottom() - area.height() * max(0.0, min(1.0, f1)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.Text)
            grid = QColor(text)
            grid.setAlpha(50)
            area = self.plot_area()
            painter.setPen(QPen(grid, 1))
            for k in range(5):
                y = area.bottom() - area.height() * k / 4
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
                painter.setPen(text)
                painter.drawText(QRectF(0, y - 8, area.left() - 6, 16),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), f"{k / 4:.2f}")
                painter.setPen(QPen(grid, 1))
            painter.setPen(text)
            painter.drawText(QRectF(area.left(), area.bottom() + 18, area.width(), 16),
                             int(Qt.AlignmentFlag.AlignCenter), "training documents  →  overlap F1 on held-out documents")
            if not self.points:
                painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), "No learning curve yet")
                return
            accent = palette.color(QPalette.ColorRole.Highlight)
            path = QPainterPath()
            for i, (n, f1) in enumerate(self.points):
                p = self.point_at(n, f1)
                path.moveTo(p) if i == 0 else path.lineTo(p)
            painter.setPen(QPen(accent, 2))
            painter.drawPath(path)
            painter.setBrush(accent)
            for n, f1 in self.points:
                p = self.point_at(n, f1)
                painter.setPen(QPen(accent, 1))
                painter.drawEllipse(p, 3.5, 3.5)
                painter.setPen(text)
                painter.drawText(QRectF(p.x() - 30, p.y() - 20, 60, 14), int(Qt.AlignmentFlag.AlignCenter), f"{f1:.2f}")
                painter.drawText(QRectF(p.x() - 30, area.bottom() + 2, 60, 14), int(Qt.AlignmentFlag.AlignCenter), str(n))
        finally:
            painter.end()
