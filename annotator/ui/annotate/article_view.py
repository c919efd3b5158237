"""The article: read-only text with span highlights painted in lanes, selection in code points.

Highlights are painted by this widget rather than set as ExtraSelections: each span gets a translucent
fill of its label colour and its own underline in a lane below the text line, so overlapping spans — also
two of the same label — stay visible as separate bars, and no colour ever hides another. Only the spans
in the repainted rectangle are drawn (a range query on :class:`SpanIndex`), and a change repaints only
the lines the changed span covers, so a 10,000-span article stays as fast as an empty one.

The text is loaded with ``setPlainText`` from the stored string; offsets come from the stored string
through :class:`OffsetsBridge`, never from the widget's text.
"""

from __future__ import annotations

import re
from typing import cast

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextLine,
)
from PySide6.QtWidgets import QTextEdit, QWidget

from annotator.ui.annotate.offsets_bridge import OffsetsBridge
from annotator.ui.annotate.relation_paint import RelationMark, RelationPreview, paint_relations
from annotator.ui.annotate.span_index import IndexedSpan, SpanIndex
from annotator.ui.annotate.suggestion_marks import paint_marks

LINE_HEIGHT_PERCENT = 165
MAX_COLUMN_PX = 760
LANE_STEP = 3.0
LANE_THICKNESS = 2.0
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _cursor_x(line: QTextLine, pos: int) -> float:
    """The x of cursor position ``pos`` on ``line``: PySide6 returns (x, pos); its stub says ``object``."""
    return cast("tuple[float, int]", line.cursorToX(pos))[0]


def _article_keys() -> dict[str, str]:
    """Keys this widget handles itself (not QActions), as Qt spells them, with what they do.

    The tag scheme editor refuses these as label shortcuts: a window-wide label shortcut on one of them
    would either never fire (the text view takes Copy and Select all first) or take the key away from
    the article (Enter, Tab, Delete, Escape, caret movement and keyboard selection).
    """
    keys = {
        "Tab": "Next span (in the article)", "Shift+Tab": "Previous span (in the article)",
        "Backtab": "Previous span (in the article)", "Del": "Delete span (in the article)",
        "Backspace": "Delete span (in the article)", "Return": "Tag with the sticky label (in the article)",
        "Enter": "Tag with the sticky label (in the article)", "Esc": "Clear the selection (in the article)",
        "Ctrl+C": "Copy", "Ctrl+A": "Select all", "/": "Find in the article (in the article)",
    }
    for key in ("Left", "Right", "Up", "Down", "Home", "End", "PgUp", "PgDown"):
        for mods in ("", "Ctrl+"):
            keys[f"{mods}{key}"] = "Move the caret (in the article)"
            keys[f"{mods}Shift+{key}"] = "Extend the selection by keyboard (in the article)"
    return keys


ARTICLE_KEYS = _article_keys()


def _union(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The x ranges covered by ``intervals`` (either end first), overlapping or touching ones merged, left to
    right: one span's fill on one line is painted once per visual run, never twice over the same pixel."""
    merged: list[tuple[float, float]] = []
    for lo, hi in sorted((min(a, b), max(a, b)) for a, b in intervals):
        if merged and lo <= merged[-1][1] + 0.5:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


class ArticleView(QTextEdit):
    """Shows one document's canonical text and the current layer's spans."""

    span_clicked = Signal(int)
    """A click landed on a span (its id), or on plain text (-1)."""
    mouse_selection_finished = Signal()
    """The mouse was released with text selected (sticky-label mode tags on this)."""
    navigate_span = Signal(int)
    """Tab / Shift+Tab inside the article: +1 or -1."""
    delete_requested = Signal()
    enter_pressed = Signal()
    """Return/Enter in the article: tags a keyboard selection with the sticky label."""
    column_moved = Signal(int, int)
    """The text column's left edge and width in this widget's coordinates (the heading aligns with it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.document().setDocumentMargin(24)
        self.bridge = OffsetsBridge("")
        self.index = SpanIndex()
        self.colors: dict[str, QColor] = {}
        self.selected_span: int | None = None
        self._own_document: QTextDocument | None = None
        self._first_block_hint = 0
        self._click_cycle: tuple[int, int] = (-1, 0)
        self._press_pos: QPoint | None = None
        self.suggestion_marks: list[tuple[int, int, str]] = []  # dashed outlines (ui/annotate/suggestion_marks.py)
        self.relation_marks: list[RelationMark] = []  # arcs and connectors (ui/annotate/relation_paint.py)
        self.relation_preview: RelationPreview | None = None  # a relation being made (link mode, Alt+drag)
        self.set_point_size(13.0)

    # ------------------------------------------------------------------ content
    def set_label_colors(self, colors: dict[str, str]) -> None:
        self.colors = {key: QColor(value) for key, value in colors.items()}
        self.viewport().update()

    def set_suggestion_marks(self, marks: list[tuple[int, int, str]]) -> None:
        """Suggestions (start, end, label) to outline, dashed, apart from the spans (never in the index)."""
        self.suggestion_marks = list(marks)
        self.viewport().update()

    def set_relation_marks(self, marks: list[RelationMark], preview: RelationPreview | None = None) -> None:
        """The relations to draw between this article's spans, and the one being made (if any)."""
        self.relation_marks, self.relation_preview = list(marks), preview
        self.viewport().update()

    def set_document(self, text: str, spans: list[IndexedSpan]) -> None:
        """Show ``text`` (the stored canonical string) with ``spans``; the view starts at the top."""
        self.bridge = OffsetsBridge(text)
        self.index = SpanIndex(spans)
        self.selected_span = None
        self.suggestion_marks = []  # the previous article's; the Suggestions tab sets this one's
        self.relation_marks, self.relation_preview = [], None
        # Build the document detached from the widget: formatting 10,000 blocks of a document that a
        # view is laying out costs ~100x more than formatting them before the view sees the document.
        doc = QTextDocument(self)
        doc.setUndoRedoEnabled(False)
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(24)
        doc.setPlainText(text)
        fmt = QTextBlockFormat()
        fmt.setLineHeight(LINE_HEIGHT_PERCENT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor = QTextCursor(doc)
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setBlockFormat(fmt)
        self.setDocument(doc)
        self._first_block_hint = 0
        if self._own_document is not None:
            self._own_document.deleteLater()  # the previous article's document (ours, not Qt's default)
        self._own_document = doc
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)

    @property
    def text(self) -> str:
        return self.bridge.text

    def set_point_size(self, points: float) -> None:
        font = QFont(self.font())
        font.setFamilies(["Source Serif 4", "Noto Serif", "Georgia", "DejaVu Serif", "serif"])
        font.setPointSizeF(points)
        self.setFont(font)
        self.document().setDefaultFont(font)

    def point_size(self) -> float:
        return self.font().pointSizeF()

    # ------------------------------------------------------------------ spans (incremental)
    def add_span(self, span: IndexedSpan) -> None:
        self.index.add(span)
        self.repaint_range(span.start, span.end)

    def remove_span(self, span_id: int) -> None:
        span = self.index.remove(span_id)
        if span is not None:
            if self.selected_span == span_id:
                self.selected_span = None
            self.repaint_range(span.start, span.end)

    def move_span(self, span: IndexedSpan) -> None:
        """Show a span at new boundaries (an adjusted start or end): repaint where it was and where it is."""
        old = self.index.remove(span.id)
        if old is not None:
            self.repaint_range(old.start, old.end)
        self.add_span(span)

    def relabel_span(self, span_id: int, label: str) -> None:
        span = self.index.relabel(span_id, label)
        if span is not None:
            self.repaint_range(span.start, span.end)

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        previous = self.index.by_id.get(self.selected_span) if self.selected_span is not None else None
        self.selected_span = span_id
        if previous is not None:
            self.repaint_range(previous.start, previous.end)
        span = self.index.by_id.get(span_id) if span_id is not None else None
        if span is not None:
            if scroll:
                cursor = QTextCursor(self.document())
                cursor.setPosition(self.bridge.to_qt(span.start))
                self.setTextCursor(cursor)
                self.ensureCursorVisible()
            self.repaint_range(span.start, span.end)

    def repaint_range(self, start: int, end: int) -> None:
        """Schedule a repaint of the lines holding code points ``[start, end)`` (and their lanes)."""
        doc = self.document()
        layout = doc.documentLayout()
        a, b = self.bridge.to_qt(start), self.bridge.to_qt(end)
        first, last = doc.findBlock(a), doc.findBlock(max(a, b - 1))
        if not first.isValid():
            self.viewport().update()
            return
        top = layout.blockBoundingRect(first).top()
        bottom = layout.blockBoundingRect(last if last.isValid() else first).bottom()
        dy = self.verticalScrollBar().value()
        rect = QRect(0, int(top - dy) - 2, self.viewport().width(), int(bottom - top) + 6)
        self.viewport().update(rect)

    # ------------------------------------------------------------------ selection in code points
    def selection_cp(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.bridge.selection_to_cp(cursor.selectionStart(), cursor.selectionEnd())

    def select_cp(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` in the widget (used by tests and by span navigation)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.bridge.to_qt(start))
        cursor.setPosition(self.bridge.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # ------------------------------------------------------------------ geometry for painting and tests
    def segments(self, span: IndexedSpan) -> list[QRectF]:
        """Viewport rectangles of ``span``'s text, one per line part (visual order; RTL-aware)."""
        doc = self.document()
        layout = doc.documentLayout()
        qa, qb = self.bridge.to_qt(span.start), self.bridge.to_qt(span.end)
        rects: list[QRectF] = []
        block = doc.findBlock(qa)
        dx, dy = -self.horizontalScrollBar().value(), -self.verticalScrollBar().value()
        while block.isValid() and block.position() < qb:
            rects.extend(self._block_segments(block, qa, qb, layout.blockBoundingRect(block).topLeft(), dx, dy))
            block = block.next()
        return rects

    def _block_segments(self, block: QTextBlock, qa: int, qb: int, origin: QPointF, dx: float, dy: float) -> list[QRectF]:
        bpos = block.position()
        s, e = max(qa, bpos) - bpos, min(qb, bpos + block.length() - 1) - bpos
        if e <= s:
            return []
        tl = block.layout()
        rtl = bool(_RTL.search(block.text())) if not block.text().isascii() else False
        out: list[QRectF] = []
        for i in range(tl.lineCount()):
            line = tl.lineAt(i)
            ls, le = line.textStart(), line.textStart() + line.textLength()
            a, b = max(s, ls), min(e, le)
            if b <= a:
                continue
            top = origin.y() + line.y() + dy
            if rtl:
                # Per character, then merged: at a direction change the caret positions jump, and runs
                # chained only to their neighbour overlapped (painted twice, they looked like a nested span).
                xs = _union([(_cursor_x(line, pos), _cursor_x(line, pos + 1)) for pos in range(a, b)])
            else:
                xs = [(_cursor_x(line, a), _cursor_x(line, b))]
            for lo, hi in xs:
                lo, hi = min(lo, hi), max(lo, hi)
                out.append(QRectF(origin.x() + lo + dx, top, max(1.0, hi - lo), line.height()))
        return out

    def visible_cp_range(self, rect: QRect | None = None) -> tuple[int, int]:
        """Code points of the blocks intersecting ``rect`` (viewport coordinates; default: all of it)."""
        rect = rect or self.viewport().rect()
        dy = self.verticalScrollBar().value()
        first = self._block_at_y(rect.top() + dy)
        layout = self.document().documentLayout()
        bottom = rect.bottom() + dy
        last = first
        block = first.next()
        while block.isValid() and layout.blockBoundingRect(block).top() <= bottom:
            last = block
            block = block.next()
        return self.bridge.to_cp(first.position()), self.bridge.to_cp(last.position() + last.length())

    def _block_at_y(self, y: float) -> QTextBlock:
        """The last block whose top is at or above document coordinate ``y``.

        A galloping search from the block found last time: ``cursorForPosition`` walks the layout from
        the top (about 10 ms in the middle of a 1 MB article), and probing blocks far below the screen
        would force Qt to lay out all the text above them.
        """
        doc = self.document()
        layout = doc.documentLayout()
        count = doc.blockCount()

        def top(number: int) -> float:
            return layout.blockBoundingRect(doc.findBlockByNumber(number)).top()

        guess = min(self._first_block_hint, count - 1)
        step = 1
        if top(guess) <= y:
            lo, hi = guess, guess + 1
            while hi < count and top(hi) <= y:
                lo, step = hi, step * 2
                hi = lo + step
            hi = min(hi, count)
        else:
            hi, lo = guess, guess - 1
            while lo > 0 and top(lo) > y:
                hi, step = lo, step * 2
                lo = max(0, hi - step)
            if lo <= 0 and top(0) > y:
                lo, hi = 0, 1
            lo = max(lo, 0)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if top(mid) <= y:
                lo = mid
            else:
                hi = mid
        self._first_block_hint = lo
        return doc.findBlockByNumber(lo)

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        if len(self.index) or self.suggestion_marks:
            painter = QPainter(self.viewport())
            try:
                self._paint_spans(painter, event.rect())
                paint_marks(self, painter, event.rect())
                paint_relations(self, painter, event.rect())
            finally:
                painter.end()
        super().paintEvent(event)

    def _paint_spans(self, painter: QPainter, rect: QRect) -> None:
        if not len(self.index):
            return
        start, end = self.visible_cp_range(rect)
        spans = self.index.overlapping(start, end)
        if not spans:
            return
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        fill_alpha = 80 if dark else 56
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        gap = self.fontMetrics().height() * (LINE_HEIGHT_PERCENT / 100.0 - 1.0)
        max_lane = max(s.lane for s in spans)
        step = min(LANE_STEP, max(1.0, (gap - 1.0) / (max_lane + 1)))
        thickness = min(LANE_THICKNESS, step)
        selected = None
        painter.setPen(Qt.PenStyle.NoPen)
        for span in spans:
            color = self.colors.get(span.label, QColor("#888888"))
            fill = QColor(color)
            fill.setAlpha(fill_alpha)
            bar = QColor(color)
            for seg in self.segments(span):
                if not seg.intersects(QRectF(rect)) and seg.bottom() + gap < rect.top():
                    continue
                painter.fillRect(seg, fill)
                y = seg.bottom() + 1.0 + span.lane * step
                # Inset by a pixel at each end so two touching spans of one label show as two bars.
                painter.fillRect(QRectF(seg.left() + 1.0, y, max(1.0, seg.width() - 2.0), thickness), bar)
            if span.id == self.selected_span:
                selected = span
        if selected is not None:
            color = self.colors.get(selected.label, QColor("#888888")).darker(140 if not dark else 60)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = painter.pen()
            pen.setStyle(Qt.PenStyle.SolidLine)
            pen.setColor(color)
            pen.setWidthF(2.0)
            painter.setPen(pen)
            for seg in self.segments(selected):
                painter.drawRoundedRect(seg.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)

    def lane_model(self) -> list[tuple[int, str, int]]:
        """(span id, label, lane) of every span: what the painter uses to keep overlaps apart."""
        return [(s.id, s.label, s.lane) for s in self.index.by_id.values()]

    # ------------------------------------------------------------------ layout
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_column()

    def _update_column(self) -> None:
        """Keep lines at a readable length by centring a column of at most MAX_COLUMN_PX."""
        width = self.width()
        side = max(0, (width - MAX_COLUMN_PX) // 2)
        margins = self.viewportMargins()
        if margins.left() != side:
            self.setViewportMargins(side, 0, side, 0)
        margin = int(self.document().documentMargin())
        self.column_moved.emit(side + margin, max(0, width - 2 * (side + margin)))

    # ------------------------------------------------------------------ input
    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress and len(self.index):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() == Qt.Key.Key_Tab and mods == Qt.KeyboardModifier.NoModifier:
                self.navigate_span.emit(1)
                return True
            if event.key() == Qt.Key.Key_Backtab:
                self.navigate_span.emit(-1)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.delete_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.enter_pressed.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.clear_selection()
            self.span_clicked.emit(-1)
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press_pos = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self.mouse_selection_finished.emit()
            return
        pos = event.position().toPoint()
        if self._press_pos is not None and (pos - self._press_pos).manhattanLength() > 4:
            return
        cp = self.char_at(pos)
        hits = self.index.at(cp) if cp is not None else []
        if cp is None or not hits:
            self._click_cycle = (-1, 0)
            self.span_clicked.emit(-1)
            return
        # Clicking again on the same character steps through the spans stacked there.
        last_cp, turn = self._click_cycle
        turn = turn + 1 if last_cp == cp else 0
        self._click_cycle = (cp, turn)
        self.span_clicked.emit(hits[turn % len(hits)].id)

    def char_at(self, point: QPoint) -> int | None:
        """Code point of the character under a viewport point (not the caret gap nearest to it)."""
        cursor = self.cursorForPosition(point)
        qpos = cursor.position()
        caret = self.cursorRect(cursor)
        block = cursor.block()
        rtl = block.layout().textOption().textDirection() == Qt.LayoutDirection.RightToLeft or bool(
            _RTL.search(block.text()))
        if point.x() < caret.x() and not rtl and qpos > block.position():
            qpos -= 1
        if qpos >= block.position() + block.length() - 1 and qpos > block.position():
            qpos -= 1
        cp = self.bridge.to_cp(qpos)
        return cp if 0 <= cp < len(self.bridge.text) else None
