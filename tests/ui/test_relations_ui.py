"""Relations in the main window, driven like an analyst: R and Tab/Enter (link mode), Alt+drag from span to
span, the span panel's list, undo/redo by keys, arcs drawn, and refusals that store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from annotator.core.scheme_parts import RelationType
from annotator.store import repository as repo
from tests.ui_helpers import ANALYST, add_text, make_window, point_of, u16

TEXT = ("He worked 16 hours a day and suffered a back injury.\nLater the guards watched him and he lost two "
        "fingers. His remittance went around the sanctions.")
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _cp(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


PHRASES = (("hours", "16 hours a day", "working_hours"), ("back", "back injury", "injury"),
           ("guards", "guards watched him", "surveillance"), ("fingers", "lost two fingers", "injury"),
           ("money", "remittance", "remittance"), ("sanctions", "sanctions", "sanctions"))


@pytest.fixture
def setup(qtbot, store, tmp_path: Path):  # type: ignore[no-untyped-def]
    doc = add_text(store, TEXT, "Relations")
    win = make_window(qtbot, store, tmp_path / "ui.ini")
    win.open_document(doc)
    ids = {}
    for name, phrase, label in PHRASES:
        view = win.ops.tag(*_cp(phrase), label)
        assert view is not None
        ids[name] = view.id
    win.ops.undo_stack.clear()
    return win, doc, ids


def stored(store, doc: int, owner: str = ANALYST) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    with store.session() as db:
        return [(r.source_span_id, r.target_span_id, r.label) for r in repo.document_relations(db, doc, owner)]


def middle_of(win, phrase: str) -> QPoint:  # type: ignore[no-untyped-def]
    start, end = _cp(phrase)
    a, b = point_of(win.article, u16(TEXT, start)), point_of(win.article, u16(TEXT, start + 2))
    return QPoint((a.x() + b.x()) // 2, a.y())


def alt_drag(qtbot, win, source: str, target: str) -> None:  # type: ignore[no-untyped-def]
    viewport = win.article.viewport()
    a, b = middle_of(win, source), middle_of(win, target)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, ALT, pos=a)
    qtbot.mouseMove(viewport, pos=QPoint((a.x() + b.x()) // 2, (a.y() + b.y()) // 2))
    qtbot.mouseMove(viewport, pos=b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, ALT, pos=b)


def test_keyboard_link_nearest_first_enter_undo_redo(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    article = win.article
    win.session.select_span(ids["hours"])
    article.setFocus()
    qtbot.keyClick(article, Qt.Key.Key_R)
    link = win.relations.link
    assert link is not None and link.candidates == [ids["back"], ids["fingers"]]  # nearest first
    assert article.relation_preview is not None and article.relation_preview.target == ids["back"]
    assert "Link Caused" in win.statusBar().currentMessage()
    qtbot.keyClick(article, Qt.Key.Key_Tab)
    assert article.relation_preview.target == ids["fingers"]
    qtbot.keyClick(article, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(article, Qt.Key.Key_Tab)
    qtbot.keyClick(article, Qt.Key.Key_Return)
    assert stored(store, doc) == [(ids["hours"], ids["fingers"], "caused")]
    assert win.relations.link is None and article.relation_preview is None
    assert [(m.source, m.target) for m in article.relation_marks] == [(ids["hours"], ids["fingers"])]
    assert len(win.session.spans) == len(PHRASES)  # Enter linked; it did not tag with a sticky label
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL)
    assert stored(store, doc) == [] and article.relation_marks == []
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert stored(store, doc) == [(ids["hours"], ids["fingers"], "caused")]


def test_escape_cancels_and_digits_pick_the_type_not_a_label(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    scheme = win.session.scheme
    extra = RelationType("near", "Near", "#0072B2", [], [], False, 2)
    assert win.ops.save_scheme(type(scheme)(scheme.labels, scheme.fields, [*scheme.relations, extra]))
    article = win.article
    win.session.select_span(ids["hours"])
    article.setFocus()
    qtbot.keyClick(article, Qt.Key.Key_R)
    qtbot.keyClick(article, Qt.Key.Key_Escape)
    assert win.relations.link is None and stored(store, doc) == []
    qtbot.keyClick(article, Qt.Key.Key_R)
    assert "1 Caused · 2 Near" in win.statusBar().currentMessage()
    qtbot.keyClick(article, Qt.Key.Key_2)  # the second type (also a label key outside link mode)
    link = win.relations.link
    assert link is not None and link.types[link.type_index].key == "near"
    assert link.candidates[0] == ids["back"] and len(link.candidates) == len(PHRASES) - 1
    qtbot.keyClick(article, Qt.Key.Key_Return)
    assert stored(store, doc) == [(ids["hours"], ids["back"], "near")]
    assert len(win.session.spans) == len(PHRASES)


def test_mouse_alt_drag_links_and_undo_redo(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    alt_drag(qtbot, win, "remittance", "sanctions")
    assert stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")]
    assert not win.article.textCursor().hasSelection()  # the drag did not select text
    alt_drag(qtbot, win, "guards watched him", "back injury")  # across lines
    assert (ids["guards"], ids["back"], "caused") in stored(store, doc)
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert stored(store, doc) == []
    qtbot.keyClick(win.article, Qt.Key.Key_Y, CTRL)
    assert stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")]


def test_mouse_drag_between_labels_no_type_allows_says_so_and_stores_nothing(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    depth = win.ops.undo_stack.count()
    alt_drag(qtbot, win, "back injury", "16 hours a day")
    assert stored(store, doc) == [] and win.ops.undo_stack.count() == depth
    assert "No relation type links Injury to Working hours" in win.statusBar().currentMessage()


def test_mouse_drop_with_several_types_offers_a_menu(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    scheme = win.session.scheme
    extra = RelationType("near", "Near", "#0072B2", [], [], False, 2)
    win.ops.save_scheme(type(scheme)(scheme.labels, scheme.fields, [*scheme.relations, extra]))
    alt_drag(qtbot, win, "16 hours a day", "back injury")
    menu = win.relations.menu
    assert menu is not None and [a.text() for a in menu.actions()] == ["&1 Caused", "&2 Near"]
    assert stored(store, doc) == []
    menu.actions()[1].trigger()
    assert stored(store, doc) == [(ids["hours"], ids["back"], "near")]


def test_delete_key_removes_span_and_relations_one_undo_restores_both(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    win.ops.add_relation(ids["hours"], ids["back"], "caused")
    win.ops.add_relation(ids["guards"], ids["back"], "caused")
    win.session.select_span(ids["back"])
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_Delete)
    assert ids["back"] not in win.session.spans and stored(store, doc) == []
    assert win.article.relation_marks == []
    qtbot.keyClick(win.article, Qt.Key.Key_Z, CTRL)
    assert sorted(stored(store, doc)) == sorted([(ids["hours"], ids["back"], "caused"),
                                                 (ids["guards"], ids["back"], "caused")])
    assert len(win.article.relation_marks) == 2


def test_span_panel_lists_relations_enter_goes_delete_unlinks(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    win.ops.add_relation(ids["hours"], ids["back"], "caused")
    win.ops.add_relation(ids["hours"], ids["fingers"], "caused")
    panel = win.details.relations
    win.session.select_span(ids["hours"])
    assert [panel.item(i).text() for i in range(panel.count())] == [
        "→ Caused · “back injury”", "→ Caused · “lost two fingers”"]
    win.session.select_span(ids["back"])
    assert [panel.item(i).text() for i in range(panel.count())] == ["← Caused · “16 hours a day”"]
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Return)
    assert win.session.selected_span_id == ids["hours"]
    panel.setFocus()
    panel.setCurrentRow(1)
    qtbot.keyClick(panel, Qt.Key.Key_Delete)
    assert stored(store, doc) == [(ids["hours"], ids["back"], "caused")]
    assert ids["hours"] in win.session.spans  # Delete in the list removed the relation, not the span
    assert [panel.item(i).text() for i in range(panel.count())] == ["→ Caused · “back injury”"]
    win.ops.undo_stack.undo()
    assert len(stored(store, doc)) == 2


def test_others_layer_shows_relations_read_only(qtbot, setup, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = setup
    win.ops.add_relation(ids["hours"], ids["back"], "caused")
    other = make_window(qtbot, store, tmp_path / "b.ini", annotator="analyst-b")
    other.open_document(doc, ANALYST)
    assert [(m.source, m.target) for m in other.article.relation_marks] == [(ids["hours"], ids["back"])]
    other.session.select_span(ids["hours"])
    other.article.setFocus()
    qtbot.keyClick(other.article, Qt.Key.Key_R)
    assert other.relations.link is None
    assert "analyst-a's layer" in other.statusBar().currentMessage()
    alt_drag(qtbot, other, "16 hours a day", "lost two fingers")
    assert stored(store, doc) == [(ids["hours"], ids["back"], "caused")]


def test_arcs_are_painted_in_the_relation_colour(qtbot, setup) -> None:  # type: ignore[no-untyped-def]
    win, _doc, ids = setup

    def orange_pixels() -> int:
        image = win.article.viewport().grab().toImage()
        want = QColor("#D55E00")
        count = 0
        for y in range(0, image.height(), 1):
            for x in range(0, image.width(), 2):
                c = image.pixelColor(x, y)
                if abs(c.red() - want.red()) < 40 and abs(c.green() - want.green()) < 40 and abs(c.blue() - want.blue()) < 40:
                    count += 1
        return count

    before = orange_pixels()
    win.ops.add_relation(ids["hours"], ids["back"], "caused")
    win.ops.add_relation(ids["guards"], ids["fingers"], "caused")
    win.session.select_span(ids["back"], reveal=False)
    qtbot.wait(20)
    assert orange_pixels() > before + 40


def test_linking_on_a_done_layer_asks_and_yes_reopens_then_links(qtbot, setup, store) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.ops.operations import REOPEN_QUESTION

    win, doc, ids = setup
    assert win.ops.set_status("done")
    win.session.select_span(ids["money"])
    win.article.setFocus()
    qtbot.keyClick(win.article, Qt.Key.Key_R)
    qtbot.keyClick(win.article, Qt.Key.Key_Return)
    assert stored(store, doc) == []  # nothing yet: asking

    def boxes() -> list[QMessageBox]:
        return [box for box in win.findChildren(QMessageBox) if box.isVisible()]

    qtbot.waitUntil(lambda: len(boxes()) == 1)
    assert boxes()[0].text() == REOPEN_QUESTION
    qtbot.mouseClick(boxes()[0].button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")])
    assert win.session.status == "in_progress"


def test_painting_is_bounded_to_the_visible_part(qtbot) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.annotate.article_view import ArticleView
    from annotator.ui.annotate.relation_paint import (
        MAX_DRAWN,
        Frame,
        RelationMark,
        relation_path,
        visible_marks,
    )
    from annotator.ui.annotate.span_index import IndexedSpan

    para = "Workers said they worked sixteen hours a day and were hurt at the site near the port. " * 6
    text = "\n\n".join([para] * 400)
    spans = [IndexedSpan(i, start, start + 12, "injury") for i, start in enumerate(range(0, len(text) - 20, 40))]
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_document(text, spans)
    marks = [RelationMark(i, i + 1, "#D55E00") for i in range(0, len(spans) - 1, 2)]
    marks.append(RelationMark(0, len(spans) - 1, "#D55E00"))  # from the first span to the last, pages away
    view.set_relation_marks(marks)
    shown = visible_marks(view)
    start, end = view.visible_cp_range()
    assert 0 < len(shown) <= MAX_DRAWN and len(shown) < len(marks) // 10
    by_id = view.index.by_id
    assert all(min(by_id[m.source].start, by_id[m.target].start) < end for m in shown)
    assert marks[-1] in shown  # it crosses the screen
    frame = Frame.of(view)
    first, last = view.segments(by_id[0])[0], view.segments(by_id[len(spans) - 1])[0]
    path = relation_path(frame, first, last, 0)
    assert path.boundingRect().height() <= view.viewport().height() + 80  # not stroked down to the last page
