"""The evidence window driven like an analyst: filter by typing, sort by a header click, open a passage
with Enter, relabel and delete selected rows as one undoable step, and refusals of others' spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from annotator.store import repository as repo
from annotator.store.database import open_store
from tests.evidence.builders import build
from tests.ui_helpers import make_window


@pytest.fixture
def evidence_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    store = open_store(tmp_path / "e.sqlite3")
    pks = build(store)
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator="ana")
    yield window, store, pks
    window.close()
    store.close()


def open_view(qtbot, window):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    view = window.evidence_tools.view
    assert view is not None
    qtbot.waitExposed(view)
    return view


def click_row(qtbot, view, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    rect = view.table.visualRect(view.model.index(row, 1))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def labels_of(store, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    from annotator.store.models import Annotator, Label, Layer, Span

    with store.session() as session:
        return sorted(session.scalars(
            Label.__table__.select().with_only_columns(Label.key).select_from(Span)
            .join(Label, Span.label_id == Label.id).join(Layer, Span.layer_id == Layer.id)
            .join(Annotator, Layer.annotator_id == Annotator.id).where(Annotator.name == name)))


def test_filter_sort_and_open_a_passage(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    view = open_view(qtbot, window)
    assert view.model.row_total() == 11 and view.count_label.text() == "11 passages"
    view.quote_edit.setFocus()
    qtbot.keyClicks(view.quote_edit, "WAGES were")
    qtbot.waitUntil(lambda: view.count_label.text() == "3 passages")
    assert {view.model.row_at(r).quote.lower() for r in range(3)} == {"wages were taken by the company"}
    qtbot.keyClicks(view.since_edit, "May")  # not a date: one clear line, the table keeps its rows
    qtbot.waitUntil(lambda: "not a date" in view.count_label.text())
    view.since_edit.clear()
    view.quote_edit.clear()
    qtbot.waitUntil(lambda: view.count_label.text() == "11 passages")

    header = view.table.horizontalHeader()
    source_x = header.sectionViewportPosition(5) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(source_x, 5))
    sources = [view.model.row_at(r).source for r in range(11)]
    assert sources == sorted(sources, key=str.lower) and view.model.sort_key == "source"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(source_x, 5))
    assert [view.model.row_at(r).source for r in range(11)] == sorted(sources, key=str.lower, reverse=True)

    target = next(r for r in range(11) if view.model.row_at(r).annotator == "cy")
    row = view.model.row_at(target)
    click_row(qtbot, view, target)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert window.session.document.pk == row.doc_pk and window.session.layer_owner == "cy"
    assert window.session.selected_span_id == row.span_id


def test_group_by_claim_lists_corroborated_claims(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    view = open_view(qtbot, window)
    with qtbot.waitSignal(view.claims_ready, timeout=10000):  # grouped on a worker thread
        view.group_box.setCurrentIndex(view.group_box.findData("claim"))
    texts = [view.groups.item(i).text() for i in range(view.groups.count())]
    assert any("2 docs / 2 sources" in t and "18 hours" in t for t in texts)
    assert any("1 doc / 1 source ·" in t for t in texts)
    item = next(view.groups.item(i) for i in range(view.groups.count()) if "18 hours" in view.groups.item(i).text())
    rect = view.groups.visualItemRect(item)
    qtbot.mouseClick(view.groups.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.model.row_total() == 3  # ana and ben on one article, ana on the re-told one
    assert {view.model.row_at(r).label for r in range(3)} == {"working_hours"}
    view.group_box.setCurrentIndex(view.group_box.findData("source"))
    assert view.groups.count() == 4
    view.tabs.setCurrentIndex(1)
    assert view.chart_layout.count() == 4  # three charts and the stretch


def test_relabel_selected_rows_is_one_undoable_step(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    view = open_view(qtbot, window)
    before = labels_of(store, "ana")
    view.layer_box.setCurrentIndex(view.layer_box.findData("ana"))
    qtbot.waitUntil(lambda: view.count_label.text() == "4 passages")
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(view.selected_rows()) == 4
    view.relabel_box.setCurrentIndex(view.relabel_box.findData("injury"))
    qtbot.mouseClick(view.relabel_button, Qt.MouseButton.LeftButton)
    assert labels_of(store, "ana") == ["injury"] * 4
    assert window.ops.undo_stack.count() == 1
    assert {view.model.row_at(r).label for r in range(4)} == {"injury"}  # the view refreshed itself
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels_of(store, "ana") == before
    assert sorted(view.model.row_at(r).label for r in range(4)) == before


def test_delete_with_the_key_and_undo_restores_the_same_spans(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    view = open_view(qtbot, window)
    view.layer_box.setCurrentIndex(view.layer_box.findData("ana"))
    qtbot.waitUntil(lambda: view.count_label.text() == "4 passages")
    ids = sorted(view.model.row_at(r).span_id for r in range(4))
    click_row(qtbot, view, 0)
    click_row(qtbot, view, 1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert view.model.row_total() == 2 and window.ops.undo_stack.count() == 1
    window.ops.undo_stack.undo()
    assert sorted(view.model.row_at(r).span_id for r in range(4)) == ids
    with store.session() as session:
        assert sum(len(repo.list_spans(session, pk, "ana")) for pk in pks) == 4


def test_others_spans_are_refused_and_nothing_changes(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    view = open_view(qtbot, window)
    before = {name: labels_of(store, name) for name in ("ana", "ben")}
    click_row(qtbot, view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    view.relabel_box.setCurrentIndex(view.relabel_box.findData("injury"))
    qtbot.mouseClick(view.relabel_button, Qt.MouseButton.LeftButton)
    assert "layer, which only they can change: no span was relabelled" in window.statusBar().currentMessage()
    assert {name: labels_of(store, name) for name in ("ana", "ben")} == before
    assert window.ops.undo_stack.count() == 0


def test_export_report_from_the_app(qtbot, evidence_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, store, pks = evidence_window
    out = tmp_path / "from-app.html"
    assert window.evidence_tools.report_action in window.menuBar().actions()[0].menu().actions()
    window.evidence_tools.export_report(out, window.evidence_tools.view_filter())
    qtbot.waitUntil(lambda: window.evidence_tools.last_report is not None, timeout=10000)
    assert out.exists() and "Claim 1" in out.read_text(encoding="utf-8")
    window.evidence_tools.export_report(tmp_path / "x.pdf", window.evidence_tools.view_filter())
    qtbot.waitUntil(lambda: "written as .html or .md" in (window.evidence_tools.last_report or ""), timeout=10000)
    assert window.last_error is not None and "written as .html or .md" in window.last_error
    qtbot.wait(100)  # the finished worker thread is deleted after its last signal


def test_the_window_opens_in_the_order_spans_were_made_with_no_sort_shown(qtbot, evidence_window) -> None:  # type: ignore[no-untyped-def]
    """The header shows no sort indicator at first, so the rows must not be sorted by a column either."""
    window, _store, _pks = evidence_window
    view = open_view(qtbot, window)
    assert view.table.horizontalHeader().sortIndicatorSection() == -1
    assert view.model.sort_key == "span"
    ids = [view.model.row_at(r).span_id for r in range(view.model.row_total())]
    assert ids == sorted(ids) and len(ids) == 11


def test_scrolling_reads_pages_by_keyset_in_the_sorted_order(qtbot, evidence_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With pages of 3 rows: scrolling down (each page after the previous one's last row), jumping to the
    end and scrolling up (each page before the following one's first) show the rows the database orders."""
    from annotator.core.evidence.model import EvidenceFilter
    from annotator.store import evidence as sql

    monkeypatch.setattr(sql, "PAGE", 3)
    window, store, _pks = evidence_window
    view = open_view(qtbot, window)
    header = view.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(5) + 10, 5))
    assert view.model.sort_key == "source"
    with store.session() as session:
        expected = [r.span_id for r in sql.evidence_page(session, EvidenceFilter(), sort="source", limit=100)]
    view.table.scrollToBottom()
    qtbot.wait(10)
    assert [view.model.row_at(r).span_id for r in range(10, -1, -1)] == expected[::-1]  # upwards from the end
    view.model.sort(5)  # the same order again, pages dropped
    view.table.scrollToTop()
    assert [view.model.row_at(r).span_id for r in range(11)] == expected  # downwards from the top
