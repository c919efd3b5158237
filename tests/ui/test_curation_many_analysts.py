"""Second UI QA pass, Tools → Curate… with more than two analysts (one test per bug)."""

from __future__ import annotations

from pathlib import Path

from annotator.store import repository as repo
from annotator.ui.ops.session import AnnotationSession
from tests.ui.test_agreement_view import LEAD, A, B, build_two_analysts
from tests.ui_helpers import make_window


def test_curate_says_why_when_no_document_is_finished_by_every_analyst(qtbot, db_path: Path, tmp_path: Path) -> None:
    # Two analysts shared two finished documents, a third finished only another one: Curate… claimed that
    # no two analysts had marked documents done, which was false and left the curator without a way on.
    store, pks = build_two_analysts(db_path)
    with store.write() as session:
        repo.set_status(session, pks["other"], "analyst-c", "done")
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator=LEAD)
    tools = window.agreement_tools
    tools.curate_action.trigger()
    assert tools.curation is None
    message = window.last_error
    assert "two or more analysts have marked done" not in message
    assert all(name in message for name in (A, B, "analyst-c")) and "Agreement" in message
    store.close()


def test_accepting_the_majority_version_resolves_its_group(qtbot, db_path: Path) -> None:
    # With three analysts and the majority policy, the version two analysts share is pre-accepted but its
    # group stays open for the third one's version. Accepting the majority's version said "already in
    # gold" and left the group open, so gold could not be marked done except by pressing "Reject group".
    from annotator.ui.curation.curation_view import CurationView
    from tests.ui.test_agreement_view import HARBOUR, bounds
    from tests.ui.test_curation_view import gold

    store, pks = build_two_analysts(db_path)
    hours = bounds(HARBOUR, "sixteen hours without a break")
    with store.write() as session:
        repo.add_span(session, pks["harbour"], "analyst-c", *hours, "working_hours")
        repo.set_status(session, pks["harbour"], "analyst-c", "done")
    view = CurationView(AnnotationSession(store, LEAD), [A, B, "analyst-c"], [pks["harbour"]], policy="majority")
    qtbot.addWidget(view)
    view.show()
    view.open_document(pks["harbour"])
    row = next(i for i, g in enumerate(view.groups) if g.start <= hours[0] < g.end)
    view.select_group(row)
    before = view.unresolved()
    assert view.group_state(view.current_group()) == "open"
    assert view.select_version(A)
    view.accept_button.click()
    assert view.group_state(view.groups[row]) == "accepted" and view.unresolved() == before - 1
    assert "✓" in view.group_list.item(row).text()
    assert (*hours, "working_hours", "sixteen hours without a break") in gold(store, pks["harbour"])
    view.undo_button.click()
    assert view.group_state(view.groups[row]) == "open"
    view.redo_button.click()
    assert view.group_state(view.groups[row]) == "accepted"
    store.close()
