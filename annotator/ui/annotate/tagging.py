"""What the analyst's keys and clicks do to spans in the article: tag, relabel, cycle, delete, step.

"What happens when a label key is pressed" is answered here: the label bar's action calls
:meth:`TaggingController.tag_selection`, which snaps the article's selection to whole words
(:func:`annotator.core.selection.span_from_selection`) and asks :meth:`Operations.tag` for one undoable
store write; the session then publishes the new span as ``Changes`` and every view draws it. With no text
selected the same key relabels the selected span.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.core.selection import span_from_selection
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession


class TaggingController(QObject):
    """The annotating actions on the open layer, for one article view."""

    def __init__(self, session: AnnotationSession, ops: Operations, article: ArticleView) -> None:
        super().__init__(article)
        self.session = session
        self.ops = ops
        self.article = article
        self.sticky_label: str | None = None
        article.navigate_span.connect(self.step_span)
        article.delete_requested.connect(self.delete_selected_span)
        article.mouse_selection_finished.connect(self.sticky_tag)
        article.enter_pressed.connect(self.sticky_tag)

    def tag_selection(self, label: str, snap: bool = True) -> SpanView | None:
        """Store the article's selection as a span of ``label``; with no selection, relabel the selected span."""
        s = self.session
        blocked = s.tagging_blocked()
        if blocked is not None:
            s.say(blocked)
            return None
        assert s.document is not None
        selection = self.article.selection_cp()
        if selection is None:
            span = s.selected_span()
            if span is None:
                s.say(f"Select text to tag it {s.label_name(label)}, or select a span to relabel it.", 5000)
            elif span.label != label:
                self.ops.update_span(span, label=label)
            return None
        bounds = span_from_selection(s.document.text, *selection, snap=snap)
        if bounds is None:
            s.say("Nothing to tag: the selection is only whitespace.", 4000)
            return None
        return self.ops.tag(bounds[0], bounds[1], label)

    def sticky_tag(self) -> None:
        """With a sticky label on, a finished mouse selection (or Enter) tags at once."""
        if self.sticky_label and self.article.selection_cp() is not None:
            self.tag_selection(self.sticky_label, True)

    def delete_selected_span(self) -> None:
        span = self.session.selected_span()
        if span is not None:
            self.ops.delete_span(span)

    def cycle_label(self, step: int) -> None:
        span = self.session.selected_span()
        keys = self.session.scheme.keys()
        if span is None or not keys:
            return
        index = keys.index(span.label) if span.label in keys else -1
        self.ops.update_span(span, label=keys[(index + step) % len(keys)])

    def step_span(self, step: int) -> None:
        """Select the next (or previous) span in text order; from the caret when no span is selected."""
        ids = self.article.index.ordered_ids()
        if not ids:
            return
        current = self.session.selected_span_id
        if current in ids:
            target = ids[(ids.index(current) + step) % len(ids)]
        else:
            caret = self.article.bridge.to_cp(self.article.textCursor().position())
            starts = self.article.index.by_id
            if step > 0:
                after = [sid for sid in ids if starts[sid].start >= caret]
                target = after[0] if after else ids[0]
            else:  # the nearest span before the caret, not always the article's last one
                before = [sid for sid in ids if starts[sid].start < caret]
                target = before[-1] if before else ids[-1]
        self.session.select_span(target, reveal=True)
