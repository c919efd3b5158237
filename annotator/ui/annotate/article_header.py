"""The heading above the article: title, source, date, link to the original, the layer's status and review.

It follows the session: a newly opened document, and the open layer's status and a curator's review
(approved, or returned with the comment, the full comment as the tooltip) after an operation. The
status badge and the grey details take their colours through ``ui.common.theme``, so they keep 4.5:1
contrast on the window's palette, light or dark.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.core.model import ReviewRecord
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
        self.review_text = ""
        """The review as the heading shows it ("Approved by lead", "Returned by lead: comment"), or ""."""
        self.show_document(None, "todo", "")
        session.document_opened.connect(self._show_session)
        session.changed.connect(self._on_changed)

    def _show_session(self) -> None:
        s = self.session
        self._shown_status = s.status
        self.show_document(s.document, s.status, s.layer_owner if s.layer_owner != s.annotator else "", s.review)

    def _on_changed(self, changes: Changes) -> None:
        # Only a new status or review changes the heading; re-laying it out on every tag would cost a relayout.
        doc = self.session.document
        if doc is not None and (self.session.status != self._shown_status or doc.pk in changes.reload
                                or doc.pk in changes.reviews or changes.corpus):
            self._show_session()

    def show_document(self, doc: LoadedDocument | None, status: str, layer_owner: str,
                      review: ReviewRecord | None = None) -> None:
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
        self.review_text = review_words(review)
        verdict = ""
        if review is not None:
            wanted = REVIEW_COLOURS.get(review.state, "#8a8a8a")
            shown = self.review_text if len(self.review_text) <= 90 else self.review_text[:89] + "…"
            verdict = (f" &nbsp;<span style='color:{readable(wanted, self.palette()).name()}; font-weight:600'>"
                       f"{html.escape(shown)}</span>")
        self.meta.setToolTip(self.review_text)
        self.meta.setText(" &nbsp;·&nbsp; ".join(parts) + " &nbsp;&nbsp; " + badge + owner + verdict)


REVIEW_COLOURS = {"approved": "#009E73", "returned": "#D55E00"}


def review_words(review: ReviewRecord | None) -> str:
    """A review as one line: "Approved by lead", "Returned by lead: tag the fourteen hours"."""
    if review is None:
        return ""
    said = f": {' '.join(review.comment.split())}" if review.comment.strip() else ""
    return f"{review.state.capitalize()} by {review.by}{said}"
