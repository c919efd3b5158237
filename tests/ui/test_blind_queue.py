"""Team workflow in the app: my queue, blind annotation and a returned layer, driven with real keys.

Analysts a and b share a document (assigned to both). Until b marks their own layer done, the store lists
and reads no other layer for b (the layer switch shows only b's own, and opening a's layer is refused);
after done, a's layer appears. The document list shows b's queue by default (an unassigned document only
under "All documents"), Ctrl+Enter follows the queue, and a layer the curator returned through Team →
Return layer… (the real comment dialog) comes back in the queue with the curator's comment in the status
bar and the heading; the curator's undo restores the layer's previous status and review.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.core.errors import PermissionDenied
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.assignments import assign
from tests.ui_helpers import add_text, make_window


def _team(store):  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # first: the admin; a and b are plain analysts
    shared = add_text(store, "Night shifts of fourteen hours were common at the yard.", "Shared")
    second = add_text(store, "Inspectors found the dormitory locked at night.", "Second")
    with store.write() as session:
        assign(session, "lead", ["a", "b"], overlap=1.0)  # both documents to both analysts
    outside = add_text(store, "A third article nobody was assigned.", "Outside")
    with store.write() as session:
        repo.add_span(session, shared, "a", 0, 12, "working_hours", actor="a")
        repo.set_status(session, shared, "a", "done", actor="a")
    return shared, second, outside


def _combo(window) -> list[str]:  # type: ignore[no-untyped-def]
    combo = window.layer_switch.combo
    return [combo.itemText(i) for i in range(combo.count())]


def test_b_sees_a_layer_only_after_marking_own_done_and_a_returned_layer_comes_back(
        qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    shared, second, outside = _team(store)
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator="b")
    docs = window.docs
    # My queue by default: the unassigned article is listed only under "All documents".
    assert docs.scope.isVisible() and docs.scope.currentText() == "My queue"
    assert docs.model.rowCount() == 2
    assert window.queue_progress.text() == "Queue: 0 of 2 done"
    window.open_document(shared)
    assert _combo(window) == ["Mine (b)"]  # blind: a's layer is not even listed
    assert not window.open_document(shared, "a") and window.session.layer_owner == "b"
    assert window.statusBar().currentMessage().startswith("blind annotation: a's layer stays hidden")
    with store.session() as db, pytest.raises(PermissionDenied, match="blind annotation"):
        queries.layer_spans(db, shared, "a", "b")
    # b marks their own layer done with Ctrl+Enter: the next undone document of the queue opens ...
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.session.doc_pk == second
    assert window.queue_progress.text() == "Queue: 1 of 2 done"
    # ... and back on the shared document a's layer is listed and readable.
    window.open_document(shared)
    assert _combo(window) == ["Mine (b)", "a"]
    assert window.open_document(shared, "a") and [s.quote for s in window.session.spans.values()] == [
        "Night shifts"]
    window.open_document(second)
    # The curator returns b's layer of the shared document with a comment, through Team → Return layer….
    lead = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    lead.open_document(shared)
    team = lead.team_tools
    assert not team.act_return.isEnabled() and "Show an analyst's layer first" in team.act_return.toolTip()
    lead.layer_switch.combo.setFocus()
    pick = lead.layer_switch.combo.findData("b")
    for _ in range(pick - lead.layer_switch.combo.currentIndex()):
        qtbot.keyClick(lead.layer_switch.combo, Qt.Key.Key_Down)  # a combo box activates on arrow keys
    assert lead.session.layer_owner == "b" and lead.session.status == "done"
    assert team.act_approve.isEnabled() and team.act_return.isEnabled()
    team.act_return.trigger()
    dialog = team.return_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.return_button.isEnabled()
    qtbot.keyClicks(dialog.comment, "you missed the fourteen hours")
    qtbot.mouseClick(dialog.return_button, Qt.MouseButton.LeftButton)
    assert lead.session.status == "in_progress" and lead.session.review is not None
    assert lead.header.review_text == "Returned by lead: you missed the fourteen hours"
    assert "Returned by lead: you missed the fourteen hours" in lead.header.meta.text()
    assert not team.act_return.isEnabled()  # no longer done: nothing to review
    assert lead.ops.undo_stack.undoText() == "Return b's layer"
    window.activateWindow()  # back to b's window: its shortcuts need the active window
    qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.session.doc_pk == shared and window.session.status == "in_progress"
    assert window.statusBar().currentMessage() == "Returned by lead: you missed the fourteen hours"
    assert _combo(window) == ["Mine (b)"]  # back in progress: blind again
    assert window.queue_progress.text() == "Queue: 1 of 2 done"  # second done, shared returned
    assert window.header.review_text == "Returned by lead: you missed the fourteen hours"
    # The curator undoes the return: b's layer is done again, without a review, and leaves b's queue.
    lead.ops.undo_stack.undo()
    assert lead.session.status == "done" and lead.session.review is None and lead.header.review_text == ""
    with store.session() as session:
        assert queries.layer_review(session, shared, "b") is None
        assert queries.layer_status(session, shared, "b") == "done"
    window.open_document(second)
    window.open_document(shared)
    assert window.session.status == "done" and window.header.review_text == ""
    lead.ops.undo_stack.redo()  # and redo returns it again, comment included
    with store.session() as session:
        assert queries.layer_review(session, shared, "b").comment == "you missed the fourteen hours"
        assert queries.layer_status(session, shared, "b") == "in_progress"
    # "All documents" lists the unassigned article too.
    docs.scope.setCurrentIndex(docs.scope.findText("All documents"))
    assert docs.model.rowCount() == 3 and outside in [docs.model.pks[i] for i in range(3)]


def test_curators_and_untasked_databases_see_every_layer(store) -> None:  # type: ignore[no-untyped-def]
    shared, _second, _outside = _team(store)
    with store.write() as session:
        repo.add_span(session, shared, "b", 0, 5, "working_hours", actor="b")
    with store.session() as db:
        assert queries.layer_owners(db, shared, "lead") == ["a", "b"]  # the admin sees everything
        assert queries.layer_owners(db, shared, "b") == ["b"]
        assert queries.layer_owners(db, shared, "a") == ["a", "b"]  # a is done with this document
        assert queries.layer_owners(db, shared) == ["a", "b"]  # a trusted reader (export, CLI)


def test_blind_analysts_get_no_colleague_phrases_and_no_agreement_until_done(store) -> None:  # type: ignore[no-untyped-def]
    from annotator.store.agreement_scope import EmptyScope, run_agreement
    from annotator.store.suggestions import tagged_phrases

    shared, _second, _outside = _team(store)
    with store.write() as session:
        repo.add_span(session, shared, "b", 0, 5, "working_hours", actor="b")
    with store.session() as db:
        assert [q for q, _k, _n in tagged_phrases(db, "b", "all")] == ["Night"]  # only b's own phrase
        assert [q for q, _k, _n in tagged_phrases(db, "lead", "all")] == ["Night", "Night shifts"]
    with pytest.raises(EmptyScope):  # b's layer is in progress: no agreement for b yet ...
        run_agreement(store, ["a", "b"], include_in_progress=True, viewer="b")
    assert run_agreement(store, ["a", "b"], include_in_progress=True, viewer="lead").scope.documents
    with store.write() as session:
        repo.set_status(session, shared, "b", "done", actor="b")
    assert len(run_agreement(store, ["a", "b"], viewer="b").scope.documents) == 1  # ... until it is done
