"""The gold span editor of the curation window: the gold spans in the group, a label, boundaries, a quote.

The curator settles what no version got right here: boundaries taken from text selected in a lane
("Set to selection", Alt+Enter), stepped with the main view's Alt(+Shift)(+Ctrl)+Left/Right keys
(``core.boundaries``: never cutting a character, never emptying the span) or typed in the character
boxes. The quote shown is always cut from the stored text in code points, never read from a widget. The
widget holds no data of its own beyond what it shows; the window turns its buttons into operations.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QWidget,
)

from annotator.core.scheme import Scheme
from annotator.store.repository import SpanView
from annotator.ui.curation.group_list import short


class GoldEditor(QGroupBox):
    """"In gold here", label, start–end, quote and the add/apply/remove buttons."""

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__("Gold span", parent)
        self.scheme = scheme
        self.text = ""
        self.gold_here = QListWidget(self)
        self.gold_here.setMaximumHeight(52)
        self.label_combo = QComboBox(self)
        for lbl in scheme.labels:
            self.label_combo.addItem(lbl.name, lbl.key)
        self.start_spin = QSpinBox(self)
        self.end_spin = QSpinBox(self)
        self.start_spin.valueChanged.connect(lambda _v: self.update_quote())
        self.end_spin.valueChanged.connect(lambda _v: self.update_quote())
        self.use_selection_button = QPushButton("Set to selection", self)
        self.use_selection_button.setToolTip("Take the boundaries from text selected in any lane (Alt+Enter)")
        self.quote_label = QLabel(self)
        self.quote_label.setWordWrap(True)
        self.quote_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = QPushButton("Add to gold", self)
        self.apply_button = QPushButton("Apply to gold span", self)
        self.apply_button.setToolTip("Give the gold span selected above these boundaries and this label")
        self.remove_button = QPushButton("Remove from gold", self)

        bounds = QHBoxLayout()
        bounds.addWidget(self.start_spin, 1)
        bounds.addWidget(QLabel("to", self))
        bounds.addWidget(self.end_spin, 1)
        bounds.addWidget(self.use_selection_button)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.apply_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid = QGridLayout(self)
        grid.addWidget(QLabel("In gold here:", self), 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.gold_here, 0, 1)
        grid.addWidget(QLabel("Label:", self), 1, 0)
        grid.addWidget(self.label_combo, 1, 1)
        grid.addWidget(QLabel("Characters:", self), 2, 0)
        grid.addLayout(bounds, 2, 1)
        grid.addWidget(QLabel("Quote:", self), 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.quote_label, 3, 1)
        grid.addLayout(buttons, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)

    def set_text(self, text: str) -> None:
        self.text = text
        for spin in (self.start_spin, self.end_spin):
            spin.setRange(0, len(text))

    def load(self, span: tuple[int, int, str]) -> None:
        start, end, label = span
        self.set_bounds(start, end)
        index = self.label_combo.findData(label)
        if index >= 0:
            self.label_combo.setCurrentIndex(index)

    def set_bounds(self, start: int, end: int) -> None:
        self.start_spin.setValue(start)
        self.end_spin.setValue(end)
        self.update_quote()

    def values(self) -> tuple[int, int, str]:
        return self.start_spin.value(), self.end_spin.value(), str(self.label_combo.currentData())

    def update_quote(self) -> None:
        start, end, _ = self.values()
        if end <= start:
            self.quote_label.setText("<i>the end must come after the start</i>")
        else:
            self.quote_label.setText(html.escape(short(self.text[start:end], 200)))

    def show_gold(self, spans: list[SpanView], label_name: dict[str, str]) -> None:
        """The gold spans of the current group (keeping the selected one when it is still there)."""
        keep = self.gold_here.currentItem().data(Qt.ItemDataRole.UserRole) if self.gold_here.currentItem() else None
        self.gold_here.blockSignals(True)
        self.gold_here.clear()
        for span in spans:
            item = QListWidgetItem(f"{label_name.get(span.label, span.label)} {span.start}–{span.end} "
                                   f"“{short(span.quote, 40)}”")
            item.setData(Qt.ItemDataRole.UserRole, span.id)
            self.gold_here.addItem(item)
            if span.id == keep:
                self.gold_here.setCurrentItem(item)
        self.gold_here.blockSignals(False)

    def selected_id(self) -> int | None:
        item = self.gold_here.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
