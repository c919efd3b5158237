"""The Suggestions tab: phrases tagged elsewhere, offered where they occur in the open document.

Rows are :class:`annotator.core.suggestions.Suggestion` s for the open layer (quote, label swatch, how many
spans support it), computed by :func:`annotator.store.suggestions.document_suggestions` on a worker thread:
the phrase dictionary spans the whole corpus and a long article takes a noticeable fraction of a second.
The list is recomputed only while the tab is shown (a hidden tab just notes that it is stale), a moment
after the spans change, so a burst of edits costs one recomputation.

Picking a row selects its text in the article, so a label key tags it with another label too. **Accept**
(Enter, or the button) tags it with the suggested label through the window's :class:`Operations` — the
same undoable command as a label key; **Reject** (Delete) hides it until the app closes; **Accept all**
tags every row listed in one transaction, which one undo takes back. Accepting on a read-only database or
someone else's layer is refused with the reason the label keys give (:meth:`MainWindow.edit_blocked`).

The panel takes the main window, like :class:`annotator.ui.annotate.span_adjust.SpanAdjuster`, because it acts on
what the window has open (document, layer, article selection) and reports in its status bar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.suggestions import Suggestion
from annotator.store import repository as repo
from annotator.store.repository import SpanView
from annotator.store.suggestions import Scope, document_suggestions
from annotator.ui.common.flat_table import LABEL_ROLES, LabelledTableModel, one_line
from annotator.ui.common.workers import Worker
from annotator.ui.ops.operations import Operations, StoreCommand, push_once

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow

_Index = QModelIndex | QPersistentModelIndex
SOURCES: tuple[tuple[str, Scope], ...] = (("My tags", "mine"), ("Everyone's tags", "all"), ("Gold layer", "gold"))
REFRESH_DELAY_MS = 250
"""Wait after a span change before recomputing, so accepting ten rows in a row recomputes once."""
ACCEPT_REFUSED = ("the suggestion was not accepted", "accept suggestions")
Key = tuple[int, int, str]


def key_of(suggestion: Suggestion) -> Key:
    return suggestion.start, suggestion.end, suggestion.label


class SuggestionModel(LabelledTableModel):
    """The rows shown: suggestions in text order (the list is replaced whole; rows leave one at a time)."""

    columns = ("Quote", "Label", "Support")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Suggestion] = []

    def set_rows(self, rows: list[Suggestion]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def row_total(self) -> int:
        return len(self.rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        s = self.rows[index.row()]
        col = index.column()
        if col == 1 and role in LABEL_ROLES:
            return self.label_cell(s.label, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return one_line(s.text) if col == 0 else s.support
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            spans = "span" if s.support == 1 else "spans"
            return f"“{s.phrase}” tagged {self.names.get(s.label, s.label)} by {s.support} {spans}\n[{s.start}–{s.end}]"
        return None


class SuggestionTable(QTableView):
    """The table; Enter asks to accept the current row and Delete to reject it (before any window shortcut)."""

    accept_requested = Signal()
    reject_requested = Signal()
    _ACCEPT = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    _REJECT = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

    def _own_key(self, event: QKeyEvent) -> bool:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return mods == Qt.KeyboardModifier.NoModifier and event.key() in self._ACCEPT + self._REJECT

    def event(self, event: QEvent) -> bool:
        # The window's "Delete span" shortcut would otherwise take Delete here and delete the selected span.
        if event.type() == QEvent.Type.ShortcutOverride and self._own_key(event):  # type: ignore[arg-type]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if self._own_key(event):
            (self.accept_requested if event.key() in self._ACCEPT else self.reject_requested).emit()
            event.accept()
            return
        super().keyPressEvent(event)


class AcceptSuggestions(StoreCommand):
    """Tag several suggestions in one transaction: one undo step takes them all back."""

    def __init__(self, ops: Operations, doc_pk: int, items: list[Key]) -> None:
        super().__init__(ops, doc_pk, f"Accept {len(items)} suggestion{'' if len(items) == 1 else 's'}")
        self.items = items
        self.views: list[SpanView] = []

    def apply(self) -> None:
        ops, old = self.ops, self.views  # on redo, the spans come back under their first ids

        def add_all(session) -> list[SpanView]:  # type: ignore[no-untyped-def]
            return [repo.add_span(session, self.doc_pk, ops.annotator, start, end, label, actor=ops.annotator,
                                  span_id=old[i].id if old else None)
                    for i, (start, end, label) in enumerate(self.items)]

        self.views = ops.write(add_all)
        for view in self.views:
            ops.span_added.emit(self.doc_pk, view)

    def revert(self) -> None:
        ops = self.ops
        ids = [view.id for view in self.views]
        ops.write(lambda session: [repo.delete_span(session, span_id, actor=ops.annotator) for span_id in ids])
        for span_id in ids:
            ops.span_removed.emit(self.doc_pk, span_id)


class SuggestionPanel(QWidget):
    """Source picker, the suggestion table, and Accept / Reject / Accept all for the open document."""

    refreshed = Signal(int)  # number of rows shown, after each recomputation

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.rejected: set[tuple[int, Key]] = set()  # (document pk, suggestion): hidden until the app closes
        self.model = SuggestionModel(self)
        self.source = QComboBox(self)
        for text, scope in SOURCES:
            self.source.addItem(text, scope)
        self.source.setToolTip("Whose tags are offered: your own, every annotator's (not gold), or the gold layer's")
        self.table = SuggestionTable(self)
        self.table.setModel(self.model)
        self.setFocusProxy(self.table)  # View → Suggestions puts the keyboard in the list (Enter, Delete)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 118)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 64)
        header.setHighlightSections(False)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setToolTip("Tag the selected suggestion with its label (Enter)")
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.setToolTip("Hide the selected suggestion until the app closes (Delete)")
        self.accept_all_button = QPushButton("Accept all", self)
        self.accept_all_button.setToolTip("Tag every suggestion listed; one undo takes them all back")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.accept_button, self.reject_button, self.accept_all_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.source)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addLayout(buttons)

        self._generation = 0
        self._silent = False  # set while a refresh restores the current row: the article is left alone
        self._stale = True
        self._workers: set[Worker] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.source.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        self.table.clicked.connect(lambda index: self._show_row(index, QModelIndex()))
        self.table.accept_requested.connect(self.accept_current)
        self.table.reject_requested.connect(self.reject_current)
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button.clicked.connect(self.reject_current)
        self.accept_all_button.clicked.connect(self.accept_all)
        ops = window.ops
        ops.span_added.connect(lambda pk, _span: self._spans_changed(pk))
        ops.span_removed.connect(lambda pk, _sid: self._spans_changed(pk))
        ops.span_changed.connect(lambda pk, _span: self._spans_changed(pk))
        window.installEventFilter(self)  # to wait for a running worker when the window closes
        self._update_buttons()

    # ------------------------------------------------------------------ recomputing
    def document_changed(self) -> None:
        """The window opened or re-read a document: recompute now if shown, else when next shown."""
        self._timer.stop()
        self.model.set_rows([])
        self.refresh()

    def _spans_changed(self, doc_pk: int) -> None:
        current = self._window.current
        if current is not None and doc_pk == current.pk:
            if self.isVisible():
                self._timer.start()
            else:
                self._stale = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def scope(self) -> Scope:
        return self.source.currentData()

    def refresh(self) -> None:
        """Recompute the open document's suggestions on a worker thread (only while the tab is shown)."""
        window = self._window
        self._generation += 1
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if window.current is None:
            self.model.set_rows([])
            self._say("Open a document to see suggestions.")
            return
        self.model.set_scheme([(lbl.key, lbl.name, lbl.color) for lbl in window.scheme.labels])
        generation, doc_pk, owner, scope = self._generation, window.current.pk, window.layer_owner, self.scope()
        store, annotator = window.store, window.annotator

        def work(_progress, _cancelled) -> list[Suggestion]:  # type: ignore[no-untyped-def]
            with store.session() as session:
                return document_suggestions(session, doc_pk, owner, annotator, scope)

        worker = Worker(work, self)
        self._workers.add(worker)
        worker.succeeded.connect(lambda rows: self._arrived(generation, doc_pk, rows))
        worker.failed.connect(lambda message: self._arrived(generation, doc_pk, None, message))
        worker.finished.connect(lambda: self._workers.discard(worker))
        worker.finished.connect(worker.deleteLater)
        if not self.model.rows:
            self._say("Looking for tagged phrases…")
        worker.start()

    def _arrived(self, generation: int, doc_pk: int, rows: list[Suggestion] | None, failure: str = "") -> None:
        current = self._window.current
        if generation != self._generation or current is None or current.pk != doc_pk:
            return  # a newer request is on its way, or another document is open
        if rows is None:
            self._say(f"Suggestions could not be computed: {failure}")
            return
        before = self._current_key()
        row_before = self.table.currentIndex().row()
        shown = [s for s in rows if (doc_pk, key_of(s)) not in self.rejected]
        self.model.set_rows(shown)
        if shown:
            keys = [key_of(s) for s in shown]
            row = keys.index(before) if before in keys else min(max(row_before, 0), len(shown) - 1)
            self._select_row(row, show=False)
        count = len(shown)
        hidden = len(rows) - count
        if count:
            text = f"{count} suggestion{'' if count == 1 else 's'}"
        else:
            text = "No suggestions: a phrase you tag is offered wherever else it occurs."
        self._say(text + (f" ({hidden} rejected, hidden)" if hidden else ""))
        self._update_buttons()
        self.refreshed.emit(count)

    # ------------------------------------------------------------------ rows and actions
    def _say(self, text: str) -> None:
        self.info.setText(text)

    def _current_key(self) -> Key | None:
        row = self.table.currentIndex().row()
        return key_of(self.model.rows[row]) if 0 <= row < len(self.model.rows) else None

    def _select_row(self, row: int, *, show: bool = True) -> None:
        index = self.model.index(row, 0)
        self._silent = not show
        try:
            self.table.setCurrentIndex(index)
        finally:
            self._silent = False
        self.table.scrollTo(index)
        if show:
            self._show_row(index, QModelIndex())

    def _show_row(self, index: QModelIndex, _previous: QModelIndex) -> None:
        """Select the suggestion's text in the article (so a label key can also tag it another way)."""
        window = self._window
        if self._silent or not index.isValid() or index.row() >= len(self.model.rows) or window.current is None:
            return
        s = self.model.rows[index.row()]
        if s.end <= len(window.current.text):
            window.article.select_cp(s.start, s.end)
            window.article.ensureCursorVisible()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = bool(self.model.rows)
        self.accept_all_button.setEnabled(has_rows)
        self.accept_button.setEnabled(has_rows)
        self.reject_button.setEnabled(has_rows)

    def _blocked(self) -> bool:
        reason = self._window.edit_blocked(*ACCEPT_REFUSED)
        if reason is not None:
            self._window.statusBar().showMessage(reason, 8000)
        return reason is not None

    def _leave_row(self, row: int) -> None:
        """Drop ``row`` from the list and move to the row that took its place (Enter, Enter… walks the list)."""
        self.model.remove_row(row)
        if self.model.rows:
            self._select_row(min(row, len(self.model.rows) - 1))
        self._update_buttons()

    def accept_current(self) -> bool:
        row = self.table.currentIndex().row()
        window = self._window
        if not 0 <= row < len(self.model.rows) or self._blocked() or window.current is None:
            return False
        s = self.model.rows[row]
        if window.ops.add_span(window.current.pk, s.start, s.end, s.label) is None:
            return False
        self._leave_row(row)
        self.table.setFocus()
        return True

    def reject_current(self) -> bool:
        row = self.table.currentIndex().row()
        window = self._window
        if not 0 <= row < len(self.model.rows) or window.current is None:
            return False
        self.rejected.add((window.current.pk, key_of(self.model.rows[row])))
        self._leave_row(row)
        remaining = len(self.model.rows)
        self._say(f"Rejected for this session; {remaining} suggestion{'' if remaining == 1 else 's'} left.")
        return True

    def accept_all(self) -> bool:
        window = self._window
        if not self.model.rows or self._blocked() or window.current is None:
            return False
        items = [key_of(s) for s in self.model.rows]
        if not push_once(window.ops.undo_stack, AcceptSuggestions(window.ops, window.current.pk, items)):
            return False
        self.model.set_rows([])
        self._update_buttons()
        window.statusBar().showMessage(f"Accepted {len(items)} suggestion{'' if len(items) == 1 else 's'}"
                                       " (one undo takes them all back).", 6000)
        return True

    # ------------------------------------------------------------------ teardown
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self._window and event.type() == QEvent.Type.Close:
            self.wait_for_workers()
        return False

    def wait_for_workers(self, msecs: int = 10000) -> None:
        """Let a running computation end before the window (and perhaps the store) goes away."""
        self._generation += 1
        for worker in list(self._workers):
            worker.wait(msecs)
