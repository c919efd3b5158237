"""Issue #13 D.3/D.4: the agreement and curation windows fit small screens, read in a dark theme, and the
agreement window names documents, explains its figures and curates with Ctrl+Shift+G."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QWidget

from annotator.core.model import GOLD_ANNOTATOR
from annotator.ui.agreement.agreement_view import AgreementView
from annotator.ui.common.palette_colours import contrast
from annotator.ui.curation.curation_view import CurationView
from annotator.ui.ops.session import AnnotationSession
from tests.ui.test_agreement_view import LEAD, A, B, build_two_analysts


@pytest.fixture
def two_analysts(db_path: Path):
    store, pks = build_two_analysts(db_path)
    yield store, pks
    store.close()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#f0f0f0"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
                         (QPalette.ColorRole.Text, "#f0f0f0"), (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#f0f0f0"), (QPalette.ColorRole.Highlight, "#2a6fb0"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff")):
        palette.setColor(role, QColor(colour))
    return palette


def cut_buttons(window: QWidget) -> list[str]:
    """Visible buttons not wholly inside the window, clipped by a parent, or narrower than their text."""
    found = []
    inside = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or button.window() is not window:
            continue
        if isinstance(button.parent(), QAbstractItemView):  # a table's corner button, not an action
            continue
        top_left = button.mapTo(window, QPoint(0, 0))
        rect = QRect(top_left, button.size())
        shown = button.visibleRegion().boundingRect()
        if not inside.contains(rect) or shown.size() != button.size():
            found.append(f"{button.text()!r} at {rect.getRect()} shows {shown.getRect()} of {inside.getRect()}")
        elif button.width() < button.minimumSizeHint().width():
            found.append(f"{button.text()!r} is {button.width()} px, needs {button.minimumSizeHint().width()}")
    return found


def open_curation(qtbot, store, pks, size: tuple[int, int]) -> CurationView:  # type: ignore[no-untyped-def]
    view = CurationView(AnnotationSession(store, LEAD), [A, B], [pks["harbour"], pks["timber"]])
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.open_document(pks["harbour"])
    QApplication.processEvents()
    return view


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_curation_keeps_every_button_inside_at_laptop_sizes(qtbot, two_analysts, size) -> None:
    store, pks = two_analysts
    view = open_curation(qtbot, store, pks, size)
    assert (view.width(), view.height()) == size
    assert cut_buttons(view) == []
    for name in (A, B, GOLD_ANNOTATOR):
        assert view.lane_views[name].width() >= 150 and view.lane_views[name].height() >= 150
    assert view.group_list.height() >= 60 and view.versions_table.height() >= 60
    # the buttons work where they are: a real click on Reject resolves the group
    qtbot.mouseClick(view.reject_button, Qt.MouseButton.LeftButton)
    assert view.group_state(view.current_group()) == "rejected"


def test_windows_open_no_larger_than_the_screen(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    curation = CurationView(AnnotationSession(store, LEAD), [A, B], [pks["harbour"]])
    agreement = AgreementView(AnnotationSession(store, LEAD))
    for window, preferred in ((curation, (1560, 900)), (agreement, (1320, 860))):
        qtbot.addWidget(window)
        area = window.screen().availableGeometry()
        assert window.width() == min(max(preferred[0], round(area.width() * 0.85)), area.width())
        assert window.height() == min(max(preferred[1], round(area.height() * 0.85)), area.height())
        assert area.contains(window.frameGeometry().topLeft())


def test_agreement_keeps_every_button_inside_at_1024x640(qtbot, two_analysts) -> None:
    store, _pks = two_analysts
    view = AgreementView(AnnotationSession(store, LEAD))
    qtbot.addWidget(view)
    view.resize(1024, 640)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.computed, timeout=30_000):
        qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert cut_buttons(view) == []
    assert view.tabs.height() >= 200


def test_dark_palette_headings_and_groups_read_at_4_5(qtbot, two_analysts) -> None:
    store, pks = two_analysts
    view = open_curation(qtbot, store, pks, (1366, 768))
    view.reject_current_group()  # one resolved (dimmed) group
    view.setPalette(dark_palette())
    QApplication.processEvents()
    for name, head in view.lane_titles.items():
        image = head.grab().toImage()
        background = image.pixelColor(2, 2)
        strongest = max(contrast(image.pixelColor(x, y), background)
                        for x in range(image.width()) for y in range(image.height()))
        assert strongest >= 4.5, name
    palette = view.group_list.palette()
    backgrounds = [palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.AlternateBase)]
    resolved = [view.group_list.item(i) for i in range(view.group_list.count())
                if view.group_list.item(i).data(Qt.ItemDataRole.UserRole) != "open"]
    assert resolved
    for item in resolved:
        for bg in backgrounds:
            assert contrast(item.foreground().color(), bg) >= 4.5
    view.show_message("refused")  # painted on the window's background
    assert contrast(QColor(view.message.styleSheet().split(":")[1].strip(" ;")),
                    view.palette().color(QPalette.ColorRole.Window)) >= 4.5


def test_agreement_names_documents_explains_figures_and_curates_by_key(qtbot, two_analysts, tmp_path) -> None:
    from tests.ui_helpers import make_window

    store, pks = two_analysts
    window = make_window(qtbot, store, tmp_path / "ui.ini", annotator=LEAD)
    view = window.agreement_tools.open_agreement()
    qtbot.waitExposed(view)
    # every label of the scheme shows whole: the list is as tall as its rows
    labels = view.label_list
    last = labels.visualItemRect(labels.item(labels.count() - 1))
    assert labels.viewport().rect().contains(last) and labels.verticalScrollBar().maximum() == 0
    with qtbot.waitSignal(view.computed, timeout=30_000):
        qtbot.mouseClick(view.compute_button, Qt.MouseButton.LeftButton)
    model = view.disagreements_model
    shown = {model.data(model.index(r, 0)) for r in range(model.rowCount())}
    assert shown == {"Harbour", "Timber"}
    assert "document id: " in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    aids = {view.overall_table.item(r, 0).text(): view.overall_table.item(r, 2).text()
            for r in range(view.overall_table.rowCount())}
    alpha = view.report.overall["krippendorff_alpha"]
    assert aids["Krippendorff's α (characters)"].startswith(
        "reliable" if alpha >= 0.8 else "tentative" if alpha >= 0.667 else "unreliable")
    assert "Landis & Koch" in aids["Fleiss' κ"] and "unmarked" in aids["Gwet's AC1"]
    assert "nobody marked counts as agreement" in view.overview.unmarked_note.text()
    assert view.overview.unmarked_note.isVisibleTo(view)
    # Ctrl+Shift+G in the agreement window opens curation on what it compared
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    qtbot.keyClick(view.compute_button, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    curation = window.agreement_tools.curation
    assert curation is not None and curation.isVisible() and view.curation is curation
    assert curation.current.pk in (pks["harbour"], pks["timber"]) and curation.annotators == [A, B]
