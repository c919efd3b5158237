"""The selected span's relations, listed in the span panel: type, direction and the other span's quote.

Why a list of its own: arcs in the article show that spans are linked, but not always legibly which is
which when many meet at one span; here each relation is one row ("→ Caused · “back injury”" for one
that leaves the span, "←" for one that arrives). Enter (or a double click) on a row selects the span at
the other end, Delete removes the relation through :meth:`Operations.delete_relation` (one undo step).
Others' layers and gold are listed the same way, read-only (the operation refuses with the reason).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from annotator.store.repository import RelationView
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.operations import Operations, _shorten
from annotator.ui.ops.session import AnnotationSession

ROLE_RELATION = Qt.ItemDataRole.UserRole


class SpanRelations(QListWidget):
    """Rows of the selected span's relations; Enter goes to the other span, Delete unlinks."""

    def __init__(self, session: AnnotationSession, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ops = ops
        self.setObjectName("span_relations")
        self.setToolTip("Relations of the selected span — Enter: go to the other span · Delete: remove the "
                        "relation · R in the article: add one")
        self.setMaximumHeight(90)
        self.installEventFilter(self)
        self.itemActivated.connect(self._go)
        session.span_selected.connect(lambda _sid, _reveal: self.refresh())
        session.document_opened.connect(self.refresh)
        session.changed.connect(self._on_changed)
        self.refresh()

    def relations(self) -> list[RelationView]:
        """The selected span's relations, those leaving it first, each by the other span's position."""
        s = self.session
        span_id = s.selected_span_id
        if span_id is None:
            return []
        found = [r for r in s.relations.values() if span_id in (r.source_span_id, r.target_span_id)]

        def order(r: RelationView) -> tuple[bool, int, str]:
            other = s.spans.get(r.target_span_id if r.source_span_id == span_id else r.source_span_id)
            return r.source_span_id != span_id, other.start if other is not None else 0, r.label

        return sorted(found, key=order)

    def row_text(self, relation: RelationView) -> str:
        s = self.session
        outgoing = relation.source_span_id == s.selected_span_id
        other = s.spans.get(relation.target_span_id if outgoing else relation.source_span_id)
        kind = s.scheme.relation_type(relation.label)
        name = kind.name if kind is not None else relation.label
        quote = f"“{_shorten(other.quote, 40)}”" if other is not None else "?"
        return f"{'→' if outgoing else '←'} {name} · {quote}"

    def refresh(self) -> None:
        self.clear()
        for relation in self.relations():
            item = QListWidgetItem(self.row_text(relation))
            item.setData(ROLE_RELATION, relation)
            self.addItem(item)
        if self.count():
            self.setCurrentRow(0)
        self.setVisible(self.count() > 0)

    def _on_changed(self, changes: Changes) -> None:
        if changes.structure or changes.spans or changes.reload or changes.scheme or changes.corpus:
            self.refresh()

    def current_relation(self) -> RelationView | None:
        item = self.currentItem()
        return item.data(ROLE_RELATION) if item is not None else None

    def _go(self, item: QListWidgetItem) -> None:
        relation: RelationView = item.data(ROLE_RELATION)
        s = self.session
        other = relation.target_span_id if relation.source_span_id == s.selected_span_id else relation.source_span_id
        s.select_span(other, reveal=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Delete here removes the relation, not the span: the window's Delete action must not see the key."""
        if (watched is self and isinstance(event, QKeyEvent)
                and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                relation = self.current_relation()
                if relation is not None:
                    self.ops.delete_relation(relation)
            return True
        return super().eventFilter(watched, event)
