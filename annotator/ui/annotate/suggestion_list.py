"""The Suggestions tab: phrases tagged elsewhere, the learned model's and the pattern rules' suggestions.

Rows (:class:`Offer`) come from two sources, computed together on a worker thread: the phrase matcher
(:func:`annotator.store.suggestions.document_suggestions`, whose phrase dictionary spans the whole corpus)
and, when "Model and rules" is ticked, the stored model and the pattern rules
(:func:`annotator.store.models_store.model_suggestions`, each model suggestion above its label's
threshold). Each row shows its context (left | phrase | right, ``suggestion_context.py``), its label and
its score (the model's probability, "rule" for a pattern, ×N spans for a phrase). The rows are also
outlined, dashed, in the article (``suggestion_marks.py``) — never as spans. The list is recomputed only
while the tab is shown, a moment after the spans change, so a burst of edits costs one recomputation.

Picking a row asks the session to select its text in the article, so a label key tags it with another
label too. **Accept** (Enter, or the button) tags it through :meth:`Operations.accept_suggestions`;
**Reject** (Delete) goes through :meth:`Operations.reject_suggestions`, which stores the rejection for this
document and annotator (not offered again, negative evidence for the next training; undo forgets it);
**Accept all** tags every row listed in one operation, which one undo takes back. Both are refused on a
read-only database or someone else's layer with the reason the label keys give.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model_suggest.tagger import ModelSuggestion, unavailable_reason
from annotator.core.suggestions import Suggestion
from annotator.core.wording import plural
from annotator.store.models_store import model_suggestions, rejections
from annotator.store.suggestions import Scope, document_suggestions
from annotator.ui.annotate.suggestion_context import CONTEXT_ROLE, ContextDelegate, contexts
from annotator.ui.common.flat_table import LABEL_ROLES, LabelledTableModel, one_line
from annotator.ui.common.workers import Worker
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession

_Index = QModelIndex | QPersistentModelIndex
SOURCES: tuple[tuple[str, Scope], ...] = (("My tags", "mine"), ("Everyone's tags", "all"), ("Gold layer", "gold"))
REFRESH_DELAY_MS = 250
"""Wait after a span change before recomputing, so accepting ten rows in a row recomputes once."""
Key = tuple[int, int, str]


DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Offer:
    """One row: where, which label, from which source, how strong, and the words around it."""

    start: int
    end: int
    label: str
    text: str
    source: str  # "phrases", "model" or "pattern"
    support: int = 0  # spans behind a phrase match
    score: float | None = None  # the model's probability
    phrase: str = ""
    left: str = ""
    right: str = ""

    def strength(self) -> str:
        if self.source == "model":
            return f"{self.score:.2f}"
        return "rule" if self.source == "pattern" else f"×{self.support}"


def from_phrase(text: str, s: Suggestion) -> Offer:
    return Offer(s.start, s.end, s.label, s.text, "phrases", s.support, None, s.phrase, *contexts(text, s.start, s.end))


def from_model(text: str, s: ModelSuggestion) -> Offer:
    return Offer(s.start, s.end, s.label, text[s.start:s.end], s.source, 0, s.score, text[s.start:s.end],
                 *contexts(text, s.start, s.end))


def key_of(suggestion: Offer | Suggestion | ModelSuggestion) -> Key:
    return suggestion.start, suggestion.end, suggestion.label


class SuggestionModel(LabelledTableModel):
    """The rows shown: suggestions in text order (the list is replaced whole; rows leave one at a time)."""

    columns = ("Context", "Label", "Score")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Offer] = []

    def set_rows(self, rows: list[Offer]) -> None:
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
            return one_line(s.text) if col == 0 else s.strength()
        if role == CONTEXT_ROLE and col == 0:
            return (s.left, s.right)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            name = self.names.get(s.label, s.label)
            if s.source == "model":
                why = f"the model suggests {name} with probability {s.score:.2f}"
            elif s.source == "pattern":
                why = f"a pattern rule for {name} matches"
            else:
                spans = "span" if s.support == 1 else "spans"
                why = f"“{s.phrase}” tagged {name} by {s.support} {spans}"
            return f"…{s.left}[{s.text}]{s.right}…\n{why}\n[{s.start}–{s.end}]"
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
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.ShortcutOverride and self._own_key(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if self._own_key(event):
            (self.accept_requested if event.key() in self._ACCEPT else self.reject_requested).emit()
            event.accept()
            return
        super().keyPressEvent(event)


class SuggestionPanel(QWidget):
    """Source picker, the suggestion table, and Accept / Reject / Accept all for the open document."""

    refreshed = Signal(int)  # number of rows shown, after each recomputation
    marks_changed = Signal(list)  # (start, end, label) of the rows, for the article's dashed outlines

    def __init__(self, session: AnnotationSession, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.thresholds: dict[str, float] = {}  # per label; DEFAULT_THRESHOLD for the others
        self.model = SuggestionModel(self)
        self.source = QComboBox(self)
        for text, scope in SOURCES:
            self.source.addItem(text, scope)
        self.source.setToolTip("Whose tags are offered: your own, every annotator's (not gold), or the gold layer's")
        self.use_model = QCheckBox("Model and rules", self)
        self.model_reason = unavailable_reason()
        self.use_model.setChecked(True)
        self.use_model.setToolTip(self.model_reason or "Also offer the trained model's suggestions (above each "
                                  "label's threshold) and the pattern rules' matches (Tools → Suggestion model…)")
        self.table = SuggestionTable(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(0, ContextDelegate(self.table))
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
        header.resizeSection(1, 104)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 52)
        header.setHighlightSections(False)
        self.context = QLabel(self)  # the current row's context in full, for a narrow panel
        self.context.setWordWrap(True)
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.accept_button = QPushButton("Accept", self)
        self.accept_button.setToolTip("Tag the selected suggestion with its label (Enter)")
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.setToolTip("Reject the selected suggestion: not offered to you again here, and the "
                                      "model learns from it (Delete; undo brings it back)")
        self.accept_all_button = QPushButton("Accept all", self)
        self.accept_all_button.setToolTip("Tag every suggestion listed; one undo takes them all back")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.accept_button, self.reject_button, self.accept_all_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        sources = QHBoxLayout()
        sources.setContentsMargins(0, 0, 0, 0)
        sources.addWidget(self.source, 1)
        sources.addWidget(self.use_model)
        layout.addLayout(sources)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.context)
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
        self.use_model.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._show_row)
        self.table.clicked.connect(lambda index: self._show_row(index, QModelIndex()))
        self.table.accept_requested.connect(self.accept_current)
        self.table.reject_requested.connect(self.reject_current)
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button.clicked.connect(self.reject_current)
        self.accept_all_button.clicked.connect(self.accept_all)
        session.document_opened.connect(self.document_changed)
        session.changed.connect(self._on_changed)
        self._update_buttons()

    # ------------------------------------------------------------------ recomputing
    def document_changed(self) -> None:
        """The window opened or re-read a document: recompute now if shown, else when next shown."""
        self._timer.stop()
        self.model.set_rows([])
        self._publish_marks()
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        """Tags anywhere change the phrase list; recompute a moment later (a burst of edits costs one)."""
        if changes.tags_changed or changes.scheme or changes.suggestions or self.session.doc_pk in changes.reload:
            if self.isVisible():
                self._timer.start()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def scope(self) -> Scope:
        return self.source.currentData()

    def refresh(self) -> None:
        """Recompute the open document's suggestions on a worker thread (only while the tab is shown)."""
        session = self.session
        self._generation += 1
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if session.document is None:
            self.model.set_rows([])
            self._say("Open a document to see suggestions.")
            return
        self.model.set_scheme([(lbl.key, lbl.name, lbl.color) for lbl in session.scheme.labels])
        generation, doc_pk, owner, scope = self._generation, session.document.pk, session.layer_owner, self.scope()
        store, annotator, text = session.store, session.annotator, session.document.text
        with_model = self.use_model.isChecked()
        thresholds = {lbl.key: self.thresholds.get(lbl.key, DEFAULT_THRESHOLD) for lbl in session.scheme.labels}

        def work(_progress: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> tuple[list[Offer], str]:
            note = ""
            with store.session() as db:
                offers = {key_of(s): from_phrase(text, s)
                          for s in document_suggestions(db, doc_pk, owner, annotator, scope)}
                if with_model:
                    try:
                        for s in model_suggestions(db, doc_pk, owner, thresholds, hide_rejected=False):
                            offers[key_of(s)] = from_model(text, s)  # the model's score beats a phrase count
                    except AnnotatorError as exc:  # a damaged model: the phrase matches still count
                        note = str(exc)
                rejected = rejections(db, doc_pk, owner)
            hidden = sum(1 for key in offers if key in rejected)
            return sorted((o for k, o in offers.items() if k not in rejected),
                          key=lambda o: (o.start, o.end, o.label)), note if not hidden else f"{note}\x00{hidden}"

        worker = Worker(work, self)
        self._workers.add(worker)
        worker.succeeded.connect(lambda result: self._arrived(generation, doc_pk, *result))
        worker.failed.connect(lambda message: self._arrived(generation, doc_pk, None, "", message))
        worker.finished.connect(lambda: self._workers.discard(worker))
        worker.finished.connect(worker.deleteLater)
        if not self.model.rows:
            self._say("Looking for tagged phrases…")
        worker.start()

    def _arrived(self, generation: int, doc_pk: int, rows: list[Offer] | None, note: str,
                 failure: str = "") -> None:
        if generation != self._generation or self.session.doc_pk != doc_pk:
            return  # a newer request is on its way, or another document is open
        if rows is None:
            self._say(f"Suggestions could not be computed: {failure}")
            return
        note, _sep, stored_hidden = note.partition("\x00")
        before = self._current_key()
        row_before = self.table.currentIndex().row()
        shown = rows  # stored rejections were left out by the worker (undoing one brings it back)
        self.model.set_rows(shown)
        self._publish_marks()
        if shown:
            keys = [key_of(s) for s in shown]
            row = keys.index(before) if before in keys else min(max(row_before, 0), len(shown) - 1)
            self._select_row(row, show=False)
        count = len(shown)
        hidden = int(stored_hidden or 0)
        if count:
            text = plural(count, "suggestion")
        else:
            text = "No suggestions: a phrase you tag is offered wherever else it occurs."
        text += f" ({hidden} rejected, hidden)" if hidden else ""
        if note:
            text += f"\nModel: {note}"
        self._say(text)
        self._update_buttons()
        self.refreshed.emit(count)

    def _publish_marks(self) -> None:
        self.marks_changed.emit([key_of(s) for s in self.model.rows])
        if not self.model.rows:
            self.context.setText("")

    # ------------------------------------------------------------------ rows and actions
    def _say(self, text: str) -> None:
        self.info.setText(text)

    def _current_key(self) -> Key | None:
        row = self.table.currentIndex().row()
        return key_of(self.model.rows[row]) if 0 <= row < len(self.model.rows) else None

    def _show_context(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            self.context.setText("")
            return
        o = self.model.rows[row]
        self.context.setText(f"…{html.escape(o.left)}<b>{html.escape(o.text)}</b>{html.escape(o.right)}…")

    def _select_row(self, row: int, *, show: bool = True) -> None:
        index = self.model.index(row, 0)
        self._silent = not show
        try:
            self.table.setCurrentIndex(index)
        finally:
            self._silent = False
        self.table.scrollTo(index)
        self._show_context()
        if show:
            self._show_row(index, QModelIndex())

    def _show_row(self, index: QModelIndex, _previous: QModelIndex) -> None:
        """Select the suggestion's text in the article (so a label key can also tag it another way)."""
        if self._silent or not index.isValid() or index.row() >= len(self.model.rows):
            return
        s = self.model.rows[index.row()]
        self._show_context()
        self.session.request_text(s.start, s.end)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_rows = bool(self.model.rows)
        self.accept_all_button.setEnabled(has_rows)
        self.accept_button.setEnabled(has_rows)
        self.reject_button.setEnabled(has_rows)

    def _leave_row(self, row: int) -> None:
        """Drop ``row`` from the list and move to the row that took its place (Enter, Enter… walks the list)."""
        self.model.remove_row(row)
        self._publish_marks()
        if self.model.rows:
            self._select_row(min(row, len(self.model.rows) - 1))
        self._update_buttons()

    def accept_current(self) -> bool:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.model.rows):
            return False
        s = self.model.rows[row]
        if not self.ops.accept_suggestions([key_of(s)]):
            return False
        self._leave_row(row)
        self.table.setFocus()
        return True

    def reject_current(self) -> bool:
        row = self.table.currentIndex().row()
        doc_pk = self.session.doc_pk
        if not 0 <= row < len(self.model.rows) or doc_pk is None:
            return False
        key = key_of(self.model.rows[row])
        if not self.ops.reject_suggestions([key]):
            return False
        self._leave_row(row)
        self.table.setFocus()
        remaining = len(self.model.rows)
        self._say(f"Rejected (not offered again; undo brings it back); {remaining} suggestion"
                  f"{'' if remaining == 1 else 's'} left.")
        return True

    def accept_all(self) -> bool:
        items = [key_of(s) for s in self.model.rows]
        if not self.ops.accept_suggestions(items):
            return False
        self.model.set_rows([])
        self._publish_marks()
        self._update_buttons()
        self.session.say(f"Accepted {plural(len(items), 'suggestion')} (one undo takes them all back).", 6000)
        return True

    # ------------------------------------------------------------------ teardown
    def wait_for_workers(self, msecs: int = 10000) -> None:
        """Let a running computation end before the window (and perhaps the store) goes away."""
        self._generation += 1
        for worker in list(self._workers):
            worker.wait(msecs)
