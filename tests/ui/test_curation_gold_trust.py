"""Issue #13 D.1: one curation window per gold layer, and accepting a version never adds a second label.

Both routes into curation — Tools → Curate… and a double-click in the agreement window's Disagreements —
must land in the same window (reconfigured when they compare other analysts), and accepting one analyst's
label in one route and another's in the other must leave one gold span on the extent.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import repository as repo
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.ops.curation import CurationOps
from annotator.ui.ops.session import AnnotationSession
from tests.ui.test_agreement_view import HARBOUR, LEAD, A, B, bounds, build_two_analysts
from tests.ui.test_curation_view import gold
from tests.ui_helpers import make_window

GUARDS = bounds(HARBOUR, "Guards checked every phone")


def build(db_path: Path):  # type: ignore[no-untyped-def]
    """The two analysts' articles; analyst-b calls the guards' phone checks Working hours, and a third
    analyst finished only the harbour article (so Tools → Curate… compares three analysts on one document)."""
    store, pks = build_two_analysts(db_path)
    with store.write() as session:
        repo.add_span(session, pks["harbour"], B, *GUARDS, "working_hours")
        repo.add_span(session, pks["harbour"], "analyst-c", *GUARDS, "surveillance")
        repo.set_status(session, pks["harbour"], "analyst-c", "done")
    return store, pks


def curation_windows() -> list[CurationView]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CurationView) and w.isVisible()]


def guards_group(view: CurationView) -> int:
    return next(i for i, g in enumerate(view.groups) if g.start <= GUARDS[0] < g.end)


def test_both_routes_share_one_window_and_one_label_per_extent(qtbot, db_path: Path, tmp_path: Path) -> None:
    store, pks = build(db_path)
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator=LEAD)
    tools = window.agreement_tools
    # Route 1: Tools → Curate… (three analysts, the harbour article): accept analyst-a's Surveillance.
    tools.curate_action.trigger()
    first = tools.curation
    assert first is not None and first.annotators == [A, B, "analyst-c"]
    first.select_group(guards_group(first))
    assert first.select_version(A)
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    assert [g[2] for g in gold(store, pks["harbour"]) if g[:2] == GUARDS] == ["surveillance"]
    # Route 2: the agreement window, analysts a and b only, double-click the disagreement.
    agreement = tools.open_agreement()
    agreement.annotator_list.item(2).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(agreement.computed, timeout=30_000):
        qtbot.mouseClick(agreement.compute_button, Qt.MouseButton.LeftButton)
    agreement.tabs.setCurrentIndex(agreement.tabs.indexOf(agreement.disagreements_table.parentWidget()))
    model, table = agreement.disagreements_model, agreement.disagreements_table
    row = next(r for r in range(model.rowCount()) if model.items[r].quote == "Guards checked every phone")
    rect = table.visualRect(model.index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    second = tools.curation
    assert second is first and agreement.curation is first  # raised and reconfigured, not a second window
    assert curation_windows() == [first] and first.annotators == [A, B]
    assert sorted(first.doc_pks) == sorted([pks["harbour"], pks["timber"]])
    assert first.current.pk == pks["harbour"] and (first.current_group().start, first.current_group().end) == GUARDS
    # Accept analyst-b's Working hours there: it replaces the Surveillance, one span on the extent.
    assert first.select_version(B)
    qtbot.mouseClick(first.accept_button, Qt.MouseButton.LeftButton)
    assert [g[2] for g in gold(store, pks["harbour"]) if g[:2] == GUARDS] == ["working_hours"]
    # One undo step brings the Surveillance back (the same window, the same history).
    qtbot.mouseClick(first.undo_button, Qt.MouseButton.LeftButton)
    assert [g[2] for g in gold(store, pks["harbour"]) if g[:2] == GUARDS] == ["surveillance"]
    store.close()


def test_accepting_in_a_resolved_group_replaces_its_gold_in_one_undo_step(qtbot, db_path: Path) -> None:
    store, pks = build(db_path)
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [pks["harbour"]])
    qtbot.addWidget(view)
    view.show()
    view.open_document(pks["harbour"])
    view.select_group(guards_group(view))
    view.select_version(A)
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert view.group_state(view.current_group()) == "accepted"
    before = gold(store, pks["harbour"])
    view.select_version(B)
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    after = gold(store, pks["harbour"])
    assert [g for g in after if g[:2] == GUARDS] == [(*GUARDS, "working_hours", "Guards checked every phone")]
    assert len(after) == len(before)
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert gold(store, pks["harbour"]) == before
    # Adding a second label on the same extent by hand is refused with a reason.
    view.editor.load((*GUARDS, "injury"))
    assert view.add_edited_span() is False and "already has Surveillance" in view.last_message
    assert gold(store, pks["harbour"]) == before
    # A rejected group accepted afterwards counts as accepted (the stale rejection goes in the same step).
    view.select_group(next(i for i, g in enumerate(view.groups) if "pay" in HARBOUR[g.start:g.end]))
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    view.select_version(B)
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert view.group_state(view.current_group()) == "accepted"
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert view.group_state(view.current_group()) == "rejected"
    store.close()


def test_gold_changed_through_the_session_elsewhere_shows_in_the_window(qtbot, db_path: Path) -> None:
    store, pks = build(db_path)
    session = AnnotationSession(store, LEAD)  # the main window's session
    view = CurationView(session, [A, B], [pks["harbour"]])
    qtbot.addWidget(view)
    view.show()
    view.open_document(pks["harbour"])
    index = guards_group(view)
    view.select_group(index)
    assert view.group_state(view.groups[index]) == "open"
    elsewhere = CurationOps(session)  # another curation command on the same session
    assert elsewhere.add_gold(pks["harbour"], [(*GUARDS, "working_hours")], "from elsewhere")
    assert (*GUARDS, "working_hours") in [(s.start, s.end, s.label) for s in view.gold]
    assert view.group_state(view.groups[index]) == "accepted" and "✓" in view.group_list.item(index).text()
    assert len(view.lane_views[GOLD_ANNOTATOR].index) == len(view.gold) == 2  # drawn in the gold lane
    assert view.gold_here.count() == 1 and "Working hours" in view.gold_here.item(0).text()
    # Accepting analyst-a's version in the window now replaces what came from elsewhere.
    view.select_version(A)
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    assert [g[2] for g in gold(store, pks["harbour"]) if g[:2] == GUARDS] == ["surveillance"]
    store.close()
