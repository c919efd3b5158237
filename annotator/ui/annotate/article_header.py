"""The heading above the article: title, source, date, link to the original, and the layer's status."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from annotator.store.queries import LoadedDocument

STATUS_BADGE = {"todo": ("To do", "#8a8a8a"), "in_progress": ("In progress", "#E69F00"), "done": ("Done", "#009E73")}


def nice_date(value: str) -> str:
    try:
        return date.fromisoformat(value[:10]).strftime("%-d %B %Y")
    except ValueError:
        return value


class ArticleHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.meta = QLabel(self)
        self.meta.setTextFormat(Qt.TextFormat.RichText)
        self.meta.setOpenExternalLinks(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        self.show_document(None, "todo", "")

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
        parts.append(f"<span style='color:gray'>{html.escape(doc.doc_id)}</span>")
        text, colour = STATUS_BADGE.get(status, (status, "#8a8a8a"))
        badge = f"<span style='color:{colour}; font-weight:600'>● {text}</span>"
        owner = f" <span style='color:gray'>· layer of {html.escape(layer_owner)}</span>" if layer_owner else ""
        self.meta.setText(" &nbsp;·&nbsp; ".join(parts) + " &nbsp;&nbsp; " + badge + owner)
