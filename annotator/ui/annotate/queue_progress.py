"""How far the analyst is through their queue: "Queue: 3 of 40 done" in the status bar.

Why a widget of its own: once documents are assigned (``annotator assign``) an analyst works through a
known set, and the count is what tells them (and their lead) how far along they are. It reads two counts
from the store's document-list queries (the queue filter, with and without "done") and refreshes when a
status changes or a colleague's work arrives; without assignments it stays hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.model import STATUS_DONE
from annotator.store import queries
from annotator.store.queries import DocumentFilter
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession


class QueueProgress(QLabel):
    """The status bar's queue count; hidden while the analyst has no assigned documents."""

    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("queueProgress")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setToolTip("Documents assigned to you, and how many of them you marked done")
        session.document_opened.connect(self.refresh)
        session.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.statuses or changes.corpus or changes.reload:
            self.refresh()

    def refresh(self) -> None:
        s = self.session
        try:
            with s.store.session() as db:
                total = queries.document_count(db, s.annotator, DocumentFilter(queue=True), update_index=False)
                done = (queries.document_count(db, s.annotator, DocumentFilter(status=STATUS_DONE, queue=True),
                                               update_index=False) if total else 0)
        except AnnotatorError:
            total = done = 0
        self.setText(f"Queue: {done} of {total} done" if total else "")
        self.setVisible(total > 0)
