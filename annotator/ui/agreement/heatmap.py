"""Heat-map tables: numbers in cells, coloured by value on a colour-blind-safe scale, with a legend.

A heat map that only shows colour is unreadable for some people and for everyone on a grey printout, so
every cell prints its value; the colour is a second channel. The scale is viridis (perceptually uniform,
readable with every common colour-vision deficiency, monotone in lightness), and the text colour is
chosen per cell for contrast. Undefined values (``None``) are shown as "—" on a neutral grey.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

# viridis at nine evenly spaced stops (dark purple -> yellow)
VIRIDIS = ("#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725")
UNDEFINED = QColor("#e6e6e6")

ModelIndex = QModelIndex | QPersistentModelIndex


def scale_colour(value: float | None, vmin: float, vmax: float) -> QColor:
    """The viridis colour of ``value`` on ``[vmin, vmax]`` (clamped); grey for an undefined value."""
    if value is None or value != value:  # None or NaN
        return QColor(UNDEFINED)
    span = vmax - vmin
    t = 0.0 if span <= 0 else min(max((value - vmin) / span, 0.0), 1.0)
    pos = t * (len(VIRIDIS) - 1)
    i = min(int(pos), len(VIRIDIS) - 2)
    frac = pos - i
    a, b = QColor(VIRIDIS[i]), QColor(VIRIDIS[i + 1])
    return QColor(round(a.red() + (b.red() - a.red()) * frac), round(a.green() + (b.green() - a.green()) * frac),
                  round(a.blue() + (b.blue() - a.blue()) * frac))


def text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (relative luminance, WCAG)."""

    def channel(c: int) -> float:
        v = c / 255.0
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * channel(background.red()) + 0.7152 * channel(background.green()) + 0.0722 * channel(background.blue())
    return QColor("#000000") if lum > 0.179 else QColor("#ffffff")


def format_figure(value: float | None) -> str:
    """Three decimals for coefficients, "—" when undefined (the same in every table of the app)."""
    if value is None or value != value:
        return "—"
    return f"{value:.3f}"


def format_count(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{int(value):,}"


class HeatmapModel(QAbstractTableModel):
    """A matrix of values with row and column headers; colours come from :func:`scale_colour`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.values: list[list[float | None]] = []
        self.vmin, self.vmax = 0.0, 1.0
        self.formatter: Callable[[float | None], str] = format_figure

    def set_matrix(self, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]],
                   vmin: float, vmax: float, formatter: Callable[[float | None], str] = format_figure) -> None:
        self.beginResetModel()
        self.rows, self.columns = list(rows), list(columns)
        self.values = [list(r) for r in values]
        self.vmin, self.vmax, self.formatter = vmin, vmax, formatter
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 (Qt API)
        return 0 if parent.isValid() else len(self.columns)

    def value(self, row: int, column: int) -> float | None:
        return self.values[row][column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        value = self.values[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.formatter(value)
        if role == Qt.ItemDataRole.BackgroundRole:
            return scale_colour(value, self.vmin, self.vmax)
        if role == Qt.ItemDataRole.ForegroundRole:
            return text_colour(scale_colour(value, self.vmin, self.vmax))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.rows[index.row()]} × {self.columns[index.column()]}: {self.formatter(value)}"
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        names = self.columns if orientation == Qt.Orientation.Horizontal else self.rows
        return names[section] if 0 <= section < len(names) else None


class HeatLegend(QWidget):
    """A horizontal colour bar from ``vmin`` to ``vmax`` with its end values and a caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vmin, self.vmax, self.caption = 0.0, 1.0, ""
        self.formatter: Callable[[float | None], str] = format_figure
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_range(self, vmin: float, vmax: float, caption: str,
                  formatter: Callable[[float | None], str] = format_figure) -> None:
        self.vmin, self.vmax, self.caption, self.formatter = vmin, vmax, caption, formatter
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        lo, hi = self.formatter(self.vmin), self.formatter(self.vmax)
        left = metrics.horizontalAdvance(lo) + 8
        right_text = metrics.horizontalAdvance(hi) + 8
        width = min(260, self.width() - left - right_text - 4)
        bar = QRectF(left, 4, max(width, 40), 12)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for i, colour in enumerate(VIRIDIS):
            gradient.setColorAt(i / (len(VIRIDIS) - 1), QColor(colour))
        painter.fillRect(bar, gradient)
        painter.setPen(self.palette().color(self.foregroundRole()))
        baseline = int(bar.center().y() + metrics.ascent() / 2 - 1)
        painter.drawText(0, baseline, lo)
        painter.drawText(int(bar.right()) + 6, baseline, hi)
        if self.caption:
            painter.drawText(int(bar.left()), int(bar.bottom()) + metrics.ascent() + 2, self.caption)
        painter.end()


def fit_height(table: QTableView) -> None:
    """Make a small table exactly as tall as its rows, so no empty grid hangs below them."""
    header = table.horizontalHeader()
    header_height = max(header.sizeHint().height(), header.minimumHeight())  # taller when headings wrap
    height = header_height + table.verticalHeader().length() + 2 * table.frameWidth() + 2
    table.setFixedHeight(height)


HEADER_ALIGNMENT = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap


def header_text(header: QHeaderView, section: int) -> str:
    model = header.model()
    value = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) if model else None
    return "" if value is None else str(value)


def wrapped_header_height(header: QHeaderView) -> int:
    """The header height at which every heading, wrapped to its column's width, is shown whole."""
    metrics = header.fontMetrics()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    padding = max(header.sizeHint().height() - metrics.height(), 2 * margin)
    tallest = metrics.height()
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        width = header.sectionSize(section) - 2 * margin
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == section:
            width -= header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
        flags = int(HEADER_ALIGNMENT)
        box = metrics.boundingRect(QRect(0, 0, max(width, 1), 10_000), flags, header_text(header, section))
        tallest = max(tallest, box.height())
    return tallest + padding


class _HeaderFitter(QObject):
    """Keeps one header tall enough for its wrapped headings; a child of the header, so its connections
    (also to the model, which may outlive the header) end when the header is deleted."""

    def __init__(self, table: QTableView, fit: bool) -> None:
        super().__init__(table.horizontalHeader())
        self.table, self.header, self.fit = table, table.horizontalHeader(), fit

    def refit(self, *_args: object) -> None:
        needed = wrapped_header_height(self.header)
        if needed != self.header.minimumHeight():
            self.header.setMinimumHeight(needed)
            if self.fit:
                fit_height(self.table)


def wrap_header(table: QTableView, *, fit: bool = False) -> None:
    """Let column headings wrap onto more lines instead of being cut off, keeping the header tall enough.

    A header is one line by default, so a heading wider than its column ("Cohen's κ (mean)" in a narrow
    window, a long annotator name in a heat map) was clipped at both ends. Headings now wrap at spaces and
    hyphens, the header grows to the tallest, and its tooltip (from the models) carries the full text.
    With ``fit`` the table keeps :func:`fit_height` as the header grows or shrinks. Call it after the
    table has its model.
    """
    header = table.horizontalHeader()
    header.setDefaultAlignment(HEADER_ALIGNMENT)
    fitter = _HeaderFitter(table, fit)
    header.sectionResized.connect(fitter.refit)
    header.sectionCountChanged.connect(fitter.refit)
    header.sortIndicatorChanged.connect(fitter.refit)
    model = table.model()
    if model is not None:
        model.headerDataChanged.connect(fitter.refit)
        model.modelReset.connect(fitter.refit)
        model.layoutChanged.connect(fitter.refit)
    fitter.refit()


class HeatmapWidget(QWidget):
    """Title, heat-map table and legend, sized to its contents (matrices here are small)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(f"<b>{title}</b>", self)
        self.model = HeatmapModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setCornerButtonEnabled(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(72)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setShowGrid(True)
        wrap_header(self.table, fit=True)
        self.legend = HeatLegend(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addWidget(self.legend)
        layout.addStretch(1)

    def set_matrix(self, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]],
                   vmin: float, vmax: float, caption: str,
                   formatter: Callable[[float | None], str] = format_figure) -> None:
        self.model.set_matrix(rows, columns, values, vmin, vmax, formatter)
        self.legend.set_range(vmin, vmax, caption, formatter)
        fit_height(self.table)

    def cell_text(self, row: int, column: int) -> str:
        return str(self.model.data(self.model.index(row, column)))
