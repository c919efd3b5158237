"""Team menu: the blind-mode toggle, Approve layer, and who may use them (real windows, offscreen).

On a local file anyone may switch blind mode (like assigning); it is one undo step, and analyst b's window
shows a's layer while it is off. On a server an analyst finds the entries disabled with the reason as
their tooltip, and the store refuses the change anyway.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.assignments import assign
from annotator.store.database import open_store
from annotator.store.project_settings import blind_mode
from tests.ui_helpers import add_text, make_window


def _shared(store) -> int:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # first: the admin
        repo.ensure_default_scheme(session)
    pk = add_text(store, "Night shifts of fourteen hours were common at the yard.", "Shared")
    with store.write() as session:
        assign(session, "lead", ["a", "b"], overlap=1.0)
        repo.add_span(session, pk, "a", 0, 12, "working_hours", actor="a")
        repo.set_status(session, pk, "a", "done", actor="a")
    return pk


def _layers(window) -> list[str]:  # type: ignore[no-untyped-def]
    combo = window.layer_switch.combo
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_blind_toggle_hides_and_shows_colleagues_layers_and_undoes(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pk = _shared(store)
    lead = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    toggle = lead.team_tools.act_blind
    assert toggle.isEnabled() and toggle.isChecked() and toggle.text() == "Blind annotation (default)"
    b = make_window(qtbot, store, tmp_path / "b.ini", annotator="b")
    b.open_document(pk)
    assert _layers(b) == ["Mine (b)"]
    toggle.trigger()  # what clicking the checked menu entry does
    assert not toggle.isChecked() and toggle.text() == "Blind annotation"
    assert lead.statusBar().currentMessage() == "Blind annotation is off for everyone in this project."
    with store.session() as session:
        assert blind_mode(session) == (False, False)
    b.open_document(pk)
    assert _layers(b) == ["Mine (b)", "a"]
    assert b.open_document(pk, "a") and [s.quote for s in b.session.spans.values()] == ["Night shifts"]
    assert lead.ops.undo_stack.undoText() == "Turn blind annotation off"
    lead.ops.undo_stack.undo()  # back to the default, not to an explicit "on"
    assert toggle.isChecked() and toggle.text() == "Blind annotation (default)"
    with store.session() as session:
        assert blind_mode(session) == (True, True)
        assert "a" not in queries.layer_owners(session, pk, "b")
    b.open_document(pk)
    assert _layers(b) == ["Mine (b)"]  # b's window is blind again


def test_approve_layer_keeps_it_done_and_shows_the_verdict(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pk = _shared(store)
    lead = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    lead.open_document(pk)
    team = lead.team_tools
    assert not team.act_approve.isEnabled()
    assert lead.open_document(pk, "a")
    assert team.act_approve.isEnabled() and team.act_approve.toolTip() == "Mark a's layer approved"
    team.act_approve.trigger()
    assert lead.session.status == "done" and lead.header.review_text == "Approved by lead"
    with store.session() as session:
        assert queries.layer_review(session, pk, "a").state == "approved"
    lead.ops.undo_stack.undo()
    assert lead.header.review_text == ""
    with store.session() as session:
        assert queries.layer_review(session, pk, "a") is None


def test_a_return_dialog_needs_a_comment_and_cancel_changes_nothing(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pk = _shared(store)
    lead = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    assert lead.open_document(pk, "a")
    dialog = lead.team_tools.open_return_dialog()
    assert dialog is not None and not dialog.return_button.isEnabled()
    qtbot.keyClicks(dialog.comment, "   ")
    assert not dialog.return_button.isEnabled()  # only spaces: no comment
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and lead.session.status == "done" and lead.ops.undo_stack.count() == 0


@pytest.mark.postgres
def test_an_analyst_on_a_server_finds_the_team_entries_disabled_with_the_reason(qtbot, pg_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(pg_url)
    try:
        pk = _shared(store)
        b = make_window(qtbot, store, tmp_path / "b.ini", annotator="b")
        b.open_document(pk)
        team = b.team_tools
        reason = "Needs the curator or admin role (an admin gives it: annotator db role b curator)"
        for action in (team.act_assign, team.act_blind, team.act_approve, team.act_return):
            assert not action.isEnabled() and action.toolTip() == reason
        assert not b.ops.set_blind_mode(False)  # the store refuses it too
        assert "b may not change project settings" in (b.last_error or "")
        with store.session() as session:
            assert blind_mode(session) == (True, True)
        b.close()
    finally:
        store.close()


def test_undoing_a_return_after_the_analyst_reworked_the_layer_changes_nothing(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pk = _shared(store)
    lead = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    assert lead.open_document(pk, "a")
    dialog = lead.team_tools.open_return_dialog()
    qtbot.keyClicks(dialog.comment, "tag the yard too")
    qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    with store.write() as session:
        repo.set_status(session, pk, "a", "done", actor="a")  # a reworked it and marked it done again
    lead.ops.undo_stack.undo()
    assert lead.last_error == "a's layer changed after the review (reworked or reviewed again); the review was not undone"
    with store.session() as session:
        assert queries.layer_review(session, pk, "a").comment == "tag the yard too"
        assert queries.layer_status(session, pk, "a") == "done"
