"""Making relations in the article — by keyboard (link mode) and by mouse (Alt+drag) — and keeping them drawn.

Why a controller of its own: linking needs a small state machine of its own (which span, which relation
type, which candidate target) that the tagging keys must not see, and the article must keep showing the
open layer's relations as they change. Keyboard: with a span selected, ``R`` enters *link mode*: the
candidates are the layer's spans that a relation type of the scheme allows as targets of the selected
span, nearest first; Tab / Shift+Tab (or the arrow keys) step through them with the candidate outlined
and the pending arc drawn, a digit picks the relation type by its number, Enter links, Esc cancels.
Mouse: press Alt on a span and drag to another span; on release the relation is made directly when
exactly one type allows the two labels, and a small menu offers the types when several do. Both end in
:meth:`Operations.add_relation` — one undoable step, refused with the reason when the scheme does not
allow it or the layer is not the analyst's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu

from annotator.core.scheme_parts import RelationType
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.relation_paint import RelationMark, RelationPreview
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import LINK_REFUSED, Operations, _shorten
from annotator.ui.ops.session import AnnotationSession

LINK_KEY = "R"
NEXT_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Right, Qt.Key.Key_Down)
PREVIOUS_KEYS = (Qt.Key.Key_Backtab, Qt.Key.Key_Left, Qt.Key.Key_Up)
MOUSE_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease)
DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def distance(a: SpanView, b: SpanView) -> int:
    """Code points between two spans (0 when they overlap): the order candidates are offered in."""
    if b.start >= a.end:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


@dataclass(slots=True)
class LinkMode:
    """Link mode's state: the source span, the relation types it may start, the chosen one, the candidate."""

    source: int
    types: list[RelationType]
    type_index: int = 0
    candidates: list[int] = field(default_factory=list)
    candidate: int = 0


class RelationController(QObject):
    """Draws the open layer's relations in one article and makes new ones by keyboard and mouse."""

    def __init__(self, session: AnnotationSession, ops: Operations, article: ArticleView) -> None:
        super().__init__(article)
        self.session = session
        self.ops = ops
        self.article = article
        self.link: LinkMode | None = None
        self._drag: tuple[int, QPoint] | None = None
        self.menu: QMenu | None = None
        """The relation-type menu of the last Alt+drag between labels that several types allow."""
        self.act_link = QAction("Link selected span…", self)
        self.act_link.setShortcut(QKeySequence(LINK_KEY))
        self.act_link.setToolTip("Link the selected span to another: Tab picks the target, a digit the type, "
                                 "Enter links, Esc cancels (or Alt+drag from span to span)")
        self.act_link.triggered.connect(lambda _checked=False: self.start_link())
        self._viewport = article.viewport()
        article.installEventFilter(self)
        self._viewport.installEventFilter(self)
        session.document_opened.connect(self._reset)
        session.changed.connect(self._on_changed)
        session.span_selected.connect(lambda _sid, _reveal: self._refresh())

    # ------------------------------------------------------------------ drawing
    def marks(self) -> list[RelationMark]:
        s = self.session
        selected = s.selected_span_id
        out = []
        for view in s.relations.values():
            kind = s.scheme.relation_type(view.label)
            out.append(RelationMark(view.source_span_id, view.target_span_id,
                                    kind.color if kind is not None else "#888888",
                                    kind.directed if kind is not None else True,
                                    selected in (view.source_span_id, view.target_span_id),
                                    kind.name if kind is not None else view.label))
        return out

    def _refresh(self) -> None:
        link = self.link
        if link is not None and link.source not in self.session.spans:
            self.cancel(quiet=True)
            return
        marks, preview = self.marks(), self._preview()
        if marks != self.article.relation_marks or preview != self.article.relation_preview:
            self.article.set_relation_marks(marks, preview)  # a whole repaint only when a relation changed

    def _on_changed(self, changes: Changes) -> None:
        ends = {end for mark in self.article.relation_marks for end in (mark.source, mark.target)}
        moved = any(delta.span_id in ends for delta in changes.spans)
        self._refresh()
        if moved:  # a linked span's new boundaries move its arcs, which reach beyond the span's lines
            self.article.viewport().update()

    def _reset(self) -> None:
        self.link, self._drag = None, None
        self._refresh()

    def _preview(self) -> RelationPreview | None:
        link = self.link
        if link is not None and link.candidates:
            kind = link.types[link.type_index]
            return RelationPreview(link.source, kind.color, target=link.candidates[link.candidate])
        return None

    # ------------------------------------------------------------------ keyboard: link mode
    def allowed_types(self, source: SpanView) -> list[RelationType]:
        """The scheme's relation types that may start at a span of ``source``'s label (to any label)."""
        return [t for t in self.session.scheme.relations if not t.sources or source.label in t.sources]

    def candidates(self, source: SpanView, kind: RelationType) -> list[int]:
        """Spans ``kind`` allows as targets of ``source`` and not yet linked so, nearest first."""
        linked = {r.target_span_id for r in self.session.relations.values()
                  if r.source_span_id == source.id and r.label == kind.key}
        found = [v for v in self.session.spans.values()
                 if v.id != source.id and v.id not in linked and kind.allows(source.label, v.label)]
        found.sort(key=lambda v: (distance(source, v), v.start, v.end, v.id))
        return [v.id for v in found]

    def start_link(self) -> bool:
        """Enter link mode from the selected span (the ``R`` key); says why not when it cannot."""
        s = self.session
        blocked = s.edit_blocked(*LINK_REFUSED)
        if blocked is not None:
            s.say(blocked)
            return False
        source = s.selected_span()
        if source is None:
            s.say("Select a span first (click it, or Tab / N in the article), then press R to link it.", 6000)
            return False
        types = self.allowed_types(source)
        if not types:
            s.say(f"No relation type of the scheme starts at a {s.label_name(source.label)} span: nothing to link.")
            return False
        self.link = LinkMode(source.id, types)
        first = next((i for i, kind in enumerate(types) if self.candidates(source, kind)), 0)
        self._choose_type(first)
        self.article.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _choose_type(self, index: int) -> None:
        link = self.link
        assert link is not None
        source = self.session.spans[link.source]
        link.type_index = index
        link.candidates = self.candidates(source, link.types[index])
        link.candidate = 0
        self._announce()
        self._refresh()
        if link.candidates:
            self._reveal(link.candidates[0])

    def _announce(self) -> None:
        link, s = self.link, self.session
        assert link is not None
        kind = link.types[link.type_index]
        source = s.spans[link.source]
        numbers = " · ".join(f"{i + 1} {t.name}" for i, t in enumerate(link.types)) if len(link.types) > 1 else ""
        if not link.candidates:
            wanted = ", ".join(s.label_name(key) for key in kind.targets) or "other"
            s.say(f"Link {kind.name}: no {wanted} span to link “{_shorten(source.quote, 30)}” to. "
                  f"{numbers + ' — ' if numbers else ''}Esc: cancel", 60000)
            return
        target = s.spans[link.candidates[link.candidate]]
        s.say(f"Link {kind.name}: “{_shorten(source.quote, 30)}” → “{_shorten(target.quote, 30)}” "
              f"({link.candidate + 1} of {len(link.candidates)}) — Tab: next target · "
              f"{numbers + ': type · ' if numbers else ''}Enter: link · Esc: cancel", 60000)

    def _reveal(self, span_id: int) -> None:
        span = self.session.spans.get(span_id)
        if span is not None:
            self.article.repaint_range(span.start, span.end)
            cursor = self.article.textCursor()
            cursor.setPosition(self.article.bridge.to_qt(span.start))
            self.article.setTextCursor(cursor)
            self.article.ensureCursorVisible()

    def step(self, step: int) -> None:
        link = self.link
        if link is None or not link.candidates:
            return
        link.candidate = (link.candidate + step) % len(link.candidates)
        self._announce()
        self._refresh()
        self._reveal(link.candidates[link.candidate])

    def finish(self) -> bool:
        """Enter in link mode: make the relation to the candidate shown."""
        link = self.link
        if link is None or not link.candidates:
            return False
        self.link = None
        self._refresh()
        self.session.say("")
        made = self.ops.add_relation(link.source, link.candidates[link.candidate], link.types[link.type_index].key)
        self.session.select_span(link.source, reveal=False)
        return made

    def cancel(self, *, quiet: bool = False) -> None:
        if self.link is None:
            return
        self.link = None
        self._refresh()
        if not quiet:
            self.session.say("Link cancelled; nothing was changed.", 3000)

    def _link_key(self, event: QKeyEvent) -> bool:
        """Handle a key in link mode; True when it was link mode's."""
        link = self.link
        assert link is not None
        key = event.key()
        if key in NEXT_KEYS:
            self.step(1)
        elif key in PREVIOUS_KEYS:
            self.step(-1)
        elif key in DIGITS:
            if DIGITS[key] <= len(link.types):
                self._choose_type(DIGITS[key] - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        else:
            return False
        return True

    # ------------------------------------------------------------------ mouse: Alt+drag
    def _hits(self, pos: QPoint, exclude: int | None = None) -> list[SpanView]:
        """The spans of the open layer under a viewport point."""
        cp = self.article.char_at(pos)
        if cp is None:
            return []
        spans = self.session.spans
        return [spans[h.id] for h in self.article.index.at(cp) if h.id != exclude and h.id in spans]

    def _drop(self, source_id: int, pos: QPoint) -> None:
        """The end of an Alt+drag: link to the span under the pointer (a menu when several types fit)."""
        s = self.session
        source = s.spans.get(source_id)
        hits = self._hits(pos, exclude=source_id)
        if source is None or not hits:
            s.say("Drop on another span to link it: nothing was linked.", 4000)
            return

        def fitting(target: SpanView) -> list[RelationType]:
            return [t for t in s.scheme.relations if t.allows(source.label, target.label)]

        target = next((h for h in hits if fitting(h)), hits[0])  # of stacked spans, one a type allows
        kinds = fitting(target)
        if not kinds:
            s.say(f"No relation type links {s.label_name(source.label)} to {s.label_name(target.label)}: "
                  "the relation was not added.")
            return
        if len(kinds) == 1:
            self.ops.add_relation(source.id, target.id, kinds[0].key)
            return
        menu = self.menu = QMenu(self.article)
        for number, kind in enumerate(kinds, 1):
            action = menu.addAction(f"&{number} {kind.name}")
            action.triggered.connect(
                lambda _checked=False, key=kind.key: self.ops.add_relation(source.id, target.id, key))
        menu.popup(self.article.viewport().mapToGlobal(pos))

    def _mouse(self, event: QMouseEvent) -> bool:
        kind = event.type()
        pos = event.position().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton \
                and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            hits = self._hits(pos)
            if not hits:
                return False
            source = next((h for h in hits if h.id == self.session.selected_span_id), hits[0])
            self.cancel(quiet=True)
            blocked = self.session.edit_blocked(*LINK_REFUSED)
            if blocked is not None:
                self.session.say(blocked)
                return True
            self._drag = (source.id, pos)
            self.session.select_span(source.id, reveal=False)
            return True
        if self._drag is None:
            return False
        source_id, _start = self._drag
        colour = next((t.color for t in self.allowed_types(self.session.spans[source_id])), "#888888") \
            if source_id in self.session.spans else "#888888"
        if kind == QEvent.Type.MouseMove:
            self.article.set_relation_marks(self.marks(), RelationPreview(source_id, colour, point=QPointF(pos)))
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self._drag = None
            self._refresh()
            self._drop(source_id, pos)
            return True
        return False

    # ------------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Only compare and read event types here before acting: while the article is being destroyed its
        # viewport still sends events, and calling into the half-destroyed article would crash.
        kind = event.type()
        if kind in MOUSE_EVENTS and watched is self._viewport and isinstance(event, QMouseEvent):
            return self._mouse(event)
        if self.link is None or watched is not self.article:
            return False
        if kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # digits are label keys and Enter the sticky tag: in link mode they are link mode's
            if event.key() in (*NEXT_KEYS, *PREVIOUS_KEYS, *DIGITS, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                               Qt.Key.Key_Escape):
                event.accept()
                return True
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if self._link_key(event):
                return True
            if event.key() not in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
                self.cancel(quiet=True)  # any other key leaves link mode and does what it always does
            return False
        if kind == QEvent.Type.FocusOut:
            self.cancel(quiet=True)
        return False
