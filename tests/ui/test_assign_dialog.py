"""Team → Assign documents…: the preview and the run, through the real dialog (issue #17's acceptance case).

100 documents, analysts a, b and c typed into the dialog, overlap 0.2, seed 1: the preview (computed
without writing) says 20 documents go to two analysts and gives each analyst a count within one of the
others; Assign writes exactly that on a worker thread, the document list follows, and undo / redo take
the run back and write it again.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt

from annotator.core.model import DocumentRecord
from annotator.core.text import text_sha256
from annotator.store import repository as repo
from annotator.store.assignments import list_assignments
from tests.ui_helpers import make_window


def _corpus(store, count: int = 100) -> None:  # type: ignore[no-untyped-def]
    with store.write() as session:
        repo.get_or_create_annotator(session, "lead")  # first: the admin
        repo.ensure_default_scheme(session)
        for i in range(count):
            body = f"Article {i}: the {'wage' if i % 2 else 'shift'} was late again."
            repo.add_document(session, DocumentRecord(f"doc-{i:03d}", body, text_sha256(body), {"title": f"t{i}"}))


def _table(dialog) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    table = dialog.table
    return {table.item(r, 0).text(): (int(table.item(r, 1).text()), int(table.item(r, 2).text()))
            for r in range(table.rowCount())}


def _type_number(qtbot, spin, text: str) -> None:  # type: ignore[no-untyped-def]
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)


def test_preview_matches_the_acceptance_case_and_assign_writes_it(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _corpus(store)
    window = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    assert window.team_tools.act_assign.isEnabled()
    window.team_tools.act_assign.trigger()
    dialog = window.team_tools.assign_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.summary.text() == "Tick the analysts to assign documents to (or add a name)."
    assert not dialog.assign_button.isEnabled()
    for name in "abc":
        qtbot.keyClicks(dialog.new_name, name)
        qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    assert dialog.chosen() == ["a", "b", "c"]  # the admin "lead" is listed but not ticked
    qtbot.waitUntil(lambda: dialog.summary.text() == "100 unassigned documents: 0 to 2 analysts, 100 to one.")
    assert [item.text() for item in dialog.analyst_items()] == ["lead", "a", "b", "c"]
    _type_number(qtbot, dialog.overlap, "0.2")
    _type_number(qtbot, dialog.seed, "1")
    qtbot.waitUntil(lambda: dialog.summary.text() == "100 unassigned documents: 20 to 2 analysts, 80 to one.")
    preview = _table(dialog)
    assert set(preview) == {"a", "b", "c"} and sum(n for n, _ in preview.values()) == 120
    assert max(n for n, _ in preview.values()) - min(n for n, _ in preview.values()) <= 1
    with store.session() as session:
        assert list_assignments(session) == []  # a preview writes nothing
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ops.undo_stack.count() == 1)  # done on the worker thread; the dialog closed
    with store.session() as session:
        written = list_assignments(session)
    assert len(written) == 100 and Counter(len(names) for _doc, names in written) == {1: 80, 2: 20}
    loads = Counter(name for _doc, names in written for name in names)
    assert {name: (n, n) for name, n in loads.items()} == preview  # what the preview promised
    assert window.statusBar().currentMessage().startswith("Assigned 100 documents (20 to 2 analysts): a ")
    # The document list now offers the queue box (the lead has no queue of their own: all documents).
    assert window.docs.scope.isVisible() and window.docs.scope.currentText() == "All documents"
    assert window.ops.undo_stack.undoText() == "Assign documents"
    window.ops.undo_stack.undo()
    with store.session() as session:
        assert list_assignments(session) == []
    window.ops.undo_stack.redo()
    with store.session() as session:
        assert list_assignments(session) == written


def test_the_preview_follows_the_query_and_says_what_is_wrong(qtbot, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _corpus(store, 10)
    window = make_window(qtbot, store, tmp_path / "lead.ini", annotator="lead")
    dialog = window.team_tools.open_assign_dialog()
    qtbot.keyClicks(dialog.new_name, "a")
    qtbot.keyClick(dialog.new_name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _table(dialog) == {"a": (10, 10)})
    qtbot.keyClicks(dialog.query, "wage")
    qtbot.waitUntil(lambda: dialog.summary.text() == "5 unassigned documents: 0 to 2 analysts, 5 to one.")
    assert _table(dialog) == {"a": (5, 5)}
    _type_number(qtbot, dialog.overlap, "0.5")
    qtbot.waitUntil(lambda: dialog.summary.text() == (
        "2 analysts per overlap document needs at least 2 analysts, but only 1 were named."))
    assert not dialog.assign_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    with store.session() as session:
        assert list_assignments(session) == []
