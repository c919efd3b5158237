"""Adjusting the boundaries of the selected span in the article, by keyboard or from the selection.

A span a letter or a word too long is fixed in place rather than deleted and tagged again (which would lose
its note, attributes and id). ``Alt`` marks every adjustment key; ``Shift`` picks the span's end (as Shift
extends a selection at its end), no Shift its start; ``Ctrl`` makes the step a word, as Ctrl+arrow does in
any editor. The steps themselves are pure (:mod:`annotator.core.boundaries`): they never split a character
and never empty the span. *Set span to selection* (context menu, Alt+Enter) gives the span the exact text
selected in the article, with surrounding whitespace trimmed.

Every adjustment is one :meth:`Operations.adjust_bounds` operation; presses in a row on one span merge into
one undo step. The store recomputes the quote from the document (``repository.update_span``), and every view
redraws the span from the session's ``Changes``. The status bar then says what the span now covers; that
line is taken back as soon as it stops being true (the span changes again, by undo or redo say, or another
document opens).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QCursor, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.boundaries import Edge, Unit, drag_boundary, move_boundary
from annotator.core.selection import span_from_selection
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import ADJUST_REFUSED, Operations
from annotator.ui.ops.session import AnnotationSession

SET_TO_SELECTION = "Set span to selection"
MOVES: tuple[tuple[str, Edge, int, Unit, str], ...] = (
    ("Move span start one character left", "start", -1, "char", "Alt+Left"),
    ("Move span start one character right", "start", 1, "char", "Alt+Right"),
    ("Move span end one character left", "end", -1, "char", "Alt+Shift+Left"),
    ("Move span end one character right", "end", 1, "char", "Alt+Shift+Right"),
    ("Move span start one word left", "start", -1, "word", "Ctrl+Alt+Left"),
    ("Move span start one word right", "start", 1, "word", "Ctrl+Alt+Right"),
    ("Move span end one word left", "end", -1, "word", "Ctrl+Alt+Shift+Left"),
    ("Move span end one word right", "end", 1, "word", "Ctrl+Alt+Shift+Right"),
)
_MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease)
EDGE_GRAB_PX = 5
"""How near (in pixels) to the selected span's first or last edge a press grabs that edge for dragging."""


class SpanAdjuster(QObject):
    """The adjustment actions on one article: menu entries, shortcuts (on ``host``) and the context menu."""

    def __init__(self, session: AnnotationSession, ops: Operations, article: ArticleView, host: QWidget) -> None:
        super().__init__(article)
        self.session = session
        self.ops = ops
        self.host = host
        self.last_menu: QMenu | None = None
        self.moves: list[QAction] = []
        self.menu = QMenu("Adjust span boundaries", host)
        for text, edge, direction, unit, keys in MOVES:
            action = self._add_action(text, keys)
            action.triggered.connect(lambda _c=False, e=edge, d=direction, u=unit: self.move(e, d, u))
            self.moves.append(action)
            if len(self.moves) == 4:
                self.menu.addSeparator()
        self.menu.addSeparator()
        self.act_set_selection = self._add_action(SET_TO_SELECTION, "Alt+Return", "Alt+Enter")
        self.act_set_selection.triggered.connect(lambda _c=False: self.set_to_selection())
        self._keys = {seq.toString() for act in self.all_actions() for seq in act.shortcuts()}
        self._article = article
        self._viewport = article.viewport()
        self._drag: tuple[Edge, SpanView, tuple[int, int]] | None = None  # edge, span before, bounds shown
        self._article.installEventFilter(self)
        self._viewport.installEventFilter(self)
        self._said: tuple[int, str] | None = None  # the "Span now …" line shown, and its span's id
        session.document_opened.connect(self._take_back)
        session.changed.connect(self._on_changed)

    def _add_action(self, text: str, *keys: str) -> QAction:
        action = QAction(text, self.host)
        action.setShortcuts([QKeySequence(k) for k in keys])
        self.host.addAction(action)
        self.menu.addAction(action)
        return action

    def all_actions(self) -> list[QAction]:
        return [*self.moves, self.act_set_selection]

    # ------------------------------------------------------------------ checks
    def blocked(self) -> str | None:
        """Why the selected span cannot be adjusted now (a status-bar sentence), or None when it can."""
        blocked = self.session.edit_blocked(*ADJUST_REFUSED)
        if blocked is not None:
            return blocked
        if self.session.selected_span() is None:
            return "Select a span first (click it in the article or pick it in the span list): nothing was changed."
        return None

    def _say(self, message: str) -> None:
        self.session.say(message)

    # ------------------------------------------------------------------ actions
    def move(self, edge: Edge, direction: int, unit: Unit) -> bool:
        """Move one edge of the selected span by a character or a word; True when the span changed."""
        problem = self.blocked()
        if problem is not None:
            self._say(problem)
            return False
        span = self.session.selected_span()
        assert span is not None and self.session.document is not None
        moved = move_boundary(self.session.document.text, span.start, span.end, edge, direction, unit)
        if moved.refused:
            self._say(f"Not moved: {moved.refused}.")
            return False
        return self._apply(span, moved.start, moved.end, mergeable=True)

    def set_to_selection(self) -> bool:
        """Give the selected span the text selected in the article (exactly, whitespace at its ends trimmed)."""
        problem = self.blocked()
        if problem is not None:
            self._say(problem)
            return False
        span = self.session.selected_span()
        selection = self._article.selection_cp()
        assert span is not None and self.session.document is not None
        if selection is None:
            self._say(f"Select the new text in the article first, then choose “{SET_TO_SELECTION}”.")
            return False
        bounds = span_from_selection(self.session.document.text, *selection, snap=False)
        if bounds is None:
            self._say("The selection is only whitespace: the span was not changed.")
            return False
        self._article.clear_selection()
        if bounds == (span.start, span.end):
            self._say("The span already covers the selection.")
            return False
        return self._apply(span, bounds[0], bounds[1], mergeable=False)

    def _apply(self, span: SpanView, start: int, end: int, *, mergeable: bool) -> bool:
        assert self.session.document is not None
        if not self.ops.adjust_bounds(span, start, end, mergeable=mergeable):
            return False
        quote = " ".join(self.session.document.text[start:end].split())
        shown = quote if len(quote) <= 60 else quote[:59] + "…"
        said = f"Span now “{shown}” ({start}–{end})."
        self._say(said)
        self._said = (span.id, said)
        return True

    def _on_changed(self, changes: Changes) -> None:
        """An undo, a redo or any other change of the span just adjusted makes "Span now …" untrue."""
        if self._said is not None and (any(d.span_id == self._said[0] for d in changes.spans)
                                       or self.session.doc_pk in changes.reload):
            self._take_back()

    def _take_back(self) -> None:
        if self._said is not None:
            self.session.withdraw(self._said[1])
            self._said = None

    # ------------------------------------------------------------------ the article's events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and watched is self._article and isinstance(event, QKeyEvent):
            # Where the platform binds one of these keys to caret movement (macOS: Alt+arrows move by word),
            # the text view would claim it; leaving the override unaccepted lets the action have it.
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            pressed = QKeySequence(QKeyCombination(mods, Qt.Key(event.key()))).toString()
            if pressed in self._keys:
                event.ignore()
                return True
            return False
        if watched is self._viewport and isinstance(event, QMouseEvent) and kind in _MOUSE:
            return self._mouse(kind, event)
        if (kind == QEvent.Type.ContextMenu and (watched is self._viewport or watched is self._article)
                and isinstance(event, QContextMenuEvent)):  # right click, or the Menu key (sent to the view)
            self.show_context_menu(event)
            return True
        return False

    # ------------------------------------------------------------------ dragging an edge
    def edge_at(self, point: QPoint) -> Edge | None:
        """The selected span's edge under a viewport point: its first line's left or its last line's right."""
        if self.blocked() is not None:
            return None
        article = self._article
        span = article.index.by_id.get(article.selected_span) if article.selected_span is not None else None
        segments = article.segments(span) if span is not None else []
        if not segments:
            return None
        first, last = segments[0], segments[-1]
        x, y = point.x(), point.y()
        if abs(x - first.left()) <= EDGE_GRAB_PX and first.top() <= y <= first.bottom():
            return "start"
        if abs(x - last.right()) <= EDGE_GRAB_PX and last.top() <= y <= last.bottom():
            return "end"
        return None

    def _mouse(self, kind: QEvent.Type, event: QMouseEvent) -> bool:
        """Press on an edge of the selected span, drag, release: the edge follows the mouse (one undo step)."""
        point = event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress:
            edge = self.edge_at(point) if event.button() == Qt.MouseButton.LeftButton else None
            span = self.session.selected_span()
            if edge is None or span is None:
                return False
            self._drag = (edge, span, (span.start, span.end))
            self._viewport.setCursor(QCursor(Qt.CursorShape.SizeHorCursor))
            return True
        if self._drag is None:
            if kind == QEvent.Type.MouseMove and event.buttons() == Qt.MouseButton.NoButton:
                grab = self.edge_at(point) is not None  # only with mouse tracking on: a hint, not required
                self._viewport.setCursor(QCursor(Qt.CursorShape.SizeHorCursor if grab else Qt.CursorShape.IBeamCursor))
            return False
        edge, span, _shown = self._drag
        article = self._article
        text = self.session.document.text if self.session.document is not None else ""
        bounds = drag_boundary(text, span.start, span.end, edge, article.bridge.to_cp(
            article.cursorForPosition(point).position()))
        if kind == QEvent.Type.MouseMove:
            if bounds != self._drag[2]:
                self._drag = (edge, span, bounds)
                article.move_span(IndexedSpan(span.id, bounds[0], bounds[1], span.label))  # a preview only
            return True
        self._drag = None
        self._viewport.setCursor(QCursor(Qt.CursorShape.IBeamCursor))
        if bounds == (span.start, span.end):
            article.move_span(IndexedSpan(span.id, span.start, span.end, span.label))
            return True
        if not self._apply(span, bounds[0], bounds[1], mergeable=False):
            article.move_span(IndexedSpan(span.id, span.start, span.end, span.label))
        return True

    def show_context_menu(self, event: QContextMenuEvent) -> QMenu:
        """The text view's own menu (Copy, Select All) with the span adjustments added; never blocks."""
        menu = self._article.createStandardContextMenu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSeparator()
        menu.addAction(self.act_set_selection)
        menu.addMenu(self.menu)
        menu.popup(event.globalPos())
        self.last_menu = menu
        return menu
