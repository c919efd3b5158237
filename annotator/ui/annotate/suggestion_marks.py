"""Suggestions drawn in the article: a dashed outline in the label's colour, never a fill.

Why apart from the span painter: a suggestion is not an annotation — it must not look like one (no
translucent fill, no lane bar), must not be clickable as a span, and must never reach the span index
that the span list, agreement and exports read. The article keeps a plain list of (start, end, label)
marks that the Suggestions tab sets; this module paints the visible ones after the spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from annotator.ui.annotate.span_index import IndexedSpan

if TYPE_CHECKING:
    from annotator.ui.annotate.article_view import ArticleView

Mark = tuple[int, int, str]


def mark_rects(view: ArticleView, mark: Mark) -> list[QRectF]:
    """Viewport rectangles of one suggestion's text (what the painter outlines; tests look at them too)."""
    return view.segments(IndexedSpan(-1, mark[0], mark[1], mark[2]))


def paint_marks(view: ArticleView, painter: QPainter, rect: QRect) -> None:
    marks = view.suggestion_marks
    if not marks:
        return
    start, end = view.visible_cp_range(rect)
    visible = [m for m in marks if m[0] < end and m[1] > start]
    if not visible:
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for mark in visible:
        pen = QPen(view.colors.get(mark[2], QColor("#888888")))
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.6)
        painter.setPen(pen)
        for seg in mark_rects(view, mark):
            painter.drawRoundedRect(seg.adjusted(-2.5, -2.5, 2.5, 2.5), 3, 3)
