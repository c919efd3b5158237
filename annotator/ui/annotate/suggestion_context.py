"""The Suggestions tab's context column: left context | phrase | right context, drawn in one cell.

Why: five rows reading "quotas" are indistinguishable; the words around each occurrence tell them apart.
The phrase is drawn in bold in the middle of the cell, the left context right-aligned and elided at its
start, the right context elided at its end, both in the secondary text colour. The cell's display text
stays the phrase (copying, accessibility and tests read it); the contexts come from :data:`CONTEXT_ROLE`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

CONTEXT_ROLE = int(Qt.ItemDataRole.UserRole) + 41
"""(left context, right context) of a suggestion row."""
CONTEXT_CHARS = 40
MIN_SIDE = 14
"""Pixels kept for each context when the phrase is long (enough for an ellipsis)."""


def contexts(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """Up to ``width`` characters either side, on one line (line breaks shown as spaces)."""
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return left, right


class ContextDelegate(QStyledItemDelegate):
    """Paints "…left **phrase** right…", the phrase centred and shown whole when the cell allows."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        context = index.data(CONTEXT_ROLE)
        if not context:
            super().paint(painter, option, index)
            return
        left, right = context
        phrase = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        main = opt.palette.color(group, text_role)
        soft = opt.palette.color(group, QPalette.ColorRole.PlaceholderText) if not selected else main
        bold = QFont(opt.font)
        bold.setBold(True)
        bold_metrics, metrics = QFontMetrics(bold), QFontMetrics(opt.font)
        rect = opt.rect.adjusted(4, 0, -4, 0)
        # The phrase first (whole if it fits with a little context either side), the contexts share the rest.
        phrase_w = max(0, min(bold_metrics.horizontalAdvance(phrase), rect.width() - 2 * MIN_SIDE))
        side = max(0, (rect.width() - phrase_w) // 2)
        flags = Qt.AlignmentFlag.AlignVCenter
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(soft)
        left_rect = QRect(rect.left(), rect.top(), side - 3, rect.height())
        painter.drawText(left_rect, flags | Qt.AlignmentFlag.AlignRight,
                         metrics.elidedText(left, Qt.TextElideMode.ElideLeft, max(0, left_rect.width())))
        right_rect = QRect(rect.left() + side + phrase_w + 3, rect.top(), rect.width() - side - phrase_w - 3,
                           rect.height())
        painter.drawText(right_rect, flags | Qt.AlignmentFlag.AlignLeft,
                         metrics.elidedText(right, Qt.TextElideMode.ElideRight, max(0, right_rect.width())))
        painter.setFont(bold)
        painter.setPen(main)
        painter.drawText(QRect(rect.left() + side, rect.top(), phrase_w, rect.height()),
                         flags | Qt.AlignmentFlag.AlignHCenter,
                         bold_metrics.elidedText(phrase, Qt.TextElideMode.ElideMiddle, phrase_w))
        painter.restore()
