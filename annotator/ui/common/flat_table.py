"""Bases for the app's flat (non-tree) table models: fixed column headings, rows counted by the subclass;
and, for tables of spans or span-like rows, the quote and label cells they share.

A label cell is a chip: the label's colour as background, its name in black or white, whichever is
readable on that colour (``core.colours``), so it reads the same in a light and a dark palette."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from annotator.ui.annotate.label_bar import swatch
from annotator.ui.common.theme import text_on

Index = QModelIndex | QPersistentModelIndex
QUOTE_CELL_LIMIT = 120
LABEL_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.BackgroundRole,
               Qt.ItemDataRole.ForegroundRole)
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
        self.fills: dict[str, QColor] = {}
        self.inks: dict[str, QColor] = {}

    def set_scheme(self, labels: list[tuple[str, str, str]]) -> None:
        """(key, display name, colour) of every label, in scheme order."""
        self.names = {key: name for key, name, _c in labels}
        self.icons = {key: swatch(color, 12) for key, _n, color in labels}
        self.fills = {key: QColor(color) for key, _n, color in labels}
        self.inks = {key: text_on(color) for key, _n, color in labels}

    def label_cell(self, key: str, role: int) -> Any:
        """The label column's text, swatch, chip colour and readable text colour for ``key`` (None for other
        roles, and for colours of a label the scheme does not know)."""
        if role == Qt.ItemDataRole.DisplayRole:
            return self.names.get(key, key)
        if role == Qt.ItemDataRole.DecorationRole:  # the chip is the colour; a swatch only for unknown labels
            return None if key in self.fills else self.icons.get(key)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.fills.get(key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.inks.get(key)
        return None
