"""Keeps the article view in step with the session: the open document, its spans, the selected span.

:class:`~annotator.ui.annotate.article_view.ArticleView` is a plain view that the curation window uses too;
this binding is what makes it *the annotating article*: it draws the session's open layer, applies each
``Changes`` span by span (a 10,000-span layer is never redrawn whole for one edit), mirrors the selected
span both ways, and selects text the session asks for (a suggestion row, a search hit).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.ops.changes import Changes
from annotator.ui.ops.session import AnnotationSession


def indexed(span: SpanView) -> IndexedSpan:
    return IndexedSpan(span.id, span.start, span.end, span.label)


class ArticleBinding(QObject):
    def __init__(self, session: AnnotationSession, article: ArticleView) -> None:
        super().__init__(article)
        self.session = session
        self.article = article
        article.set_label_colors(self._colors())
        self._shown_pk: int | None = None
        # Another layer of the same document (the layer switch) keeps the reader's place; a new document starts at the top.
        session.document_opened.connect(lambda: self._show_document(keep_scroll=session.doc_pk == self._shown_pk))
        session.changed.connect(self._on_changed)
        session.span_selected.connect(self._on_selected)
        session.text_requested.connect(self._select_text)
        article.span_clicked.connect(lambda sid: session.select_span(sid if sid >= 0 else None, reveal=False))

    def _colors(self) -> dict[str, str]:
        return {label.key: label.color for label in self.session.scheme.labels}

    def _show_document(self, *, keep_scroll: bool) -> None:
        doc = self.session.document
        if doc is None:
            return
        scroll = self.article.verticalScrollBar().value()
        self._shown_pk = doc.pk
        self.article.set_document(doc.text, [indexed(s) for s in self.session.spans.values()])
        if keep_scroll:
            self.article.verticalScrollBar().setValue(scroll)

    def _on_changed(self, changes: Changes) -> None:
        s = self.session
        if changes.scheme:
            self.article.set_label_colors(self._colors())
        if s.document is None:
            return
        if s.document.pk in changes.reload or changes.scheme:
            self._show_document(keep_scroll=True)
            return
        added = False
        for delta in changes.span_deltas(s.document.pk, s.layer_owner):
            if delta.span is None:
                self.article.remove_span(delta.span_id)
            elif delta.before is None:
                self.article.add_span(indexed(delta.span))
                added = True
            elif (delta.before.start, delta.before.end) != (delta.span.start, delta.span.end):
                self.article.move_span(indexed(delta.span))
            else:
                self.article.relabel_span(delta.span_id, delta.span.label)
        if added:
            self.article.clear_selection()  # the selected text is tagged now: a second key press must not re-tag it
        if s.selected_span_id is None and self.article.selected_span is not None:
            self.article.select_span(None, scroll=False)

    def _on_selected(self, span_id: int | None, reveal: bool) -> None:
        if self.article.selected_span != span_id or reveal:
            self.article.select_span(span_id, scroll=reveal)

    def _select_text(self, start: int, end: int) -> None:
        self.article.select_cp(start, end)
        self.article.ensureCursorVisible()
