"""The heading above the article: title, source, date, link to the original, and the layer's status.

It follows the session: a newly opened document, and the open layer's status after an operation. The
status badge and the grey details take their colours through ``ui.common.theme``, so they keep 4.5:1
contrast on the window's palette, light or dark.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.store.queries import LoadedDocument
from annotator.ui.common.theme import muted, readable
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession

STATUS_BADGE = {"todo": ("To do", "#8a8a8a"), "in_progress": ("In progress", "#E69F00"), "done": ("Done", "#009E73")}


def nice_date(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).strftime("%-d %B %Y")
    except ValueError:
        return value


class ArticleHeader(QWidget):
    def __init__(self, session: AnnotationSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.meta = QLabel(self)
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        self.meta.setWordWrap(True)  # a long source or layer owner wraps instead of widening the window
        self.meta.setOpenExternalLinks(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        self._shown_status = "todo"
        self.show_document(None, "todo", "")
        session.document_opened.connect(self._show_session)
        session.changed.connect(self._on_changed)

    def _show_session(self) -> None:
        s = self.session
        self._shown_status = s.status
        self.show_document(s.document, s.status, s.layer_owner if s.layer_owner != s.annotator else "")

    def _on_changed(self, changes: Changes) -> None:
        # Only a new status changes the heading; re-laying it out on every tag would cost a relayout each time.
        if self.session.document is not None and (self.session.status != self._shown_status
                                                  or self.session.document.pk in changes.reload):
            self._show_session()

    def show_document(self, doc: LoadedDocument | None, status: str, layer_owner: str) -> None:
        if doc is None:
            self.title.setText("No document")
            self.meta.setText("Import articles with File → Import files…")
            return
        self.title.setText(doc.title)
        parts = []
        if doc.source:
            parts.append(html.escape(doc.source))
        if doc.published:
            parts.append(html.escape(nice_date(doc.published)))
        if doc.url:
            parts.append(f"<a href='{html.escape(doc.url, quote=True)}'>original ↗</a>")
        grey = muted(self.palette()).name()
        parts.append(f"<span style='color:{grey}'>{html.escape(doc.doc_id)}</span>")
        text, wanted = STATUS_BADGE.get(status, (status, "#8a8a8a"))
        colour = readable(wanted, self.palette()).name()
        badge = f"<span style='color:{colour}; font-weight:600'>● {text}</span>"
        owner = f" <span style='color:{grey}'>· layer of {html.escape(layer_owner)}</span>" if layer_owner else ""
        self.meta.setText(" &nbsp;·&nbsp; ".join(parts) + " &nbsp;&nbsp; " + badge + owner)
