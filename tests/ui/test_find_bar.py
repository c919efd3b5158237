"""Find in the article: "/" or Ctrl+F in the article opens the bar, the match becomes the selection, and a
label key tags it — a phrase in a handful of key presses instead of ~15 caret moves."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, add_text, make_window

TEXT = ("Welders were kept on the hull from six until two.\n"
        "The men said the supervisor kept their passports;\n"
        "the KEPT  passports were returned in Kraków.")


class Keys:
    """Real key presses through qtbot, counted."""

    def __init__(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        self.qtbot, self.count = qtbot, 0

    def press(self, widget, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
        self.qtbot.keyClick(widget, key, modifiers)
        self.count += 1

    def type(self, widget, text: str) -> None:  # type: ignore[no-untyped-def]
        for char in text:
            self.press(widget, char)


def _window(qtbot, store, tmp_path):  # type: ignore[no-untyped-def]
    doc = add_text(store, TEXT, "Kept")
    win = make_window(qtbot, store, tmp_path / "ui.ini")
    win.open_document(doc)
    win.article.setFocus()
    qtbot.waitUntil(win.article.hasFocus)
    return win, doc


def _spans(store, doc) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(s.quote, s.label) for s in repo.list_spans(session, doc, ANALYST)]


def test_find_then_label_key_tags_in_five_key_presses(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win, doc = _window(qtbot, store, tmp_path)
    keys = Keys(qtbot)
    qtbot.keyClick(win.article, "/")
    bar = win.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    keys.type(bar.field, "pas")  # selects the first match at once
    assert bar.count.text() == "1 of 2"
    assert win.article.selection_cp() == (TEXT.index("passports"), TEXT.index("passports") + 3)
    keys.press(bar.field, Qt.Key.Key_Return)  # the keyboard goes back to the article, the match selected
    assert win.article.hasFocus()
    keys.press(win.article, Qt.Key.Key_1)
    assert _spans(store, doc) == [("passports", "working_hours")]  # snapped to the whole word
    assert keys.count == 5
    # the loop goes on: Enter steps to the next match, the label key tags it
    keys.press(win.article, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 2"
    keys.press(win.article, Qt.Key.Key_2)
    assert _spans(store, doc) == [("passports", "working_hours"), ("passports", "injury")]
    assert keys.count == 7


def test_a_phrase_across_a_line_break_in_two_keys_after_typing(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win, doc = _window(qtbot, store, tmp_path)
    qtbot.keyClick(win.article, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F in the article
    bar = win.find_bar
    assert bar.field.hasFocus() and not win.docs.search.hasFocus()
    qtbot.keyClicks(bar.field, "PASSPORTS; the   kept")  # case and spacing (a line break) do not matter
    keys = Keys(qtbot)
    keys.press(bar.field, Qt.Key.Key_Return)
    keys.press(win.article, Qt.Key.Key_3)
    assert keys.count == 2
    assert _spans(store, doc) == [("passports;\nthe KEPT", "surveillance")]


def test_next_previous_count_accents_and_escape(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win, _doc = _window(qtbot, store, tmp_path)
    bar = win.find_bar
    qtbot.keyClick(win.article, "/")
    qtbot.keyClicks(bar.field, "kept")
    starts = [i for i in range(len(TEXT)) if TEXT[i:i + 4].lower() == "kept"]
    assert bar.count.text() == "1 of 3"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # first Enter: hand over the match typing found
    assert win.article.selection_cp() == (starts[0], starts[0] + 4)
    bar.field.setFocus()
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)  # Enter in the field again: the next one
    assert bar.count.text() == "2 of 3" and win.article.selection_cp() == (starts[1], starts[1] + 4)
    qtbot.keyClick(win.article, Qt.Key.Key_F3)
    assert bar.count.text() == "3 of 3"
    qtbot.keyClick(win.article, Qt.Key.Key_Return)  # wraps around
    assert bar.count.text() == "1 of 3"
    qtbot.keyClick(win.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "3 of 3"
    qtbot.keyClick(win.article, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "2 of 3"
    bar.field.setFocus()
    bar.field.selectAll()
    qtbot.keyClicks(bar.field, "krakow")  # accents folded
    assert bar.count.text() == "1 of 1"
    assert win.article.selection_cp() == (TEXT.index("Kraków"), TEXT.index("Kraków") + 6)
    qtbot.keyClicks(bar.field, "x")
    assert bar.count.text() == "No match"
    assert win.article.selection_cp() is None  # no stale match left for a label key to tag
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and win.article.hasFocus()


def test_ctrl_f_outside_the_article_still_searches_documents(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win, _doc = _window(qtbot, store, tmp_path)
    win.docs.table.setFocus()
    qtbot.keyClick(win.docs.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.docs.search.hasFocus() and not win.find_bar.isVisible()
    qtbot.keyClicks(win.docs.search, "/")  # "/" types into the search box
    assert win.docs.search.text() == "/" and not win.find_bar.isVisible()
