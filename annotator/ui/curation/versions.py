"""The versions of the current disagreement group: one row per annotator's span (or "nothing marked here").

Row N is what the key N accepts, so the rows keep their numbers (the vertical header); a label cell is painted in the label's colour
with black or white text, whichever reads on it (a light pastel under the theme's white text did not).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.curation import DisagreementGroup, Span
from annotator.ui.common.palette_colours import on_colour
from annotator.ui.curation.group_list import short

Version = tuple[str, "Span | None"]
"""(annotator, span) of a row; span None: the annotator marked nothing in the group."""


class VersionsBox(QGroupBox):
    """The table of versions with Accept and Reject under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Versions in this group", parent)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["Annotator", "Label", "Characters", "Quote"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setToolTip("The key that accepts this version")  # rows numbered 1, 2, …
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(64)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.accept_button = QPushButton("Accept this version", self)
        self.accept_button.setToolTip("Make the selected version the group's gold, replacing what gold held "
                                       "there (keys 1–9: the version in that row)")
        self.reject_button = QPushButton("Reject group", self)
        self.reject_button.setToolTip("Resolve the group with nothing in gold (R or Delete)")
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self._label_cells: list[tuple[QTableWidgetItem, str]] = []

    def show_group(self, group: DisagreementGroup | None, text: str, names: dict[str, str],
                   colors: dict[str, str]) -> None:
        table = self.table
        table.setRowCount(0)
        self._label_cells = []
        if group is None:
            return
        for name, spans in group.versions.items():
            for sp in spans or [None]:
                r = table.rowCount()
                table.insertRow(r)
                cells = [name, "", "", "(nothing marked here)"]
                if sp is not None:
                    cells = [name, names.get(sp[2], sp[2]), f"{sp[0]}–{sp[1]}", short(text[sp[0]:sp[1]], 60)]
                for c, value in enumerate(cells):
                    item = QTableWidgetItem(value)
                    item.setData(Qt.ItemDataRole.UserRole, (name, sp))
                    if c == 1 and sp is not None:
                        self._label_cells.append((item, colors.get(sp[2], "#cccccc")))
                    table.setItem(r, c, item)
        self.apply_palette()

    def apply_palette(self) -> None:
        for item, colour in self._label_cells:
            background = QColor(colour)
            item.setBackground(QBrush(background))
            item.setForeground(QBrush(on_colour(background)))

    def version(self, row: int) -> Version | None:
        item = self.table.item(row, 0)
        if item is None:
            return None
        name, sp = item.data(Qt.ItemDataRole.UserRole)
        return name, (tuple(sp) if sp is not None else None)

    def selected(self) -> Version | None:
        rows = self.table.selectionModel().selectedRows()
        return self.version(rows[0].row()) if rows else None

    def select(self, annotator: str, index: int = 0) -> bool:
        """Select the ``index``-th row of ``annotator``."""
        seen = 0
        for r in range(self.table.rowCount()):
            found = self.version(r)
            if found is not None and found[0] == annotator:
                if seen == index:
                    self.table.selectRow(r)
                    return True
                seen += 1
        return False
