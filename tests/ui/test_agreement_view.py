"""The agreement view: figures computed off the UI thread, worst-first documents, disagreements to curation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core.agreement import compute_agreement
from annotator.core.formats.articles import document_from_text
from annotator.store import repository as repo
from annotator.store.agreement_scope import build_input
from annotator.store.database import Store, open_store
from annotator.ui.agreement.agreement_view import AgreementView, agreement_work
from annotator.ui.agreement.heatmap import HeatmapModel, format_figure, scale_colour, text_colour
from annotator.ui.common.workers import Cancelled
from annotator.ui.ops.session import AnnotationSession

LEAD = "lead"
A, B = "analyst-a", "analyst-b"

# Our own sample sentences (not copied from any news corpus).
HARBOUR = ("Crews at the northern harbour said their shifts ran for sixteen hours without a break. "
           "A supervisor confirmed that two workers were hurt when a crane cable snapped. "
           "Guards checked every phone at the gate, and most of the pay was sent home through a state bank.\n\n"
           "The company declined to comment on the allegations.")
TIMBER = ("Loggers 🌲 in the eastern camp worked from dawn until late at night, seven days a week. "
          "Several men reported that minders read their letters before they were posted. "
          "An export ban on the timber was announced by the trade ministry last spring.")

# (document, annotator, phrase, label): the harbour article has three disagreements, the timber one one.
TAGS = [
    (HARBOUR, A, "sixteen hours without a break", "working_hours"),
    (HARBOUR, B, "sixteen hours", "working_hours"),
    (HARBOUR, A, "two workers were hurt", "injury"),
    (HARBOUR, B, "two workers were hurt", "injury"),
    (HARBOUR, A, "Guards checked every phone", "surveillance"),
    (HARBOUR, B, "most of the pay was sent home", "remittance"),
    (TIMBER, A, "from dawn until late at night", "working_hours"),
    (TIMBER, B, "from dawn until late at night", "working_hours"),
    (TIMBER, A, "minders read their letters", "surveillance"),
    (TIMBER, B, "minders read their letters", "surveillance"),
    (TIMBER, B, "export ban", "sanctions"),
]


def bounds(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_two_analysts(db: Path) -> tuple[Store, dict[str, int]]:
    """A lead (first user: admin), two analysts' done layers on two articles, and an untouched third article."""
    store = open_store(db)
    with store.write() as session:
        repo.ensure_default_scheme(session)
        repo.get_or_create_annotator(session, LEAD)
        pks = {}
        for name, text in (("harbour", HARBOUR), ("timber", TIMBER), ("other", "A note nobody tagged.")):
            row, _ = repo.add_document(session, document_from_text(text, {"title": name.title()}))
            pks[name] = row.id
        by_text = {HARBOUR: pks["harbour"], TIMBER: pks["timber"]}
        for text, who, phrase, label in TAGS:
            repo.add_span(session, by_text[text], who, *bounds(text, phrase), label)
        for pk in (pks["harbour"], pks["timber"]):
            for who in (A, B):
                repo.set_status(session, pk, who, "done")
    return store, pks


@pytest.fixture
def two_analysts(db_path: Path):
    store, pks = build_two_analysts(db_path)
    yield store, pks
    store.close()


def computed_view(qtbot, store: Store) -> AgreementView:  # type: ignore[no-untyped-def]
    view = AgreementView(AnnotationSession(store, LEAD))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.computed, timeout=30_000):
        qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    return view


def test_view_shows_the_figures_compute_agreement_gives(qtbot, two_analysts) -> None:
    store, _pks = two_analysts
    view = computed_view(qtbot, store)
    with store.session() as session:
        expected = compute_agreement(build_input(session, [A, B]))
    assert [view.annotator_list.item(i).text() for i in range(view.annotator_list.count())] == [A, B]
    report = view.report
    assert report is not None and report.doc_ids == expected.doc_ids and len(report.doc_ids) == 2
    values = {**expected.overall, **expected.overall_extra}
    shown = {view.overall_table.item(r, 0).text(): view.overall_table.item(r, 1).text()
             for r in range(view.overall_table.rowCount())}
    assert shown["Krippendorff's α (characters)"] == format_figure(values["krippendorff_alpha"])
    assert shown["Fleiss' κ"] == format_figure(values["fleiss_kappa"])
    assert shown["Krippendorff's α_U (unitizing)"] == format_figure(values["alpha_u"])
    assert shown["Span F1, exact (mean of pairs)"] == format_figure(values["span_f1_exact"])
    assert shown["Span F1, overlap (mean of pairs)"] == format_figure(values["span_f1_overlap"])
    # 3 exact matches between analyst-a's 5 spans and analyst-b's 6, worked out by hand:
    assert values["span_f1_exact"] == pytest.approx(2 * 3 / (5 + 6))
    # per label, pairs and confusion
    injury_row = next(r for r in range(view.per_label_table.rowCount()) if view.per_label_table.item(r, 0).text() == "Injury")
    assert view.per_label_table.item(injury_row, 4).text() == "1.000"  # F1 exact
    pair = expected.pairs[0]
    assert view.kappa_map.cell_text(0, 1) == format_figure(pair.cohen_kappa)
    assert view.kappa_map.cell_text(1, 0) == format_figure(pair.cohen_kappa)
    assert view.kappa_map.cell_text(0, 0) == "—"
    assert view.f1_map.cell_text(0, 1) == format_figure(pair.span_f1_overlap)
    view.f1_measure.setCurrentIndex(view.f1_measure.findData("span_f1_exact"))
    assert view.f1_map.cell_text(0, 1) == format_figure(pair.span_f1_exact)
    conf = view.confusion_map.model
    assert conf.rows[-1] == "O" and [[conf.value(r, c) for c in range(conf.columnCount())]
                                     for r in range(conf.rowCount())] == [[float(v) for v in row] for row in expected.confusion]
    assert view.save_button.isEnabled() and view.tabs.isEnabled()


def test_documents_table_is_sorted_worst_first(qtbot, two_analysts) -> None:
    store, _pks = two_analysts
    view = computed_view(qtbot, store)
    proxy = view.documents_proxy
    assert proxy.rowCount() == 2
    alphas = [proxy.data(proxy.index(r, 3), Qt.ItemDataRole.UserRole + 1) for r in range(2)]
    assert alphas == sorted(alphas)
    by_id = {d.doc_id: d for d in view.report.per_document}
    first = proxy.data(proxy.index(0, 0))
    assert by_id[first].disagreements == 3  # the harbour article: three disagreements, the worst
    assert proxy.data(proxy.index(0, 1)) == "Harbour"
    # the user can re-sort (best first) and filter
    view.documents_table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert proxy.data(proxy.index(0, 1)) == "Timber"
    proxy.setFilterFixedString("harb")
    assert proxy.rowCount() == 1


def test_clicking_a_disagreement_opens_curation_with_both_versions(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = computed_view(qtbot, store)
    view.tabs.setCurrentIndex(view.tabs.indexOf(view.disagreements_table.parentWidget()))
    model = view.disagreements_model
    row = next(r for r in range(model.rowCount()) if model.items[r].quote == "Guards checked every phone")
    assert model.data(model.index(row, 3)) == "Surveillance" and model.data(model.index(row, 4)) == "—"
    table = view.disagreements_table
    rect = table.visualRect(model.index(row, 2))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    curation = view.curation
    assert curation is not None and curation.isVisible()
    assert curation.current.pk == pks["harbour"]
    lanes = curation.lane_views
    assert len(lanes[A].index) == 3 and len(lanes[B].index) == 3
    assert lanes[A].text == HARBOUR and lanes[B].text == HARBOUR
    group = curation.current_group()
    start, end = bounds(HARBOUR, "Guards checked every phone")
    assert (group.start, group.end) == (start, end)
    # both versions are listed: analyst-a's span and analyst-b's "nothing here"
    cells = [(curation.versions_table.item(r, 0).text(), curation.versions_table.item(r, 3).text())
             for r in range(curation.versions_table.rowCount())]
    assert cells == [(A, "Guards checked every phone"), (B, "(nothing marked here)")]
    assert lanes[A].selected_span is not None
    curation.close()


def test_too_few_annotators_and_unmatched_filter_are_clear_messages(qtbot, two_analysts) -> None:
    store, _pks = two_analysts
    view = AgreementView(AnnotationSession(store, LEAD))
    qtbot.addWidget(view)
    view.annotator_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert view.compute() is False and "at least two annotators" in view.last_error
    view.annotator_list.item(1).setCheckState(Qt.CheckState.Checked)
    view.doc_filter.setText("no such article")
    with qtbot.waitSignal(view.compute_failed, timeout=30_000) as blocker:
        assert view.compute() is True
    assert "no such article" in blocker.args[0] and "no such article" in view.summary.text()
    qtbot.waitUntil(lambda: view.worker is None)
    view.doc_filter.setText("Timber")
    with qtbot.waitSignal(view.computed, timeout=30_000):
        view.compute()
    assert view.report.documents == 1


def test_cancelled_work_stops_and_html_report_is_saved(qtbot, two_analysts, tmp_path: Path) -> None:
    store, _pks = two_analysts
    steps: list[float] = []
    with pytest.raises(Cancelled):
        agreement_work(store, [A, B], ["injury"], "", False, False)(lambda f, m: steps.append(f), lambda: True)
    run = agreement_work(store, [A, B], ["injury"], "", False, False)(lambda f, m: steps.append(f), lambda: False)
    assert run.report.labels == ["injury"] and steps[-1] == pytest.approx(1.0)
    view = computed_view(qtbot, store)
    out = tmp_path / "report.html"
    view.save_html(out)
    page = out.read_text(encoding="utf-8")
    assert "Guards checked every phone" in page and "<html" in page


def test_heatmap_prints_values_and_keeps_text_readable() -> None:
    low, high = scale_colour(0.0, 0.0, 1.0), scale_colour(1.0, 0.0, 1.0)
    assert low == QColor("#440154") and high == QColor("#fde725")
    assert scale_colour(-0.4, 0.0, 1.0) == low  # clamped
    assert text_colour(low) == QColor("#ffffff") and text_colour(high) == QColor("#000000")
    def luminance(c: QColor) -> float:  # WCAG relative luminance, a perceptual lightness order
        lin = [(v / 255) / 12.92 if v <= 10 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in (c.red(), c.green(), c.blue())]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    lum = [luminance(scale_colour(v / 10, 0.0, 1.0)) for v in range(11)]
    assert lum == sorted(lum)  # sequential: lightness grows with the value
    model = HeatmapModel()
    model.set_matrix(["a", "b"], ["a", "b"], [[None, 0.25], [0.25, None]], 0.0, 1.0)
    assert model.data(model.index(0, 1)) == "0.250" and model.data(model.index(0, 0)) == "—"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "b"


def test_tools_menu_opens_agreement_and_curation(qtbot, two_analysts, tmp_path: Path) -> None:
    from tests.ui_helpers import make_window

    store, pks = two_analysts
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator=LEAD)
    tools = window.agreement_tools
    texts = [a.text() for a in window.tools_menu.actions()]
    assert texts[:2] == ["Agreement…", "Curate…"] and "Evidence…" in texts and window.tools_menu.menuAction().isVisible()
    tools.agreement_action.trigger()
    assert tools.agreement is not None and tools.agreement.isVisible()
    tools.agreement.close()
    tools.curate_action.trigger()
    assert tools.curation is not None and tools.curation.current.pk == tools.curation.doc_pks[0]
    assert sorted(tools.curation.doc_pks) == sorted([pks["harbour"], pks["timber"]])
    tools.curation.close()
