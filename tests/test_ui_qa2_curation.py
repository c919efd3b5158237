"""Second UI QA pass, Tools → Curate… with more than two analysts (one test per bug)."""

from __future__ import annotations

from pathlib import Path

from annotator.store import repository as repo
from annotator.ui.agreement_tools import install_agreement_tools
from tests.test_ui_agreement import LEAD, A, B, build_two_analysts
from tests.test_ui_support import make_window


def test_curate_says_why_when_no_document_is_finished_by_every_analyst(qtbot, db_path: Path, tmp_path: Path) -> None:
    # Two analysts shared two finished documents, a third finished only another one: Curate… claimed that
    # no two analysts had marked documents done, which was false and left the curator without a way on.
    store, pks = build_two_analysts(db_path)
    with store.write() as session:
        repo.set_status(session, pks["other"], "analyst-c", "done")
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator=LEAD)
    tools = install_agreement_tools(window, store, LEAD)
    tools.curate_action.trigger()
    assert tools.curation is None
    message = window.last_error
    assert "two or more analysts have marked done" not in message
    assert all(name in message for name in (A, B, "analyst-c")) and "Agreement" in message
    store.close()
