"""A layout that places its widgets left to right and wraps them onto the next row when the width runs out.

The label bar uses it: a scheme may have any number of labels, and a row of buttons that never wraps set
the whole window's minimum width (1191 px with five labels), pushing the span panel off a laptop screen.
Here the minimum width is the widest single item, and the height follows the width (``heightForWidth``),
so the bar grows a row instead of the window growing wider. An item added with :meth:`add_widget`
``(..., push_right=True)`` starts the right-aligned group at the end of the last row (the sticky switch).
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


def _hidden(item: QLayoutItem) -> bool:
    """A widget item whose widget is hidden takes no place in the flow."""
    widget = item.widget()
    return widget is not None and widget.isHidden()


class FlowLayout(QLayout):
    """Rows of widgets that wrap; ``spacing`` apart horizontally, ``row_spacing`` vertically."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 4, row_spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right_from: int | None = None
        self._spacing = spacing
        self._row_spacing = row_spacing

    # ------------------------------------------------------------------ QLayout's item list
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def add_widget(self, widget: QWidget, *, push_right: bool = False) -> None:
        """Add ``widget``; the first one with ``push_right`` and all after it are aligned to the right."""
        if push_right and self._right_from is None:
            self._right_from = len(self._items)
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        if not 0 <= index < len(self._items):
            return None
        if self._right_from is not None and index < self._right_from:
            self._right_from -= 1
        return self._items.pop(index)

    # ------------------------------------------------------------------ sizes
    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), apply=False)

    def sizeHint(self) -> QSize:  # noqa: N802
        """One row of everything: the width the bar would like, if the window has it."""
        visible = [item.sizeHint() for item in self._visible()]
        m = self.contentsMargins()
        width = sum(s.width() for s in visible) + self._spacing * max(0, len(visible) - 1)
        height = max((s.height() for s in visible), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        """The widest single item: the bar never asks the window for more room than one button."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, apply=True)

    # ------------------------------------------------------------------ placing
    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not _hidden(item)]

    def _place(self, rect: QRect, *, apply: bool) -> int:
        """Lay the items out in ``rect`` (when ``apply``); returns the height they need."""
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[tuple[QLayoutItem, QSize, bool]]] = [[]]
        x = 0
        for index, item in enumerate(self._items):
            if _hidden(item):
                continue
            hint = item.sizeHint().expandedTo(item.minimumSize())
            width = min(hint.width(), max(area.width(), 1))
            right = self._right_from is not None and index >= self._right_from
            if rows[-1] and x + width > area.width():
                rows.append([])
                x = 0
            rows[-1].append((item, QSize(width, hint.height()), right))
            x += width + self._spacing
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(size.height() for _item, size, _r in row)
            if apply:
                left = [(item, size) for item, size, right in row if not right]
                pushed = [(item, size) for item, size, right in row if right]
                x = area.x()
                for item, size in left:
                    item.setGeometry(QRect(QPoint(x, y + (height - size.height()) // 2), size))
                    x += size.width() + self._spacing
                x = area.right() + 1 - sum(s.width() for _i, s in pushed) - self._spacing * max(0, len(pushed) - 1)
                for item, size in pushed:
                    item.setGeometry(QRect(QPoint(x, y + (height - size.height()) // 2), size))
                    x += size.width() + self._spacing
            y += height + self._row_spacing
        return y - self._row_spacing - area.y() + m.top() + m.bottom() if any(rows) else m.top() + m.bottom()


def wrapping_policy() -> QSizePolicy:
    """A size policy whose height follows the width (for a widget holding a :class:`FlowLayout`)."""
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    return policy
