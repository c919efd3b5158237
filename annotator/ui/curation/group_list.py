"""The list of disagreement groups in the curation window: state, kind, quote and who said what.

Each row shows whether the group is settled (○ open, ✓ accepted, ✗ rejected) and what kind of
disagreement it is (``core.curation.disagreement_kind``): a boundary-only group (one label, different
extents) is a quicker decision than a label disagreement, so it is marked apart. Settled rows are dimmed
with a colour derived from the palette that still reads at 4.5:1 in a dark theme.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from annotator.core.curation import DisagreementGroup, disagreement_kind
from annotator.ui.common.palette_colours import dimmed_text

STATE_MARKS = {"open": "○", "accepted": "✓", "rejected": "✗"}
KIND_TEXT = {"boundaries": "↔ boundaries only", "labels": "≠ labels differ", "presence": "± not everyone marked it"}
"""How a row names its kind; the symbols make the kinds tell apart at a glance, the words say what they mean."""
KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class GroupList(QListWidget):
    """One row per disagreement group, in document order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def fill(self, groups: Sequence[DisagreementGroup], state: Callable[[DisagreementGroup], str], text: str,
             label_name: Callable[[str], str]) -> None:
        """Refill, keeping the current row, without emitting row changes."""
        row = self.currentRow()
        self.blockSignals(True)
        self.clear()
        for n, group in enumerate(groups, 1):
            now, kind = state(group), disagreement_kind(group)
            who = "; ".join(f"{name}: {', '.join(sorted({label_name(sp[2]) for sp in spans})) or '—'}"
                            for name, spans in group.versions.items())
            item = QListWidgetItem(f"{STATE_MARKS[now]} {n}. “{short(text[group.start:group.end], 42)}”\n"
                                   f"     {KIND_TEXT[kind]} · {who}")
            item.setData(Qt.ItemDataRole.UserRole, now)
            item.setData(KIND_ROLE, kind)
            item.setToolTip(f"characters {group.start}–{group.end} · {now} · {KIND_TEXT[kind]}")
            self.addItem(item)
        self.apply_palette()
        if 0 <= row < self.count():
            self.setCurrentRow(row)
        self.blockSignals(False)

    def apply_palette(self) -> None:
        """Settled rows dimmed, open rows in the palette's text colour (again when the theme changes)."""
        dim = dimmed_text(self.palette())
        for i in range(self.count()):
            item = self.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == "open":
                item.setData(Qt.ItemDataRole.ForegroundRole, None)
            else:
                item.setForeground(QBrush(dim))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()
