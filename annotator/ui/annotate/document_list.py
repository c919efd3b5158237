"""The document list: a lazy table over the matching documents, with search and status/label filters in SQL.

Nothing in it is proportional to the corpus: the model asks how many documents match (one count over an
index) and reads rows a page at a time as the view asks for them, by keyset from a neighbouring page
(``id > last``) or, after a jump, by position; it keeps the most recently used pages only. So it opens a
list of 1,000,000 documents as fast as one of 10, in the same memory. After a change the main window calls
:meth:`DocumentListModel.refresh_row` for the one document that changed.

Clicking a column header sorts the list by it in SQL (click again: descending); a sorted list is read by
position the same lazy way (``queries.sorted_page``), and the open document stays selected.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import overload

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.store import queries
from annotator.store.database import Store
from annotator.store.queries import DocumentFilter, DocumentRow, DocumentSort
from annotator.ui.common.flat_table import FlatTableModel
from annotator.ui.common.theme import palette_of, readable

PAGE = 200
KEPT_PAGES = 50
"""Pages of rows kept (10,000 rows, about 2 MB); the least recently used page is dropped first."""
TITLE_MIN_WIDTH = 160
"""Below this the Title column (the one a reader needs) would be clipped; narrower columns give way first."""
OPTIONAL_COLUMNS = (1, 2)
"""Source, then Date: hidden in this order when the list is too narrow (both also show in the article header)."""
COLUMN_WIDTHS = {1: 78, 2: 78, 3: 88, 4: 40}
COLUMNS = ("Title", "Source", "Date", "Status", "Spans")
SORT_KEY_OF_COLUMN = {0: "title", 2: "published", 3: "status", 4: "spans"}
"""The sortable columns (Source is not: it has no index and is shown only in a wide list)."""
STATUS_TEXT = {"todo": "To do", "in_progress": "In progress", "done": "Done"}
STATUS_MARK = {"todo": "○", "in_progress": "◐", "done": "●"}

_Index = QModelIndex | QPersistentModelIndex


class ListedIds(Sequence[int]):
    """The primary keys of the list's rows, in order, read through the model's pages (nothing is copied).

    ``len``, indexing and ``in`` cost a page read at most; iterating reads every page, so avoid it on a
    large corpus.
    """

    def __init__(self, model: DocumentListModel) -> None:
        self._model = model

    def __len__(self) -> int:
        return self._model.row_total()

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = index + len(self) if index < 0 else index
        pk = self._model.pk_at(row)
        if pk is None:
            raise IndexError(index)
        return pk

    def __contains__(self, pk: object) -> bool:
        return isinstance(pk, int) and self._model.row_of(pk) is not None


class DocumentListModel(FlatTableModel):
    """Rows are the documents matching :attr:`filter` in import order, read from the store a page at a time."""

    columns = COLUMNS

    def __init__(self, store: Store, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.filter = DocumentFilter()
        self.pks = ListedIds(self)
        self.error: str | None = None
        """Why the search lists nothing (syntax it does not support), shown under the search box."""
        self._total = 0
        self._pages: OrderedDict[int, list[DocumentRow]] = OrderedDict()
        self._row_of: dict[int, int] = {}
        """Row of each document in the kept pages."""
        # Okabe–Ito green reads 3.3:1 on white: darkened (or lightened on a dark palette) to 4.5:1.
        self._done_colour = readable("#009E73", palette_of(parent), QPalette.ColorRole.Base)
        self.order: list[int] | None = None
        """A ranking to show instead of the filtered list (active learning, ``ui/annotate/model_tools.py``)."""
        self.document_sort: DocumentSort | None = None
        """The column order chosen in the header; None is import order (keyset on id, the fastest)."""

    # ---------------------------------------------------------------- loading
    def reload(self, flt: DocumentFilter | None = None) -> None:
        """Count the matching documents again (after a filter change or an import); rows are read lazily."""
        if flt is not None:
            self.filter = flt
            self.order = None  # a new search or filter leaves the ranking
        self.error = None
        try:
            with self.store.session() as session:
                total = (len(self.order) if self.order is not None
                         else queries.document_count(session, self.annotator, self.filter))
        except AnnotatorError as exc:  # search syntax it does not support: say so, list nothing
            self.error, total = str(exc).removeprefix("search: "), 0
        self.beginResetModel()
        self._total = total
        self._pages.clear()
        self._row_of.clear()
        self.endResetModel()

    def _page(self, number: int) -> list[DocumentRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        previous, following = self._pages.get(number - 1), self._pages.get(number + 1)
        where: dict[str, int] = {}
        if previous:  # scrolling down, or opening the next document: continue after the previous page
            where["after"] = previous[-1].pk
        elif following:
            where["before"] = following[0].pk
        else:
            where["offset"] = number * PAGE
        with self.store.session() as session:
            if self.order is not None:  # a ranking: its own slice, in its own order
                pks = self.order[number * PAGE:(number + 1) * PAGE]
                found = queries.document_rows(session, pks, self.annotator)
                page = [found[pk] for pk in pks if pk in found]
            elif self.document_sort is not None:
                page = queries.sorted_page(session, self.annotator, self.filter, self.document_sort,
                                           offset=number * PAGE, limit=PAGE)
            else:
                page = queries.document_page(session, self.annotator, self.filter, limit=PAGE, **where)
        self._pages[number] = page
        first = number * PAGE
        self._row_of.update((row.pk, first + i) for i, row in enumerate(page))
        while len(self._pages) > KEPT_PAGES:
            _, dropped = self._pages.popitem(last=False)
            for row in dropped:
                self._row_of.pop(row.pk, None)
        return page

    def set_sort(self, sort: DocumentSort | None) -> None:
        """Order the list by a column (None: import order); a ranking shown instead gives way to it."""
        self.document_sort = sort
        self.order = None
        self.reload()

    def set_order(self, pks: list[int] | None) -> None:
        """Show exactly ``pks`` in this order (a ranking computed elsewhere), or None for the usual list."""
        self.order = list(pks) if pks is not None else None
        self.reload()

    def document_row(self, row: int) -> DocumentRow | None:
        if not 0 <= row < self._total:
            return None
        page = self._page(row // PAGE)
        offset = row % PAGE
        return page[offset] if offset < len(page) else None

    def pk_at(self, row: int) -> int | None:
        found = self.document_row(row)
        return found.pk if found is not None else None

    def refresh_row(self, pk: int) -> None:
        """Re-read one document's row (its status or span count changed); a row not kept is read when shown."""
        row = self._row_of.get(pk)
        if row is None:
            return
        with self.store.session() as session:
            fresh = queries.document_rows(session, [pk], self.annotator).get(pk)
        page = self._pages.get(row // PAGE)
        if fresh is None or page is None:
            return
        page[row % PAGE] = fresh
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def row_of(self, pk: int) -> int | None:
        """The row of document ``pk``, None when the list does not show it (a count query if not kept)."""
        row = self._row_of.get(pk)
        if row is not None or not self._total:
            return row
        if self.order is not None:
            return self.order.index(pk) if pk in self.order else None
        with self.store.session() as session:
            if self.document_sort is not None:
                return queries.sorted_position(session, self.annotator, self.filter, self.document_sort, pk)
            return queries.document_position(session, self.annotator, self.filter, pk)

    # ---------------------------------------------------------------- Qt model
    def row_total(self) -> int:
        return self._total

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and section in SORT_KEY_OF_COLUMN):
            return f"Sort by {COLUMNS[section].lower()} (click again for the reverse order)"
        return super().headerData(section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.document_row(index.row())
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.title
            if col == 1:
                return row.source
            if col == 2:
                return row.published[:10]
            if col == 3:
                return f"{STATUS_MARK.get(row.status, '')} {STATUS_TEXT.get(row.status, row.status)}"
            return str(row.span_count) if row.span_count else ""
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return f"{row.title}\n{row.doc_id}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and row.status == "done":
            return self._done_colour
        if role == Qt.ItemDataRole.UserRole:
            return row.pk
        return None


class DocumentList(QWidget):
    """Search box, filters and the table; emits the primary key of the document the user opens."""

    document_activated = Signal(int)
    sort_changed = Signal()
    """The user chose another column order (the main window remembers it: :meth:`sort_setting`)."""

    def __init__(self, store: Store, annotator: str, labels: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DocumentListModel(store, annotator, self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search articles…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip('Words (all required, also as beginnings), "an exact phrase", word OR word, '
                               "-word to leave out")
        self.notice = QLabel(self)
        self.notice.setObjectName("searchNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet("QLabel#searchNotice { color: #b00020; }")
        self.notice.hide()
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status filter")
        for text, value in (("All statuses", None), ("To do", "todo"), ("In progress", "in_progress"), ("Done", "done")):
            self.status.addItem(text, value)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Documents shown")
        self.scope.setToolTip("My queue: the documents assigned to you (annotator assign); All: every document")
        self.scope.addItem("My queue", True)
        self.scope.addItem("All documents", False)
        self.set_up_queue()
        self.label = QComboBox(self)
        self.label.setAccessibleName("Label filter")
        self.label.addItem("Any label", None)
        for key, name in labels:
            self.label.addItem(name, key)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in COLUMN_WIDTHS.items():
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(False)  # import order until a header is clicked
        header.sectionClicked.connect(self._on_header_clicked)
        # The Title column takes the spare width; no sideways scrolling that would hide it.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.scope)
        filters.addWidget(self.status)
        filters.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.notice)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(180)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.installEventFilter(self)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.label.currentIndexChanged.connect(self.apply_filter)
        self.scope.currentIndexChanged.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self._current_pk: int | None = None
        self._silent = False
        # Wide enough for a title of a few words beside the status and span count, also on a small screen.
        self.setMinimumWidth(120 + COLUMN_WIDTHS[3] + COLUMN_WIDTHS[4])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Enter or Down in the search box moves into the hits, so Ctrl+F, a word, Enter opens an article."""
        if (watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)
                and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier):
            self.enter_hits()
            return True
        return super().eventFilter(watched, event)

    def enter_hits(self) -> None:
        """Apply a search still waiting for the typing pause, focus the list and open its first hit.

        The open document stays open if it is among the hits; otherwise the first hit is opened.
        """
        if self._debounce.isActive():
            self._debounce.stop()
            self.apply_filter()
        if not self.model.row_total():
            return
        self.table.setFocus()
        if self._current_pk is None or self.model.row_of(self._current_pk) is None:
            self.table.setCurrentIndex(self.model.index(0, 0))  # activates the document

    def set_labels(self, labels: list[tuple[str, str]]) -> None:
        """Refill the label filter after the scheme changed, keeping the chosen label if it still exists."""
        chosen = self.label.currentData()
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem("Any label", None)
        for key, name in labels:
            self.label.addItem(name, key)
        index = self.label.findData(chosen)
        self.label.setCurrentIndex(max(index, 0))
        self.label.blockSignals(False)
        if index < 0 and chosen is not None:
            self.apply_filter()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show the optional columns only while the Title column keeps at least TITLE_MIN_WIDTH."""
        header = self.table.horizontalHeader()
        available = self.table.viewport().width()
        used = sum(self._width(c) for c in COLUMN_WIDTHS if c not in OPTIONAL_COLUMNS)
        for col in reversed(OPTIONAL_COLUMNS):  # Date is kept before Source
            show = available - used - self._width(col) >= TITLE_MIN_WIDTH
            header.setSectionHidden(col, not show)
            if show:
                used += self._width(col)

    def _width(self, col: int) -> int:
        """A column's width also while hidden (a hidden section reports 0)."""
        header = self.table.horizontalHeader()
        return header.sectionSize(col) if not header.isSectionHidden(col) else COLUMN_WIDTHS[col]

    def set_up_queue(self) -> None:
        """The queue filter is offered once documents are assigned, and chosen when some are the analyst's."""
        try:
            with self.model.store.session() as session:
                offered = queries.has_assignments(session)
                mine = offered and queries.document_count(session, self.model.annotator,
                                                          DocumentFilter(queue=True)) > 0
        except AnnotatorError:
            offered = mine = False
        self.scope.setVisible(offered)
        self.scope.setCurrentIndex(0 if mine else 1)
        if mine:
            self.model.filter = DocumentFilter(queue=True)

    def current_filter(self) -> DocumentFilter:
        return DocumentFilter(self.search.text(), self.status.currentData(), self.label.currentData(),
                              queue=bool(self.scope.currentData()) and not self.scope.isHidden())

    def apply_filter(self) -> None:
        self.model.reload(self.current_filter())
        self.notice.setText(self.model.error or "")
        self.notice.setVisible(self.model.error is not None)
        self.show_current(self._current_pk)

    def show_current(self, pk: int | None) -> None:
        """Highlight ``pk``'s row (if it is in the filtered list) without emitting an activation."""
        self._current_pk = pk
        row = self.model.row_of(pk) if pk is not None else None
        self._silent = True
        try:
            if row is None:
                self.table.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
        finally:
            self._silent = False

    def neighbour(self, pk: int | None, step: int) -> int | None:
        """The document ``step`` rows away from ``pk`` in the filtered list (no wrap-around)."""
        model = self.model
        if not model.row_total():
            return None
        row = model.row_of(pk) if pk is not None else None
        if row is None:
            return model.pk_at(0)
        return model.pk_at(row + step)  # None past either end

    # ---------------------------------------------------------------- sorting
    def _on_header_clicked(self, col: int) -> None:
        """First click on a column sorts ascending, the next descending, and so on; Source does not sort."""
        key = SORT_KEY_OF_COLUMN.get(col)
        if key is None:
            self._show_sort_indicator()  # Qt moved the indicator to the clicked section: put it back
            return
        current = self.model.document_sort
        descending = current is not None and current.key == key and not current.descending
        self.set_sort(DocumentSort(key, descending))
        self.sort_changed.emit()

    def set_sort(self, sort: DocumentSort | None) -> None:
        """Show the list in ``sort`` order, keeping the open document selected (and scrolled to)."""
        self.model.set_sort(sort)
        self._show_sort_indicator()
        self.show_current(self._current_pk)

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        sort = self.model.document_sort
        header.blockSignals(True)
        try:
            if sort is None:
                header.setSortIndicatorShown(False)
                header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            else:
                col = next(c for c, k in SORT_KEY_OF_COLUMN.items() if k == sort.key)
                order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
                header.setSortIndicator(col, order)
                header.setSortIndicatorShown(True)
        finally:
            header.blockSignals(False)

    def sort_setting(self) -> str:
        """The chosen order as a settings value: "" (import order), "title" or "-title" (descending)."""
        sort = self.model.document_sort
        return "" if sort is None else ("-" if sort.descending else "") + sort.key

    def restore_sort(self, value: object) -> None:
        """Apply a :meth:`sort_setting` value read back from the settings; anything else means import order."""
        text = value if isinstance(value, str) else ""
        key = text.removeprefix("-")
        sort = DocumentSort(key, text.startswith("-")) if key in SORT_KEY_OF_COLUMN.values() else None
        if sort != self.model.document_sort:
            self.set_sort(sort)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._silent or not current.isValid():
            return
        pk = self.model.pk_at(current.row())
        if pk is not None and pk != self._current_pk:
            self._current_pk = pk
            self.document_activated.emit(pk)
