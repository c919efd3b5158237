"""Curating document fields into gold (issue #16): each analyst's value beside gold's, picked by key or mouse.

The curation window shows one row per field and one column per analyst plus gold; F puts the keyboard in
the table, Enter takes the current analyst's value into gold, Delete clears gold's; a double-click does
the same with the mouse. Each pick is one undo step of the curation stack, and the store's role check
applies (a non-curator cannot write gold's fields).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.store.database import Store
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.ops.session import AnnotationSession
from tests.ui.test_agreement_view import LEAD, A, B, build_two_analysts


@pytest.fixture
def judged(db_path: Path):
    store, pks = build_two_analysts(db_path)
    with store.write() as session:
        for who, relevance, source in ((A, "relevant", "re-reporting"), (B, "partly", "re-reporting")):
            repo.set_document_field(session, pks["harbour"], who, "relevance", relevance, actor=who)
            repo.set_document_field(session, pks["harbour"], who, "source_type", source, actor=who)
    yield store, pks
    store.close()


def gold_fields(store: Store, pk: int) -> dict:  # type: ignore[type-arg]
    with store.session() as session:
        return repo.document_fields(session, pk, GOLD_ANNOTATOR)


def open_view(qtbot, store: Store, pks: dict[str, int], actor: str = LEAD) -> CurationView:  # type: ignore[no-untyped-def]
    view = CurationView(AnnotationSession(store, actor), [A, B], [pks["harbour"], pks["timber"]])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.open_document(pks["harbour"])
    return view


def cell(view: CurationView, row: int, col: int) -> str:
    item = view.fields_box.table.item(row, col)
    assert item is not None
    return item.text()


def test_each_analysts_value_beside_gold_and_picked_by_keyboard(qtbot, judged) -> None:  # type: ignore[no-untyped-def]
    store, pks = judged
    view = open_view(qtbot, store, pks)
    box, table = view.fields_box, view.fields_box.table
    assert view.side_tabs.isTabVisible(1) and view.side_tabs.tabText(1) == "Document fields (1 ≠)"
    assert [table.horizontalHeaderItem(c).text() for c in range(3)] == [A, B, "Gold"]
    assert [table.verticalHeaderItem(r).text() for r in range(2)] == ["≠ Relevance", "Source type"]
    assert [cell(view, 0, c) for c in range(3)] == ["relevant", "partly", "—"]
    steps = view.ops.undo_stack.count()  # opening may have pre-accepted agreed spans
    qtbot.keyClick(view.lane_views[A], Qt.Key.Key_F)
    assert box.isVisible() and table.hasFocus() and (table.currentRow(), table.currentColumn()) == (0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Right)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # analyst-b's "partly"
    assert gold_fields(store, pks["harbour"]) == {"relevance": "partly"}
    assert cell(view, 0, 2) == "partly"
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert gold_fields(store, pks["harbour"]) == {"relevance": "partly", "source_type": "re-reporting"}
    assert view.ops.undo_stack.count() == steps + 2
    assert view.ops.undo_stack.undoText() == f"Gold Source type: re-reporting ({B})"
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # clears gold's value, does not reject a group
    assert gold_fields(store, pks["harbour"]) == {"relevance": "partly"}
    assert view.unresolved() == len(view.groups) - sum(view.group_state(g) != "open" for g in view.groups)
    view.ops.undo_stack.undo()
    assert gold_fields(store, pks["harbour"]) == {"relevance": "partly", "source_type": "re-reporting"}
    view.ops.undo_stack.undo()
    view.ops.undo_stack.undo()
    assert gold_fields(store, pks["harbour"]) == {}
    assert cell(view, 0, 2) == "—"
    view.ops.undo_stack.redo()
    assert gold_fields(store, pks["harbour"]) == {"relevance": "partly"}


def test_double_click_takes_a_value_and_an_empty_one_is_explained(qtbot, judged) -> None:  # type: ignore[no-untyped-def]
    store, pks = judged
    view = open_view(qtbot, store, pks)
    table = view.fields_box.table
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert gold_fields(store, pks["harbour"]) == {"relevance": "relevant"}
    view.open_document(pks["timber"])  # nobody judged this one
    assert cell(view, 0, 0) == "—"
    assert not view.fields_box.take(0, 0)
    assert f"{A} gave no value for Relevance" in view.last_message
    assert gold_fields(store, pks["timber"]) == {}


def test_a_non_curator_cannot_write_golds_fields(qtbot, judged) -> None:  # type: ignore[no-untyped-def]
    store, pks = judged
    view = open_view(qtbot, store, pks, actor=A)
    assert not view.fields_box.use_button.isEnabled()
    assert not view.fields_box.take(0, 0)
    view.fields_box.editable = True  # even past the widget, the store refuses
    assert not view.fields_box.take(0, 0)
    assert "curator" in view.last_message
    assert gold_fields(store, pks["harbour"]) == {}
