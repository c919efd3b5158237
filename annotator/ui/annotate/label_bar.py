"""The label bar: one button per label (colour, shortcut, guideline tooltip) and the sticky-label switch.

Each label is a window-wide QAction, so its shortcut (``1``–``5``) works wherever focus is in the main
window, and a second action on ``Alt+<shortcut>`` tags without snapping to word boundaries. In sticky mode
the chosen label tags every new mouse selection and ``Enter`` tags a keyboard selection. The buttons wrap
onto a second row when the article column is narrow (:class:`FlowLayout`), so a long scheme never sets
the window's minimum width.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from annotator.core.scheme import Scheme
from annotator.ui.common.flow_layout import FlowLayout, wrapping_policy


def swatch(color: str, size: int = 14) -> QIcon:
    """A rounded colour square: the label's colour as an icon for buttons and lists."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor(color).darker(130))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    painter.end()
    return QIcon(pixmap)


class LabelBar(QWidget):
    """Buttons for the scheme's labels; emits ``label_triggered(key, snap)``."""

    label_triggered = Signal(str, bool)
    sticky_changed = Signal(object)  # label key or None

    def __init__(self, scheme: Scheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scheme = scheme
        self.tag_actions: dict[str, QAction] = {}
        self.raw_actions: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        self.sticky_label: str | None = None
        self.inset = 0
        layout = FlowLayout(self, spacing=4, row_spacing=0)
        layout.setContentsMargins(8, 4, 8, 4)
        self.setSizePolicy(wrapping_policy())
        for label in scheme.labels:
            action = QAction(swatch(label.color), label.name, self)
            if label.shortcut:
                action.setShortcut(QKeySequence(label.shortcut))
            action.setToolTip(f"<b>{label.name}</b> <span style='color:gray'>({label.shortcut or 'no key'})</span>"
                              f"<br>{label.guideline}")
            action.setStatusTip(label.guideline)
            action.setIconText(f"{label.shortcut}  {label.name}" if label.shortcut else label.name)
            action.triggered.connect(lambda _checked=False, key=label.key: self._trigger(key, True))
            self.tag_actions[label.key] = action
            raw = QAction(f"{label.name} (exact selection)", self)
            if label.shortcut:
                raw.setShortcut(QKeySequence(f"Alt+{label.shortcut}"))
            raw.triggered.connect(lambda _checked=False, key=label.key: self._trigger(key, False))
            self.raw_actions[label.key] = raw
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIconSize(QSize(14, 14))
            button.setAutoRaise(True)
            button.setCheckable(False)
            self.buttons[label.key] = button
            layout.add_widget(button)
        self.sticky_button = QToolButton(self)
        self.sticky_button.setText("Sticky label")
        self.sticky_button.setCheckable(True)
        self.sticky_button.setAutoRaise(True)
        self.sticky_button.setToolTip("Sticky label (S): every new selection is tagged with the last label used")
        self.sticky_button.toggled.connect(self._sticky_toggled)
        layout.add_widget(self.sticky_button, push_right=True)
        self.hint = QLabel("", self)
        self.hint.hide()
        layout.add_widget(self.hint)
        self._last_label: str | None = scheme.labels[0].key if scheme.labels else None

    def set_inset(self, inset: int) -> None:
        """Indent the buttons by ``inset`` pixels each side (to line up with the article's text column)."""
        self.inset = inset
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(8 + inset, 4, 8 + inset, 4)

    def all_actions(self) -> list[QAction]:
        return [*self.tag_actions.values(), *self.raw_actions.values()]

    def set_enabled(self, enabled: bool) -> None:
        for action in self.all_actions():
            action.setEnabled(enabled)
        self.sticky_button.setEnabled(enabled)

    def _trigger(self, key: str, snap: bool) -> None:
        self._last_label = key
        if self.sticky_button.isChecked():
            self._set_sticky(key)
        self.label_triggered.emit(key, snap)

    def _sticky_toggled(self, on: bool) -> None:
        self._set_sticky(self._last_label if on else None)

    def _set_sticky(self, key: str | None) -> None:
        self.sticky_label = key
        for k, button in self.buttons.items():
            font = button.font()
            font.setBold(k == key)
            button.setFont(font)
            button.setDown(False)
        label = self.scheme.get(key) if key else None
        self.hint.setText(f"→ {label.name}" if label else "")
        self.hint.setVisible(label is not None)
        self.sticky_changed.emit(key)
