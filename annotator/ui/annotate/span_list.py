"""The span list: every span of the current layer (quote, label, note), in text order.

A thin Qt model over the session's open layer; it is updated one row at a time from each ``Changes``
(a span added, removed or changed), so a 10,000-span layer never rebuilds the whole list for one edit.
Picking a row selects that span in every view through the session.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.store.repository import SpanView
from annotator.ui.common.flat_table import LABEL_ROLES, LabelledTableModel, one_line
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession

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

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
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
    """The table of the open layer's spans; emits the id of the span the user picks (and selects it)."""

    span_picked = Signal(int)

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.span_model = SpanListModel(self)
        self._set_scheme()
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
        self.span_picked.connect(lambda sid: session.select_span(sid, reveal=True))
        session.document_opened.connect(self._show_layer)
        session.changed.connect(self._on_changed)
        session.span_selected.connect(lambda sid, _reveal: self.show_span(sid))

    def _set_scheme(self) -> None:
        self.span_model.set_scheme([(lbl.key, lbl.name, lbl.color) for lbl in self.session.scheme.labels])

    def _show_layer(self) -> None:
        self.span_model.set_spans(list(self.session.spans.values()))

    def _on_changed(self, changes: Changes) -> None:
        s = self.session
        if changes.scheme:
            self._set_scheme()
        if s.document is None:
            return
        if s.document.pk in changes.reload:
            self._show_layer()
            return
        model = self.span_model
        for delta in changes.span_deltas(s.document.pk, s.layer_owner):
            if delta.span is None:
                model.remove(delta.span_id)
            elif delta.before is None:
                model.add(delta.span)
            elif (delta.before.start, delta.before.end) != (delta.span.start, delta.span.end):
                model.remove(delta.span_id)  # its row moves to keep the list in text order
                model.add(delta.span)
            else:
                model.replace(delta.span)
        self.show_span(s.selected_span_id)

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
