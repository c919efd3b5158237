"""Issue #13 D.2: curation by keyboard — real key presses on the shown, active curation window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import queries
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.curation.group_list import KIND_ROLE
from annotator.ui.ops.session import AnnotationSession
from tests.ui.test_agreement_view import HARBOUR, LEAD, TIMBER, A, B, bounds, build_two_analysts
from tests.ui.test_curation_view import gold
from tests.ui_helpers import drag_select

CTRL, ALT, SHIFT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier,
                    Qt.KeyboardModifier.ShiftModifier)


@pytest.fixture
def view(qtbot, db_path: Path):  # type: ignore[no-untyped-def]
    store, pks = build_two_analysts(db_path)
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [pks["harbour"], pks["timber"]])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.open_document(pks["harbour"])
    view.group_list.setFocus()
    view.pks = pks
    yield view
    store.close()


def key(qtbot, view: CurationView, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(view.focusWidget() or view, k, mods)


def test_groups_versions_reject_and_documents_by_keys(qtbot, view: CurationView) -> None:
    pks = view.pks
    assert view.group_list.currentRow() == 0
    key(qtbot, view, Qt.Key.Key_N)
    key(qtbot, view, Qt.Key.Key_J)
    assert view.group_list.currentRow() == 2
    key(qtbot, view, Qt.Key.Key_K)
    key(qtbot, view, Qt.Key.Key_P)
    assert view.group_list.currentRow() == 0
    # group 1 is the "sixteen hours" one: version 2 is analyst-b's shorter span
    assert "sixteen hours" in HARBOUR[view.current_group().start:view.current_group().end]
    key(qtbot, view, Qt.Key.Key_2)
    assert (*bounds(HARBOUR, "sixteen hours"), "working_hours", "sixteen hours") in gold(view.store, pks["harbour"])
    key(qtbot, view, Qt.Key.Key_1)  # changing one's mind replaces it
    hours = [g[3] for g in gold(view.store, pks["harbour"]) if g[2] == "working_hours"]
    assert hours == ["sixteen hours without a break"]
    key(qtbot, view, Qt.Key.Key_N)
    key(qtbot, view, Qt.Key.Key_R)
    assert view.group_state(view.current_group()) == "rejected"
    key(qtbot, view, Qt.Key.Key_N)
    key(qtbot, view, Qt.Key.Key_Delete)
    assert view.unresolved() == 0
    key(qtbot, view, Qt.Key.Key_Return, CTRL)
    with view.store.session() as session:
        assert queries.layer_status(session, pks["harbour"], GOLD_ANNOTATOR) == "done"
    key(qtbot, view, Qt.Key.Key_PageDown, CTRL)
    assert view.current.pk == pks["timber"]
    key(qtbot, view, Qt.Key.Key_PageUp, CTRL)
    assert view.current.pk == pks["harbour"]
    key(qtbot, view, Qt.Key.Key_9)
    assert "no version 9" in view.last_message
    dialog = None
    key(qtbot, view, Qt.Key.Key_F1)
    dialog = view.keys.dialog
    assert dialog is not None and dialog.isVisible()
    listed = " ".join(view.keys.rows()[i][1] for i in range(len(view.keys.rows())))
    for needed in ("1 … 9", "R", "Del", "N", "J", "PgDown", "Alt+Left", "Alt+Shift+Right", "Ctrl+Return"):
        assert needed in listed
    assert "1–9 accept" in view.help_line.text() and view.help_line.isVisible()
    dialog.close()


def test_gold_boundaries_by_alt_arrows_and_set_to_selection(qtbot, view: CurationView) -> None:
    pks = view.pks
    view.open_document(pks["timber"])  # one group: the export ban only analyst-b tagged
    view.activateWindow()
    key(qtbot, view, Qt.Key.Key_2)  # analyst-b's version (analyst-a marked nothing: row 1)
    ban = bounds(TIMBER, "export ban")
    assert (*ban, "sanctions", "export ban") in gold(view.store, pks["timber"])
    view.gold_here.setCurrentRow(0)
    view.group_list.setFocus()
    steps = view.ops.undo_stack.index()
    key(qtbot, view, Qt.Key.Key_Left, ALT | CTRL)  # start one word left: "An export ban"
    key(qtbot, view, Qt.Key.Key_Right, ALT | SHIFT)  # end one character right: "An export ban "
    spans = [g for g in gold(view.store, pks["timber"]) if g[2] == "sanctions"]
    assert spans[0][0] == TIMBER.index("An export ban") and spans[0][3].startswith("An export ban")
    assert view.ops.undo_stack.index() == steps + 1  # two presses in a row: one undo step
    view.ops.undo_stack.undo()
    assert [g[3] for g in gold(view.store, pks["timber"]) if g[2] == "sanctions"] == ["export ban"]
    # Set to selection: drag over "timber" in analyst-b's lane, Alt+Enter.
    lane = view.lane_views[B]
    start, end = bounds(TIMBER, "An export ban on the timber")
    drag_select(qtbot, lane, TIMBER, start, end)
    assert lane.selection_cp() == (start, end)
    view.activateWindow()
    qtbot.keyClick(lane, Qt.Key.Key_Return, ALT)
    assert [g[3] for g in gold(view.store, pks["timber"]) if g[2] == "sanctions"] == ["An export ban on the timber"]


def test_boundary_only_groups_are_marked_apart(qtbot, view: CurationView) -> None:
    kinds = {HARBOUR[g.start:g.end]: view.group_list.item(i).data(KIND_ROLE) for i, g in enumerate(view.groups)}
    assert kinds["sixteen hours without a break"] == "boundaries"
    assert kinds["Guards checked every phone"] == "presence"
    texts = [view.group_list.item(i).text() for i in range(view.group_list.count())]
    assert "boundaries only" in texts[0] and "boundaries only" not in texts[1]
