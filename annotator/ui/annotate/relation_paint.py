"""Relations drawn in the article: arcs above a line, connectors through the left margin between lines.

Why apart from the span painter: spans are painted per line, relations join two places that may be pages
apart. Two spans on one line get an arc in the gap above the line (its height staggered, so arcs between
neighbouring spans do not lie on each other); spans on different lines get a connector that leaves the
source upwards, runs in the gap above its line to the left margin, down (or up) the margin and into the
gap above the target — never across words. Each relation's lane in the margin and each arc's height come
from its rank among the visible relations, so overlapping links stay apart. Directed types end in an
arrowhead at the target; the selected span's relations are drawn bold and named.

Only relations with a visible part are drawn, and at most :data:`MAX_DRAWN` of them (a 1 MB article keeps
painting in bounded time); relations reaching beyond the screen run to its edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen

from annotator.ui.common.theme import readable

if TYPE_CHECKING:
    from annotator.ui.annotate.article_view import ArticleView

MAX_DRAWN = 150
LEVELS = 4
ARROW = 5.5


@dataclass(frozen=True, slots=True)
class RelationMark:
    """One relation to draw: its span ids, colour, whether it has a direction, and whether to emphasise it."""

    source: int
    target: int
    color: str
    directed: bool = True
    emphasised: bool = False
    name: str = ""


@dataclass(frozen=True, slots=True)
class RelationPreview:
    """A relation being made: the candidate target (keyboard link mode) or the mouse point (a drag)."""

    source: int
    color: str
    target: int | None = None
    point: QPointF | None = None


def _anchor(view: ArticleView, span_id: int) -> QRectF | None:
    span = view.index.by_id.get(span_id)
    if span is None:
        return None
    segments = view.segments(span)
    return segments[0] if segments else None


@dataclass(frozen=True, slots=True)
class Frame:
    """The view's measures a paint needs, read once per paint (each read is a call into Qt)."""

    margin: float
    width: float
    height: float
    scroll_x: float
    gap: float

    @classmethod
    def of(cls, view: ArticleView) -> Frame:
        viewport = view.viewport()
        return cls(view.document().documentMargin(), viewport.width(), viewport.height(),
                   view.horizontalScrollBar().value(), view.fontMetrics().height() * 0.6)


def relation_path(frame: Frame, source: QRectF, target: QRectF, level: int) -> QPainterPath:
    """The path from the top of ``source`` to the top of ``target`` (viewport coordinates)."""
    sx, tx = source.center().x(), target.center().x()
    path = QPainterPath(QPointF(sx, source.top()))
    if abs(source.top() - target.top()) < 1.0:  # same line: an arc in the gap above it
        height = min(frame.gap, 5.0 + 3.0 * level) * 1.33
        path.cubicTo(QPointF(sx, source.top() - height), QPointF(tx, target.top() - height),
                     QPointF(tx, target.top()))
        return path
    # between lines: through the gap above each line to the nearer margin, and along it
    margin, width = frame.margin, frame.width
    right = (sx + tx) / 2 > width / 2
    lane_x = (width - margin + 6.0 + 4.0 * level) if right else (margin - 6.0 - 4.0 * level)
    lane_x -= frame.scroll_x
    rise = 2.5 + 1.5 * level
    y1, y2 = source.top() - rise, target.top() - rise
    toward = 1.0 if right else -1.0
    down = 1.0 if y2 > y1 else -1.0
    r = min(3.0, abs(y2 - y1) / 2)
    # An end beyond the screen is left out, the lane running to the screen's edge: a connector to a span
    # pages away would otherwise be stroked over its whole length (tens of ms for one antialiased path).
    low, high = -40.0, frame.height + 40.0
    if low <= y1 <= high:
        path.lineTo(sx, y1 + 1.5)
        path.quadTo(sx, y1, sx + toward * 1.5, y1)
        path.lineTo(lane_x - toward * r, y1)
        path.quadTo(lane_x, y1, lane_x, y1 + down * r)
    else:
        path = QPainterPath(QPointF(lane_x, min(max(y1, low), high)))
    if low <= y2 <= high:
        path.lineTo(lane_x, y2 - down * r)
        path.quadTo(lane_x, y2, lane_x - toward * r, y2)
        path.lineTo(tx + toward * 1.5, y2)
        path.quadTo(tx, y2, tx, y2 + 1.5)
        path.lineTo(tx, target.top())
    else:
        path.lineTo(lane_x, min(max(y2, low), high))
    return path


def name_point(frame: Frame, source: QRectF, target: QRectF, level: int) -> QPointF:
    """Where a relation's name goes: the top of its arc, or the middle of the connector's last leg (inside
    the text column, never in the margin where it would be cut)."""
    sx, tx = source.center().x(), target.center().x()
    if abs(source.top() - target.top()) < 1.0:
        return QPointF((sx + tx) / 2, source.top() - min(frame.gap, 5.0 + 3.0 * level))
    edge = frame.width - frame.margin if (sx + tx) / 2 > frame.width / 2 else frame.margin
    return QPointF((tx + edge) / 2, target.top() - 2.5 - 1.5 * level)


def _arrowhead(painter: QPainter, path: QPainterPath, colour: QColor) -> None:
    tip = path.pointAtPercent(1.0)
    back = path.pointAtPercent(max(0.0, 1.0 - 4.0 / max(path.length(), 4.0)))
    angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
    left = QPointF(tip.x() - ARROW * math.cos(angle - 0.45), tip.y() - ARROW * math.sin(angle - 0.45))
    right = QPointF(tip.x() - ARROW * math.cos(angle + 0.45), tip.y() - ARROW * math.sin(angle + 0.45))
    head = QPainterPath(tip)
    head.lineTo(left)
    head.lineTo(right)
    head.closeSubpath()
    painter.fillPath(head, colour)


def visible_marks(view: ArticleView) -> list[RelationMark]:
    """The relations with a part on screen (both spans known to the view), at most MAX_DRAWN, emphasised first."""
    if not view.relation_marks:
        return []
    start, end = view.visible_cp_range()
    get = view.index.by_id.get
    shown = []
    for mark in view.relation_marks:
        source, target = get(mark.source), get(mark.target)
        if source is None or target is None:
            continue
        if (source.start < end or target.start < end) and (source.end > start or target.end > start):
            shown.append(mark)
    shown.sort(key=lambda m: not m.emphasised)
    return shown[:MAX_DRAWN]


_COLOURS: dict[tuple[str, str, bool], QColor] = {}


def _colour(wanted: str, palette: QPalette, *, faint: bool) -> QColor:
    """The relation colour made readable on the page, or (``faint``) mixed a third of the way to the page.

    Opaque on purpose: Qt strokes a translucent antialiased path about fifty times slower than an opaque
    one (milliseconds per connector), and the page behind a connector is plain background anyway.
    """
    base = palette.color(QPalette.ColorRole.Base)
    key = (wanted, base.name(), faint)
    found = _COLOURS.get(key)
    if found is None:
        found = readable(wanted, palette, QPalette.ColorRole.Base)
        if faint:
            found = QColor.fromRgbF(found.redF() * 0.65 + base.redF() * 0.35, found.greenF() * 0.65 + base.greenF() * 0.35,
                                    found.blueF() * 0.65 + base.blueF() * 0.35)
        _COLOURS[key] = found
    return QColor(found)


def assign_levels(intervals: list[tuple[float, float]]) -> list[int]:
    """A level per interval such that overlapping intervals differ where they can (shortest first, lowest
    free level; beyond LEVELS levels they share the outermost): nested links get nested arcs and lanes."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i][1] - intervals[i][0], intervals[i][0]))
    placed: list[tuple[float, float, int]] = []
    levels = [0] * len(intervals)
    for i in order:
        lo, hi = intervals[i]
        used = {level for a, b, level in placed if a < hi and lo < b}
        level = next((n for n in range(LEVELS) if n not in used), LEVELS - 1)
        levels[i] = level
        placed.append((lo, hi, level))
    return levels


def paint_relations(view: ArticleView, painter: QPainter, rect: QRect) -> None:
    marks = visible_marks(view)
    preview = view.relation_preview
    if not marks and preview is None:
        return
    placed = []
    for mark in marks:
        source, target = _anchor(view, mark.source), _anchor(view, mark.target)
        if source is not None and target is not None:
            placed.append((mark, source, target))
    same_line = [abs(s.top() - t.top()) < 1.0 for _m, s, t in placed]
    # arcs on one line are kept apart along the line, connectors between lines along the margin
    intervals = [(s.top() * 10000 + min(s.center().x(), t.center().x()),
                  s.top() * 10000 + max(s.center().x(), t.center().x())) if same
                 else (min(s.top(), t.top()) - 1e9, max(s.top(), t.top()) - 1e9)
                 for (_m, s, t), same in zip(placed, same_line, strict=True)]
    levels = assign_levels(intervals)
    palette, frame = view.palette(), Frame.of(view)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    names: list[tuple[QPointF, str, QColor]] = []
    drawn = sorted(zip(placed, levels, strict=True), key=lambda item: item[0][0].emphasised)  # emphasised on top
    for (mark, source, target), level in drawn:
        colour = _colour(mark.color, palette, faint=not mark.emphasised)
        pen = QPen(colour, 2.4 if mark.emphasised else 1.2)
        if not mark.directed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        path = relation_path(frame, source, target, level)
        painter.drawPath(path)
        if mark.directed:
            _arrowhead(painter, path, colour)
        else:
            painter.setBrush(colour)
            painter.drawEllipse(path.pointAtPercent(1.0), 1.8, 1.8)
        painter.setBrush(colour)
        painter.drawEllipse(path.pointAtPercent(0.0), 1.8, 1.8)  # where it starts
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if mark.emphasised and mark.name:
            names.append((name_point(frame, source, target, level), mark.name, colour))
    if preview is not None:
        _paint_preview(view, frame, painter, preview)
    if names:
        _paint_names(view, painter, names)
    painter.restore()


def _paint_preview(view: ArticleView, frame: Frame, painter: QPainter, preview: RelationPreview) -> None:
    source = _anchor(view, preview.source)
    if source is None:
        return
    colour = _colour(preview.color, view.palette(), faint=False)
    pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
    painter.setPen(pen)
    if preview.target is not None:
        span = view.index.by_id.get(preview.target)
        target = _anchor(view, preview.target)
        if span is None or target is None:
            return
        for seg in view.segments(span):
            painter.drawRoundedRect(seg.adjusted(-3.0, -3.0, 3.0, 3.0), 4, 4)
        path = relation_path(frame, source, target, 0)
        painter.drawPath(path)
        _arrowhead(painter, path, colour)
    elif preview.point is not None:
        start = QPointF(source.center().x(), source.top())
        painter.drawLine(start, preview.point)


def _paint_names(view: ArticleView, painter: QPainter, names: list[tuple[QPointF, str, QColor]]) -> None:
    """The relation type's name at the middle of each emphasised relation, on a patch of the page colour."""
    font = QFont(view.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.62))
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    base = view.palette().color(QPalette.ColorRole.Base)
    for point, name, colour in names:
        box = metrics.boundingRect(name).adjusted(-2.0, 0.0, 2.0, 0.0)
        box.moveCenter(point)
        painter.fillRect(box, base)
        painter.setPen(colour)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
