"""The main window and its dialogs fit a 1024×640 laptop screen and use a 2560×1440 one.

Real widgets, offscreen: the window is fitted to a small available area (as QScreen.availableGeometry
would give it) or resized, and every panel, button and label-bar button must lie inside it with a usable
size. The label bar wraps, so six or more labels never push the minimum width past the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from annotator.core.scheme import Label, Scheme, default_scheme
from tests.ui_helpers import make_window

SMALL = QRect(0, 0, 1024, 640)


def inside(widget: QWidget, window: QWidget, *, min_width: int = 1, min_height: int = 1) -> bool:
    """``widget`` is shown, at least this big, and wholly within ``window``'s rectangle."""
    if not widget.isVisible() or widget.width() < min_width or widget.height() < min_height:
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))



def test_the_window_opens_within_a_small_screen_and_every_panel_is_usable(qtbot, sample_store, tmp_path):
    window = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    window.open_initial()
    window.fit_to_screen(SMALL)
    qtbot.wait(20)
    assert window.width() <= 1024 and window.height() <= 640
    assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 640
    assert inside(window.docs, window, min_width=240, min_height=200)
    assert inside(window.article, window, min_width=300, min_height=200)
    assert inside(window.side_tabs, window, min_width=270, min_height=150)
    assert inside(window.details, window, min_width=270)
    assert inside(window.details.apply, window)
    assert inside(window.header, window)
    assert inside(window.label_bar, window)
    for button in [*window.label_bar.buttons.values(), window.label_bar.sticky_button]:
        assert inside(button, window.label_bar, min_width=button.sizeHint().width(), min_height=16), button.text()


def test_a_geometry_saved_on_a_big_monitor_is_brought_onto_a_small_screen(qtbot, sample_store, tmp_path):
    from annotator.ui.shell.main_window import MainWindow

    ini = tmp_path / "ui.ini"
    big = make_window(qtbot, sample_store, ini)
    big.resize(2500, 1400)
    big.splitter.setSizes([900, 700, 900])  # a wide monitor's layout: the article would be a sliver at 1024
    big.close()
    window = MainWindow(sample_store, "analyst-a", settings=QSettings(str(ini), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.fit_to_screen(SMALL)
    window.show()
    qtbot.waitExposed(window)
    assert window.width() <= 1024 and window.height() <= 640
    window.resize(1024, 640)  # the whole small screen (the test platform's own screen is 800 px wide)
    qtbot.wait(20)
    docs, article, right = window.splitter.sizes()
    assert article >= 440 and docs >= 240 and right >= 280


def test_six_or_more_labels_wrap_instead_of_widening_the_window(qtbot, sample_store, tmp_path):
    from annotator.store import scheme_admin

    labels = list(default_scheme().labels) + [
        Label(f"extra_{n}", f"A rather long label name {n}", "#D55E00", str(n), "", n) for n in range(6, 10)]
    with sample_store.write() as session:
        scheme_admin.replace_scheme(session, Scheme(labels), actor="analyst-a")
    window = make_window(qtbot, sample_store, tmp_path / "ui.ini")
    assert len(window.label_bar.buttons) == 9
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 640)
    qtbot.wait(20)
    bar = window.label_bar
    rows = {button.y() for button in bar.buttons.values()}
    assert len(rows) >= 2  # wrapped onto a second row
    for button in [*bar.buttons.values(), bar.sticky_button]:
        assert inside(button, bar, min_width=button.sizeHint().width()), button.text()
        assert inside(button, window)
    # every label button is still a real target: clicking the last one tags with its label
    assert bar.buttons["extra_9"].defaultAction() is bar.tag_actions["extra_9"]


def test_a_wide_screen_gives_the_side_panels_room_and_the_heading_follows_the_text_column(qtbot, window):
    window.resize(2560, 1440)
    qtbot.wait(20)
    docs, article, right = window.splitter.sizes()
    assert docs >= 440 and right >= 420  # titles and quotes get the room, not only empty margins
    column_left = window.article.viewportMargins().left() + int(window.article.document().documentMargin())
    title_left = window.header.mapTo(window.article.parentWidget(), QPoint(0, 0)).x()
    assert abs(title_left - column_left) <= 2  # the title starts where the text does…
    assert window.header.title.height() >= window.header.title.heightForWidth(window.header.title.width())  # …whole


def test_dialogs_fit_a_1024_by_640_screen(qtbot, window, monkeypatch):
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: SMALL)
    dialogs = [window.edit_scheme(), window.export_dialog(), window.show_shortcuts()]
    for dialog in dialogs:
        qtbot.waitExposed(dialog)
        assert dialog.width() <= 1024 and dialog.height() <= 640, dialog.windowTitle()
        assert dialog.minimumSizeHint().width() <= 1024 and dialog.minimumSizeHint().height() <= 640
        from PySide6.QtWidgets import QAbstractButton

        for button in dialog.findChildren(QAbstractButton):
            if button.isVisible():
                assert inside(button, dialog, min_height=16), (dialog.windowTitle(), button.text())
        dialog.close()
    QApplication.processEvents()
