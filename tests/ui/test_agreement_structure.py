"""The agreement view's "Fields and relations" tab: the field table, relation F1 per pair, typed attributes.

Two analysts judge the relevance of two articles, link spans and fill typed attributes through the
repository (as the app's operations do); the view is computed with a real click, the tab opened with a
click on its tab, and what the tables show is compared with the report and with figures worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.scheme import Scheme
from annotator.store import repository as repo
from annotator.store.database import Store
from annotator.store.scheme_admin import replace_scheme
from annotator.ui.agreement.agreement_view import AgreementView
from annotator.ui.agreement.structure_page import NONE_NOTE
from tests.ui.test_agreement_view import HARBOUR, A, B, bounds, build_two_analysts, computed_view


def _judge(store: Store, pks: dict[str, int]) -> None:
    with store.write() as session:
        for who, values in ((A, ("relevant", "relevant")), (B, ("relevant", "partly"))):
            for pk, value in zip((pks["harbour"], pks["timber"]), values, strict=True):
                repo.set_document_field(session, pk, who, "relevance", value, actor=who)
        hurt_of: dict[str, int] = {}
        for who in (A, B):
            hours = repo.add_span(session, pks["harbour"], who, *bounds(HARBOUR, "shifts ran"), "working_hours",
                                  actor=who, attributes={"hours_per_day": 16})
            hurt = repo.add_span(session, pks["harbour"], who, *bounds(HARBOUR, "crane cable snapped"), "injury",
                                 actor=who, attributes={"severity": "serious" if who == A else "fatal"})
            hurt_of[who] = hurt.id
            repo.add_relation(session, hours.id, hurt.id, "caused", actor=who)
        # analyst-a links one more pair: a relation analyst-b does not have
        watch = repo.add_span(session, pks["harbour"], A, *bounds(HARBOUR, "Guards checked"),
                              "surveillance", actor=A)
        repo.add_relation(session, watch.id, hurt_of[A], "caused", actor=A)


def _open_tab(qtbot, view: AgreementView) -> None:  # type: ignore[no-untyped-def]
    bar = view.tabs.tabBar()
    index = next(i for i in range(view.tabs.count()) if view.tabs.tabText(i) == "Fields and relations")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    QApplication.processEvents()
    assert view.tabs.currentIndex() == index


def _rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_tab_shows_the_field_table_relation_f1_per_pair_and_attributes(qtbot, db_path: Path) -> None:
    store, pks = build_two_analysts(db_path)
    try:
        _judge(store, pks)
        view = computed_view(qtbot, store)
        _open_tab(qtbot, view)
        page = view.structure
        assert page.fields_table.isVisible() and not page.none_note.isVisible()
        report = view.report
        assert report is not None and report.doc_fields is not None
        relevance = report.doc_fields["relevance"]
        # (relevant, relevant), (relevant, partly): α = 0 and κ = 0 by hand
        assert relevance.documents == 2 and relevance.krippendorff_alpha is not None
        assert abs(relevance.krippendorff_alpha) < 1e-12
        rows = _rows(page.fields_table)
        assert rows[0] == ["Relevance", "choice", "2", "0.000", "0.000", "0.500"]
        assert rows[1][:3] == ["Source type", "choice", "0"] and rows[1][3] == "—"
        # relations: one shared "caused" link, analyst-a has one more → tp 1, fp 0, fn 1 → F1 2/3
        assert _rows(page.relations_table) == [[f"{A} / {B}", "0.667", "1", "0", "1"]]
        assert "Mean F1 <b>0.667</b>" in page.relations_note.text()
        attributes = {(r[0], r[1]): r[2:] for r in _rows(page.attributes_table)}
        assert attributes["Working hours", "hours_per_day"] == ["1.000", "1", "0"]
        assert attributes["Injury", "severity"] == ["0.000", "1", "0"]
    finally:
        store.close()


def test_a_scheme_without_fields_relations_or_attributes_says_so(qtbot, db_path: Path) -> None:
    store, _pks = build_two_analysts(db_path)
    try:
        with store.write() as session:
            labels = repo.get_scheme(session).labels
            for label in labels:
                label.attributes = []
            replace_scheme(session, Scheme(labels))
        view = computed_view(qtbot, store)
        _open_tab(qtbot, view)
        page = view.structure
        assert page.none_note.isVisible() and page.none_note.text() == NONE_NOTE
        assert not page.fields_table.isVisible() and not page.relations_table.isVisible()
        assert not page.attributes_table.isVisible()
    finally:
        store.close()
