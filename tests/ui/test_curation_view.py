"""The curation view: pre-accept, accept a version, reject, edit boundaries, undo/redo, roles, gold export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.core.model import GOLD_ANNOTATOR
from annotator.store import queries
from annotator.store import repository as repo
from annotator.store.database import Store, open_store
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.ops.session import AnnotationSession
from tests.cli_helpers import run_cli
from tests.ui.test_agreement_view import HARBOUR, LEAD, TIMBER, A, B, bounds, build_two_analysts


@pytest.fixture
def two_analysts(db_path: Path):
    store, pks = build_two_analysts(db_path)
    yield store, pks
    store.close()


def gold(store: Store, pk: int) -> list[tuple[int, int, str, str]]:
    with store.session() as session:
        return [(s.start, s.end, s.label, s.quote) for s in repo.list_spans(session, pk, GOLD_ANNOTATOR)]


def open_view(qtbot, store: Store, pks: dict[str, int], actor: str = LEAD, doc: str = "harbour",  # type: ignore[no-untyped-def]
              annotators: tuple[str, ...] = (A, B), policy: str = "unanimous") -> CurationView:
    view = CurationView(AnnotationSession(store, actor), list(annotators), [pks["harbour"], pks["timber"]], policy=policy)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.open_document(pks[doc])
    return view


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def group_index(view: CurationView, phrase: str, text: str = HARBOUR) -> int:
    start, _end = bounds(text, phrase)
    return next(i for i, g in enumerate(view.groups) if g.start <= start < g.end)


def test_opening_pre_accepts_the_agreed_span_as_one_undoable_step(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    hurt = bounds(HARBOUR, "two workers were hurt")
    assert gold(store, pks["harbour"]) == [(*hurt, "injury", "two workers were hurt")]
    assert len(view.lane_views[GOLD_ANNOTATOR].index) == 1
    assert len(view.groups) == 3 and view.unresolved() == 3
    click(qtbot, view.undo_button)
    assert gold(store, pks["harbour"]) == []
    click(qtbot, view.redo_button)
    assert gold(store, pks["harbour"]) == [(*hurt, "injury", "two workers were hurt")]
    # The timber article: two agreed spans pre-accepted on opening it with the Next button.
    click(qtbot, view.next_button)
    assert view.current.pk == pks["timber"] and view.position.text() == "Document 2 of 2"
    assert [g[3] for g in gold(store, pks["timber"])] == ["from dawn until late at night", "minders read their letters"]
    # Opening it again does not pre-accept twice.
    click(qtbot, view.prev_button)
    view.open_document(pks["timber"])
    assert len(gold(store, pks["timber"])) == 2


def test_majority_policy_accepts_two_of_three(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    start, end = bounds(HARBOUR, "Guards checked every phone")
    with store.write() as session:
        repo.add_span(session, pks["harbour"], "analyst-c", start, end, "surveillance")
        repo.set_status(session, pks["harbour"], "analyst-c", "done")
    view = open_view(qtbot, store, pks, annotators=(A, B, "analyst-c"), policy="majority")
    assert (start, end, "surveillance", "Guards checked every phone") in gold(store, pks["harbour"])
    assert view.lane_titles["analyst-c"].text().endswith("1 span")
    view.policy_combo.setCurrentIndex(view.policy_combo.findData("unanimous"))
    assert view.plan.accepted == ()  # analyst-c tagged only one span: nothing is unanimous


def test_accepting_a_version_puts_it_in_gold_undo_and_redo(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    view.select_group(group_index(view, "sixteen hours"))
    assert view.select_version(B)
    click(qtbot, view.accept_button)
    hours = (*bounds(HARBOUR, "sixteen hours"), "working_hours", "sixteen hours")
    assert hours in gold(store, pks["harbour"])
    assert view.group_state(view.current_group()) == "accepted" and view.unresolved() == 2
    assert "✓" in view.group_list.item(view.group_list.currentRow()).text()
    ids = {s.id for s in view.gold}
    click(qtbot, view.undo_button)
    assert hours not in gold(store, pks["harbour"]) and view.unresolved() == 3
    click(qtbot, view.redo_button)
    assert hours in gold(store, pks["harbour"])
    assert {s.id for s in view.gold} == ids  # redo restores the same span, not a new one
    # Accepting the same version again adds nothing.
    view.select_version(B)
    click(qtbot, view.accept_button)
    assert len(gold(store, pks["harbour"])) == 2 and "already in gold" in view.last_message


def test_rejecting_a_group_keeps_gold_empty_there_and_resolves_it(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    before = gold(store, pks["harbour"])
    view.select_group(group_index(view, "most of the pay was sent home"))
    click(qtbot, view.reject_button)
    assert gold(store, pks["harbour"]) == before
    assert view.group_state(view.current_group()) == "rejected" and not view.reject_button.isEnabled()
    assert "✗" in view.group_list.item(view.group_list.currentRow()).text()
    click(qtbot, view.undo_button)
    assert view.group_state(view.current_group()) == "open"
    click(qtbot, view.redo_button)
    assert view.group_state(view.current_group()) == "rejected"


def test_a_rejection_is_remembered_by_a_new_curation_window(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    view.select_group(group_index(view, "most of the pay was sent home"))
    click(qtbot, view.reject_button)
    view.select_group(group_index(view, "sixteen hours"))
    click(qtbot, view.reject_button)
    click(qtbot, view.undo_button)  # the undone rejection must not come back either
    view.close()
    reopened = open_view(qtbot, store, pks)
    pay = reopened.groups[group_index(reopened, "most of the pay was sent home")]
    hours = reopened.groups[group_index(reopened, "sixteen hours")]
    assert reopened.group_state(pay) == "rejected" and reopened.group_state(hours) == "open"
    assert reopened.unresolved() == 2
    reopened.select_group(group_index(reopened, "most of the pay was sent home"))
    assert "✗" in reopened.group_list.item(reopened.group_list.currentRow()).text()
    assert not reopened.reject_button.isEnabled()
    # Undo in the new window reopens the group in the store as well.
    reopened.select_group(group_index(reopened, "sixteen hours"))
    click(qtbot, reopened.reject_button)
    click(qtbot, reopened.undo_button)
    third = open_view(qtbot, store, pks)
    assert third.unresolved() == 2


def test_edited_boundaries_recompute_the_quote_and_gold_can_be_marked_done(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks, doc="timber")
    assert len(view.groups) == 1  # the export ban only analyst-b tagged
    # Choose boundaries by selecting text in analyst-b's lane (the text has an emoji before it: code points).
    start, end = bounds(TIMBER, "An export ban on the timber")
    view.lane_views[B].select_cp(start, end)
    click(qtbot, view.use_selection_button)
    assert (view.start_spin.value(), view.end_spin.value()) == (start, end)
    view.label_combo.setCurrentIndex(view.label_combo.findData("sanctions"))
    click(qtbot, view.add_button)
    assert (start, end, "sanctions", "An export ban on the timber") in gold(store, pks["timber"])
    # Now narrow it with the spin boxes and apply to the gold span.
    view.gold_here.setCurrentRow(0)
    narrow = bounds(TIMBER, "export ban")
    view.start_spin.setValue(narrow[0])
    view.end_spin.setValue(narrow[1])
    assert view.quote_label.text() == "export ban"
    click(qtbot, view.apply_button)
    assert (*narrow, "sanctions", "export ban") in gold(store, pks["timber"])
    click(qtbot, view.undo_button)
    assert (start, end, "sanctions", "An export ban on the timber") in gold(store, pks["timber"])
    click(qtbot, view.redo_button)
    # A reversed range is refused with a message, not stored.
    view.start_spin.setValue(narrow[1])
    view.end_spin.setValue(narrow[0])
    view.add_edited_span()
    assert "end must come after" in view.last_message
    # Every group resolved: gold can be marked done (undoably).
    assert view.unresolved() == 0
    click(qtbot, view.done_button)
    with store.session() as session:
        assert queries.layer_status(session, pks["timber"], GOLD_ANNOTATOR) == "done"
    assert not view.done_button.isEnabled()
    click(qtbot, view.undo_button)
    with store.session() as session:
        assert queries.layer_status(session, pks["timber"], GOLD_ANNOTATOR) == "in_progress"


def test_gold_cannot_be_marked_done_with_open_groups(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    assert not view.done_button.isEnabled()
    assert view.mark_gold_done() is False and "3 group(s) are still open" in view.last_message


def test_a_non_curator_sees_a_clear_message_and_cannot_write_gold(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks, actor=A)
    assert view.banner.isVisible() and "needs the curator role" in view.banner.text()
    for button in (view.accept_button, view.reject_button, view.add_button, view.pre_accept_button,
                   view.done_button):
        assert not button.isEnabled()
    assert gold(store, pks["harbour"]) == []  # no pre-accept for someone who may not curate
    # Even a direct call is refused by the store's role check, with a readable message.
    assert view.ops.add_gold(pks["harbour"], [(0, 5, "injury")], "sneak") is False
    assert "may not change the gold layer" in view.last_message
    assert view.ops.reject(pks["harbour"], (0, 5)) is False
    assert gold(store, pks["harbour"]) == [] and view.ops.undo_stack.count() == 0
    # A curator role makes it work.
    with store.write() as session:
        repo.set_role(session, B, "curator")
    curator = open_view(qtbot, store, pks, actor=B)
    assert not curator.banner.isVisible() and len(gold(store, pks["harbour"])) == 1


def test_gold_export_after_curation_verifies(qtbot, capsys, two_analysts, db_path: Path, tmp_path: Path) -> None:
    store, pks = two_analysts
    view = open_view(qtbot, store, pks)
    view.select_group(group_index(view, "sixteen hours"))
    view.select_version(A)
    click(qtbot, view.accept_button)
    view.select_group(group_index(view, "Guards checked every phone"))
    view.select_version(A)
    click(qtbot, view.accept_button)
    view.select_group(group_index(view, "most of the pay was sent home"))
    click(qtbot, view.reject_button)
    click(qtbot, view.done_button)

    out = tmp_path / "gold.jsonl"
    result = run_cli(capsys, "--db", db_path, "export", "-o", out, "--gold")
    assert result.code == 0, result.err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["annotator"], r["status"]) for r in records] == [(GOLD_ANNOTATOR, "done")]
    spans = records[0]["spans"]
    assert [s["text"] for s in spans] == ["sixteen hours without a break", "two workers were hurt",
                                          "Guards checked every phone"]
    assert all(records[0]["text"][s["start"]:s["end"]] == s["text"] for s in spans)
    result = run_cli(capsys, "--db", db_path, "verify")
    assert result.code == 0 and "every quote matches" in result.out
    fresh = tmp_path / "fresh.sqlite3"
    assert run_cli(capsys, "--db", fresh, "import", out).code == 0
    result = run_cli(capsys, "--db", fresh, "verify")
    assert result.code == 0 and "verified 3 spans" in result.out
    check = open_store(fresh)
    try:
        with check.session() as session:
            pk = queries.find_document_pk(session, records[0]["doc_id"])
            assert [s.quote for s in repo.list_spans(session, pk, GOLD_ANNOTATOR)] == [s["text"] for s in spans]
    finally:
        check.close()
