"""Tagging the same words with the same label twice stores one span and says so (issue #13, item 1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, add_text, drag_select, make_window

TEXT = "Workers from the North Korean side said the North Korean minders kept their passports."


@pytest.fixture
def doc(store):  # type: ignore[no-untyped-def]
    return add_text(store, TEXT, "Minders")


@pytest.fixture
def win(qtbot, store, doc, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(doc)
    return window


def stored(store, doc):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.start, s.end, s.label) for s in repo.list_spans(session, doc, ANALYST)]


def test_the_same_tag_twice_by_keys_stores_one_span_and_says_why(qtbot, win, store, doc) -> None:
    start = TEXT.index("North Korean")
    for _ in range(2):
        qtbot.keyClick(win.article, Qt.Key.Key_Escape)  # no span selected: a drag at its edge would resize it
        drag_select(qtbot, win.article, TEXT, start, start + len("North Korean"))
        assert win.article.textCursor().selectedText() == "North Korean"
        qtbot.keyClick(win.article, Qt.Key.Key_1)
    assert stored(store, doc) == [(start, start + 12, "working_hours")]
    assert win.statusBar().currentMessage() == (
        f"Already tagged Working hours: “North Korean” ({start}–{start + 12}); nothing was added.")
    assert win.ops.undo_stack.count() == 1 and win.span_list.span_model.rowCount() == 1
    assert len(win.article.index) == 1
    assert win.article.selected_span == next(iter(win.session.spans))  # the span that was already there

    # Another label, or the same words elsewhere, is another span.
    qtbot.keyClick(win.article, Qt.Key.Key_Escape)
    drag_select(qtbot, win.article, TEXT, start, start + 12)
    qtbot.keyClick(win.article, Qt.Key.Key_2)
    other = TEXT.index("North Korean", start + 1)
    qtbot.keyClick(win.article, Qt.Key.Key_Escape)
    drag_select(qtbot, win.article, TEXT, other, other + 12)
    qtbot.keyClick(win.article, Qt.Key.Key_1)
    assert sorted(stored(store, doc)) == [(start, start + 12, "injury"), (start, start + 12, "working_hours"),
                                          (other, other + 12, "working_hours")]


def test_accepting_suggestions_leaves_out_spans_already_tagged(qtbot, win, store, doc) -> None:
    start = TEXT.index("North Korean")
    other = TEXT.index("North Korean", start + 1)
    win.article.select_cp(start, start + 12)
    qtbot.keyClick(win.article, Qt.Key.Key_1)
    assert not win.ops.accept_suggestions([(start, start + 12, "working_hours")])
    assert win.statusBar().currentMessage() == "Already tagged just so: nothing was added."
    assert win.ops.accept_suggestions([(start, start + 12, "working_hours"), (other, other + 12, "working_hours"),
                                       (other, other + 12, "working_hours")])
    assert sorted(stored(store, doc)) == [(start, start + 12, "working_hours"), (other, other + 12, "working_hours")]
    assert win.ops.undo_stack.count() == 2
