"""The main window's size and panel widths: fit the screen, and keep the article's column usable.

A fixed 1420×880 window (or a layout saved on a wide monitor) put the span panel off a 1024×640 laptop
screen and left the article a sliver between the side panels. The window opens at most at the screen's
available area (``ui/common/screen_fit.py``), first-start panel widths follow the window's width, and
:meth:`PanelLayout.balance_panels` takes room from the side panels (down to their minimums) whenever the
article's column would be narrower than is comfortable. The heading and the label bar line up with the
article's centred text column (:meth:`PanelLayout._align_header`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout

from annotator.ui.common.screen_fit import fit_to_available

if TYPE_CHECKING:
    from annotator.ui.annotate.document_list import DocumentList
    from annotator.ui.annotate.label_bar import LabelBar

DEFAULT_SIZE = (1420, 880)
"""The window's size on first start, when the screen has room for it (else the screen's available area)."""
ARTICLE_MIN_WIDTH = 300
"""The article column never gets narrower (the side panels give way first; see :meth:`balance_panels`)."""
ARTICLE_COMFORT_WIDTH = 460
RIGHT_MIN_WIDTH = 280


class PanelSplitter(QSplitter):
    """The window's horizontal splitter; says when it has been resized (after spreading the new width), which
    is when the panels can be rebalanced — the window's own resize comes before its children's."""

    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.resized.emit()


class PanelLayout(QMainWindow):
    """A base of :class:`MainWindow`, which provides ``splitter``, ``docs``, ``head_layout``, ``label_bar``."""

    splitter: QSplitter
    docs: DocumentList
    head_layout: QVBoxLayout
    label_bar: LabelBar

    # ================================================================== size and layout
    def _default_panel_sizes(self, width: int) -> list[int]:
        """Document list, article, right-hand panel for a window ``width`` wide (first start, no saved layout)."""
        docs_min = max(self.docs.minimumWidth(), self.docs.minimumSizeHint().width())
        docs = max(docs_min, min(int(width * 0.3) - 40, max(440, int(width * 0.2))))
        right = max(RIGHT_MIN_WIDTH, min(int(width * 0.27), max(420, int(width * 0.22))))
        return [docs, max(ARTICLE_MIN_WIDTH, width - docs - right), right]

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """At most the screen's available area (default: the screen the window is on), panels rebalanced."""
        fit_to_available(self, None, available)
        self.balance_panels()

    def balance_panels(self) -> None:
        """Give the article a comfortable column before the side panels keep more than their minimum.

        A layout saved on a wide monitor, or the first-start sizes on a small one, would otherwise leave the
        article a sliver between two side panels; the analyst's own splitter drags are kept when there is room.
        """
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sum(sizes) <= 0:
            return
        docs, article, right = sizes
        docs_min = max(self.docs.minimumWidth(), self.docs.minimumSizeHint().width())
        spare = [max(0, docs - docs_min), max(0, right - RIGHT_MIN_WIDTH)]
        short = min(ARTICLE_COMFORT_WIDTH - article, sum(spare))
        if short <= 0:
            return
        from_docs = short * spare[0] // max(1, sum(spare))
        self.splitter.setSizes([docs - from_docs, article + short, right - (short - from_docs)])

    def _align_header(self, left: int, width: int) -> None:
        """Keep the title and the label bar over the article's text column (centred when the window is wide)."""
        margins = self.head_layout.contentsMargins()
        inset = max(8, left)
        if margins.left() != inset:
            self.head_layout.setContentsMargins(inset, 4, inset, 0)
            self.label_bar.set_inset(max(0, left - 8))

