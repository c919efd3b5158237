"""Bases for the app's flat (non-tree) table models: fixed column headings, rows counted by the subclass;
and, for tables of spans or span-like rows, the quote and label cells they share."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from annotator.ui.annotate.label_bar import swatch

Index = QModelIndex | QPersistentModelIndex
QUOTE_CELL_LIMIT = 120
LABEL_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole)
"""The roles :meth:`LabelledTableModel.label_cell` answers; a model answers others (tooltips) itself."""


class FlatTableModel(QAbstractTableModel):
    """Subclasses set ``columns`` and implement ``row_total`` and ``data``."""

    columns: ClassVar[tuple[str, ...]] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None


def one_line(text: str, limit: int = QUOTE_CELL_LIMIT) -> str:
    """A quote for a table cell: on one line (whitespace runs as single spaces), cut with '…' past ``limit``."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


class LabelledTableModel(FlatTableModel):
    """A flat table whose rows each carry a label key, shown as the label's name with its colour swatch."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names: dict[str, str] = {}
        self.icons: dict[str, QIcon] = {}

    def set_scheme(self, labels: list[tuple[str, str, str]]) -> None:
        """(key, display name, colour) of every label, in scheme order."""
        self.names = {key: name for key, name, _c in labels}
        self.icons = {key: swatch(color, 12) for key, _n, color in labels}

    def label_cell(self, key: str, role: int) -> Any:
        """The label column's display text or decoration for ``key`` (None for other roles)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names.get(key, key)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.icons.get(key)
        return None
