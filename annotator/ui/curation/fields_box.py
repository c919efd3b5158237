"""Document fields in the curation window: each analyst's value beside gold's, and picking one into gold.

Fields are judged per layer like spans, so gold needs its own values too. A tab beside the disagreement
groups (the window gains no height: it must fit a 640 px screen) holds one row per field of the scheme,
one column per compared analyst and a last column for gold; a row where the analysts gave different
values is marked ≠. The curator picks a value into gold with the keyboard (F puts the keyboard in the
table, arrows choose a cell, Enter takes it; Delete or Backspace on gold's cell clears gold) or the mouse
(double-click a cell, or *Use for gold*). Each pick is one curation operation
(:meth:`CurationOps.set_gold_field`): one transaction, role-checked by the store, one undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
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

from annotator.core.model import GOLD_ANNOTATOR
from annotator.core.scheme import Scheme
from annotator.core.typed_values import value_text
from annotator.store import repository as repo
from annotator.store.database import Store
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.curation import CurationOps

NO_VALUE = "—"


class GoldFieldsBox(QGroupBox):
    """The table of field values per analyst and gold, with *Use for gold* and *Clear gold* under it."""

    shown = Signal(int)
    """After each refresh: how many fields the analysts disagree on (the tab's title says it)."""

    def __init__(self, store: Store, ops: CurationOps, scheme: Scheme, report: Callable[..., None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.ops = ops
        self.report = report
        self.fields = sorted(scheme.fields, key=lambda f: f.order)
        self.annotators: list[str] = []
        self.doc_pk: int | None = None
        self.values: dict[str, dict[str, Any]] = {}
        self.editable = True
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("goldFields")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(60)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, col: self.take(row, col))
        self.table.installEventFilter(self)
        self.use_button = QPushButton("Use for gold", self)
        self.use_button.setToolTip("Copy the selected analyst's value into gold (Enter, or double-click)")
        self.clear_button = QPushButton("Clear gold", self)
        self.clear_button.setToolTip("Remove gold's value of the selected field (Delete on gold's cell)")
        self.use_button.clicked.connect(lambda: self.take(self.table.currentRow(), self.table.currentColumn()))
        self.clear_button.clicked.connect(lambda: self.clear(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        ops.session.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ showing
    def load(self, doc_pk: int, annotators: Sequence[str]) -> None:
        """Read every compared analyst's and gold's field values of ``doc_pk`` and show them."""
        self.doc_pk = doc_pk
        self.annotators = list(annotators)
        with self.store.session() as session:
            self.values = {who: repo.document_fields(session, doc_pk, who)
                           for who in [*self.annotators, GOLD_ANNOTATOR]}
        self._fill()

    def _fill(self) -> None:
        current = (self.table.currentRow(), self.table.currentColumn())
        columns = [*self.annotators, GOLD_ANNOTATOR]
        self.table.setRowCount(len(self.fields))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([*self.annotators, "Gold"])
        labels = []
        differing = 0
        for row, definition in enumerate(self.fields):
            given = [self.values.get(who, {}).get(definition.key) for who in self.annotators]
            differ = len({repr(value) for value in given}) > 1
            differing += differ
            labels.append(f"{'≠ ' if differ else ''}{definition.name}")
            for col, who in enumerate(columns):
                value = self.values.get(who, {}).get(definition.key)
                item = QTableWidgetItem(value_text(value) or NO_VALUE)
                item.setToolTip(f"{'Gold' if who == GOLD_ANNOTATOR else who}: {value_text(value) or 'no value'}")
                if who == GOLD_ANNOTATOR:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.table.setVerticalHeaderLabels(labels)
        if self.fields and current[0] >= 0:
            self.table.setCurrentCell(min(current[0], len(self.fields) - 1), max(0, current[1]))
        self.set_editable(self.editable)
        self.shown.emit(differing)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.use_button.setEnabled(editable and self.doc_pk is not None)
        self.clear_button.setEnabled(editable and self.doc_pk is not None)

    def gold_value(self, key: str) -> Any:
        return self.values.get(GOLD_ANNOTATOR, {}).get(key)

    def _on_changed(self, changes: Changes) -> None:
        if self.doc_pk is None:
            return
        if changes.scheme:
            self.fields = sorted(self.ops.session.scheme.fields, key=lambda f: f.order)
        if changes.scheme or changes.corpus or self.doc_pk in changes.reload or any(
                doc == self.doc_pk for doc, _who in changes.structure):
            self.load(self.doc_pk, self.annotators)

    # ------------------------------------------------------------------ picking
    def take(self, row: int, col: int) -> bool:
        """Copy the value in cell (``row``, ``col``) — one analyst's — into gold."""
        if not self.editable or self.doc_pk is None or not 0 <= row < len(self.fields):
            return False
        definition = self.fields[row]
        if not 0 <= col < len(self.annotators):
            self.report("Pick an analyst's value (a column left of Gold) to copy it into gold.", error=False)
            return False
        who = self.annotators[col]
        value = self.values.get(who, {}).get(definition.key)
        if value is None:
            self.report(f"{who} gave no value for {definition.name}; Delete on gold's cell clears gold's.",
                        error=False)
            return False
        if value == self.gold_value(definition.key):
            self.report(f"Gold already holds {who}'s {definition.name}: {value_text(value)}.", error=False)
            return True
        text = f"Gold {definition.name}: {value_text(value)} ({who})"
        return self.ops.set_gold_field(self.doc_pk, definition.key, value, text)

    def clear(self, row: int) -> bool:
        """Remove gold's value of the field in ``row``."""
        if not self.editable or self.doc_pk is None or not 0 <= row < len(self.fields):
            return False
        definition = self.fields[row]
        if self.gold_value(definition.key) is None:
            return True
        return self.ops.set_gold_field(self.doc_pk, definition.key, None, f"Clear gold {definition.name}")

    def focus_table(self) -> None:
        """Put the keyboard in the table, on the first field's first analyst unless a cell is current."""
        if self.fields:
            if self.table.currentRow() < 0:
                self.table.setCurrentCell(0, 0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Enter takes the current cell; Delete/Backspace clears gold (claimed from the window's Reject key)."""
        if (watched is self.table and isinstance(event, QKeyEvent)
                and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
                and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.take(self.table.currentRow(), self.table.currentColumn())
                else:
                    self.clear(self.table.currentRow())
            return True
        return super().eventFilter(watched, event)
