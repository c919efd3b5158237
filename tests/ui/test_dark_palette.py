"""Dark palettes: every colour our widgets choose for text keeps WCAG AA contrast (4.5:1) against what it is
painted on, and label cells pick black or white text by contrast. The scheme editor warns about label
colours that look alike, naming the pair."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from annotator.core import colours
from annotator.core.scheme import default_scheme
from annotator.ui.common.theme import dark_palette
from tests.ui_helpers import make_window

AA = colours.AA_CONTRAST


@pytest.fixture
def dark_app(qapp):  # type: ignore[no-untyped-def]
    """Fusion with a dark palette for one test, then the app's own style and palette back."""
    from PySide6.QtWidgets import QStyleFactory

    style, palette = qapp.style().name(), qapp.palette()
    qapp.setStyle(QStyleFactory.create("Fusion"))
    qapp.setPalette(dark_palette())
    yield qapp
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)


def ratio(fg, bg) -> float:  # type: ignore[no-untyped-def]
    return colours.contrast_ratio(fg.name(), bg.name())


def test_text_colours_are_readable_on_a_dark_palette(qtbot, dark_app, sample_store, db_path, tmp_path):
    from annotator.store.database import open_store
    from annotator.store.queries import document_ids

    read_only = open_store(db_path, read_only=True)
    window = make_window(qtbot, read_only, tmp_path / "ui.ini", read_only_reason="opened with --read-only")
    with read_only.session() as session:
        window.open_document(document_ids(session, None)[0])
    window_bg = window.palette().color(QPalette.ColorRole.Window)
    assert window_bg.lightness() < 80  # the palette really is dark
    # the header's status badge and grey details, as written into its rich text
    for colour in re.findall(r"color:(#[0-9a-fA-F]{6})", window.header.meta.text()):
        assert colours.contrast_ratio(colour, window_bg.name()) >= AA, colour
    # the read-only banner: its own background, text chosen for it
    sheet = window.banner.styleSheet()
    bg, fg = re.search(r"background: (#\w{6}); color: (#\w{6})", sheet).groups()
    assert colours.contrast_ratio(fg, bg) >= AA and window.banner.isVisible()
    # the span details' error line and the document list's "done" status
    details = window.details.error
    assert ratio(details.palette().color(QPalette.ColorRole.WindowText), window_bg) >= AA
    model = window.docs.model
    done = model._done_colour
    assert ratio(done, window.docs.table.palette().color(QPalette.ColorRole.Base)) >= AA
    read_only.close()


def test_label_cells_pick_black_or_white_text_by_contrast(qtbot, dark_app, window):
    model = window.span_list.model()
    for label in default_scheme().labels:
        model.set_scheme([(label.key, label.name, label.color)])
        fill = model.label_cell(label.key, Qt.ItemDataRole.BackgroundRole)
        ink = model.label_cell(label.key, Qt.ItemDataRole.ForegroundRole)
        assert fill.name().upper() == label.color.upper()
        assert ratio(ink, fill) >= AA, label.name
    # the green (#009E73) and orange (#E69F00) cells were white on colour: 3.3:1 and 2.4:1
    assert model.label_cell("sanctions", Qt.ItemDataRole.ForegroundRole).name() == "#ffffff"
    model.set_scheme([("surveillance", "Surveillance", "#009E73")])
    assert model.label_cell("surveillance", Qt.ItemDataRole.ForegroundRole).name() == "#000000"


def test_dialog_help_and_messages_are_readable_on_a_dark_palette(qtbot, dark_app, window):
    assert window.ops.tag(0, 8, "injury")  # a label in use: its key is shown locked, in grey
    scheme = window.edit_scheme()
    export = window.export_dialog()
    qtbot.waitExposed(scheme)
    bg = scheme.palette().color(QPalette.ColorRole.Window)
    assert ratio(scheme.help.palette().color(QPalette.ColorRole.WindowText), bg) >= AA
    locked = scheme.table.item(1, 0)
    assert locked.text() == "🔒 injury"
    base = scheme.table.palette().color(QPalette.ColorRole.Base)
    assert ratio(locked.foreground().color(), base) >= AA
    scheme.show_message("Not saved: something", error=True)
    assert ratio(scheme.message.palette().color(QPalette.ColorRole.WindowText), bg) >= AA
    scheme.show_message("Saved.", error=False)
    assert ratio(scheme.message.palette().color(QPalette.ColorRole.WindowText), bg) >= AA
    assert ratio(export.about.palette().color(QPalette.ColorRole.WindowText), bg) >= AA
    assert ratio(export.message.palette().color(QPalette.ColorRole.WindowText), bg) >= AA
    scheme.close()
    export.close()
    QApplication.processEvents()


def test_the_scheme_editor_warns_about_colours_that_look_alike_and_still_saves(qtbot, window):
    dialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    # the default scheme: Injury and Sanctions fills look alike on the page
    warnings = dialog.colour_warnings()
    assert len(warnings) == 1 and "Injury and Sanctions look alike as highlights" in warnings[0]
    assert dialog.colour_warning.isVisible() and "Injury and Sanctions" in dialog.colour_warning.text()
    # a red/green pair that only deuteranopes confuse, typed into the colour cells like a user would
    dialog.set_cell(0, 2, "#E41A1C")
    dialog.set_cell(2, 2, "#4DAF4A")
    texts = dialog.colour_warnings()
    assert any("Working hours and Surveillance are hard to tell apart for readers with deuteranopia" in t
               for t in texts)
    assert "deuteranopia" in dialog.colour_warning.text()
    # distinct colours: no warning
    for row, colour in enumerate(("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#000000")):
        dialog.set_cell(row, 2, colour)
    assert dialog.colour_warnings() == [] and not dialog.colour_warning.isVisible()
    dialog.set_cell(4, 2, "#0072B2")
    assert dialog.save() is True  # a warning, never a refusal
