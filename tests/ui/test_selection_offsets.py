"""Offsets through the widget: random selections on hostile text store exactly ``text[start:end]``."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.core.selection import span_from_selection
from annotator.core.text import canonicalize
from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, add_text, drag_select, make_window, u16

PIECES = ["Hi ", "😊", " John", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", " \u0645\u0631\u062d\u0628\u0627 ", "\t",
          "line\r\nbreak", "👩\u200d👩\u200d👧", "a" * 120, " 𝔘𝔫𝔦", "김성일", "\u00a0", "x", ".", "\n"]
hostile_text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map(lambda p: canonicalize("".join(p)))


def test_drag_over_emoji_and_rtl_stores_exact_quote(qtbot, store, tmp_path):
    text = "Pak 😊 said: \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd and left."
    pk = add_text(store, text)
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(pk)
    start = text.index("said")
    drag_select(qtbot, window.article, text, text.index("😊"), start + 4)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    with store.session() as session:
        (span,) = repo.list_spans(session, pk, ANALYST)
    assert span.quote == "😊 said" == text[span.start:span.end]
    assert window.article.segments(window.article.index.by_id[span.id])
    # An RTL word: its highlight covers real width on screen.
    rtl = text.index("\u05e9")
    window.article.select_cp(rtl, rtl + 4)
    qtbot.keyClick(window.article, Qt.Key.Key_2)
    with store.session() as session:
        spans = repo.list_spans(session, pk, ANALYST)
    assert [s.quote for s in spans][-1] == "\u05e9\u05dc\u05d5\u05dd"
    segs = window.article.segments(window.article.index.by_id[spans[-1].id])
    assert segs and sum(r.width() for r in segs) > 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text, data=st.data())
def test_random_widget_selections_store_exact_slices(qtbot, store, tmp_path, text, data):
    pk = add_text(store, text)
    window = make_window(qtbot, store, tmp_path / "ui.ini", own_cleanup=True)
    try:
        window.open_document(pk)
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(0, len(text)))
        snap = data.draw(st.booleans())
        cursor = QTextCursor(window.article.document())
        cursor.setPosition(u16(text, a))
        cursor.setPosition(u16(text, b), QTextCursor.MoveMode.KeepAnchor)
        window.article.setTextCursor(cursor)
        lo, hi = min(a, b), max(a, b)
        shown = window.article.textCursor().selectedText().replace("\u2029", "\n")
        # Qt's own view of the selection matches the stored text (NBSP survives in selectedText).
        assert shown == text[lo:hi]
        with store.session() as session:
            stored = repo.list_spans(session, pk, ANALYST)
        before = {s.id for s in stored}
        window.tagging.tag_selection("injury", snap=snap)
        with store.session() as session:
            new = [s for s in repo.list_spans(session, pk, ANALYST) if s.id not in before]
        expected = span_from_selection(text, lo, hi, snap=snap)
        # Examples share the store, and the same text is the same document: an earlier example may have
        # tagged this very span already, and a layer never holds a span twice.
        repeated = expected is not None and any((s.start, s.end, s.label) == (*expected, "injury") for s in stored)
        if expected is None or repeated:
            assert new == []
        else:
            (span,) = new
            assert (span.start, span.end) == expected
            assert span.quote == text[span.start:span.end]
            # Never a lone surrogate half, never a dangling combining mark at the start.
            assert span.quote.encode("utf-8")
    finally:
        window.close()
        window.deleteLater()
