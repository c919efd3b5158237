"""Highlights: lanes keep overlapping spans apart, painting shows them, and the index answers ranges.

The selection rules (word snapping, whitespace trimming) are pure and tested in tests/core/test_selection.py.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QImage

from annotator.ui.annotate.span_index import IndexedSpan, SpanIndex
from tests.ui_helpers import add_text, make_window

spans_strategy = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=60)


@settings(max_examples=80, deadline=None)
@given(bulk=spans_strategy, added=spans_strategy, removed=st.sets(st.integers(0, 59)))
def test_index_queries_and_lanes_match_brute_force(bulk, added, removed):
    index = SpanIndex([IndexedSpan(i, s, s + n, "a") for i, (s, n) in enumerate(bulk)])
    for j, (s, n) in enumerate(added):
        index.add(IndexedSpan(1000 + j, s, s + n, "a"))
    for i in removed:
        index.remove(i)
    spans = list(index.by_id.values())
    for lo, hi in ((0, 10), (37, 90), (150, 151), (0, 400)):
        want = {s.id for s in spans if s.start < hi and s.end > lo}
        assert {s.id for s in index.overlapping(lo, hi)} == want
    for a in spans:  # overlapping spans never share a lane
        for b in spans:
            if a.id != b.id and a.start < b.end and b.start < a.end:
                assert a.lane != b.lane


def test_overlapping_spans_are_painted_in_separate_lanes(qtbot, store, tmp_path):
    text = "Workers kept on the hull from six in the morning until two at night, every day.\n"
    pk = add_text(store, text)
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(pk)
    a = text.index("kept")
    b = text.index("from six")
    c = text.index("night") + 5
    window.article.select_cp(a, c)
    window.tagging.tag_selection("working_hours")
    window.article.select_cp(b, c)
    window.tagging.tag_selection("working_hours")  # same label, nested
    window.article.select_cp(b, b + 8)
    window.tagging.tag_selection("sanctions")
    window.session.select_span(None)
    lanes = {label_lane for label_lane in window.article.lane_model()}
    assert sorted(lane for _id, _label, lane in lanes) == [0, 1, 2]

    view = window.article
    view.repaint()
    image: QImage = view.viewport().grab().toImage()
    segs = [view.segments(s) for s in view.index.by_id.values()]
    assert all(segs)
    seg = segs[0][0]
    # Under the text line, each lane has a bar: sample the column in the shared region.
    x = int(view.segments(view.index.by_id[3])[0].center().x())
    below = [QColor(image.pixel(x, y)) for y in range(int(seg.bottom()) + 1, int(seg.bottom()) + 12)]
    orange, blue = QColor("#E69F00"), QColor("#0072B2")

    def near(c1: QColor, c2: QColor) -> bool:
        return abs(c1.red() - c2.red()) + abs(c1.green() - c2.green()) + abs(c1.blue() - c2.blue()) < 40

    assert sum(near(px, orange) for px in below) >= 2  # two orange bars (two same-label spans)
    assert any(near(px, blue) for px in below)
    # Fill is translucent: the overlapped area is still lighter than the bar colour itself.
    inside = QColor(image.pixel(x, int(seg.top()) + 2))
    assert not near(inside, orange) and inside.lightness() > 150


def test_incremental_add_repaints_only_its_lines(qtbot, store, tmp_path):
    text = "\n".join(f"Paragraph {i} about shifts and wages." for i in range(400))
    pk = add_text(store, text)
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(pk)
    painted = []
    original = window.article._paint_spans

    def spy(painter, rect):  # type: ignore[no-untyped-def]
        painted.append(rect)
        original(painter, rect)

    start = text.index("Paragraph 1 ")
    window.article.select_cp(start, start + 9)
    window.tagging.tag_selection("injury")  # the first span also changes the status badge: a full relayout
    qtbot.wait(50)
    window.article._paint_spans = spy
    start = text.index("Paragraph 3 ")
    window.article.select_cp(start, start + 9)
    window.tagging.tag_selection("injury")
    qtbot.waitUntil(lambda: bool(painted))
    assert max(r.height() for r in painted) < window.article.viewport().height()
