"""The span list: every span of the current layer (quote, label, note), in text order.

A thin Qt model over the article's spans; it is updated one row at a time when a span is added, removed
or changed, so a 10,000-span layer never rebuilds the whole list for one edit.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.store.repository import SpanView
from annotator.ui.common.flat_table import LABEL_ROLES, LabelledTableModel, one_line

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Quote", "Label", "Note")


class SpanListModel(LabelledTableModel):
    columns = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spans: list[SpanView] = []
        self._keys: list[tuple[int, int, int]] = []

    def set_spans(self, spans: list[SpanView]) -> None:
        self.beginResetModel()
        self.spans = sorted(spans, key=lambda s: (s.start, s.end, s.id))
        self._keys = [(s.start, s.end, s.id) for s in self.spans]
        self.endResetModel()

    def row_of(self, span_id: int) -> int | None:
        for i, span in enumerate(self.spans):
            if span.id == span_id:
                return i
        return None

    def add(self, span: SpanView) -> int:
        key = (span.start, span.end, span.id)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self.spans.insert(row, span)
        self._keys.insert(row, key)
        self.endInsertRows()
        return row

    def remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.spans[row]
            del self._keys[row]
            self.endRemoveRows()

    def replace(self, span: SpanView) -> None:
        row = self.row_of(span.id)
        if row is not None:
            self.spans[row] = span
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def row_total(self) -> int:
        return len(self.spans)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid() or index.row() >= len(self.spans):
            return None
        span = self.spans[index.row()]
        col = index.column()
        if col == 1 and role in LABEL_ROLES:
            return self.label_cell(span.label, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(span.quote) if col == 0 else (span.note or "").replace("\n", " ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{span.quote}\n[{span.start}–{span.end}]"
        if role == Qt.ItemDataRole.UserRole:
            return span.id
        return None


class SpanList(QTableView):
    """The table of spans; emits the id of the span the user picks."""

    span_picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.span_model = SpanListModel(self)
        self.setModel(self.span_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        # Fixed row heights: inserting a row into 10,000 must not make the header measure them all.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 118)  # not ResizeToContents: that measures every row of a 10,000-span list
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 70)
        header.setHighlightSections(False)
        self.clicked.connect(self._picked)
        self.activated.connect(self._picked)
        self._silent = False

    def _picked(self, index: QModelIndex) -> None:
        if index.isValid() and not self._silent:
            self.span_picked.emit(self.span_model.spans[index.row()].id)

    def show_span(self, span_id: int | None) -> None:
        """Select ``span_id``'s row without emitting ``span_picked``."""
        self._silent = True
        try:
            row = self.span_model.row_of(span_id) if span_id is not None else None
            if row is None:
                self.clearSelection()
            else:
                self.selectRow(row)
                self.scrollTo(self.span_model.index(row, 0))
        finally:
            self._silent = False
