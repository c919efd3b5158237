"""The tag scheme editor: edit, reorder, colours, validation, JSON in and out, and the window updating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core.errors import AnnotatorError, PermissionDenied
from annotator.core.scheme import Label, Scheme, default_scheme
from annotator.store import repository as repo
from annotator.store import scheme_admin
from annotator.store.database import open_store
from annotator.ui.dialogs.scheme_dialog import COLOUR, GUIDELINE, KEY, NAME, SHORTCUT, SchemeDialog
from annotator.ui.ops.operations import Operations
from annotator.ui.ops.session import AnnotationSession
from tests.ui_helpers import ANALYST


def stored(store) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return [(lbl.key, lbl.name, lbl.color, lbl.shortcut) for lbl in repo.get_scheme(session).labels]


def tag_first_word(window) -> None:  # type: ignore[no-untyped-def]
    window.article.select_cp(0, 4)
    window.tagging.tag_selection("injury")


def open_dialog(qtbot, window) -> SchemeDialog:  # type: ignore[no-untyped-def]
    dialog = window.edit_scheme()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_new_label_with_colour_and_shortcut_reaches_the_label_bar(qtbot, window) -> None:
    store = window.store
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    row = len(dialog.labels) - 1
    dialog.set_cell(row, KEY, "passport_seizure")
    dialog.set_cell(row, NAME, "Passport seizure")
    dialog.set_cell(row, SHORTCUT, "6")
    dialog.set_cell(row, GUIDELINE, "Documents taken away by an employer.")
    picker = dialog.choose_color(row)
    picker.setCurrentColor(QColor("#112233"))
    picker.accept()
    assert dialog.table.item(row, COLOUR).text() == "#112233"
    # Reorder: the new label moves up one place.
    dialog.table.selectRow(row)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.session.changed, check_params_cb=lambda changes: changes.scheme):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    keys = [k for k, *_ in stored(store)]
    assert keys == ["working_hours", "injury", "surveillance", "remittance", "passport_seizure", "sanctions"]
    assert ("passport_seizure", "Passport seizure", "#112233", "6") in stored(store)
    # The window shows it at once: a button, a colour, and a shortcut that tags.
    assert "passport_seizure" in window.label_bar.buttons
    assert window.article.colors["passport_seizure"] == QColor("#112233")
    texts = [a.text() for a in window.edit_menu.actions()]
    start = texts.index("Working hours")
    assert texts[start:start + 6] == [
        "Working hours", "Injury", "Surveillance", "Remittance", "Passport seizure", "Sanctions"]
    window.article.setFocus()
    window.article.select_cp(0, 4)
    qtbot.keyClick(window.article, Qt.Key.Key_6)
    assert [s.label for s in window.session.spans.values()] == ["passport_seizure"]
    # The sticky switch still belongs to the new bar.
    window.act_sticky.trigger()
    assert window.label_bar.sticky_button.isChecked()


def test_a_label_in_use_keeps_its_key_but_other_fields_change(qtbot, window) -> None:
    tag_first_word(window)
    dialog = open_dialog(qtbot, window)
    row = [lbl.key for lbl in dialog.labels].index("injury")
    key_item = dialog.table.item(row, KEY)
    assert not key_item.flags() & Qt.ItemFlag.ItemIsEditable and "🔒" in key_item.text()
    assert "cannot change" in key_item.toolTip() and "locked" in dialog.help.text()
    dialog.table.selectRow(row)
    assert not dialog.remove_button.isEnabled()
    assert dialog.remove_selected() is False and "cannot be removed" in dialog.last_message
    dialog.set_cell(row, NAME, "Harm at work")
    dialog.set_cell(row, COLOUR, "#aa0000")
    # An unused label can be removed, once no relation type names it as an end.
    dialog.table.selectRow([lbl.key for lbl in dialog.labels].index("sanctions"))
    assert dialog.remove_selected() is False and "relation type evades" in dialog.last_message
    dialog.relations_editor.table.selectRow([r.key for r in dialog.relations].index("evades"))
    assert dialog.relations_editor.remove_selected()
    dialog.table.selectRow([lbl.key for lbl in dialog.labels].index("sanctions"))
    assert dialog.remove_selected()
    assert dialog.save()
    assert ("injury", "Harm at work", "#AA0000", "2") in stored(window.store)
    assert "sanctions" not in [k for k, *_ in stored(window.store)]
    assert window.label_bar.tag_actions["injury"].text() == "Harm at work"
    assert window.article.colors["injury"] == QColor("#AA0000")
    # The store refuses what the dialog prevents, also from a script.
    with window.store.write() as session, pytest.raises(AnnotatorError, match=r"in use cannot be removed.*injury \(1 spans\)"):
        scheme_admin.replace_scheme(session, Scheme([Label("other", "Other", "#000000")]), actor=ANALYST)


def test_problems_are_listed_and_nothing_is_saved(qtbot, window) -> None:
    before = stored(window.store)
    dialog = open_dialog(qtbot, window)
    dialog.set_cell(0, KEY, "two words")
    dialog.set_cell(1, SHORTCUT, "3")
    dialog.set_cell(2, COLOUR, "#12345")
    dialog.set_cell(3, SHORTCUT, "s")  # already the sticky-label key
    dialog.set_cell(4, NAME, "  ")
    dialog.set_cell(4, SHORTCUT, "j")  # the second shortcut of "Next document"
    assert dialog.save() is False
    message = dialog.last_message
    assert message.startswith("Not saved")
    assert "Label 1 (two words): the key must start with a letter" in message
    assert "shortcut '3' is already the shortcut of injury" in message
    assert "'#12345' is not of the form #RRGGBB" in message
    assert "the shortcut S already means “Sticky label”" in message
    assert "Label 5 (sanctions): the display name is empty" in message
    assert "the shortcut J already means “Next document”" in message
    assert stored(window.store) == before and dialog.isVisible()


def test_scheme_json_export_and_import(qtbot, window, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, window)
    out = tmp_path / "scheme.json"
    assert dialog.export_file(out)
    assert Scheme.from_json(out.read_text(encoding="utf-8")).keys() == default_scheme().keys()
    data = json.loads(out.read_text(encoding="utf-8"))
    data["labels"][0]["name"] = "Hours"
    data["labels"] = data["labels"][:2] + [{"key": "debt", "name": "Debt bondage", "color": "#332288", "shortcut": "7"}]
    data["relations"] = []  # the default relation types name labels this file leaves out
    incoming = tmp_path / "team.json"
    incoming.write_text(json.dumps(data), encoding="utf-8")
    assert dialog.import_file(incoming)
    assert "1 new" in dialog.last_message and "3 labels not in the file were kept" in dialog.last_message
    assert stored(window.store)[0][1] == "Working hours"  # nothing stored before Save
    assert dialog.save()
    assert stored(window.store)[0][1] == "Hours" and ("debt", "Debt bondage", "#332288", "7") in stored(window.store)
    # A broken file is reported with its name, and changes nothing.
    bad = tmp_path / "bad.json"
    bad.write_text('{"labels": [{"key": "a b"}]}', encoding="utf-8")
    dialog = open_dialog(qtbot, window)
    assert dialog.import_file(bad) is False and "not a valid key" in dialog.last_message


def test_scheme_edit_needs_admin_only_where_roles_matter(db_path: Path) -> None:
    store = open_store(db_path)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            repo.get_or_create_annotator(session, "lead")
            repo.get_or_create_annotator(session, "ana")
            assert not scheme_admin.roles_matter(session)
            assert scheme_admin.scheme_edit_problem(session, "ana") is None  # a local file: anyone
            scheme_admin.replace_scheme(session, default_scheme(), actor="ana")
    finally:
        store.close()


@pytest.mark.postgres
def test_on_a_server_only_an_admin_edits_the_scheme(pg_url: str, qtbot, tmp_path: Path) -> None:
    store = open_store(pg_url)
    try:
        with store.write() as session:
            repo.ensure_default_scheme(session)
            repo.get_or_create_annotator(session, "lead")  # first: admin
            repo.get_or_create_annotator(session, "ana")
        with store.write() as session, pytest.raises(PermissionDenied, match="only an admin"):
            scheme_admin.replace_scheme(session, default_scheme(), actor="ana")
        session = AnnotationSession(store, "ana")
        dialog = SchemeDialog(session, Operations(session))
        qtbot.addWidget(dialog)
        assert dialog.banner.text().startswith("ana has the role “annotator”") and not dialog.save_button.isEnabled()
        assert not dialog.table.item(0, NAME).flags() & Qt.ItemFlag.ItemIsEditable
        assert dialog.export_button.isEnabled()
        with store.write() as session:
            scheme_admin.replace_scheme(session, default_scheme(), actor="lead")
    finally:
        store.close()
