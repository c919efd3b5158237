"""The evidence view's table: a lazy model over the spans matching a filter, paged and sorted by SQL.

Like the document list it never holds the corpus: one count, then pages of ``store.evidence.PAGE`` rows
read as the view scrolls to them (the most recently used pages kept). A page next to a kept one is read
by keyset — the rows after the previous page's last (or before the next page's first) in the sort order —
so scrolling on at row 150,000 costs what it costs at row 1; only a jump to a page with no kept neighbour
counts rows off by position. Sorting by a column asks the database for a new order; nothing is sorted in
Python.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from annotator.core.evidence.model import EvidenceFilter, EvidenceRow
from annotator.store import evidence as sql
from annotator.store.database import Store
from annotator.ui.common.flat_table import Index, LabelledTableModel, one_line

COLUMNS = ("Left context", "Quote", "Right context", "Label", "Title", "Source", "Date", "Annotator", "Note",
           "Attributes")
SORT_KEYS = ("left", "quote", "right", "label", "title", "source", "date", "annotator", "note", "attributes")
QUOTE_COLUMN, LEFT_COLUMN, RIGHT_COLUMN = 1, 0, 2
KEPT_PAGES = 30
CONTEXT_SHOWN = 50


class EvidenceModel(LabelledTableModel):
    """Rows are the spans matching :attr:`filter`, in :attr:`sort` order, read a page at a time."""

    columns = COLUMNS

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.filter = EvidenceFilter()
        self.sort_key = "span"
        self.descending = False
        self._total = 0
        self._pages: OrderedDict[int, sql.EvidencePage] = OrderedDict()

    # ---------------------------------------------------------------- loading
    def reload(self, flt: EvidenceFilter | None = None) -> None:
        """Count the matching spans again (a new filter, or data changed); rows are read when shown."""
        if flt is not None:
            self.filter = flt
        with self.store.session() as session:
            total = sql.evidence_count(session, self.filter)
        self.beginResetModel()
        self._total = total
        self._pages.clear()
        self.endResetModel()

    def _page(self, number: int) -> list[EvidenceRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page.rows
        previous, following = self._pages.get(number - 1), self._pages.get(number + 1)
        where: dict[str, Any] = {"offset": number * sql.PAGE}
        if previous is not None and previous.last is not None and len(previous.rows) == sql.PAGE:
            where = {"after": previous.last}  # scrolling down: continue after the previous page
        elif following is not None and following.first is not None:
            where = {"before": following.first}  # scrolling up
        with self.store.session() as session:
            page = sql.read_page(session, self.filter, sort=self.sort_key, descending=self.descending,
                                 limit=sql.PAGE, **where)
        self._pages[number] = page
        while len(self._pages) > KEPT_PAGES:
            self._pages.popitem(last=False)
        return page.rows

    def row_at(self, row: int) -> EvidenceRow | None:
        if not 0 <= row < self._total:
            return None
        page = self._page(row // sql.PAGE)
        offset = row % sql.PAGE
        return page[offset] if offset < len(page) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (the header's click): the database orders, then pages are read again."""
        if not 0 <= column < len(SORT_KEYS):
            return
        self.sort_key = SORT_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._pages.clear()
        self.layoutChanged.emit()

    # ---------------------------------------------------------------- Qt model
    def row_total(self) -> int:
        return self._total

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        col = index.column()
        if col == 3 and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole):
            return self.label_cell(row.label, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (LEFT_COLUMN, QUOTE_COLUMN, RIGHT_COLUMN):
            return f"{row.left}[{row.quote}]{row.right}\n\n{row.title} — {row.source or 'no source'}, " \
                   f"{row.published[:10] or 'undated'}; characters {row.start}–{row.end}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == LEFT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col in (LEFT_COLUMN, RIGHT_COLUMN):
            return QColor("#666666")
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    @staticmethod
    def _display(row: EvidenceRow, col: int) -> str:
        if col == LEFT_COLUMN:
            left = " ".join(row.left.split())
            return ("…" + left[-CONTEXT_SHOWN:]) if len(left) > CONTEXT_SHOWN else left
        if col == QUOTE_COLUMN:
            return one_line(row.quote)
        if col == RIGHT_COLUMN:
            right = " ".join(row.right.split())
            return (right[:CONTEXT_SHOWN] + "…") if len(right) > CONTEXT_SHOWN else right
        if col == 4:
            return row.title
        if col == 5:
            return row.source
        if col == 6:
            return row.published[:10]
        if col == 7:
            return row.annotator
        if col == 8:
            return one_line(row.note, 60)
        if col == 9:
            return ", ".join(f"{k}={v}" for k, v in sorted(row.attributes.items()))
        return ""
