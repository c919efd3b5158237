"""The Suggestions tab in the main window: real clicks and keys, undo, refusals, refresh after tagging."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store import repository as repo
from annotator.store.database import open_store
from tests.ui_helpers import ANALYST, add_text, make_window

TAGGED = "The agency kept loyalty payments from every crew. Overtime was never paid."
OPEN = "Loyalty payments went home.\nThe crew paid LOYALTY   PAYMENTS twice, and overtime too; loyalty payments!"
OCCURRENCES = [(0, 16), (42, 60), (86, 102)]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def docs(store):  # type: ignore[no-untyped-def]
    tagged, opened = add_text(store, TAGGED, "Tagged"), add_text(store, OPEN, "Open")
    with store.write() as session:
        start = TAGGED.index("loyalty payments")
        repo.add_span(session, tagged, ANALYST, start, start + 16, "remittance")
        start = TAGGED.index("Overtime")
        repo.add_span(session, tagged, "analyst-b", start, start + 8, "working_hours")
    return tagged, opened


def stored(store, doc: int, who: str = ANALYST) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return sorted((s.start, s.end, s.label) for s in repo.list_spans(session, doc, who))


def show_suggestions(qtbot, window) -> list[tuple[int, int, str, int]]:  # type: ignore[no-untyped-def]
    """Switch to the Suggestions tab and wait for its rows: (start, end, label, support) each."""
    panel = window.suggestions
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        window.side_tabs.setCurrentWidget(panel)
    return rows(panel)


def rows(panel) -> list[tuple[int, int, str, int]]:  # type: ignore[no-untyped-def]
    return [(s.start, s.end, s.label, s.support) for s in panel.model.rows]


def click_row(qtbot, panel, row: int) -> None:  # type: ignore[no-untyped-def]
    table = panel.table
    rect = table.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.fixture
def win(qtbot, store, docs, tmp_path):  # type: ignore[no-untyped-def]
    window = make_window(qtbot, store, tmp_path / "ui.ini")
    window.open_document(docs[1])
    return window


def test_the_tab_lists_each_occurrence_and_a_click_selects_it_in_the_article(qtbot, win) -> None:
    assert win.side_tabs.tabText(1) == "Suggestions"
    assert show_suggestions(qtbot, win) == [(a, b, "remittance", 1) for a, b in OCCURRENCES]
    panel = win.suggestions
    assert panel.model.data(panel.model.index(1, 0)) == "LOYALTY PAYMENTS"
    assert panel.model.data(panel.model.index(1, 1)) == "Remittance"
    # the label cell is a chip of the label's colour (#CC79A7) with readable (black) text
    assert panel.model.data(panel.model.index(1, 1), Qt.ItemDataRole.BackgroundRole).name() == "#cc79a7"
    assert panel.model.data(panel.model.index(1, 1), Qt.ItemDataRole.ForegroundRole).name() == "#000000"
    assert panel.info.text() == "3 suggestions"
    click_row(qtbot, panel, 1)
    assert win.article.selection_cp() == OCCURRENCES[1]


def test_enter_accepts_through_the_undo_stack_and_walks_on(qtbot, win, store, docs) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert stored(store, docs[1]) == [(0, 16, "remittance")]
    assert rows(panel) == [(a, b, "remittance", 1) for a, b in OCCURRENCES[1:]]
    assert win.article.selection_cp() == OCCURRENCES[1]  # the next row is picked, ready for the next Enter
    assert [(s.start, s.end) for s in win.span_list.span_model.spans] == [(0, 16)]
    # The accepted span feeds the dictionary: after the refresh the other rows are supported twice.
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        pass
    assert rows(panel) == [(a, b, "remittance", 2) for a, b in OCCURRENCES[1:]]
    qtbot.keyClick(panel.table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert stored(store, docs[1]) == [(0, 16, "remittance"), (42, 60, "remittance")]
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert stored(store, docs[1]) == [(0, 16, "remittance")]


def test_delete_rejects_stores_it_and_deletes_no_span(qtbot, win, store, docs) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # one span, which the window now shows selected
    assert win.article.selected_span is not None
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        pass
    click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert stored(store, docs[1]) == [(0, 16, "remittance")]  # the window's Delete-span key did not fire
    assert rows(panel) == [(86, 102, "remittance", 2)]
    assert panel.info.text() == "Rejected (not offered again; undo brings it back); 1 suggestion left."
    # Still hidden after the document is read again, and after another document was open.
    win.open_document(docs[0])
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        win.open_document(docs[1])
    assert rows(panel) == [(86, 102, "remittance", 2)]
    assert panel.info.text() == "1 suggestion (1 rejected, hidden)"


def test_accept_all_is_one_undo_step(qtbot, win, store, docs) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
    assert stored(store, docs[1]) == [(a, b, "remittance") for a, b in OCCURRENCES]
    assert len(win.span_list.span_model.spans) == 3 and len(win.article.index.by_id) == 3
    assert "Accepted 3 suggestions" in win.statusBar().currentMessage()
    assert win.ops.undo_stack.undoText() == "Accept 3 Remittance suggestions"
    ids = sorted(win.session.spans)
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert stored(store, docs[1]) == []
    assert win.span_list.span_model.spans == [] and win.session.spans == {}
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        pass
    assert len(rows(panel)) == 3  # offered again
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert stored(store, docs[1]) == [(a, b, "remittance") for a, b in OCCURRENCES]
    assert sorted(win.session.spans) == ids  # the same spans, under their first ids


def test_tagging_in_the_article_refreshes_the_list(qtbot, win, store, docs) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    last = OCCURRENCES[2]
    win.article.select_cp(*last)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        qtbot.keyClick(win.article, Qt.Key.Key_2)  # Injury, by the label key
    # The phrase is now also tagged injury: its other occurrences are offered as injury too, not this one.
    assert rows(panel) == sorted([(a, b, "remittance", 1) for a, b in OCCURRENCES]
                                 + [(a, b, "injury", 1) for a, b in OCCURRENCES[:2]])
    # The refresh keeps its hands off the article: the new span stays selected, no text is selected for it.
    assert win.article.selection_cp() is None and win.article.selected_span is not None


def test_the_source_picker_offers_everyones_or_gold_phrases(qtbot, win) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.source.setCurrentIndex(1)  # everyone's tags: analyst-b tagged "Overtime"
    start = OPEN.index("overtime")
    assert (start, start + 8, "working_hours", 1) in rows(panel) and len(rows(panel)) == 4
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.source.setCurrentIndex(2)  # gold: nobody curated anything yet
    assert rows(panel) == [] and panel.info.text().startswith("No suggestions")
    assert not panel.accept_all_button.isEnabled()


def test_accepting_on_someone_elses_layer_is_refused_with_the_label_keys_reason(qtbot, win, store, docs) -> None:
    panel = win.suggestions
    show_suggestions(qtbot, win)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        win.open_document(docs[1], "analyst-b")
    click_row(qtbot, panel, 0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    message = win.statusBar().currentMessage()
    assert message == ("This is analyst-b's layer, which only they can change: the suggestion was not accepted. "
                       "Open your own layer to accept suggestions.")
    qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
    assert stored(store, docs[1], "analyst-b") == [] and stored(store, docs[1]) == []
    assert len(rows(panel)) == 3


def test_accepting_on_a_read_only_database_is_refused(qtbot, store, docs, db_path, tmp_path) -> None:
    ro = open_store(db_path, read_only=True)
    try:
        window = make_window(qtbot, ro, tmp_path / "ro.ini")
        window.open_document(docs[1])
        panel = window.suggestions
        assert len(show_suggestions(qtbot, window)) == 3
        click_row(qtbot, panel, 0)
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
        assert window.statusBar().currentMessage() == (
            "Read-only: this database was opened read-only; the suggestion was not accepted.")
        window.statusBar().clearMessage()
        qtbot.mouseClick(panel.accept_all_button, Qt.MouseButton.LeftButton)
        assert "the suggestion was not accepted" in window.statusBar().currentMessage()
        assert stored(ro, docs[1]) == [] and len(rows(panel)) == 3
        window.close()
    finally:
        ro.close()
