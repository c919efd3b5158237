"""The agreement window's table models: per-document figures and the disagreement runs.

Qt models over the report's lists (no copies into widgets), so a report with thousands of disagreements
opens at once; kept apart from the window so the window module stays about layout and flow. Documents are
named by their titles, as analysts know them; the id is in the tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from annotator.ui.agreement.heatmap import format_count, format_figure, scale_colour, text_colour

ModelIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
HEADER_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
"""A heading is also its own tooltip: the full text whatever the column's width."""


class DocumentsModel(QAbstractTableModel):
    """Per-document figures; the sort role puts undefined values after every number."""

    HEADERS = ("Document", "Title", "Characters", "Krippendorff's α", "Observed agreement", "Span F1 (overlap)", "Disagreements")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.titles: dict[str, str] = {}

    def set_rows(self, rows: list[Any], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows, self.titles = list(rows), titles
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _value(self, row: Any, column: int) -> Any:
        return (row.doc_id, self.titles.get(row.doc_id, ""), row.characters, row.krippendorff_alpha,
                row.observed_agreement, row.span_f1_overlap, row.disagreements)[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        value = self._value(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column in (3, 4, 5):
                return format_figure(value)
            if column in (2, 6):
                return format_count(value)
            return value
        if role == SORT_ROLE:
            if column in (3, 4, 5):
                return 2.0 if value is None else float(value)
            return value
        if role == Qt.ItemDataRole.BackgroundRole and column in (3, 4, 5):
            return scale_colour(value, 0.0, 1.0)
        if role == Qt.ItemDataRole.ForegroundRole and column in (3, 4, 5):
            return text_colour(scale_colour(value, 0.0, 1.0))
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.doc_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if role in HEADER_ROLES and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class DisagreementsModel(QAbstractTableModel):
    """The disagreement runs: where, the quote in its context, and each annotator's label there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []
        self.annotators: list[str] = []
        self.names: dict[str, str] = {}
        """Label key -> display name."""
        self.titles: dict[str, str] = {}
        """Document id -> title (shown; the id is the tooltip)."""

    def set_items(self, items: list[Any], annotators: list[str], titles: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.items, self.annotators = list(items), list(annotators)
        self.titles = dict(titles or {})
        self.endResetModel()

    def headers(self) -> list[str]:
        return ["Document", "Characters", "Quote", *self.annotators, "Context"]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers())

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        item, column = self.items[index.row()], index.column()
        n = len(self.annotators)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                title = self.titles.get(item.doc_id) or item.doc_id
                return title if role == Qt.ItemDataRole.DisplayRole else f"{title}\ndocument id: {item.doc_id}"
            if column == 1:
                return f"{item.start}–{item.end}"
            if column == 2:
                return " ".join(item.quote.split())
            if 3 <= column < 3 + n:
                value = item.labels.get(self.annotators[column - 3])
                return " + ".join(self.names.get(k, k) for k in value.split("+")) if value else "—"
            context = f"…{item.before}⟦{item.quote}⟧{item.after}…"
            return " ".join(context.split())
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if role in HEADER_ROLES and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

