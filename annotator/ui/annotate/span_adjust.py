"""Adjusting the boundaries of the selected span in the article, by keyboard or from the selection.

A span a letter or a word too long is fixed in place rather than deleted and tagged again (which would lose
its note, attributes and id). ``Alt`` marks every adjustment key; ``Shift`` picks the span's end (as Shift
extends a selection at its end), no Shift its start; ``Ctrl`` makes the step a word, as Ctrl+arrow does in
any editor. The steps themselves are pure (:mod:`annotator.core.boundaries`): they never split a character
and never empty the span. *Set span to selection* (context menu, Alt+Enter) gives the span the exact text
selected in the article, with surrounding whitespace trimmed.

Every adjustment is one :class:`AdjustBounds` command on the window's undo stack; presses in a row on one
span merge into one undo step. The store recomputes the quote from the document (``repository.update_span``),
and the window redraws the span through the usual ``span_changed`` signal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QKeyCombination, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QCursor, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu

from annotator.core.boundaries import Edge, Unit, drag_boundary, move_boundary
from annotator.core.selection import span_from_selection
from annotator.store import repository as repo
from annotator.store.repository import SpanView
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.ops.operations import Operations, StoreCommand, push_once

if TYPE_CHECKING:
    from annotator.ui.shell.main_window import MainWindow

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
_MERGE_ID = 0x5BAD
_MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease)
EDGE_GRAB_PX = 5
"""How near (in pixels) to the selected span's first or last edge a press grabs that edge for dragging."""


class AdjustBounds(StoreCommand):
    """New offsets for one span; undo restores the old ones (and with them the old quote, cut by the store)."""

    def __init__(self, ops: Operations, doc_pk: int, before: SpanView, start: int, end: int, *,
                 mergeable: bool) -> None:
        super().__init__(ops, doc_pk, f"Adjust {before.label} span")
        self.span_id = before.id
        self.before = (before.start, before.end)
        self.after = (start, end)
        self.mergeable = mergeable

    def _set(self, bounds: tuple[int, int]) -> None:
        ops = self.ops
        view = ops.write(lambda s: repo.update_span(s, self.span_id, actor=ops.annotator, start=bounds[0],
                                                    end=bounds[1]))
        ops.span_changed.emit(self.doc_pk, view)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: object) -> bool:  # noqa: N802 (Qt API)
        """Key presses in a row on the same span are one undo step (from the first press's offsets)."""
        if not (isinstance(other, AdjustBounds) and self.mergeable and other.mergeable
                and other.span_id == self.span_id and other.doc_pk == self.doc_pk):
            return False
        self.after = other.after
        if self.after == self.before:
            self.setObsolete(True)  # moved there and back: nothing is left to undo
        return True


class SpanAdjuster(QObject):
    """The adjustment actions of one main window: menu entries, shortcuts and the article's context menu."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.last_menu: QMenu | None = None
        self.moves: list[QAction] = []
        self.menu = QMenu("Adjust span boundaries", window)
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
        # Kept for identity checks only: during teardown events still arrive after the article is gone.
        self._article = window.article
        self._viewport = window.article.viewport()
        self._drag: tuple[Edge, SpanView, tuple[int, int]] | None = None  # edge, span before, bounds shown
        self._article.installEventFilter(self)
        self._viewport.installEventFilter(self)

    @property
    def window(self) -> MainWindow:
        """The window, asked from Qt each time: holding it would make a cycle that outlives a deleted window."""
        return self.parent()  # type: ignore[return-value]

    def _add_action(self, text: str, *keys: str) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        self.window.addAction(action)
        self.menu.addAction(action)
        return action

    def all_actions(self) -> list[QAction]:
        return [*self.moves, self.act_set_selection]

    # ------------------------------------------------------------------ checks
    def blocked(self) -> str | None:
        """Why the selected span cannot be adjusted now (a status-bar sentence), or None when it can."""
        w = self.window
        blocked = w.edit_blocked("the span was not changed", "adjust spans")
        if blocked is not None:
            return blocked
        if w.selected_span() is None:
            return "Select a span first (click it in the article or pick it in the span list): nothing was changed."
        return None

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    # ------------------------------------------------------------------ actions
    def move(self, edge: Edge, direction: int, unit: Unit) -> bool:
        """Move one edge of the selected span by a character or a word; True when the span changed."""
        problem = self.blocked()
        if problem is not None:
            self._say(problem)
            return False
        span = self.window.selected_span()
        assert span is not None and self.window.current is not None
        moved = move_boundary(self.window.current.text, span.start, span.end, edge, direction, unit)
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
        w = self.window
        span = w.selected_span()
        selection = w.article.selection_cp()
        assert span is not None and w.current is not None
        if selection is None:
            self._say(f"Select the new text in the article first, then choose “{SET_TO_SELECTION}”.")
            return False
        bounds = span_from_selection(w.current.text, *selection, snap=False)
        if bounds is None:
            self._say("The selection is only whitespace: the span was not changed.")
            return False
        w.article.clear_selection()
        if bounds == (span.start, span.end):
            self._say("The span already covers the selection.")
            return False
        return self._apply(span, bounds[0], bounds[1], mergeable=False)

    def _apply(self, span: SpanView, start: int, end: int, *, mergeable: bool) -> bool:
        w = self.window
        assert w.current is not None
        if w.ops.read_only:  # blocked() already said so; a second guard, as push_once does not check
            self._say("The database is open read-only: the span was not changed.")
            return False
        if not push_once(w.ops.undo_stack, AdjustBounds(w.ops, w.current.pk, span, start, end,
                                                          mergeable=mergeable)):
            return False
        quote = " ".join(w.current.text[start:end].split())
        shown = quote if len(quote) <= 60 else quote[:59] + "…"
        self._say(f"Span now “{shown}” ({start}–{end}).")
        return True

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
        article = self.window.article
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
            span = self.window.selected_span()
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
        article = self.window.article
        text = self.window.current.text if self.window.current is not None else ""
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
        article = self.window.article
        menu = article.createStandardContextMenu(event.pos())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addSeparator()
        menu.addAction(self.act_set_selection)
        menu.addMenu(self.menu)
        menu.popup(event.globalPos())
        self.last_menu = menu
        return menu
