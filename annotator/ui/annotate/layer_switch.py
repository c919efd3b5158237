"""Whose layer the article shows: the "Layer:" switch above the article and View → Show layer.

Reading a colleague's or the gold layer beside one's own text used to need the agreement window; now the
switch lists the annotators who have a layer on the open document (yours first, gold last), a key steps
through them (Ctrl+L) and one goes back to yours (Ctrl+M). In blind mode (store/assignments.py) the store
lists only your own layer until it is done. Another's layer is shown read-only: the session
refuses tagging there with its usual sentence. Choosing asks the main window to open the same document with
that layer (:attr:`LayerSwitch.layer_chosen`), so the document list, settings and every view follow the
one ``document_opened`` path.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import queries
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession


def layer_title(name: str, me: str) -> str:
    if name == me:
        return f"Mine ({name})"
    if name == GOLD_ANNOTATOR:
        return "Gold (curated)"
    return name


class LayerSwitch(QWidget):
    """A "Layer:" combo box, a read-only note, and the actions and menu that do the same by keyboard."""

    layer_chosen = Signal(str)
    """The analyst picked another layer of the open document (an annotator's name)."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.caption = QLabel("Layer:", self)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Layer shown")
        self.combo.setToolTip("Whose spans the article shows (Ctrl+L: next layer, Ctrl+M: yours)")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.caption.setBuddy(self.combo)
        self.note = QLabel(self)
        self.note.setObjectName("layerNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setStyleSheet("QLabel#layerNote { color: #b35900; font-weight: 600; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.combo)
        layout.addWidget(self.note, 1)
        self.act_next = QAction("Show next layer", self)
        self.act_next.setShortcut(QKeySequence("Ctrl+L"))
        self.act_next.triggered.connect(lambda _c=False: self.cycle(1))
        self.act_mine = QAction("Show my layer", self)
        self.act_mine.setShortcut(QKeySequence("Ctrl+M"))
        self.act_mine.triggered.connect(lambda _c=False: self.choose(self.session.annotator))
        self.menu = QMenu("Show layer", self)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.owners: list[str] = []
        self.combo.activated.connect(lambda index: self.choose(self.combo.itemData(index)))
        session.document_opened.connect(self.refresh)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        # A status change matters too: in blind mode, marking one's own layer done reveals the others.
        if changes.corpus or changes.reload or changes.statuses:
            self.refresh()

    def refresh(self) -> None:
        """Re-list the layers of the open document and show which one is open."""
        s = self.session
        owners: list[str] = []
        if s.document is not None:
            try:
                with s.store.session() as db:
                    owners = queries.layer_owners(db, s.document.pk, s.annotator)
            except AnnotatorError as exc:
                s.say(str(exc))
        owners = [s.annotator] + [name for name in owners if name != s.annotator]
        if s.document is not None and s.layer_owner not in owners:
            owners.append(s.layer_owner)
        self.owners = owners
        self.combo.blockSignals(True)
        self.combo.clear()
        for name in owners:
            self.combo.addItem(layer_title(name, s.annotator), name)
        self.combo.setCurrentIndex(max(0, self.combo.findData(s.layer_owner)))
        self.combo.blockSignals(False)
        self.combo.setEnabled(s.document is not None and len(owners) > 1)
        mine = s.layer_owner == s.annotator
        self.note.setText("" if mine or s.document is None
                          else f"Read-only: {layer_title(s.layer_owner, s.annotator)}'s layer — Ctrl+M for yours")
        self.act_next.setEnabled(s.document is not None and len(owners) > 1)
        self.act_mine.setEnabled(s.document is not None and not mine)

    def choose(self, name: str | None) -> None:
        s = self.session
        if name and s.document is not None and name != s.layer_owner:
            self.layer_chosen.emit(name)

    def cycle(self, step: int) -> None:
        """Show the next layer of the open document (wrapping around to yours)."""
        if len(self.owners) > 1 and self.session.document is not None:
            at = self.owners.index(self.session.layer_owner) if self.session.layer_owner in self.owners else 0
            self.choose(self.owners[(at + step) % len(self.owners)])

    def _fill_menu(self) -> None:
        self.menu.clear()
        group = QActionGroup(self.menu)
        for name in self.owners if self.session.document is not None else []:
            action = self.menu.addAction(layer_title(name, self.session.annotator))
            action.setCheckable(True)
            action.setChecked(name == self.session.layer_owner)
            action.setActionGroup(group)
            action.triggered.connect(lambda _c=False, n=name: self.choose(n))
