"""The team dashboard window: opened from Tools → Team dashboard… (Ctrl+Shift+D), read on a worker thread,
shows each analyst's figures and charts, exports them as CSV, and re-reads after a change in the window."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.store import repository as repo
from annotator.store.queries import document_ids
from annotator.ui.ops.changes import Changes
from tests.ui_helpers import ANALYST, drag_select


def _cell(view, row: int, column: str) -> str:  # type: ignore[no-untyped-def]
    model = view.model
    return model.data(model.index(row, model.columns.index(column)))


def _rows(view) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {_cell(view, r, "Analyst"): r for r in range(view.model.rowCount())}


def test_dashboard_opens_shows_the_figures_exports_csv_and_refreshes_after_tagging(qtbot, window, tmp_path: Path) -> None:
    store = window.store
    with store.write() as session:
        first, second, third = document_ids(session, None)[:3]
        for pk in (first, second):
            for who in (ANALYST, "bo"):
                repo.add_span(session, pk, who, 0, 4, "injury", actor=who)
                repo.set_status(session, pk, who, "done", actor=who)
        repo.add_span(session, first, "bo", 5, 9, "sanctions", actor="bo")
    window.session.publish(Changes(corpus=True))

    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.dashboard_tools.view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    rows = _rows(view)
    assert set(rows) == {ANALYST, "bo"}
    assert _cell(view, rows[ANALYST], "Spans") == "2" and _cell(view, rows["bo"], "Spans") == "3"
    assert _cell(view, rows[ANALYST], "Done") == "2"
    assert _cell(view, rows[ANALYST], "Overlap F1") == "0.80"  # 2 matches of 2 + 3 spans
    assert _cell(view, rows["bo"], "Shared docs") == "2"
    assert view.label_chart.selected in rows and view.agreement_chart.periods()
    assert view.export_button.isEnabled()

    out = tmp_path / "dash.csv"
    assert view.export_csv(out)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))
    assert table[0][:6] == ["analyst", "assigned", "done", "approved", "returned", "spans"]
    assert [row[0] for row in table[1:]] == sorted([ANALYST, "bo"])
    assert {row[0]: row[5] for row in table[1:]} == {ANALYST: "2", "bo": "3"}

    # Tag a span in the main window (mouse drag, label key): the dashboard re-reads by itself.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # label keys are window shortcuts
    assert window.open_document(third)
    text = window.session.document.text
    word = text.index(" ", 20) + 1
    drag_select(qtbot, window.article, text, word, text.index(" ", word))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: _cell(view, _rows(view)[ANALYST], "Spans") == "3", timeout=10000)


def test_an_empty_team_says_so_and_cannot_export(qtbot, window) -> None:
    view = window.dashboard_tools.open_view()
    qtbot.waitUntil(lambda: view.data is not None, timeout=10000)
    assert view.model.rowCount() == 0
    assert "No analyst" in view.summary.text()
    assert not view.export_button.isEnabled()
