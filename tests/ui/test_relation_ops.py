"""Relations as operations: link, unlink, undo/redo, and a deleted (or relabelled) span taking its relations
with it — one undo restores the span and its relations together."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.store import repository as repo
from annotator.ui.ops.bulk_spans import SpanRef, delete_spans
from tests.ui_helpers import ANALYST, add_text, make_window

TEXT = "He worked 16 hours a day and suffered a back injury. His remittance went around the sanctions."


def _cp(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def tagged(qtbot, store, tmp_path: Path):  # type: ignore[no-untyped-def]
    doc = add_text(store, TEXT, "Relations")
    win = make_window(qtbot, store, tmp_path / "ui.ini")
    win.open_document(doc)
    ops = win.ops
    spans = {name: ops.tag(*_cp(phrase), label) for name, phrase, label in (
        ("hours", "16 hours a day", "working_hours"), ("injury", "back injury", "injury"),
        ("money", "remittance", "remittance"), ("sanctions", "sanctions", "sanctions"))}
    return win, doc, {name: view.id for name, view in spans.items() if view is not None}


def stored(store, doc: int) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    with store.session() as db:
        return [(r.source_span_id, r.target_span_id, r.label) for r in repo.document_relations(db, doc, ANALYST)]


def test_link_undo_redo(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    assert win.ops.add_relation(ids["hours"], ids["injury"], "caused")
    assert stored(store, doc) == [(ids["hours"], ids["injury"], "caused")]
    assert [(r.source_span_id, r.target_span_id) for r in win.session.relations.values()] == [
        (ids["hours"], ids["injury"])]
    assert win.ops.undo_stack.undoText() == "Link Working hours → Injury (Caused)"
    win.ops.undo_stack.undo()
    assert stored(store, doc) == [] and win.session.relations == {}
    win.ops.undo_stack.redo()
    assert stored(store, doc) == [(ids["hours"], ids["injury"], "caused")]


def test_refused_type_stores_nothing_and_says_why(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    depth = win.ops.undo_stack.count()
    assert not win.ops.add_relation(ids["injury"], ids["hours"], "caused")
    assert stored(store, doc) == [] and win.ops.undo_stack.count() == depth
    assert "Caused cannot link Injury to Working hours" in win.statusBar().currentMessage()


def test_unlink_undo(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    win.ops.add_relation(ids["money"], ids["sanctions"], "evades")
    relation = next(iter(win.session.relations.values()))
    assert win.ops.delete_relation(relation)
    assert stored(store, doc) == []
    win.ops.undo_stack.undo()
    assert stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")]
    win.ops.undo_stack.undo()  # the link itself: the relation got a new id on the way, found by its spans
    assert stored(store, doc) == []


def test_deleting_a_span_removes_its_relations_and_one_undo_restores_both(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    win.ops.add_relation(ids["hours"], ids["injury"], "caused")
    win.ops.add_relation(ids["money"], ids["sanctions"], "evades")
    assert win.ops.delete_span(win.session.spans[ids["injury"]])
    assert stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")]
    assert len(win.session.relations) == 1
    win.ops.undo_stack.undo()
    assert (ids["hours"], ids["injury"], "caused") in stored(store, doc)
    assert len(win.session.relations) == 2
    win.ops.undo_stack.redo()
    assert len(stored(store, doc)) == 1
    win.ops.undo_stack.undo()
    win.ops.undo_stack.undo()
    win.ops.undo_stack.undo()  # back past both links: nothing is left over
    assert stored(store, doc) == []


def test_bulk_delete_restores_relations_on_undo(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    win.ops.add_relation(ids["hours"], ids["injury"], "caused")
    refs = [SpanRef(ids["hours"], doc, ANALYST), SpanRef(ids["injury"], doc, ANALYST)]
    assert delete_spans(win.ops, refs)
    assert stored(store, doc) == [] and win.session.relations == {}
    win.ops.undo_stack.undo()
    assert stored(store, doc) == [(ids["hours"], ids["injury"], "caused")]
    assert len(win.session.relations) == 1


def test_relabel_drops_relations_the_new_label_refuses_and_undo_restores(tagged, store) -> None:  # type: ignore[no-untyped-def]
    win, doc, ids = tagged
    win.ops.add_relation(ids["hours"], ids["injury"], "caused")
    assert win.ops.update_span(win.session.spans[ids["injury"]], label="surveillance")
    assert stored(store, doc) == [] and win.session.relations == {}
    win.ops.undo_stack.undo()
    assert stored(store, doc) == [(ids["hours"], ids["injury"], "caused")]
    assert win.session.spans[ids["injury"]].label == "injury"
    win.ops.undo_stack.redo()
    assert stored(store, doc) == []


def test_bulk_relabel_drops_refused_relations_and_undo_restores(tagged, store) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.ops.bulk_spans import relabel_spans

    win, doc, ids = tagged
    win.ops.add_relation(ids["hours"], ids["injury"], "caused")
    win.ops.add_relation(ids["money"], ids["sanctions"], "evades")
    assert relabel_spans(win.ops, [SpanRef(ids["injury"], doc, ANALYST)], "sanctions")
    assert stored(store, doc) == [(ids["money"], ids["sanctions"], "evades")]
    win.ops.undo_stack.undo()
    assert sorted(stored(store, doc)) == sorted([(ids["hours"], ids["injury"], "caused"),
                                                 (ids["money"], ids["sanctions"], "evades")])
    assert len(win.session.relations) == 2
