"""Curating relations: the analysts' relations between spans gold holds are listed in the curation window
and accepted into gold with Enter, one undo step; gold lanes draw them; removing a gold span and undoing it
brings its gold relation back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.formats.articles import document_from_text
from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.ops.session import AnnotationSession

TEXT = "They worked 16 hours a day. One man suffered a back injury and another lost two fingers."
LEAD, A, B = "lead", "analyst-a", "analyst-b"


def bounds(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def curated(db_path: Path):  # type: ignore[no-untyped-def]
    """Both analysts tag the same three spans; A links hours→injury and hours→fingers, B only hours→injury."""
    store = open_store(db_path)
    with store.write() as db:
        repo.ensure_default_scheme(db)
        repo.get_or_create_annotator(db, LEAD)  # the first user: admin, may curate
        row, _ = repo.add_document(db, document_from_text(TEXT, {"title": "Relations"}))
        for who in (A, B):
            ids = {phrase: repo.add_span(db, row.id, who, *bounds(phrase), label, actor=who).id
                   for phrase, label in (("16 hours a day", "working_hours"), ("back injury", "injury"),
                                         ("lost two fingers", "injury"))}
            repo.add_relation(db, ids["16 hours a day"], ids["back injury"], "caused", actor=who)
            if who == A:
                repo.add_relation(db, ids["16 hours a day"], ids["lost two fingers"], "caused", actor=who)
            repo.set_status(db, row.id, who, "done")
    yield store, row.id
    store.close()


def gold_relations(store: Store, doc: int) -> list[tuple[str, str, str]]:
    with store.session() as db:
        quotes = {s.id: s.quote for s in repo.list_spans(db, doc, GOLD_ANNOTATOR)}
        return [(quotes[r.source_span_id], quotes[r.target_span_id], r.label)
                for r in repo.document_relations(db, doc, GOLD_ANNOTATOR)]


def test_relations_between_gold_spans_are_offered_and_accepted_with_enter(qtbot, curated) -> None:  # type: ignore[no-untyped-def]
    store, doc = curated
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [doc])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.open_document(doc)  # both analysts agree on the spans: opening pre-accepts them into gold
    box = view.relation_box
    assert [box.list.item(i).text() for i in range(box.list.count())] == [
        "Caused: “16 hours a day” → “back injury” — analyst-a, analyst-b",
        "Caused: “16 hours a day” → “lost two fingers” — analyst-a"]
    assert len(view.lane_views[A].relation_marks) == 2 and len(view.lane_views[B].relation_marks) == 1
    assert view.lane_views[GOLD_ANNOTATOR].relation_marks == []
    box.list.setFocus()
    box.list.setCurrentRow(0)
    qtbot.keyClick(box.list, Qt.Key.Key_Return)
    assert gold_relations(store, doc) == [("16 hours a day", "back injury", "caused")]
    assert [box.list.item(i).text().split(" — ")[0] for i in range(box.list.count())] == [
        "Caused: “16 hours a day” → “lost two fingers”"]
    assert len(view.lane_views[GOLD_ANNOTATOR].relation_marks) == 1
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert gold_relations(store, doc) == [] and box.list.count() == 2
    qtbot.mouseClick(view.redo_button, Qt.MouseButton.LeftButton)
    assert gold_relations(store, doc) == [("16 hours a day", "back injury", "caused")]

    # removing a gold span takes its relation; one undo restores both
    injury = next(s for s in view.gold if s.quote == "back injury")
    assert view.ops.remove_gold(doc, injury)
    assert gold_relations(store, doc) == []
    assert [box.list.item(i).text().split(" — ")[0] for i in range(box.list.count())] == [
        "Caused: “16 hours a day” → “lost two fingers”"]  # its span left gold: not offered either
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert gold_relations(store, doc) == [("16 hours a day", "back injury", "caused")]


def test_relabelling_a_gold_span_drops_relations_it_refuses_and_undo_restores(qtbot, curated) -> None:  # type: ignore[no-untyped-def]
    store, doc = curated
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [doc])
    qtbot.addWidget(view)
    view.show()
    view.open_document(doc)
    view.relation_box.list.setCurrentRow(0)
    view.relation_box.accept_button.click()
    assert gold_relations(store, doc) == [("16 hours a day", "back injury", "caused")]
    injury = next(s for s in view.gold if s.quote == "back injury")
    assert view.ops.update_gold(doc, injury, injury.start, injury.end, "sanctions")
    assert gold_relations(store, doc) == []
    view.ops.undo_stack.undo()
    assert gold_relations(store, doc) == [("16 hours a day", "back injury", "caused")]


def test_without_the_curator_role_nothing_is_accepted(qtbot, curated) -> None:  # type: ignore[no-untyped-def]
    store, doc = curated
    view = CurationView(AnnotationSession(store, A), [A, B], [doc])
    qtbot.addWidget(view)
    view.show()
    view.open_document(doc)
    assert not view.relation_box.isEnabled()


def test_with_nothing_to_curate_the_box_gives_its_height_to_the_lanes(qtbot, curated) -> None:  # type: ignore[no-untyped-def]
    store, doc = curated
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [doc])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.open_document(doc)
    box = view.relation_box
    assert box.list.isVisible() and box.accept_button.isVisible()
    lanes_with_offers = view.lanes.height()
    for _ in range(box.list.count()):  # accept every offer: none left
        box.list.setCurrentRow(0)
        box.accept_button.click()
    assert box.list.count() == 0 and "none to curate" in box.title()
    assert not box.list.isVisible() and not box.accept_button.isVisible()
    qtbot.waitUntil(lambda: view.lanes.height() > lanes_with_offers)
