"""The curation window's text lanes: one read-only article per annotator and one for gold, scrolled together.

Split out of the window so the lanes can be rebuilt in place when the same window is asked to compare
other analysts (one curation window per gold layer, reconfigured rather than duplicated), and so their
headings take their colours from the palette (a dark theme showed white text on a light grey heading).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from annotator.core.curation import overlaps
from annotator.core.model import GOLD_ANNOTATOR
from annotator.core.wording import plural
from annotator.store.repository import SpanView
from annotator.ui.annotate.article_view import ArticleView
from annotator.ui.annotate.span_index import IndexedSpan
from annotator.ui.common.palette_colours import header_colours

LANE_POINT_SIZE = 11.0
LANE_MIN_WIDTH = 150


class Lanes(QWidget):
    """Side-by-side lanes (a splitter: the curator can widen one), gold last."""

    span_clicked = Signal(str, int)
    """Lane owner, span id."""

    def __init__(self, colors: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.names: list[str] = []
        self.views: dict[str, ArticleView] = {}
        self.titles: dict[str, QLabel] = {}
        self._syncing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Lanes keep a readable width each; with many analysts they scroll sideways instead of making the
        # window wider than a laptop screen (four lanes and the side panel need more than 1024 px).
        self.lane_scroll = QScrollArea(self)
        self.lane_scroll.setWidgetResizable(True)
        self.lane_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.lane_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lane_scroll.setMinimumWidth(2 * LANE_MIN_WIDTH)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.lane_scroll.setWidget(self.splitter)
        layout.addWidget(self.lane_scroll)

    def set_annotators(self, annotators: Sequence[str]) -> None:
        """One lane per annotator (and gold), rebuilt only when the names change."""
        names = [*annotators, GOLD_ANNOTATOR]
        if names == self.names:
            return
        for i in reversed(range(self.splitter.count())):
            column = self.splitter.widget(i)
            if column is None:
                continue
            column.hide()
            column.setParent(None)
            column.deleteLater()
        self.views, self.titles, self.names = {}, {}, names
        for name in names:
            column = QWidget(self.splitter)
            col = QVBoxLayout(column)
            col.setContentsMargins(0, 0, 0, 0)
            col.setSpacing(2)
            head = QLabel(column)
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setObjectName("laneHeading")
            view = ArticleView(column)
            view.set_label_colors(self.colors)
            view.set_point_size(LANE_POINT_SIZE)
            view.document().setDocumentMargin(12)
            view.setFrameShape(ArticleView.Shape.StyledPanel)
            view.setMinimumWidth(LANE_MIN_WIDTH)
            view.verticalScrollBar().valueChanged.connect(lambda _v, v=view: self._sync_scroll(v))
            view.span_clicked.connect(lambda sid, who=name: self.span_clicked.emit(who, sid))
            col.addWidget(head)
            col.addWidget(view, 1)
            self.splitter.addWidget(column)
            self.views[name] = view
            self.titles[name] = head
        self.splitter.setSizes([1000] * len(names))
        self.apply_palette()

    def apply_palette(self) -> None:
        """Heading colours from the current palette (called again when the theme changes)."""
        for name, head in self.titles.items():
            background, text = header_colours(self.palette(), accent=name == GOLD_ANNOTATOR)
            head.setStyleSheet(f"QLabel#laneHeading {{ padding: 4px 8px; background: {background.name()};"
                               f" color: {text.name()}; border-radius: 3px; }}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.apply_palette()

    def show_document(self, text: str, versions: dict[str, list[SpanView]]) -> None:
        for name, spans in versions.items():
            self.views[name].set_document(text, [IndexedSpan(s.id, s.start, s.end, s.label) for s in spans])
            self.titles[name].setText(f"<b>{html.escape(name)}</b> · {plural(len(spans), 'span')}")
        self.views[GOLD_ANNOTATOR].set_document(text, [])

    def update_gold(self, old: list[SpanView], new: list[SpanView], status: str) -> None:
        """Redraw only the gold spans that changed (no jump in scroll position)."""
        view = self.views[GOLD_ANNOTATOR]
        before, after = {s.id: s for s in old}, {s.id: s for s in new}
        for sid, span in before.items():
            if sid not in after or after[sid] != span:
                view.remove_span(sid)
        for sid, span in after.items():
            if sid not in before or before[sid] != span:
                view.add_span(IndexedSpan(span.id, span.start, span.end, span.label))
        self.titles[GOLD_ANNOTATOR].setText(f"<b>gold</b> · {plural(len(new), 'span')} · {status.replace('_', ' ')}")

    def focus(self, spans_of: dict[str, list[SpanView]], start: int, end: int) -> None:
        """Scroll every lane to ``start``, selecting the lane's first span that overlaps ``[start, end)``."""
        for name, view in self.views.items():
            inside = [s for s in spans_of.get(name, []) if overlaps((s.start, s.end), start, end)]
            if inside:
                view.select_span(inside[0].id, scroll=True)
            else:
                view.select_span(None, scroll=False)
                cursor = QTextCursor(view.document())
                cursor.setPosition(view.bridge.to_qt(min(start, len(view.text))))
                view.setTextCursor(cursor)
                view.ensureCursorVisible()

    def selection(self) -> tuple[int, int] | None:
        """Text selected in a lane (gold first), in code points."""
        for name in [GOLD_ANNOTATOR, *self.names[:-1]]:
            found = self.views[name].selection_cp()
            if found is not None:
                return found
        return None

    def _sync_scroll(self, source: ArticleView) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            bar = source.verticalScrollBar()
            fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
            for view in self.views.values():
                if view is not source:
                    other = view.verticalScrollBar()
                    other.setValue(round(fraction * other.maximum()))
        finally:
            self._syncing = False
