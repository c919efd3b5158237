"""A right-to-left phrase's highlight is one fill per visual run: no pixel of a span is painted twice.

Bidirectional text makes Qt's caret positions jump at direction changes; the fill used to be built from
per-character rectangles chained only to their neighbour, so three rectangles overlapped and the middle
one looked darker, like a nested span.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPalette

from annotator.core import colours
from annotator.ui.annotate.article_view import ArticleView, _union
from annotator.ui.annotate.span_index import IndexedSpan

TEXT = ('A sign in the canteen read "ممنوع الخروج من السكن بعد الساعة الثامنة مساءً" '
        "beside the door of the dormitory.\n")


def _fill_colours(view: ArticleView, colour: str) -> tuple[QColor, QColor]:
    """(painted once, painted twice) over the article's base colour, as the painter composes them."""
    base = view.palette().color(QPalette.ColorRole.Base).name()
    alpha = 56 / 255
    once = colours.blend(colour, base, alpha)
    twice = colours.blend(colour, once, alpha)
    return QColor(*once), QColor(*twice)


def test_an_rtl_span_is_filled_once_per_visual_run(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(900, 300)
    start = TEXT.index('"')
    end = TEXT.index('"', start + 1) + 1 + len(" beside")  # the quotation, its quotes and an English word
    view.set_document(TEXT, [IndexedSpan(1, start, end, "sanctions")])
    view.set_label_colors({"sanctions": "#0072B2"})
    view.show()
    qtbot.waitExposed(view)
    segments = view.segments(view.index.by_id[1])
    for i, a in enumerate(segments):  # the geometry: no two rectangles of the span share a pixel
        for b in segments[i + 1:]:
            assert not a.intersects(b), (a, b)
    image: QImage = view.viewport().grab().toImage()
    once, twice = _fill_colours(view, "#0072B2")
    seen = {"once": 0, "twice": 0}
    for seg in segments:
        rect = seg.toAlignedRect().intersected(image.rect())
        for x in range(rect.left(), rect.right() + 1):
            for y in range(rect.top(), rect.bottom() + 1):
                pixel = image.pixelColor(x, y)
                seen["once"] += _close(pixel, once)
                seen["twice"] += _close(pixel, twice)
    assert seen["once"] > 200  # the fill is there…
    assert seen["twice"] == 0  # …and nowhere on top of itself


def _close(a: QColor, b: QColor) -> bool:
    return abs(a.red() - b.red()) <= 1 and abs(a.green() - b.green()) <= 1 and abs(a.blue() - b.blue()) <= 1


def test_union_merges_overlapping_and_touching_ranges_given_either_end_first():
    assert _union([(10, 0), (5, 15), (30, 20), (15.2, 18)]) == [(0, 18), (20, 30)]
    assert _union([]) == []
