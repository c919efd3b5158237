"""The dashboard's two charts, drawn with QPainter: one analyst's label mix beside the team's, and every
analyst's agreement with the others week by week.

Why drawn here: like the learning curve (``ui/annotate/learning_curve.py``), two small charts do not
justify a plotting library. Both read the palette, so they work in the light and the dark theme; axis
labels are thinned out until they no longer overlap, and an empty chart says why it is empty.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from annotator.core.team_stats import AnalystFigures, DashboardData, shares

SERIES_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7",
                  "#9c755f", "#bab0ac")
"""One colour per analyst line (Tableau 10: distinct in both themes and for most colour-blind readers)."""

LEFT, RIGHT, TOP, BOTTOM = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight, Qt.AlignmentFlag.AlignTop, \
    Qt.AlignmentFlag.AlignBottom
VCENTER, HCENTER = Qt.AlignmentFlag.AlignVCenter, Qt.AlignmentFlag.AlignHCenter


def series_colour(index: int) -> QColor:
    return QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)])


def _grid(palette: QPalette) -> QColor:
    grid = QColor(palette.color(QPalette.ColorRole.Text))
    grid.setAlpha(80)  # faint, but still there after the screenshots' reduction to 256 colours
    return grid


class _Chart(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: DashboardData | None = None
        self.selected = ""
        self.setMinimumSize(260, 170)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(name)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(420, 240)

    def set_data(self, data: DashboardData | None, selected: str) -> None:
        self.data, self.selected = data, selected
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        raise NotImplementedError


class LabelMixChart(_Chart):
    """Horizontal bars per label: the selected analyst's share (label colour) over the team's (outline)."""

    def __init__(self, parent: QWidget | None = None, label_names: dict[str, tuple[str, str]] | None = None) -> None:
        super().__init__("Label distribution", parent)
        self.label_names = label_names or {}
        """label key → (name, colour), from the session's scheme."""

    def analyst(self) -> AnalystFigures | None:
        if self.data is None or not self.selected:
            return None
        return next((a for a in self.data.analysts if a.name == self.selected), None)

    def describe(self) -> str:
        who = self.analyst()
        if who is None or self.data is None:
            return "No analyst chosen"
        mine, team = shares(who.label_counts), shares(self.data.team_counts)
        return "\n".join(f"{self.label_names.get(k, (k, ''))[0]}: {mine.get(k, 0):.0%} ({who.name}), "
                         f"{team.get(k, 0):.0%} (team)" for k in self.data.labels)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.Text)
            painter.setPen(text)
            who = self.analyst()
            title = QRectF(8, 4, self.width() - 16, 20)
            if who is None or self.data is None or not self.data.labels:
                painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "No analyst to show yet")
                return
            drift = self.data.drift(who)
            painter.drawText(title, int(LEFT | VCENTER), f"Labels: {who.name} (filled) vs team (outline)"
                             + ("" if drift is None else f" · drift {drift:.2f}"))
            if not who.spans:
                painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), f"{who.name} has no spans yet")
                return
            mine, team = shares(who.label_counts), shares(self.data.team_counts)
            metrics = QFontMetrics(self.font())
            names = [self.label_names.get(k, (k, ""))[0] for k in self.data.labels]
            name_w = min(max(metrics.horizontalAdvance(n) for n in names) + 12, self.width() // 3)
            value_w = metrics.horizontalAdvance("100%") + 10
            area = QRectF(name_w + 8, 30, max(20, self.width() - name_w - value_w - 24), self.height() - 40)
            row = area.height() / len(self.data.labels)
            top = max(mine.values() or [0]) or 1.0
            top = max(top, max(team.values() or [0]), 0.01)
            for i, key in enumerate(self.data.labels):
                y = area.top() + i * row
                painter.setPen(text)
                painter.drawText(QRectF(4, y, name_w, row), int(RIGHT | VCENTER),
                                 metrics.elidedText(names[i], Qt.TextElideMode.ElideRight, name_w - 4))
                colour = QColor(self.label_names.get(key, ("", "#888888"))[1] or "#888888")
                bar_h = max(4.0, row * 0.34)
                width = area.width() * mine.get(key, 0) / top
                painter.fillRect(QRectF(area.left(), y + row / 2 - bar_h, width, bar_h), colour)
                painter.setPen(QPen(text, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(area.left(), y + row / 2 + 1, area.width() * team.get(key, 0) / top, bar_h - 2))
                painter.drawText(QRectF(area.left() + width + 4, y + row / 2 - bar_h - 2, value_w, bar_h + 4),
                                 int(LEFT | VCENTER), f"{mine.get(key, 0):.0%}")
        finally:
            painter.end()


class AgreementChart(_Chart):
    """Overlap F1 (0–1) per ISO week for every analyst; the selected one drawn thicker with its points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Agreement over time", parent)

    def periods(self) -> list[str]:
        if self.data is None:
            return []
        return sorted({p.period for a in self.data.analysts for p in a.agreement})

    def describe(self) -> str:
        if self.data is None:
            return ""
        return "\n".join(f"{a.name}: " + ", ".join(f"{p.period} {p.overlap:.2f}" for p in a.agreement
                                                     if p.overlap is not None)
                         for a in self.data.analysts if a.agreement)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            palette = self.palette()
            text = palette.color(QPalette.ColorRole.Text)
            metrics = QFontMetrics(self.font())
            painter.setPen(text)
            painter.drawText(QRectF(8, 4, self.width() - 16, 20), int(LEFT | VCENTER),
                             "Agreement with the others on shared documents (overlap F1, by week done)")
            periods = self.periods()
            label_w = metrics.horizontalAdvance("2026-W00") + 12
            margin = label_w / 2 + 4  # the first and last week's names stay inside the chart
            area = QRectF(max(44.0, margin), 48, max(10, self.width() - max(44.0, margin) - margin),
                          max(10, self.height() - 80))
            for k in range(5):
                y = area.bottom() - area.height() * k / 4
                painter.setPen(QPen(_grid(palette), 1))
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
                painter.setPen(text)
                painter.drawText(QRectF(0, y - 8, area.left() - 6, 16), int(RIGHT | VCENTER), f"{k / 4:.2f}")
            if self.data is None or not periods:
                painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter),
                                 "No shared documents finished by two analysts yet")
                return
            x_of = {p: area.left() + (area.width() * i / (len(periods) - 1) if len(periods) > 1 else area.width() / 2)
                    for i, p in enumerate(periods)}
            step = max(1, -(-len(periods) * label_w // max(1, int(area.width()))))
            for i, p in enumerate(periods):
                if i % step == 0:
                    painter.drawText(QRectF(x_of[p] - label_w / 2, area.bottom() + 4, label_w, 16),
                                     int(HCENTER | TOP), p)
            legend_x = 8.0
            for index, analyst in enumerate(self.data.analysts):
                colour = series_colour(index)
                chosen = analyst.name == self.selected
                points = [QPointF(x_of[p.period], area.bottom() - area.height() * p.overlap)
                          for p in analyst.agreement if p.overlap is not None]
                if points:
                    path = QPainterPath(points[0])
                    for point in points[1:]:
                        path.lineTo(point)
                    painter.setPen(QPen(colour, 3 if chosen else 1.5))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawPath(path)
                    if chosen:
                        painter.setBrush(colour)
                        for point in points:
                            painter.drawEllipse(point, 3.5, 3.5)
                name_w = metrics.horizontalAdvance(analyst.name)
                if legend_x + 22 + name_w < self.width():
                    painter.fillRect(QRectF(legend_x, 30, 14, 4 if not chosen else 6), colour)
                    painter.setPen(text)
                    font = painter.font()
                    font.setBold(chosen)
                    painter.setFont(font)
                    painter.drawText(QRectF(legend_x + 18, 22, name_w + 8, 18), int(LEFT | VCENTER), analyst.name)
                    font.setBold(False)
                    painter.setFont(font)
                    legend_x += 18 + name_w + 16
        finally:
            painter.end()
