"""The curation window's keyboard: a curator settles a document without the mouse.

1–9 accept the group's version in that row, R or Delete rejects the group, F puts the keyboard in the
document-fields table (Enter there takes a value into gold), N/P (or J/K) move between groups, Ctrl+PgDown/PgUp between documents, Ctrl+Enter marks gold done, and the main view's boundary keys
(Alt+Left/Right the start, with Shift the end, with Ctrl by a word; Alt+Enter: set to selection) adjust the
gold span. Every key is a ``QAction`` on the window, so it works wherever the focus is except while typing
in a box (a digit typed into a character box stays there); :data:`HELP_LINE` and the F1 table list them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from annotator.core.boundaries import Edge, Unit
from annotator.ui.annotate.span_adjust import MOVES

HELP_LINE = ("Keys: 1–9 accept version · R/Del reject · N/P or J/K next/previous group · "
             "Ctrl+PgDn/PgUp next/previous document · Alt(+Shift)(+Ctrl)+←/→ move the gold start (end) · "
             "Alt+Enter set to selection · F document fields (Enter: use for gold) · Ctrl+Enter mark gold done · "
             "F1 all keys")


class CurationKeys:
    """Creates the window's actions; each calls back into the window."""

    def __init__(self, host: QWidget, *, accept: Callable[[int], object], reject: Callable[[], object],
                 group: Callable[[int], object], document: Callable[[int], object], done: Callable[[], object],
                 move: Callable[[Edge, int, Unit], object], to_selection: Callable[[], object],
                 undo: Callable[[], object], redo: Callable[[], object],
                 fields: Callable[[], object] | None = None) -> None:
        self.host = host
        self.actions: list[QAction] = []
        for n in range(1, 10):
            self._add(f"Accept version {n}", [str(n)], partial(accept, n - 1), listed=n == 1)
        self.actions[0].setText("Accept version 1–9 (the row of the versions table)")
        self._add("Reject the group", ["R", "Delete"], reject)
        self._add("Next group", ["N", "J"], lambda: group(1))
        self._add("Previous group", ["P", "K"], lambda: group(-1))
        self._add("Next document", ["Ctrl+PgDown"], lambda: document(1))
        self._add("Previous document", ["Ctrl+PgUp"], lambda: document(-1))
        self._add("Mark gold done", ["Ctrl+Return", "Ctrl+Enter"], done)
        for text, edge, direction, unit, keys in MOVES:
            self._add(text.replace("span", "gold span"), [keys],
                      partial(move, edge, direction, unit))
        self._add("Set the gold span to the selection", ["Alt+Return", "Alt+Enter"], to_selection)
        if fields is not None:
            self._add("Document fields (then arrows, Enter: use for gold, Delete: clear gold)", ["F"], fields)
        self._add("Undo", [QKeySequence(QKeySequence.StandardKey.Undo).toString()], undo)
        self._add("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], redo)
        self._add("All keys", ["F1"], self.show_help)
        self.dialog: QDialog | None = None

    def _add(self, text: str, keys: list[str], slot: Callable[[], object], *, listed: bool = True) -> QAction:
        action = QAction(text, self.host)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        action.setProperty("listed", listed)
        self.host.addAction(action)
        self.actions.append(action)
        return action

    def rows(self) -> list[tuple[str, str]]:
        """(action, keys) for the F1 table."""
        found = []
        for action in self.actions:
            if action.property("listed"):
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                if action.text().startswith("Accept version"):
                    keys = "1 … 9"
                found.append((action.text(), keys))
        return found

    def show_help(self) -> QDialog:
        """The table of every key (non-modal: it may stay open beside the window)."""
        dialog = QDialog(self.host)
        dialog.setWindowTitle("Curation keys")
        rows = self.rows()
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (name, keys) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(name))
            table.setItem(i, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(620, 520)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.dialog = dialog
        return dialog
