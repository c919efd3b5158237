"""Adjusting a span's boundaries in the main window: real key presses, the context menu, undo, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, add_text, make_window, point_of, u16

TEXT = "Crews worked 14 hours 😊 then cafe\u0301 staff left.\nThe family sent money home."
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT, RIGHT = Qt.Key.Key_Left, Qt.Key.Key_Right


@pytest.fixture
def doc(store):  # type: ignore[no-untyped-def]
    return add_text(store, TEXT, "Adjusting")


@pytest.fixture
def win(qtbot, store, doc, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(doc)
    return window


def stored(store, doc):  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.id, s.start, s.end, s.quote) for s in repo.list_spans(session, doc, ANALYST)]


def tag(qtbot, window, quote: str, *, exact: bool = False) -> int:  # type: ignore[no-untyped-def]
    """Tag ``quote`` with the first label through the real key; the new span ends up selected."""
    start = TEXT.index(quote)
    window.article.select_cp(start, start + len(quote))
    qtbot.keyClick(window.article, Qt.Key.Key_1, ALT if exact else Qt.KeyboardModifier.NoModifier)
    span_id = window.article.selected_span
    assert span_id is not None and window.session.spans[span_id].quote == quote
    return span_id


def shown(window, span_id: int) -> str:  # type: ignore[no-untyped-def]
    """The span as every view shows it: the same quote in the window, the article's index and the list."""
    span = window.session.spans[span_id]
    indexed = window.article.index.by_id[span_id]
    assert (indexed.start, indexed.end) == (span.start, span.end)
    assert span.quote == TEXT[span.start:span.end]
    model = window.span_list.span_model
    row = model.row_of(span_id)
    assert model.spans[row] == span and model._keys == sorted(model._keys)
    assert window.details.isEnabled()
    return span.quote


def test_keys_move_the_end_and_the_start_by_character_and_by_word(qtbot, win, store, doc):
    article = win.article
    span_id = tag(qtbot, win, "worked")
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    assert shown(win, span_id) == "worked "
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    assert shown(win, span_id) == "worke"
    qtbot.keyClick(article, RIGHT, ALT | SHIFT | CTRL)
    assert shown(win, span_id) == "worked"  # a word step ends at the end of the word
    qtbot.keyClick(article, RIGHT, ALT | SHIFT | CTRL)
    assert shown(win, span_id) == "worked 14"
    qtbot.keyClick(article, RIGHT, ALT)
    assert shown(win, span_id) == "orked 14"
    qtbot.keyClick(article, LEFT, ALT | CTRL)
    assert shown(win, span_id) == "worked 14"
    qtbot.keyClick(article, LEFT, ALT | CTRL)
    assert shown(win, span_id) == "Crews worked 14"
    qtbot.keyClick(article, RIGHT, ALT | CTRL)
    assert shown(win, span_id) == "worked 14"
    assert stored(store, doc) == [(span_id, 6, 15, "worked 14")]  # same id: adjusted, not re-tagged
    assert "worked 14" in win.statusBar().currentMessage()


def test_keys_work_with_the_span_picked_in_the_span_list(qtbot, win, store, doc):
    first = tag(qtbot, win, "staff")
    tag(qtbot, win, "money")
    win.session.select_span(None)
    listing = win.span_list
    rect = listing.visualRect(listing.span_model.index(listing.span_model.row_of(first), 0))
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.article.selected_span == first
    listing.setFocus()
    qtbot.keyClick(listing, RIGHT, ALT | SHIFT | CTRL)
    assert shown(win, first) == "staff left"
    assert [q for *_x, q in stored(store, doc)] == ["staff left", "money"]


def test_emoji_and_combining_marks_move_as_one_character(qtbot, win, store, doc):
    article = win.article
    hours = tag(qtbot, win, "hours")
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    assert shown(win, hours) == "hours 😊"  # one press takes the whole emoji (two UTF-16 units)
    span = win.session.spans[hours]
    assert article.bridge.to_qt(span.end) - article.bridge.to_qt(span.start) == len("hours ") + 2
    assert article.segments(article.index.by_id[hours])  # the highlight is drawn at the new extent
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    assert shown(win, hours) == "hours "

    cafe = tag(qtbot, win, "cafe\u0301")
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    assert shown(win, cafe) == "caf"  # the accent leaves with its letter
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    assert shown(win, cafe) == "cafe\u0301"
    qtbot.keyClick(article, LEFT, ALT)
    assert shown(win, cafe) == " cafe\u0301"
    qtbot.keyClick(article, LEFT, ALT)
    assert shown(win, cafe) == "n cafe\u0301"
    assert [q for *_x, q in stored(store, doc)] == ["hours ", "n cafe\u0301"]


def test_steps_stop_at_the_text_edges_and_at_one_character(qtbot, win, store, doc):
    article = win.article
    crews = tag(qtbot, win, "Crews")
    qtbot.keyClick(article, LEFT, ALT)
    assert shown(win, crews) == "Crews"
    assert win.statusBar().currentMessage() == "Not moved: the span already starts at the beginning of the text."
    qtbot.keyClick(article, LEFT, ALT | SHIFT | CTRL)  # a word step that would empty the span keeps one letter
    assert shown(win, crews) == "C"
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    qtbot.keyClick(article, RIGHT, ALT)
    assert shown(win, crews) == "C"
    assert "one character long" in win.statusBar().currentMessage()
    home = tag(qtbot, win, "home.", exact=True)
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    assert shown(win, home) == "home."
    assert win.statusBar().currentMessage() == "Not moved: the span already ends at the end of the text."
    assert [q for *_x, q in stored(store, doc)] == ["C", "home."]


def test_presses_in_a_row_are_one_undo_step_that_restores_the_exact_offsets(qtbot, win, store, doc):
    article = win.article
    span_id = tag(qtbot, win, "family")
    before = stored(store, doc)
    steps = win.ops.undo_stack.count()
    for _ in range(3):
        qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    qtbot.keyClick(article, LEFT, ALT)
    assert shown(win, span_id) == " family se"
    assert win.ops.undo_stack.count() == steps + 1
    after = stored(store, doc)
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL)
    assert stored(store, doc) == before and shown(win, span_id) == "family"
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(store, doc) == after and shown(win, span_id) == " family se"
    # Moving there and back leaves nothing to undo: the merged step disappears.
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(article, RIGHT, ALT | SHIFT)
    assert win.ops.undo_stack.count() == steps + 1
    qtbot.keyClick(article, LEFT, ALT | SHIFT)
    assert win.ops.undo_stack.count() == steps and win.ops.undo_stack.index() == steps
    assert stored(store, doc) == before and shown(win, span_id) == "family"


def test_set_span_to_selection_from_the_context_menu_and_by_key(qtbot, win, store, doc):
    from annotator.ui.annotate.span_adjust import SET_TO_SELECTION

    article = win.article
    span_id = tag(qtbot, win, "money")
    start = TEXT.index("sent")
    article.select_cp(start, start + len("sent money "))  # the trailing space is trimmed
    assert article.selected_span == span_id
    where = point_of(article, u16(TEXT, start + 2))  # a right click: the event Qt makes of it
    viewport = article.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where,
                                                       viewport.mapToGlobal(where)))
    menu = win.span_adjust.last_menu
    assert menu is not None and menu.isVisible()
    entry = next(a for a in menu.actions() if a.text() == SET_TO_SELECTION)
    entry.trigger()
    menu.close()
    assert shown(win, span_id) == "sent money"
    assert stored(store, doc) == [(span_id, start, start + len("sent money"), "sent money")]
    assert not article.textCursor().hasSelection()

    family = TEXT.index("family")
    article.select_cp(family, family + len("family"))
    qtbot.keyClick(article, Qt.Key.Key_Return, ALT)
    assert shown(win, span_id) == "family"
    win.ops.undo_stack.undo()  # the two settings are two undo steps
    assert shown(win, span_id) == "sent money"
    win.ops.undo_stack.undo()
    assert shown(win, span_id) == "money"
    assert stored(store, doc)[0][1:] == (TEXT.index("money"), TEXT.index("money") + 5, "money")

    win.session.select_span(None)
    article.select_cp(family, family + 3)
    qtbot.keyClick(article, Qt.Key.Key_Return, ALT)
    assert win.statusBar().currentMessage().startswith("Select a span first")


def test_read_only_and_someone_elses_layer_refuse_with_a_reason(qtbot, store, doc, tmp_path):
    with store.write() as session:
        repo.get_or_create_annotator(session, ANALYST)
        mine = repo.add_span(session, doc, ANALYST, 0, 5, "injury", actor=ANALYST)
        repo.get_or_create_annotator(session, "other")
        theirs = repo.add_span(session, doc, "other", 6, 12, "injury", actor="other")
    window = make_window(qtbot, store, tmp_path / "ui.ini", read_only_reason="the file is write-protected")
    window.open_document(doc)
    window.session.select_span(mine.id)
    qtbot.keyClick(window.article, RIGHT, ALT | SHIFT)
    assert window.statusBar().currentMessage() == (
        "Read-only (the file is write-protected): the span was not changed.")
    window.article.select_cp(0, 12)
    window.span_adjust.act_set_selection.trigger()
    assert "Read-only" in window.statusBar().currentMessage()
    window.close()

    other = make_window(qtbot, store, tmp_path / "ui2.ini")
    other.open_document(doc, "other")
    other.session.select_span(theirs.id)
    qtbot.keyClick(other.article, LEFT, ALT)
    assert other.statusBar().currentMessage().startswith("This is other's layer")
    with store.session() as session:
        assert [(s.start, s.end) for s in repo.list_spans(session, doc, ANALYST)] == [(0, 5)]
        assert [(s.start, s.end) for s in repo.list_spans(session, doc, "other")] == [(6, 12)]


def test_the_keys_are_listed_and_reserved_from_labels(qtbot, win):
    from annotator.ui.dialogs.shortcuts_dialog import shortcut_rows

    rows = dict(shortcut_rows(win.shortcut_actions()))
    assert rows["Move span end one word right"] == "Ctrl+Alt+Shift+Right"
    assert rows["Set span to selection"] == "Alt+Return, Alt+Enter"
    dialog = win.edit_scheme()
    assert dialog.reserved["Alt+Left"] == "Move span start one character left"
    dialog.close()


def test_dragging_an_edge_of_the_selected_span_moves_it(qtbot, win, store, doc):
    from PySide6.QtCore import QPoint

    article, viewport = win.article, win.article.viewport()
    span_id = tag(qtbot, win, "worked")
    segments = article.segments(article.index.by_id[span_id])
    grab = QPoint(int(segments[-1].right()), int(segments[-1].center().y()))
    assert win.span_adjust.edge_at(grab) == "end"
    drop = point_of(article, u16(TEXT, TEXT.index("14") + 2))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(viewport, pos=QPoint((grab.x() + drop.x()) // 2, drop.y()))
    qtbot.mouseMove(viewport, pos=drop)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=drop)
    assert shown(win, span_id) == "worked 14"
    assert not article.textCursor().hasSelection()  # the drag moved the edge, it selected nothing

    segments = article.segments(article.index.by_id[span_id])
    grab = QPoint(int(segments[0].left()), int(segments[0].center().y()))
    past_the_end = point_of(article, u16(TEXT, TEXT.index("hours")))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(viewport, pos=past_the_end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=past_the_end)
    assert shown(win, span_id) == "4"  # dragged past the end: one character is left, never a flipped span
    win.ops.undo_stack.undo()
    assert shown(win, span_id) == "worked 14"
    win.ops.undo_stack.undo()
    assert shown(win, span_id) == "worked"
    assert stored(store, doc) == [(span_id, 6, 12, "worked")]
